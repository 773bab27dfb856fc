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
import { type Canon, IntList, Interner, canon } from './values';

// Op types.
export const T_INVOKE = 0;
export const T_OK = 1;
export const T_FAIL = 2;
export const T_INFO = 3;
const TYPE_NAMES: readonly OpType[] = ['invoke', 'ok', 'fail', 'info'];
/** The type code of an op type name, or -1. */
export function typeCode(t: unknown): number {
  return t === 'invoke' ? T_INVOKE : t === 'ok' ? T_OK : t === 'fail' ? T_FAIL : t === 'info' ? T_INFO : -1;
}

// Micro-op kinds.
export const M_OTHER = 0;
export const M_READ = 1;
export const M_APPEND = 2;
export const M_WRITE = 3;

/** The value code of `null` (and of a missing value). */
export const NIL = -1;
/** Values 0..SMALL are their own code. */
const SMALL = 0x3fffffff;
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

/** Values interned to integer codes, compared as Clojure does (`5` and `5n` are one value). */
export class ValueCodes {
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

class Bytes {
  data: Uint8Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Uint8Array(Math.max(16, capacity));
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const d = new Uint8Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = x;
  }
}
class Doubles {
  data: Float64Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Float64Array(Math.max(16, capacity));
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const d = new Float64Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = x;
  }
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
  /** 1 when the value is a list (a transaction), else 0. */
  readonly isTxn: Uint8Array;
  /** S_* bits of each entry. */
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
  /** The file line of each entry, when read from a file. */
  readonly line?: Int32Array;
  /** The entry as an `Op` (the original when there is one, else rebuilt). */
  op(i: number): Op;
  /** A micro-op as an array (`['append', k, v]`), rebuilt from the columns. */
  mop(g: number): unknown[];
  /** The process of entry i as a value (undefined when it has none). */
  processValue(i: number): unknown;
}

const MOP_NAMES = ['?', 'r', 'append', 'w'];

/**
 * Builds a {@link TxnHistory} one entry at a time: {@link TxnHistoryBuilder.addOp} for `Op`s, or
 * the begin / micro-op / end calls a reader makes as it scans a line.
 */
export class TxnHistoryBuilder {
  readonly keys = new Interner();
  readonly values = new ValueCodes();
  readonly fs = new Interner();
  private readonly processes = new Interner();
  readonly type: Bytes;
  readonly process: IntList;
  readonly index: Doubles;
  readonly time: Doubles;
  readonly isTxn: Bytes;
  readonly shape: Bytes;
  readonly f: IntList;
  readonly line: IntList | undefined;
  readonly mopStart: IntList;
  readonly mopKind: Bytes;
  readonly mopKey: IntList;
  readonly mopValue: IntList;
  readonly mopLen: IntList;
  readonly elems: IntList;
  /** Ops kept as given (all of them for {@link txnHistory}; the odd ones for a reader). */
  private readonly kept = new Map<number, Op>();
  private all: readonly Op[] | undefined;

  constructor(capacity: { ops?: number; mops?: number; elems?: number; lines?: boolean } = {}) {
    const ops = capacity.ops ?? 1024;
    const mops = capacity.mops ?? ops * 2;
    this.type = new Bytes(ops);
    this.process = new IntList(ops);
    this.index = new Doubles(ops);
    this.time = new Doubles(ops);
    this.isTxn = new Bytes(ops);
    this.shape = new Bytes(ops);
    this.f = new IntList(ops);
    this.line = capacity.lines ? new IntList(ops) : undefined;
    this.mopStart = new IntList(ops + 1);
    this.mopStart.push(0);
    this.mopKind = new Bytes(mops);
    this.mopKey = new IntList(mops);
    this.mopValue = new IntList(mops);
    this.mopLen = new IntList(mops);
    this.elems = new IntList(capacity.elems ?? mops * 4);
  }

  get length(): number {
    return this.type.length;
  }

  /** The code of a process value. */
  processCode(p: unknown): number {
    if (typeof p === 'number' && (p & 0xfffff) === p) return p;
    if (p === undefined || p === null) return NO_PROCESS;
    return -2 - this.processes.id(p);
  }

  /** Adds a micro-op; returns the shape bits it contributes. */
  addMop(kind: number, key: number, value: number, len: number): void {
    this.mopKind.push(kind);
    this.mopKey.push(key);
    this.mopValue.push(value);
    this.mopLen.push(len);
  }

  /** Ends an entry whose micro-ops (if any) were added since the previous one. */
  endOp(type: number, process: number, index: number, time: number, f: number, isTxn: boolean, shape: number, line = 0): void {
    this.type.push(type);
    this.process.push(process);
    this.index.push(index);
    this.time.push(time);
    this.f.push(f);
    this.isTxn.push(isTxn ? 1 : 0);
    this.shape.push(shape);
    this.line?.push(line);
    this.mopStart.push(this.mopKind.length);
  }

  /** Forgets micro-ops and elements added after the given counts (a line being abandoned). */
  rollback(mops: number, elems: number): void {
    this.mopKind.length = mops;
    this.mopKey.length = mops;
    this.mopValue.length = mops;
    this.mopLen.length = mops;
    this.elems.length = elems;
  }

  /** Adds an `Op` (kept as it is, for reports). */
  addOp(op: Op, line = 0, keep = true): void {
    const i = this.length;
    const value = op.value;
    let shape = 0;
    let isTxn = false;
    if (Array.isArray(value)) {
      isTxn = true;
      for (let j = 0; j < value.length; j++) shape |= this.addMopValue(value[j]);
    } else shape = S_NOT_TXN;
    const t = typeCode(op.type);
    const time = typeof op.time === 'number' ? op.time : typeof op.time === 'bigint' ? Number(op.time) : NaN;
    this.endOp(t < 0 ? T_INFO : t, this.processCode(op.process), op.index, time, this.fs.id(op.f ?? ''), isTxn, shape, line);
    if (keep) this.kept.set(i, op);
  }

  private addMopValue(m: unknown): number {
    if (!Array.isArray(m) || m.length < 3) {
      this.addMop(M_OTHER, this.keys.id(null), NIL, 0);
      return S_NOT_TXN | S_OTHER;
    }
    const f = m[0];
    const kind = f === 'r' ? M_READ : f === 'append' ? M_APPEND : f === 'w' ? M_WRITE : M_OTHER;
    let shape = typeof f !== 'string' || m.length !== 3 ? S_NOT_TXN : 0;
    shape |= kind === M_READ ? S_READ : kind === M_APPEND ? S_APPEND : kind === M_WRITE ? S_WRITE : S_OTHER;
    const k = this.keys.id(m[1]);
    const v = m[2];
    if (kind === M_READ && Array.isArray(v)) {
      const start = this.elems.length;
      for (let j = 0; j < v.length; j++) this.elems.push(this.values.code(v[j]));
      this.addMop(kind, k, start, v.length);
    } else {
      const c = this.values.code(v);
      if (kind === M_WRITE && c === NIL) shape |= S_NIL_WRITE;
      this.addMop(kind, k, c, SCALAR);
    }
    return shape;
  }

  /** The history (the builder must not be used afterwards). */
  finish(ops?: readonly Op[]): TxnHistory {
    if (ops) this.all = ops;
    return new Columns(this, this.all, this.kept, this.processes);
  }

  /** Sets every entry's index to its position (for histories whose indices do not increase). */
  renumber(): void {
    for (let i = 0; i < this.index.length; i++) this.index.data[i] = i;
    for (const [i, op] of this.kept) if (op.index !== i) this.kept.set(i, { ...op, index: i });
  }
}

class Columns implements TxnHistory {
  readonly length: number;
  readonly type: Uint8Array;
  readonly process: Int32Array;
  readonly index: Float64Array;
  readonly time: Float64Array;
  readonly isTxn: Uint8Array;
  readonly shape: Uint8Array;
  readonly mopStart: Int32Array;
  readonly mopKind: Uint8Array;
  readonly mopKey: Int32Array;
  readonly mopValue: Int32Array;
  readonly mopLen: Int32Array;
  readonly elems: Int32Array;
  readonly keys: Interner;
  readonly values: ValueCodes;
  readonly nemesis: number;
  readonly line?: Int32Array;
  private readonly f: Int32Array;
  private readonly fNames: Interner;

  constructor(
    b: TxnHistoryBuilder,
    private readonly all: readonly Op[] | undefined,
    private readonly kept: Map<number, Op>,
    private readonly processes: Interner,
  ) {
    this.length = b.type.length;
    this.type = b.type.data.subarray(0, this.length);
    this.process = b.process.data.subarray(0, this.length);
    this.index = b.index.data.subarray(0, this.length);
    this.time = b.time.data.subarray(0, this.length);
    this.isTxn = b.isTxn.data.subarray(0, this.length);
    this.shape = b.shape.data.subarray(0, this.length);
    this.f = b.f.data.subarray(0, this.length);
    if (b.line) this.line = b.line.data.subarray(0, this.length);
    this.mopStart = b.mopStart.data.subarray(0, this.length + 1);
    const m = b.mopKind.length;
    this.mopKind = b.mopKind.data.subarray(0, m);
    this.mopKey = b.mopKey.data.subarray(0, m);
    this.mopValue = b.mopValue.data.subarray(0, m);
    this.mopLen = b.mopLen.data.subarray(0, m);
    this.elems = b.elems.data.subarray(0, b.elems.length);
    this.keys = b.keys;
    this.values = b.values;
    this.fNames = b.fs;
    const n = processes.find('nemesis');
    this.nemesis = n < 0 ? -2 - 0x7fffffff : -2 - n;
  }

  processValue(i: number): unknown {
    const p = this.process[i]!;
    return p >= 0 ? p : p === NO_PROCESS ? undefined : this.processes.values[-2 - p];
  }

  mop(g: number): unknown[] {
    const kind = this.mopKind[g]!;
    const key = this.keys.values[this.mopKey[g]!];
    const len = this.mopLen[g]!;
    const v = this.mopValue[g]!;
    let value: unknown;
    if (kind === M_READ && len !== SCALAR) {
      const out: unknown[] = new Array(len);
      for (let j = 0; j < len; j++) out[j] = this.values.value(this.elems[v + j]!);
      value = out;
    } else value = this.values.value(v);
    return [MOP_NAMES[kind], key, value];
  }

  op(i: number): Op {
    const given = this.all ? this.all[i] : this.kept.get(i);
    if (given) return given;
    let value: unknown = null;
    if (this.isTxn[i]) {
      const mops: unknown[] = [];
      for (let g = this.mopStart[i]!; g < this.mopStart[i + 1]!; g++) mops.push(this.mop(g));
      value = mops;
    }
    const op: Op = {
      index: this.index[i]!,
      time: this.time[i]!,
      type: TYPE_NAMES[this.type[i]!]!,
      process: this.processValue(i) as Op['process'],
      f: this.fNames.values[this.f[i]!] as string,
      value,
    };
    return op;
  }
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
