import { valuesEqual } from '@gyre/history';
import { hashValue, zobrist } from './hash';
import type { LinOp, Model } from './model';

const ILLEGAL = -1;
/** {@link Automaton.next}'s answer for a read-only op that is impossible now and stays so until a reset (`Model.unreachable`). */
export const DEAD = -2;
/** Partitions of up to this many ops keep `Model.revives`' answers (a byte per pair of ops). */
const MAX_REVIVE_CACHE = 1024;

/**
 * A model compiled lazily over one set of ops: states are interned to small integers and each
 * (state, op) transition is computed once and kept in a table, so the search itself never calls the
 * model twice for the same pair and never allocates.
 */
export class Automaton<S = unknown> {
  readonly n: number;
  /** Interned states by id. */
  readonly states: S[] = [];
  /** A random 32-bit key per state id, mixed into configuration hashes. */
  stateKey: Int32Array;
  private stateHash: Int32Array;
  private table: Int32Array;
  private tableMask: number;
  /** Transitions: row per state, column per op; 0 unknown, ILLEGAL, DEAD, or next id + 1. */
  private trans: Int32Array;
  private transRows: number;
  private readonly hash: (s: S) => number;
  private readonly equal: (a: S, b: S) => boolean;
  readonly init: number;
  /** Model calls made (cache misses of the transition table). */
  modelSteps = 0;
  /** 1 for an op the model says is read-only (it never changes the state). */
  readonly readOnly: Uint8Array;
  /** The model has `unreachable` and `revives` (the search looks for reads that can never become possible). */
  readonly prunes: boolean;

  constructor(
    readonly model: Model<S>,
    readonly ops: readonly LinOp[],
    private readonly maxDenseCells = 1 << 16,
    private readonly maxListed = 1 << 22,
  ) {
    this.n = ops.length;
    this.hash = model.hash ? (s) => model.hash!(s) | 0 : hashValue;
    this.equal = model.equal ? (a, b) => model.equal!(a, b) : valuesEqual;
    this.transRows = Math.max(1, Math.min(8, Math.floor(maxDenseCells / Math.max(1, this.n))));
    const buf = new ArrayBuffer((16 + 16 + 32 + this.transRows * this.n) * 4);
    this.stateKey = new Int32Array(buf, 0, 16);
    this.stateHash = new Int32Array(buf, 64, 16);
    this.table = new Int32Array(buf, 128, 32);
    this.tableMask = 31;
    this.trans = new Int32Array(buf, 256, this.transRows * this.n);
    this.init = this.intern(model.init());
    this.readOnly = new Uint8Array(this.n);
    const ro = model.readOnly;
    if (ro) for (let i = 0; i < this.n; i++) this.readOnly[i] = ro.call(model, ops[i]!) ? 1 : 0;
    this.prunes = model.unreachable !== undefined && model.revives !== undefined;
  }

  get stateCount(): number {
    return this.states.length;
  }

  /** The interned id of a state, adding it if new. */
  intern(s: S): number {
    const h = this.hash(s);
    let i = h & this.tableMask;
    for (;;) {
      const e = this.table[i]!;
      if (e === 0) break;
      const id = e - 1;
      if (this.stateHash[id] === h && this.equal(this.states[id]!, s)) return id;
      i = (i + 1) & this.tableMask;
    }
    const id = this.states.length;
    this.states.push(s);
    if (id >= this.stateKey.length) {
      const k = new Int32Array(this.stateKey.length * 2);
      k.set(this.stateKey);
      this.stateKey = k;
      const hh = new Int32Array(this.stateHash.length * 2);
      hh.set(this.stateHash);
      this.stateHash = hh;
    }
    this.stateKey[id] = zobrist(id, 0x2545f491);
    this.stateHash[id] = h;
    this.table[i] = id + 1;
    if (this.states.length * 2 > this.tableMask) this.rehash();
    return id;
  }

  private rehash(): void {
    const size = (this.tableMask + 1) * 2;
    const t = new Int32Array(size);
    const mask = size - 1;
    for (let id = 0; id < this.states.length; id++) {
      let i = this.stateHash[id]! & mask;
      while (t[i] !== 0) i = (i + 1) & mask;
      t[i] = id + 1;
    }
    this.table = t;
    this.tableMask = mask;
  }

  /**
   * The state id after applying op `op` to state `s`, or a negative number when the op is impossible
   * there: {@link DEAD} when it is read-only and stays impossible until a reset, else -1.
   */
  next(s: number, op: number): number {
    if (s < this.transRows) {
      const c = this.trans[s * this.n + op]!;
      if (c !== 0) return c < 0 ? c : c - 1;
    } else if (s < this.lHead.length) {
      for (let i = this.lHead[s]! - 1; i >= 0; i = this.lNext[i]! - 1) {
        if (this.lOp[i] === op) {
          const c = this.lVal[i]!;
          return c < 0 ? c : c - 1;
        }
      }
    }
    return this.compute(s, op);
  }

  private compute(s: number, op: number): number {
    this.modelSteps++;
    const model = this.model;
    const r = model.step(this.states[s]!, this.ops[op]!);
    const ro = this.readOnly[op] === 1;
    const t = r.ok ? (ro ? s : this.intern(r.state)) : ro && this.prunes && model.unreachable!(this.states[s]!, this.ops[op]!) ? DEAD : ILLEGAL;
    const v = t < 0 ? t : t + 1;
    if (s >= this.transRows) this.growRows(s);
    if (s < this.transRows) this.trans[s * this.n + op] = v;
    else this.remember(s, op, v);
    return t;
  }

  // Transitions of states beyond the dense rows: a short list per state, in pooled arrays
  // (a state is expanded in few configurations, each with few candidates).
  private lHead = new Int32Array(0);
  private lOp = new Int32Array(0);
  private lNext = new Int32Array(0);
  private lVal = new Int32Array(0);
  private lCount = 0;

  private remember(s: number, op: number, v: number): void {
    const i = this.lCount;
    if (i >= this.maxListed) return;
    if (s >= this.lHead.length) {
      const h = new Int32Array(Math.max(1024, s + 1, this.lHead.length * 2));
      h.set(this.lHead);
      this.lHead = h;
    }
    if (i >= this.lOp.length) {
      const size = Math.max(4096, this.lOp.length * 2);
      for (const k of ['lOp', 'lNext', 'lVal'] as const) {
        const a = new Int32Array(size);
        a.set(this[k]);
        this[k] = a;
      }
    }
    this.lOp[i] = op;
    this.lVal[i] = v;
    this.lNext[i] = this.lHead[s]!;
    this.lHead[s] = i + 1;
    this.lCount = i + 1;
  }

  private growRows(s: number): void {
    const maxRows = Math.max(1, Math.floor(this.maxDenseCells / Math.max(1, this.n)));
    if (this.transRows >= maxRows) return;
    let rows = this.transRows;
    while (rows <= s && rows < maxRows) rows *= 2;
    rows = Math.min(rows, maxRows);
    const t = new Int32Array(rows * this.n);
    t.set(this.trans);
    this.trans = t;
    this.transRows = rows;
  }

  /** `revives` answers for up to {@link MAX_REVIVE_CACHE} ops: 0 unknown, 1 no, 2 yes, by read × op. */
  private reviveCache: Uint8Array | undefined;

  /** May op `op` revive the read `read` (`Model.revives`)? */
  revives(op: number, read: number): boolean {
    if (this.n > MAX_REVIVE_CACHE) return this.model.revives!(this.ops[op]!, this.ops[read]!);
    const cache = (this.reviveCache ??= new Uint8Array(this.n * this.n));
    const i = read * this.n + op;
    let c = cache[i]!;
    if (c === 0) cache[i] = c = this.model.revives!(this.ops[op]!, this.ops[read]!) ? 2 : 1;
    return c === 2;
  }

  /** Why `op` is impossible in state `s` (calls the model again), or undefined if it is possible. */
  reason(s: number, op: number): string | undefined {
    const r = this.model.step(this.states[s]!, this.ops[op]!);
    return r.ok ? undefined : r.reason;
  }
}
