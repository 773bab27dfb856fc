/**
 * Elle's list-append checker. Transactions are lists of `['append', k, v]` and `['r', k, list]`
 * micro-ops; every value is appended at most once per key, so every read reveals a prefix of the
 * key's version order. The longest read of each key is taken as its order; every other read must
 * be a prefix of it (`incompatible-order` otherwise). From the orders come ww, wr and rw edges.
 *
 * Everything is stored column-wise with integer ids (transactions, keys, append slots, versions,
 * value codes) over a {@link TxnHistory}, so memory stays at a few hundred bytes per transaction.
 */
import type { Op } from '@gyre/history';
import { type TxnHistory, M_APPEND, M_READ, NIL, SCALAR, txnHistory } from './compact';
import { type Analysis, type ElleOptions, type ElleResult, finish, resolveOptions } from './core';
import { type CycleStep, fmt } from './explain';
import { type EdgeSource, RW, WR, WW } from './graph';
import { Arena, KeyValueTable } from './values';
import { FAIL, INFO, OK, type TxnTable, opOf, processSource, realtimeSource, txnTable } from './txn';

class Malformed {
  constructor(
    readonly type: string,
    readonly message: string,
    readonly detail: Record<string, unknown>,
  ) {}
}

/**
 * Checks a list-append history (Elle's `elle.list-append/check`). Ops may be any client ops whose
 * value is a list of micro-ops; `:info` transactions count as possibly committed, `:fail` ones as
 * aborted. Reads of `null` by ok transactions are the empty list; by info ones, unknown. The
 * history may also be given column-wise (a {@link TxnHistory}, as the file readers build it).
 */
export function checkListAppend(history: readonly Op[] | TxnHistory, opts: ElleOptions = {}): ElleResult {
  const r = resolveOptions(opts);
  if ('valid' in r) return r;
  const hist = Array.isArray(history) ? txnHistory(history as readonly Op[]) : (history as TxnHistory);
  // Transactions and the real-time event index: 17 bytes per op.
  const pre = new Arena(17 * hist.length + 64);
  const h = txnTable(hist, pre);
  let order: EdgeSource | undefined;
  if (r.graph === 'realtime') order = realtimeSource(h, pre);
  else if (r.graph === 'process') order = processSource(h);
  const m = h.mops;
  // The value table (per key 16 bytes of ranges, then at most 2 slots per append plus 16 per key;
  // keys it cannot lay out densely go to a hash table in plain memory), per micro-op columns (17
  // bytes), versions (at most two per micro-op: their writers, readers and lost-update counts),
  // then the graph: the real-time or process edges as found (16 per transaction allowed for, and
  // where each vertex's are), the graph itself (the data edges, at most two per micro-op are
  // allowed for, then the others; offsets; where each edge went), the acyclicity check, Tarjan and
  // the cycle search's vertex map. Memory asked for but never written costs nothing, so the edges
  // are not counted first; beyond what is allowed for the graph takes plain memory.
  const keys = hist.keys.size;
  const runBytes = 5 * (16 * h.n + 1024) + 8 * h.n;
  const graphBytes = 5 * (2 * m + 16 * h.n + 2048) + 4 * (2 * h.n + 2);
  const bytes = 16 * keys + 4 * (2 * m + 16 * keys) + 8 * (h.n + 1) + 17 * m + 12 * 2 * m + runBytes + graphBytes + 9 * h.n + 30 * h.n + 64 * 16;
  const arena = new Arena(bytes);
  const a = analyze(h, arena);
  if (a instanceof Malformed) return { valid: 'unknown', error: { type: a.type, message: a.message, ...a.detail } };
  return finish(h, a, r, arena, order);
}

// Flags of a micro-op.
const APPEND = 1;
const READ = 2;
const INTERMEDIATE = 4;
const BAD = 8;

// The analysis runs as one function per pass over shared columns: on a first run each pass is
// compiled on its own as soon as its loop is hot, instead of one large function being compiled
// again (and thrown away) each time it reaches a pass it has not run yet.

/** The columns the passes share. Micro-ops are numbered by transaction (`mopStart`). */
class State {
  readonly n: number;
  readonly H: TxnHistory;
  readonly elems: Int32Array;
  readonly M: number;
  readonly nk: number;
  /** Appends are identified by their micro-op number: (key, value code) → micro-op. */
  readonly values: KeyValueTable;
  /** Each key's longest read so far: its first element in `elems`, its length, its micro-op. */
  readonly longStart: Int32Array;
  readonly longLen: Int32Array;
  readonly longMop: Int32Array;
  readonly keyHasFail: Uint8Array;
  readonly mopStart: Int32Array;
  /** Row of the history's micro-op columns = local micro-op number + delta[t]. */
  readonly delta: Int32Array;
  readonly mTxn: Int32Array;
  readonly mFlag: Uint8Array;
  /** For a read: its length. For an append: its position in the key's order (-1 if never read). */
  readonly mAux: Int32Array;
  /** For a read: the version it observed, or -1. */
  readonly mVer: Int32Array;
  readonly mNext: Int32Array;
  /** Reads followed by an append to the same key in their transaction: lost-update candidates. */
  readonly luRead: number[] = [];
  /** Appends followed by another append to the same key in their transaction. */
  readonly intermediate: number[] = [];
  readonly anomalies = new Map<string, unknown[]>();
  // Versions (pass 2): key k has versions base[k] (its initial state) and base[k] + 1 + p for the
  // p-th distinct element of its order.
  readonly base: Int32Array;
  readonly orderLen: Int32Array;
  readonly firstDup: Int32Array;
  readonly firstGarbage: Int32Array;
  readonly rawToPos = new Map<number, number[]>();
  readonly posToRaw = new Map<number, number[]>();
  versionSlot: Int32Array = new Int32Array(0);
  readHead: Int32Array = new Int32Array(0);
  nv = 0;

  constructor(
    readonly h: TxnTable,
    readonly arena: Arena,
  ) {
    const n = h.n;
    const H = h.hist;
    const M = h.mops;
    const nk = H.keys.size;
    this.n = n;
    this.H = H;
    this.elems = H.elems;
    this.M = M;
    this.nk = nk;
    this.values = new KeyValueTable(nk, arena);
    this.longStart = new Int32Array(nk);
    this.longLen = new Int32Array(nk);
    this.longMop = new Int32Array(nk).fill(-1);
    this.keyHasFail = new Uint8Array(nk);
    this.mopStart = arena.i32(n + 1);
    this.delta = arena.i32(n);
    this.mTxn = arena.i32(M);
    this.mFlag = arena.u8(M);
    this.mAux = arena.i32(M);
    this.mVer = arena.i32(M);
    this.mNext = arena.i32(M);
    this.base = new Int32Array(nk);
    this.orderLen = new Int32Array(nk);
    this.firstDup = new Int32Array(nk).fill(0x7fffffff);
    this.firstGarbage = new Int32Array(nk).fill(0x7fffffff);
  }

  add(type: string, c: unknown): void {
    let l = this.anomalies.get(type);
    if (!l) this.anomalies.set(type, (l = []));
    l.push(c);
  }
  rowOf(x: number): number {
    return x + this.delta[this.mTxn[x]!]!;
  }
  keyOf(x: number): number {
    return this.H.mopKey[this.rowOf(x)]!;
  }
  mopOf(x: number): unknown[] {
    return this.H.mop(this.rowOf(x));
  }
  keyValue(k: number): unknown {
    return this.H.keys.values[k];
  }
  value(c: number): unknown {
    return this.H.values.value(c);
  }
  txnOp(t: number): Op {
    return this.H.op(this.h.at[t]!);
  }
  /** The value at distinct position `pos` of key k's order. */
  elementAt(k: number, pos: number): unknown {
    const p2r = this.posToRaw.get(k);
    return this.value(this.elems[this.longStart[k]! + (p2r ? p2r[pos]! : pos)]!);
  }
  /** The append a read observed last (its micro-op), or -1. */
  slotOf(x: number): number {
    if (!(this.mFlag[x]! & BAD)) return this.versionSlot[this.mVer[x]!]!;
    const { H } = this;
    const row = this.rowOf(x);
    const start = H.mopLen[row] === SCALAR ? 0 : H.mopValue[row]!;
    return this.values.get(H.mopKey[row]!, this.elems[start + this.mAux[x]! - 1]!);
  }
  /** The version an append follows: its predecessor in the order, or the last known one. */
  prevVersion(s: number): number {
    const k = this.keyOf(s);
    const pos = this.mAux[s]!;
    if (pos === 0) return this.base[k]!;
    if (pos > 0) return this.base[k]! + pos;
    return this.base[k]! + this.orderLen[k]!;
  }
}

function analyze(h: TxnTable, arena: Arena): Analysis | Malformed {
  const s = new State(h, arena);
  expectAppends(s);
  const bad = scanMops(s);
  if (bad) return bad;
  versions(s);
  reads(s);
  if (s.intermediate.length > 0) ownAppendOrder(s);
  if (s.luRead.length > 1) lostUpdates(s);
  dirtyUpdates(s);
  return { anomalies: s.anomalies, edges: (emit) => dataEdges(s, emit), explain: (a, b, rel, an, bn) => explainEdge(s, a, b, rel, an, bn) };
}

/** Announces every append to the value table. */
function expectAppends(s: State): void {
  const { n, H, values } = s;
  const at = s.h.at;
  const { mopStart, mopKind, mopKey, mopValue } = H;
  for (let t = 0; t < n; t++) {
    const a = at[t]!;
    const end = mopStart[a + 1]!;
    for (let row = mopStart[a]!; row < end; row++) if (mopKind[row] === M_APPEND) values.expect(mopKey[row]!, mopValue[row]!);
  }
  values.seal();
}

/**
 * Pass 1, the only one over every micro-op: shapes, keys, appends, the order of each key (reads
 * must extend one another), and the checks within one transaction.
 */
function scanMops(s: State): Malformed | undefined {
  const { n, H, elems, values, longStart, longLen, longMop, keyHasFail, mopStart, delta, mTxn, mFlag, mAux } = s;
  const { at, type } = s.h;
  const nk = s.nk;
  const lastAppTxn = new Int32Array(nk).fill(-1);
  const lastAppMop = new Int32Array(nk).fill(-1);
  const incompatibleSeen = new Uint8Array(nk);
  // The transaction that last touched each key: the checks within one transaction concern only
  // transactions that touch a key twice.
  const lastTxn = new Int32Array(nk).fill(-1);
  const hStart = H.mopStart;
  const { mopKind, mopKey, mopValue, mopLen } = H;
  let g = 0;
  for (let t = 0; t < n; t++) {
    mopStart[t] = g;
    const row0 = hStart[at[t]!]!;
    delta[t] = row0 - g;
    const ty = type[t]!;
    const len = hStart[at[t]! + 1]! - row0;
    const g0 = g;
    let repeats = false;
    for (let i = 0; i < len; i++, g++) {
      const row = row0 + i;
      const kind = mopKind[row]!;
      if (kind !== M_APPEND && kind !== M_READ) {
        return new Malformed('unexpected-txn-micro-op-types', 'history contained micro-ops other than appends or reads', { op: s.txnOp(t), mop: H.mop(row) });
      }
      const k = mopKey[row]!;
      mTxn[g] = t;
      if (lastTxn[k] === t) repeats = true;
      lastTxn[k] = t;
      if (kind === M_APPEND) {
        const v = mopValue[row]!;
        mFlag[g] = APPEND;
        mAux[g] = -1;
        if (values.set(k, v, g) !== -1) {
          return new Malformed('duplicate-appends', `value ${fmt(s.value(v))} appended to key ${fmt(s.keyValue(k))} more than once`, {
            op: s.txnOp(t),
            key: s.keyValue(k),
            value: s.value(v),
          });
        }
        if (ty === FAIL) keyHasFail[k] = 1;
        if (lastAppTxn[k] === t) {
          mFlag[lastAppMop[k]!]! |= INTERMEDIATE;
          s.intermediate.push(lastAppMop[k]!);
        }
        lastAppTxn[k] = t;
        lastAppMop[k] = g;
      } else if (ty !== FAIL) {
        let vl = mopLen[row]!;
        const vs = mopValue[row]!;
        if (vl === SCALAR) {
          if (vs !== NIL) return new Malformed('unexpected-txn-micro-op-types', 'a read of a list-append key returned something other than a list', { op: s.txnOp(t), mop: H.mop(row) });
          if (ty === INFO) continue;
          vl = 0;
        }
        const ls = longStart[k]!;
        const ll = longLen[k]!;
        const lim = vl < ll ? vl : ll;
        let j = 0;
        if (vs !== ls) while (j < lim && elems[vs + j] === elems[ls + j]) j++;
        else j = lim;
        mFlag[g] = READ;
        mAux[g] = vl;
        if (j === lim) {
          if (vl > ll) {
            longStart[k] = vs;
            longLen[k] = vl;
            longMop[k] = g;
          }
        } else {
          mFlag[g] = READ | BAD;
          if (!incompatibleSeen[k]) {
            incompatibleSeen[k] = 1;
            s.add('incompatible-order', { key: s.keyValue(k), values: [s.mopOf(g)[2] as unknown[], s.mopOf(longMop[k]!)[2]] });
          }
        }
      }
    }
    if (ty === OK && repeats) withinTxn(s, t, g0, row0, len);
  }
  mopStart[n] = g;
  return undefined;
}

/** The elements of a read row, or none for a null read. */
function readRange(H: TxnHistory, row: number): [number, number] {
  const l = H.mopLen[row]!;
  return l === SCALAR ? [0, 0] : [H.mopValue[row]!, l];
}

/** Internal consistency, future reads, and read-then-append candidates for lost updates. */
function withinTxn(s: State, t: number, g0: number, row0: number, len: number): void {
  const { H, elems } = s;
  const { mopKind, mopKey, mopValue } = H;
  let futureSeen = false;
  for (let i = 0; i < len; i++) {
    if (mopKind[row0 + i] !== M_READ) continue;
    const k = mopKey[row0 + i]!;
    let prevRead = -1;
    let anyPrev = false;
    for (let j = i - 1; j >= 0; j--) {
      if (mopKey[row0 + j] !== k) continue;
      anyPrev = true;
      if (mopKind[row0 + j] === M_READ) {
        prevRead = j;
        break;
      }
    }
    let laterAppend = false;
    for (let j = i + 1; j < len; j++) {
      if (mopKey[row0 + j] === k && mopKind[row0 + j] === M_APPEND) {
        laterAppend = true;
        break;
      }
    }
    if (!anyPrev && !laterAppend) continue;
    const [as, al] = readRange(H, row0 + i);
    if (anyPrev) {
      const appended: number[] = [];
      for (let j = prevRead + 1; j < i; j++) if (mopKey[row0 + j] === k && mopKind[row0 + j] === M_APPEND) appended.push(mopValue[row0 + j]!);
      const prefix = prevRead >= 0 ? readRange(H, row0 + prevRead) : null;
      if (!matches(elems, as, al, prefix, appended)) {
        const expected = [...(prefix ? elems.subarray(prefix[0], prefix[0] + prefix[1]) : []), ...appended].map((c) => s.value(c));
        s.add('internal', { op: s.txnOp(t), mop: H.mop(row0 + i), expected, ...(prefix ? {} : { prefixUnknown: true }) });
      }
    }
    if (!laterAppend) continue;
    for (let j = i + 1; j < len && !futureSeen; j++) {
      if (mopKey[row0 + j] !== k || mopKind[row0 + j] !== M_APPEND) continue;
      const v = mopValue[row0 + j]!;
      for (let e = 0; e < al; e++) {
        if (elems[as + e] === v) {
          futureSeen = true;
          s.add('future-read', { op: s.txnOp(t), mop: H.mop(row0 + i), element: s.value(v) });
          break;
        }
      }
    }
    if (!anyPrev) s.luRead.push(g0 + i);
  }
}

function matches(elems: Int32Array, as: number, al: number, prefix: [number, number] | null, appended: readonly number[]): boolean {
  if (prefix) {
    if (al !== prefix[1] + appended.length) return false;
    for (let j = 0; j < prefix[1]; j++) if (elems[as + j] !== elems[prefix[0] + j]) return false;
  } else if (al < appended.length) return false;
  const off = al - appended.length;
  for (let j = 0; j < appended.length; j++) if (elems[as + off + j] !== appended[j]) return false;
  return true;
}

/**
 * Pass 2: versions. Elements no transaction appended are garbage; the first one's position in the
 * longest read is remembered, so reads past it are checked for them.
 */
function versions(s: State): void {
  const { nk, elems, values, longStart, longLen, mAux, base, orderLen, firstDup, firstGarbage, rawToPos, posToRaw } = s;
  let nv = 0;
  for (let k = 0; k < nk; k++) nv += 1 + longLen[k]!;
  const versionSlot = s.arena.i32(nv).fill(-1);
  nv = 0;
  for (let k = 0; k < nk; k++) {
    base[k] = nv++;
    const ls = longStart[k]!;
    const ll = longLen[k]!;
    let distinct = 0;
    let garbage: Map<number, number> | undefined;
    let r2p: number[] | undefined;
    let p2r: number[] | undefined;
    for (let j = 0; j < ll; j++) {
      const e = elems[ls + j]!;
      const sl = values.get(k, e);
      let dupOf = -1;
      if (sl >= 0) {
        if (mAux[sl]! >= 0) dupOf = mAux[sl]!;
      } else {
        if (j < firstGarbage[k]!) firstGarbage[k] = j;
        garbage ??= new Map();
        const x = garbage.get(e);
        if (x !== undefined) dupOf = x;
        else garbage.set(e, distinct);
      }
      if (dupOf >= 0) {
        if (!r2p) {
          r2p = [];
          p2r = [];
          for (let x = 0; x < j; x++) {
            r2p.push(x);
            p2r.push(x);
          }
          firstDup[k] = j;
        }
        r2p.push(dupOf);
        continue;
      }
      if (sl >= 0) {
        mAux[sl] = distinct;
        versionSlot[nv] = sl;
      }
      if (r2p) {
        r2p.push(distinct);
        p2r!.push(j);
      }
      nv++;
      distinct++;
    }
    orderLen[k] = distinct;
    if (r2p) {
      rawToPos.set(k, r2p);
      posToRaw.set(k, p2r!);
    }
  }
  s.versionSlot = versionSlot;
  s.nv = nv;
  s.readHead = s.arena.i32(nv).fill(-1);
}

/**
 * Pass 3: reads, from the columns of pass 1: the version each observed, its writer, the readers
 * of each version; the per-read anomalies are looked for only where they can occur.
 */
function reads(s: State): void {
  const { M, H, elems, values, base, firstDup, firstGarbage, keyHasFail, rawToPos, versionSlot, readHead, delta, mTxn, mFlag, mAux, mVer, mNext } = s;
  const { mopKey, mopLen, mopValue } = H;
  const type = s.h.type;
  const dense = rawToPos.size === 0;
  for (let x = 0; x < M; x++) {
    const f = mFlag[x]!;
    if (!(f & READ)) continue;
    const t = mTxn[x]!;
    const row = x + delta[t]!;
    const k = mopKey[row]!;
    const len = mAux[x]!;
    let version: number;
    let slot: number;
    if (!(f & BAD)) {
      if (len === 0) {
        version = base[k]!;
        slot = -1;
      } else {
        const r2p = dense ? undefined : rawToPos.get(k);
        version = base[k]! + 1 + (r2p ? r2p[len - 1]! : len - 1);
        slot = versionSlot[version]!;
      }
    } else {
      const start = mopLen[row] === SCALAR ? 0 : mopValue[row]!;
      slot = values.get(k, elems[start + len - 1]!);
      version = slot >= 0 && mAux[slot]! >= 0 ? base[k]! + 1 + mAux[slot]! : -1;
    }
    mVer[x] = version;
    if (version >= 0) {
      mNext[x] = readHead[version]!;
      readHead[version] = x;
    }
    if (f & BAD || len > firstDup[k]! || len > firstGarbage[k]! || keyHasFail[k] || (slot >= 0 && mFlag[slot]! & INTERMEDIATE && mTxn[slot] !== t && type[t] === OK)) {
      readAnomalies(s, x, t, row, k, len, f, slot);
    }
  }
}

/** The anomalies of one read: duplicate elements, garbage, reads of intermediate or aborted appends. */
function readAnomalies(s: State, x: number, t: number, row: number, k: number, len: number, f: number, slot: number): void {
  const { h, H, elems, values, firstDup, firstGarbage, keyHasFail, mTxn, mFlag } = s;
  const type = h.type;
  const start = H.mopLen[row] === SCALAR ? 0 : H.mopValue[row]!;
  if (len > 1 && (f & BAD || len > firstDup[k]!)) {
    const dups = duplicates(elems.subarray(start, start + len));
    if (dups) s.add('duplicate-elements', { op: opOf(h, t), mop: s.mopOf(x), duplicates: dups.map(([c, count]) => [s.value(c), count]) });
  }
  if (type[t] !== OK) return;
  if (f & BAD || len > firstGarbage[k]!) {
    const garbage: unknown[] = [];
    for (let j = f & BAD ? 0 : firstGarbage[k]!; j < len; j++) if (values.get(k, elems[start + j]!) < 0) garbage.push(s.value(elems[start + j]!));
    if (garbage.length > 0) s.add('garbage-read', { op: opOf(h, t), mop: s.mopOf(x), key: s.keyValue(k), elements: garbage });
  }
  if (slot >= 0 && mFlag[slot]! & INTERMEDIATE && mTxn[slot] !== t) {
    s.add('G1b', { op: opOf(h, t), mop: s.mopOf(x), writer: opOf(h, mTxn[slot]!), element: s.value(elems[start + len - 1]!) });
  }
  if (keyHasFail[k]) {
    for (let j = 0; j < len; j++) {
      const sl = values.get(k, elems[start + j]!);
      if (sl >= 0 && type[mTxn[sl]!] === FAIL) s.add('G1a', { op: opOf(h, t), mop: s.mopOf(x), writer: opOf(h, mTxn[sl]!), element: s.value(elems[start + j]!) });
    }
  }
}

/**
 * A transaction's appends to one key must appear in its own order: in the key's order, each
 * append after its predecessor in the transaction (an append never read comes after all read ones).
 */
function ownAppendOrder(s: State): void {
  const { h, H, mTxn, mFlag, mAux, delta, mopStart, longMop } = s;
  const mopKey = H.mopKey;
  const xs = s.intermediate.sort((a, b) => a - b);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const t = mTxn[x]!;
    const d = delta[t]!;
    const k = mopKey[x + d]!;
    let first = true;
    for (let y = mopStart[t]!; y < x; y++) if (mopKey[y + d] === k && mFlag[y]! & APPEND) first = false;
    if (!first) continue;
    const own: number[] = [];
    for (let y = x; y < mopStart[t + 1]!; y++) if (mopKey[y + d] === k && mFlag[y]! & APPEND) own.push(y);
    let inOrder = true;
    for (let j = 1; j < own.length && inOrder; j++) {
      const p = mAux[own[j - 1]!]!;
      const q = mAux[own[j]!]!;
      if (q >= 0 && (p < 0 || p > q)) inOrder = false;
    }
    if (inOrder) continue;
    const reader = longMop[k]!;
    s.add('out-of-order-appends', {
      key: s.keyValue(k),
      op: opOf(h, t),
      values: own.map((y) => s.value(H.mopValue[s.rowOf(y)]!)),
      reader: opOf(h, mTxn[reader]!),
      mop: s.mopOf(reader),
    });
  }
}

/** Lost updates: two committed transactions read the same version of a key and both appended to it. */
function lostUpdates(s: State): void {
  const { h, H, elems, luRead, mVer, mAux, mTxn } = s;
  const count = s.arena.i32(s.nv);
  for (const x of luRead) if (mVer[x]! >= 0) count[mVer[x]!]!++;
  const groups = new Map<number | string, number[]>();
  for (const x of luRead) {
    const v = mVer[x]!;
    if (v >= 0 && count[v]! < 2) continue;
    let key: number | string = v;
    if (v < 0) {
      const row = s.rowOf(x);
      key = H.mopKey[row] + ':' + Array.from(elems.subarray(H.mopValue[row]!, H.mopValue[row]! + mAux[x]!)).join(',');
    }
    const l = groups.get(key);
    if (l) l.push(x);
    else groups.set(key, [x]);
  }
  for (const xs of groups.values()) {
    if (xs.length < 2) continue;
    s.add('lost-update', { key: s.keyValue(s.keyOf(xs[0]!)), value: s.mopOf(xs[0]!)[2] as unknown[], txns: xs.map((x) => opOf(h, mTxn[x]!)) });
  }
}

/** Dirty updates: in a key's order, a committed append after an aborted one. */
function dirtyUpdates(s: State): void {
  const { nk, h, keyHasFail, orderLen, versionSlot, base, mTxn } = s;
  const type = h.type;
  for (let k = 0; k < nk; k++) {
    if (!keyHasFail[k]) continue;
    let t1 = -1;
    let t1Type = OK;
    let vs: unknown[] = [];
    for (let p = 0; p < orderLen[k]!; p++) {
      const sl = versionSlot[base[k]! + 1 + p]!;
      if (sl < 0) continue;
      const t2 = mTxn[sl]!;
      const t2Type = type[t2]!;
      const v = s.elementAt(k, p);
      if (t2Type === OK) {
        if (t1Type === FAIL) s.add('dirty-update', { key: s.keyValue(k), values: [...vs, v], txns: [opOf(h, t1), opOf(h, t2)] });
        t1 = t2;
        t1Type = OK;
        vs = [v];
      } else if (t2Type === INFO || t1Type === FAIL) {
        vs.push(v);
      } else {
        t1 = t2;
        t1Type = FAIL;
        vs = [v];
      }
    }
  }
}

/** The data edges: wr from each read's writer; ww and rw from each append back to the version it follows. */
function dataEdges(s: State, emit: (a: number, b: number, rel: number) => void): void {
  const { M, mFlag, mTxn, mVer, mNext, versionSlot, readHead } = s;
  const type = s.h.type;
  for (let x = 0; x < M; x++) {
    const f = mFlag[x]!;
    const t = mTxn[x]!;
    if (f & READ) {
      const sl = f & BAD ? s.slotOf(x) : versionSlot[mVer[x]!]!;
      if (sl >= 0) {
        const w = mTxn[sl]!;
        if (w !== t && type[w] !== FAIL) emit(w, t, WR);
      }
    } else if (f & APPEND && type[t] !== FAIL) {
      const pv = s.prevVersion(x);
      const ws = versionSlot[pv]!;
      if (ws >= 0) {
        const w = mTxn[ws]!;
        if (w !== t && type[w] !== FAIL) emit(w, t, WW);
      }
      for (let y = readHead[pv]!; y >= 0; y = mNext[y]!) {
        const reader = mTxn[y]!;
        if (reader !== t) emit(reader, t, RW);
      }
    }
  }
}

/** Explains a data edge a → b of relation `rel`. */
function explainEdge(s: State, a: number, b: number, rel: number, an: string, bn: string): CycleStep | null {
  const { mopStart, mFlag, mTxn, mVer, versionSlot, base } = s;
  for (let x = mopStart[b]!; x < mopStart[b + 1]!; x++) {
    const f = mFlag[x]!;
    if (rel === WR) {
      if (!(f & READ)) continue;
      const slot = s.slotOf(x);
      if (slot < 0 || mTxn[slot] !== a) continue;
      const mop = s.mopOf(x);
      const arr = mop[2] as unknown[];
      const v = arr[arr.length - 1];
      return {
        type: 'wr',
        key: mop[1],
        value: v,
        aMopIndex: slot - mopStart[a]!,
        bMopIndex: x - mopStart[b]!,
        text: `${bn} observed ${an}'s append of ${fmt(v)} to key ${fmt(mop[1])}`,
      };
    }
    if (!(f & APPEND)) continue;
    const mop = s.mopOf(x);
    const k = s.keyOf(x);
    const pv = s.prevVersion(x);
    const pos = pv - base[k]! - 1;
    const prev = pos >= 0 ? s.elementAt(k, pos) : null;
    if (rel === WW) {
      const ws = versionSlot[pv]!;
      if (ws >= 0 && mTxn[ws] === a) {
        return {
          type: 'ww',
          key: mop[1],
          value: prev,
          nextValue: mop[2],
          aMopIndex: ws - mopStart[a]!,
          bMopIndex: x - mopStart[b]!,
          text: `${bn} appended ${fmt(mop[2])} after ${an} appended ${fmt(prev)} to key ${fmt(mop[1])}`,
        };
      }
    } else if (rel === RW) {
      for (let y = mopStart[a]!; y < mopStart[a + 1]!; y++) {
        if (!(mFlag[y]! & READ) || mVer[y] !== pv) continue;
        const text =
          pos < 0
            ? `${an} read key ${fmt(mop[1])} as empty, and ${bn} made its first append, ${fmt(mop[2])}`
            : `${an} read key ${fmt(mop[1])} up to ${fmt(prev)} and did not see ${bn}'s append of ${fmt(mop[2])}, which came next`;
        return { type: 'rw', key: mop[1], value: prev, nextValue: mop[2], aMopIndex: y - mopStart[a]!, bMopIndex: x - mopStart[b]!, text };
      }
    }
  }
  return null;
}

/** The elements that occur more than once, with their counts; null if none does. */
function duplicates(arr: Int32Array): [number, number][] | null {
  const counts = new Map<number, number>();
  let any = false;
  for (const e of arr) {
    const c = counts.get(e);
    if (c !== undefined) any = true;
    counts.set(e, (c ?? 0) + 1);
  }
  if (!any) return null;
  return [...counts].filter(([, c]) => c > 1);
}
