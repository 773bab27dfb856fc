import type { Automaton } from './automaton';
import { zobrist } from './hash';

/** How a search ended. */
export const VALID = 1;
export const INVALID = 0;
export const TIMEOUT = 2;
export const CACHE_FULL = 3;
export type Outcome = typeof VALID | typeof INVALID | typeof TIMEOUT | typeof CACHE_FULL;

/** Budgets for one search. */
export interface Limits {
  /** Absolute deadline on the `now` clock (ms); Infinity for none. */
  deadline: number;
  now: () => number;
  /** Cap on memoised configurations. */
  maxEntries: number;
}

/**
 * Memo of visited configurations (linearised set, state id): open addressing over a pool of
 * bitsets, keyed by an incremental Zobrist hash of the set mixed with a per-state key.
 */
class ConfigCache {
  count = 0;
  private mask = 255;
  private table = new Int32Array(256);
  private hashes = new Int32Array(128);
  private stateOf = new Int32Array(128);
  private bits: Uint32Array;
  constructor(
    private readonly words: number,
    private readonly maxEntries: number,
  ) {
    this.bits = new Uint32Array(128 * words);
  }

  /** 1 if (set, state) was added, 0 if already present, 2 if the cache is full. */
  add(set: Uint32Array, state: number, h: number): number {
    const W = this.words;
    const table = this.table;
    const mask = this.mask;
    let i = h & mask;
    for (;;) {
      const e1 = table[i]!;
      if (e1 === 0) break;
      const e = e1 - 1;
      if (this.hashes[e] === h && this.stateOf[e] === state) {
        const bits = this.bits;
        const base = e * W;
        let w = 0;
        while (w < W && bits[base + w] === set[w]) w++;
        if (w === W) return 0;
      }
      i = (i + 1) & mask;
    }
    const e = this.count;
    if (e >= this.maxEntries) return 2;
    if (e >= this.hashes.length) this.growPool();
    this.hashes[e] = h;
    this.stateOf[e] = state;
    this.bits.set(set, e * W);
    table[i] = e + 1;
    this.count = e + 1;
    if (this.count * 2 > mask) this.rehash();
    return 1;
  }

  private growPool(): void {
    const cap = Math.min(this.hashes.length * 2, Math.max(this.maxEntries, 1));
    const h = new Int32Array(cap);
    h.set(this.hashes);
    this.hashes = h;
    const s = new Int32Array(cap);
    s.set(this.stateOf);
    this.stateOf = s;
    const b = new Uint32Array(cap * this.words);
    b.set(this.bits);
    this.bits = b;
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    const mask = size - 1;
    const t = new Int32Array(size);
    for (let e = 0; e < this.count; e++) {
      let i = this.hashes[e]! & mask;
      while (t[i] !== 0) i = (i + 1) & mask;
      t[i] = e + 1;
    }
    this.table = t;
    this.mask = mask;
  }
}

/**
 * Wing & Gong's search with Lowe's memoisation, over a doubly linked list of call and return
 * events (Porcupine's formulation). An op without a return event (indeterminate) may be
 * linearised at any point after its call, or never: the search succeeds as soon as every
 * determinate op is linearised.
 */
export class Search {
  readonly n: number;
  private readonly E: number;
  private readonly head: number;
  private readonly tail: number;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly evOp: Int32Array;
  private readonly isCall: Uint8Array;
  private readonly retOf: Int32Array;
  private readonly zob: Int32Array;
  private readonly determinate: number;
  readonly words: number;

  steps = 0;
  cacheEntries = 0;
  /** Longest linearised prefix found (op ids, in order). */
  bestPath = new Int32Array(0);
  bestDepth = 0;
  /** The op whose return blocked the longest prefix, or -1. */
  failOp = -1;
  /** State id after the longest prefix. */
  failState = 0;
  /** The linearisation, when valid. */
  witness: Int32Array | undefined;

  /**
   * @param aut - the compiled model over the ops
   * @param inv - each op's call position (distinct, any increasing scale)
   * @param ret - each op's return position, or -1 for an op that never returned
   */
  constructor(
    readonly aut: Automaton,
    inv: ArrayLike<number>,
    ret: ArrayLike<number>,
  ) {
    const n = aut.n;
    this.n = n;
    let E = 0;
    let det = 0;
    for (let i = 0; i < n; i++) {
      E++;
      if (ret[i]! >= 0) {
        E++;
        det++;
      }
    }
    this.E = E;
    this.determinate = det;
    // Calls come in invocation order; returns are sorted by insertion (nearly sorted already).
    const byRet = new Int32Array(det);
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (i > 0 && inv[i]! < inv[i - 1]!) throw new RangeError('ops must be in invocation order');
      const r = ret[i]!;
      if (r < 0) continue;
      let j = m++;
      while (j > 0 && ret[byRet[j - 1]!]! > r) {
        byRet[j] = byRet[j - 1]!;
        j--;
      }
      byRet[j] = i;
    }
    this.evOp = new Int32Array(E);
    this.isCall = new Uint8Array(E);
    let c = 0;
    let q = 0;
    for (let k = 0; k < E; k++) {
      if (c < n && (q >= det || inv[c]! <= ret[byRet[q]!]!)) {
        this.evOp[k] = c++;
        this.isCall[k] = 1;
      } else this.evOp[k] = byRet[q++]!;
    }
    this.retOf = new Int32Array(n).fill(-1);
    for (let j = 0; j < E; j++) if (!this.isCall[j]) this.retOf[this.evOp[j]!] = j;
    this.head = E;
    this.tail = E + 1;
    this.next = new Int32Array(E + 2);
    this.prev = new Int32Array(E + 2);
    this.zob = new Int32Array(n);
    for (let i = 0; i < n; i++) this.zob[i] = zobrist(i, 0x68e31da4);
    this.words = Math.max(1, (n + 31) >>> 5);
  }

  private reset(): void {
    const { next, prev, E, head, tail } = this;
    for (let j = 0; j < E; j++) {
      next[j] = j + 1 < E ? j + 1 : tail;
      prev[j] = j > 0 ? j - 1 : head;
    }
    next[head] = E > 0 ? 0 : tail;
    prev[tail] = E > 0 ? E - 1 : head;
    prev[head] = -1;
    next[tail] = -1;
  }

  /**
   * Runs the search. With `collect`, does not stop at a full linearisation: it reports the state of
   * every configuration in which all determinate ops are linearised, and explores them all.
   */
  run(limits: Limits, collect?: (state: number) => void): Outcome {
    this.reset();
    const { next, prev, evOp, isCall, retOf, zob, head, tail, n, aut } = this;
    const W = this.words;
    const cache = new ConfigCache(W, limits.maxEntries);
    const set = new Uint32Array(W);
    const stackEv = new Int32Array(n);
    const stackState = new Int32Array(n);
    const { deadline, now } = limits;
    const timed = deadline < Infinity;
    let checkMask = 255;
    let lastCheck = timed ? now() : 0;
    let remaining = this.determinate;
    let state = aut.init;
    let h = 0;
    let depth = 0;
    let steps = 0;
    let pendingFail = true;
    this.bestDepth = 0;
    this.bestPath = new Int32Array(0);
    this.failOp = -1;
    this.failState = state;
    this.witness = undefined;
    const finish = (o: Outcome): Outcome => {
      this.steps += steps;
      this.cacheEntries = cache.count;
      return o;
    };
    if (collect) {
      cache.add(set, state, aut.stateKey[state]!);
      if (remaining === 0) collect(state);
    } else if (remaining === 0) {
      this.witness = new Int32Array(0);
      return finish(VALID);
    }
    let entry = next[head]!;
    for (;;) {
      if (timed && (++steps & checkMask) === 0) {
        const t = now();
        if (t >= deadline) return finish(TIMEOUT);
        const d = t - lastCheck;
        if (d > 4 && checkMask > 15) checkMask >>>= 1;
        else if (d < 1 && checkMask < 8191) checkMask = (checkMask << 1) | 1;
        lastCheck = t;
      } else if (!timed) steps++;
      if (entry !== tail && isCall[entry] === 1) {
        const op = evOp[entry]!;
        const ns = aut.next(state, op);
        if (ns >= 0) {
          const w = op >>> 5;
          const bit = 1 << (op & 31);
          set[w]! |= bit;
          const nh = h ^ zob[op]!;
          const added = cache.add(set, ns, nh ^ aut.stateKey[ns]!);
          if (added === 1) {
            stackEv[depth] = entry;
            stackState[depth] = state;
            depth++;
            state = ns;
            h = nh;
            const nx = next[entry]!;
            const pv = prev[entry]!;
            prev[nx] = pv;
            next[pv] = nx;
            const r = retOf[op]!;
            if (r >= 0) {
              const rn = next[r]!;
              const rp = prev[r]!;
              prev[rn] = rp;
              next[rp] = rn;
              remaining--;
            }
            if (depth > this.bestDepth) {
              this.bestDepth = depth;
              const path = new Int32Array(depth);
              for (let d = 0; d < depth; d++) path[d] = evOp[stackEv[d]!]!;
              this.bestPath = path;
              pendingFail = true;
            }
            if (remaining === 0) {
              if (!collect) {
                this.witness = this.bestDepth === depth ? this.bestPath : Int32Array.from(stackEv.subarray(0, depth), (e) => evOp[e]!);
                return finish(VALID);
              }
              collect(state);
            }
            entry = next[head]!;
            continue;
          }
          set[w]! &= ~bit;
          if (added === 2) return finish(CACHE_FULL);
        }
        entry = next[entry]!;
        continue;
      }
      // A return event (or the end): the current configuration cannot be extended; backtrack.
      if (pendingFail) {
        pendingFail = false;
        this.failOp = entry === tail ? -1 : evOp[entry]!;
        this.failState = state;
      }
      if (depth === 0) return finish(INVALID);
      depth--;
      entry = stackEv[depth]!;
      state = stackState[depth]!;
      const op = evOp[entry]!;
      set[op >>> 5]! &= ~(1 << (op & 31));
      h ^= zob[op]!;
      const r = retOf[op]!;
      if (r >= 0) {
        next[prev[r]!] = r;
        prev[next[r]!] = r;
        remaining++;
      }
      next[prev[entry]!] = entry;
      prev[next[entry]!] = entry;
      entry = next[entry]!;
    }
  }
}
