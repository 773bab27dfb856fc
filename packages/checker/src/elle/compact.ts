/**
 * A transactional history stored column-wise: one row per history entry (type, process, index,
 * time, and the range of its micro-ops), one row per micro-op (kind, key, value), and the
 * elements of list reads in one integer pool. Keys are interned to dense ids and values to
 * integer codes (small non-negative integers stand for themselves), so the checkers compare
 * integers and a million transactions take tens of megabytes instead of an object graph.
 *
 * Built from `Op`s ({@link txnHistory}, for histories already in memory) or line by line from a
 * file's bytes (`read.ts`); either way the same checker core runs on it. Ops are rebuilt on demand
 * for reports ({@link TxnHistory.op}).
 */
import type { Op, OpType } from '@gyre/history';
import { type Canon, Interner, canon, offHeap } from './values';

// Op types.
export const T_INVOKE = 0;
export const T_OK = 1;
export const T_FAIL = 2;
export const T_INFO = 3;
const TYPE_NAMES: readonly OpType[] = ['invoke', 'ok', 'fail', 'info'];
/** The type code of an op type name, or -1. */
function typeCode(t: unknown): number {
  return t === 'invoke' ? T_INVOKE : t === 'ok' ? T_OK : t === 'fail' ? T_FAIL : t === 'info' ? T_INFO : -1;
}

// Micro-op kinds.
const M_OTHER = 0;
export const M_READ = 1;
export const M_APPEND = 2;
export const M_WRITE = 3;

/** The value code of `null` (and of a missing value). */
export const NIL = -1;
/** Values 0..SMALL are their own code. */
export const SMALL = 0x3fffffff;
/** `mopLen` of a read whose value is not a list: the value's code is in `mopValue`. */
export const SCALAR = -1;

/** The process code of an op without a process. */
export const NO_PROCESS = -1;

// Shape bits of an op: what its value holds, for telling a history of another model.
/** The value is not a list of `[f, k, v]` micro-ops with a string `f`. */
export const S_NOT_TXN = 1;
export const S_READ = 2;
export const S_APPEND = 4;
export const S_WRITE = 8;
/** A micro-op whose `f` is none of r, append, w. */
export const S_OTHER = 16;
/** A write `['w', k, null]`. */
export const S_NIL_WRITE = 32;
/** The value is a list (a transaction). */
export const S_LIST = 64;

/** Values interned to integer codes, compared as Clojure does (`5` and `5n` are one value). */
class ValueCodes {
  private readonly ids = new Map<Canon, number>();
  /** The original of each interned code `-2 - i` (the first one seen). */
  readonly values: unknown[] = [];
  /** The code of `v`. */
  code(v: unknown): number {
    if (typeof v === 'number' && (v & SMALL) === v) return v;
    if (v === null || v === undefined) return NIL;
    const c = canon(v);
    if (typeof c === 'number' && (c & SMALL) === c) return c;
    let i = this.ids.get(c);
    if (i === undefined) {
      i = this.values.length;
      this.ids.set(c, i);
      this.values.push(v);
    }
    return -2 - i;
  }
  /** The code of `v` if it has one, else undefined (nothing is interned). */
  find(v: unknown): number | undefined {
    if (typeof v === 'number' && (v & SMALL) === v) return v;
    if (v === null || v === undefined) return NIL;
    const c = canon(v);
    if (typeof c === 'number' && (c & SMALL) === c) return c;
    const i = this.ids.get(c);
    return i === undefined ? undefined : -2 - i;
  }
  /** A value with this code. */
  value(code: number): unknown {
    return code >= 0 ? code : code === NIL ? null : this.values[-2 - code];
  }
}

type Column = Uint8Array | Uint16Array | Int32Array | Float64Array;
type ColumnType<T extends Column> = { new (buffer: ArrayBufferLike, offset: number, length: number): T; BYTES_PER_ELEMENT: number };

/**
 * A zero-filled column of `n` entries, off the heap's accounting (a shared buffer where there are
 * shared buffers: growing ordinary buffers by hundreds of megabytes next to a heap of a million
 * ops would set off a full collection of that heap again and again).
 */
function column<T extends Column>(Type: ColumnType<T>, n: number): T {
  return new Type(offHeap(n * Type.BYTES_PER_ELEMENT), 0, n);
}

/** A copy of `a` with room for `cap` entries, its first `used` ones kept. */
function grown<T extends Column>(a: T, used: number, cap: number): T {
  const b = column(a.constructor as unknown as ColumnType<T>, cap);
  b.set(a.subarray(0, used));
  return b;
}

/**
 * A transactional history, column-wise. Row `i` is the i-th history entry; its micro-ops are
 * rows `mopStart[i] .. mopStart[i + 1]` of the micro-op columns.
 */
export interface TxnHistory {
  /** Number of history entries. */
  readonly length: number;
  /** T_INVOKE, T_OK, T_FAIL or T_INFO. */
  readonly type: Uint8Array;
  /** The process: itself when a small non-negative integer, else a code (see {@link TxnHistory.processValue}). */
  readonly process: Int32Array;
  /** The `index` of each entry. */
  readonly index: Float64Array;
  /** The `time` of each entry (NaN when absent). */
  readonly time: Float64Array;
  /** S_* bits of each entry ({@link S_LIST} when its value is a list, a transaction). */
  readonly shape: Uint8Array;
  readonly mopStart: Int32Array;
  /** M_READ, M_APPEND, M_WRITE or M_OTHER. */
  readonly mopKind: Uint8Array;
  /** The key id (see {@link TxnHistory.keys}). */
  readonly mopKey: Int32Array;
  /** Appends and writes: the value's code. Reads: the list's first element in `elems`, or the scalar's code. */
  readonly mopValue: Int32Array;
  /** Reads: the list's length, or {@link SCALAR} (`mopValue` is the value's code, {@link NIL} for null). */
  readonly mopLen: Int32Array;
  /** The elements of list reads, as value codes. */
  readonly elems: Int32Array;
  /** Key ids to keys. */
  readonly keys: Interner;
  /** Value codes to values. */
  readonly values: ValueCodes;
  /** The code of the process `'nemesis'` (or -2, which no process has). */
  readonly nemesis: number;
  /** The file line (from 1) of entry i, or 0 when not read from a file. */
  lineOf(i: number): number;
  /** The entry as an `Op` (the original when there is one, else rebuilt). */
  op(i: number): Op;
  /** A micro-op as an array (`['append', k, v]`), rebuilt from the columns. */
  mop(g: number): unknown[];
  /** The process of entry i as a value (undefined when it has none). */
  processValue(i: number): unknown;
}

const MOP_NAMES = ['?', 'r', 'append', 'w'];

/**
 * Builds a {@link TxnHistory} one entry at a time: {@link TxnHistoryBuilder.addOp} for `Op`s, or,
 * for a reader, {@link TxnHistoryBuilder.reserve} then direct writes to the columns (micro-ops at
 * `nMops`, elements at `nElems`) and {@link TxnHistoryBuilder.endOp}.
 */
export class TxnHistoryBuilder {
  readonly keys = new Interner();
  readonly values = new ValueCodes();
  readonly fs = new Interner();
  private readonly processes = new Interner();
  nOps = 0;
  nMops = 0;
  nElems = 0;
  private opCap: number;
  private mopCap: number;
  private elemCap: number;
  type: Uint8Array;
  process: Int32Array;
  /** Null while every entry's index is its position (the usual case: the column is then never written). */
  index: Float64Array | null = null;
  time: Float64Array;
  shape: Uint8Array;
  f: Uint16Array;
  /** Lines, as breakpoints: entry `lineAt[j]` and those after it are on consecutive lines from `lineNo[j]`. */
  private readonly lineAt: number[] | undefined;
  private readonly lineNo: number[] = [];
  private lastLine = -1;
  mopStart: Int32Array;
  mopKind: Uint8Array;
  mopKey: Int32Array;
  mopValue: Int32Array;
  mopLen: Int32Array;
  elems: Int32Array;
  /** Ops kept as given (all of them for {@link txnHistory}; the odd ones for a reader). */
  private readonly kept = new Map<number, Op>();

  constructor(capacity: { ops?: number; mops?: number; elems?: number; lines?: boolean } = {}) {
    const ops = (this.opCap = Math.max(16, capacity.ops ?? 1024));
    const mops = (this.mopCap = Math.max(16, capacity.mops ?? ops * 2));
    const elems = (this.elemCap = Math.max(16, capacity.elems ?? mops * 4));
    this.type = column(Uint8Array, ops);
    this.process = column(Int32Array, ops);
    this.time = column(Float64Array, ops);
    this.shape = column(Uint8Array, ops);
    this.f = column(Uint16Array, ops);
    this.lineAt = capacity.lines ? [] : undefined;
    this.mopStart = column(Int32Array, ops + 1);
    this.mopKind = column(Uint8Array, mops);
    this.mopKey = column(Int32Array, mops);
    this.mopValue = column(Int32Array, mops);
    this.mopLen = column(Int32Array, mops);
    this.elems = column(Int32Array, elems);
  }

  get length(): number {
    return this.nOps;
  }

  /** Makes room for this many more entries, micro-ops and elements. */
  reserve(ops: number, mops: number, elems: number): void {
    if (this.nOps + ops > this.opCap) {
      const n = this.nOps;
      const cap = (this.opCap = Math.max(this.opCap * 2, n + ops));
      this.type = grown(this.type, n, cap);
      this.process = grown(this.process, n, cap);
      if (this.index) this.index = grown(this.index, n, cap);
      this.time = grown(this.time, n, cap);
      this.shape = grown(this.shape, n, cap);
      this.f = grown(this.f, n, cap);
      this.mopStart = grown(this.mopStart, n + 1, cap + 1);
    }
    if (this.nMops + mops > this.mopCap) {
      const n = this.nMops;
      const cap = (this.mopCap = Math.max(this.mopCap * 2, n + mops));
      this.mopKind = grown(this.mopKind, n, cap);
      this.mopKey = grown(this.mopKey, n, cap);
      this.mopValue = grown(this.mopValue, n, cap);
      this.mopLen = grown(this.mopLen, n, cap);
    }
    if (this.nElems + elems > this.elemCap) {
      const cap = (this.elemCap = Math.max(this.elemCap * 2, this.nElems + elems));
      this.elems = grown(this.elems, this.nElems, cap);
    }
  }

  /** The code of a process value. */
  processCode(p: unknown): number {
    if (typeof p === 'number' && (p & 0xfffff) === p) return p;
    if (p === undefined || p === null) return NO_PROCESS;
    return -2 - this.processes.id(p);
  }

  /** Ends an entry whose micro-ops (if any) were written since the previous one (room reserved). */
  endOp(type: number, process: number, index: number, time: number, f: number, shape: number, line = 0): void {
    const i = this.nOps++;
    this.type[i] = type;
    this.process[i] = process;
    if (this.index) this.index[i] = index;
    else if (index !== i) this.firstIndex(i, index);
    this.time[i] = time;
    this.f[i] = f;
    this.shape[i] = shape;
    this.mopStart[i + 1] = this.nMops;
    if (this.lineAt && line !== ++this.lastLine) {
      this.lineAt.push(i);
      this.lineNo.push((this.lastLine = line));
    }
  }

  /** The first entry whose index is not its position: the index column starts here. */
  private firstIndex(i: number, index: number): void {
    const col = column(Float64Array, this.opCap);
    for (let j = 0; j < i; j++) col[j] = j;
    col[i] = index;
    this.index = col;
  }

  /** The id of an op's `f`; past 65,535 different ones, 65,535 (the op must then be kept to be rebuilt). */
  fId(f: string): number {
    return Math.min(this.fs.id(f), 0xffff);
  }

  /** Adds an `Op` (kept as it is, for reports, unless `keep` is false). */
  addOp(op: Op, line = 0, keep = true): void {
    const i = this.nOps;
    const value = op.value;
    let shape = 0;
    if (Array.isArray(value)) {
      shape = S_LIST;
      let elems = 0;
      for (let j = 0; j < value.length; j++) {
        const m = value[j];
        if (Array.isArray(m) && Array.isArray(m[2])) elems += (m[2] as unknown[]).length;
      }
      this.reserve(1, value.length, elems);
      for (let j = 0; j < value.length; j++) shape |= this.addMop(value[j]);
    } else {
      this.reserve(1, 0, 0);
      shape = S_NOT_TXN;
    }
    const t = typeCode(op.type);
    const time = typeof op.time === 'number' ? op.time : typeof op.time === 'bigint' ? Number(op.time) : NaN;
    const f = this.fId(op.f ?? '');
    this.endOp(t < 0 ? T_INFO : t, this.processCode(op.process), op.index, time, f, shape, line);
    if (keep || f === 0xffff) this.kept.set(i, op);
  }

  /** Adds one micro-op (room reserved); returns its shape bits. */
  private addMop(m: unknown): number {
    const g = this.nMops++;
    if (!Array.isArray(m) || m.length < 3) {
      this.mopKind[g] = M_OTHER;
      this.mopKey[g] = this.keys.id(null);
      this.mopValue[g] = NIL;
      this.mopLen[g] = SCALAR;
      return S_NOT_TXN | S_OTHER;
    }
    const f = m[0];
    const kind = f === 'r' ? M_READ : f === 'append' ? M_APPEND : f === 'w' ? M_WRITE : M_OTHER;
    let shape = typeof f !== 'string' || m.length !== 3 ? S_NOT_TXN : 0;
    shape |= kind === M_READ ? S_READ : kind === M_APPEND ? S_APPEND : kind === M_WRITE ? S_WRITE : S_OTHER;
    this.mopKind[g] = kind;
    this.mopKey[g] = this.keys.id(m[1]);
    const v = m[2];
    if (kind === M_READ && Array.isArray(v)) {
      const start = this.nElems;
      for (let j = 0; j < v.length; j++) this.elems[this.nElems++] = this.values.code(v[j]);
      this.mopValue[g] = start;
      this.mopLen[g] = v.length;
    } else {
      const c = this.values.code(v);
      if (kind === M_WRITE && c === NIL) shape |= S_NIL_WRITE;
      this.mopValue[g] = c;
      this.mopLen[g] = SCALAR;
    }
    return shape;
  }

  /** Sets every entry's index to its position (for histories whose indices do not increase). */
  renumber(): void {
    this.index = null;
    for (const [i, op] of this.kept) if (op.index !== i) this.kept.set(i, { ...op, index: i });
  }

  /** The history (the builder must not be used afterwards); `all` are the ops it was built from, if any. */
  finish(all?: readonly Op[]): TxnHistory {
    return columns(this, all, this.kept, this.processes, this.lineAt ? [Int32Array.from(this.lineAt), Int32Array.from(this.lineNo)] : undefined);
  }
}

/** The history a builder holds, as its columns cut to length and the functions over them. */
function columns(b: TxnHistoryBuilder, all: readonly Op[] | undefined, kept: Map<number, Op>, processes: Interner, lines: [Int32Array, Int32Array] | undefined): TxnHistory {
  const n = b.nOps;
  const m = b.nMops;
  const { keys, values } = b;
  const f = b.f.subarray(0, n);
  const nemesis = processes.find('nemesis');
  // Built when first asked for (reports), when every index is its position.
  let index = b.index?.subarray(0, n);
  const h: TxnHistory = {
    length: n,
    type: b.type.subarray(0, n),
    process: b.process.subarray(0, n),
    get index() {
      if (!index) {
        index = new Float64Array(n);
        for (let i = 0; i < n; i++) index[i] = i;
      }
      return index;
    },
    time: b.time.subarray(0, n),
    shape: b.shape.subarray(0, n),
    mopStart: b.mopStart.subarray(0, n + 1),
    mopKind: b.mopKind.subarray(0, m),
    mopKey: b.mopKey.subarray(0, m),
    mopValue: b.mopValue.subarray(0, m),
    mopLen: b.mopLen.subarray(0, m),
    elems: b.elems.subarray(0, b.nElems),
    keys,
    values,
    nemesis: nemesis < 0 ? -2 - 0x7fffffff : -2 - nemesis,
    lineOf(i) {
      if (!lines) return 0;
      const [at, no] = lines;
      let lo = 0;
      let hi = at.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (at[mid]! <= i) lo = mid;
        else hi = mid - 1;
      }
      return at.length === 0 || at[lo]! > i ? 0 : no[lo]! + (i - at[lo]!);
    },
    processValue(i) {
      const p = h.process[i]!;
      return p >= 0 ? p : p === NO_PROCESS ? undefined : processes.values[-2 - p];
    },
    mop(g) {
      const kind = h.mopKind[g]!;
      const len = h.mopLen[g]!;
      const v = h.mopValue[g]!;
      let value: unknown;
      if (kind === M_READ && len !== SCALAR) {
        const out: unknown[] = new Array(len);
        for (let j = 0; j < len; j++) out[j] = values.value(h.elems[v + j]!);
        value = out;
      } else value = values.value(v);
      return [MOP_NAMES[kind], keys.values[h.mopKey[g]!], value];
    },
    op(i) {
      const given = all ? all[i] : kept.get(i);
      if (given) return given;
      let value: unknown = null;
      if (h.shape[i]! & S_LIST) {
        const mops: unknown[] = [];
        for (let g = h.mopStart[i]!; g < h.mopStart[i + 1]!; g++) mops.push(h.mop(g));
        value = mops;
      }
      return { index: h.index[i]!, time: h.time[i]!, type: TYPE_NAMES[h.type[i]!]!, process: h.processValue(i) as Op['process'], f: b.fs.values[f[i]!] as string, value };
    },
  };
  return h;
}

/** The column-wise form of ops already in memory (they are kept and reported as they are). */
export function txnHistory(ops: readonly Op[]): TxnHistory {
  let mops = 0;
  let elems = 0;
  for (let i = 0; i < ops.length; i++) {
    const v = ops[i]!.value;
    if (!Array.isArray(v)) continue;
    mops += v.length;
    for (let j = 0; j < v.length; j++) {
      const m = v[j];
      if (Array.isArray(m) && Array.isArray(m[2])) elems += (m[2] as unknown[]).length;
    }
  }
  const b = new TxnHistoryBuilder({ ops: ops.length, mops, elems });
  for (let i = 0; i < ops.length; i++) b.addOp(ops[i]!, 0, false);
  return b.finish(ops);
}
