/**
 * Elle's list-append checker. Transactions are lists of `['append', k, v]` and `['r', k, list]`
 * micro-ops; every value is appended at most once per key, so every read reveals a prefix of the
 * key's version order. The longest read of each key is taken as its order; every other read must
 * be a prefix of it (`incompatible-order` otherwise). From the orders come ww, wr and rw edges.
 *
 * Everything is stored column-wise with integer ids (transactions, keys, append slots, versions)
 * and the input ops are re-read instead of copied, so memory stays at a few hundred bytes per
 * transaction.
 */
import type { Op } from '@gyre/history';
import { valueKey } from '@gyre/history';
import { type Analysis, type ElleOptions, type ElleResult, finish, resolveOptions } from './core';
import { type CycleStep, fmt } from './explain';
import { type EdgeSource, RW, WR, WW } from './graph';
import { Arena, type Canon, Interner, PairTable, canon, same } from './values';
import { FAIL, INFO, OK, type TxnTable, opOf, processSource, realtimeSource, txnTable } from './txn';

const EMPTY: readonly unknown[] = [];

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
 * aborted. Reads of `null` by ok transactions are the empty list; by info ones, unknown.
 */
export function checkListAppend(history: readonly Op[], opts: ElleOptions = {}): ElleResult {
  const r = resolveOptions(opts);
  if ('valid' in r) return r;
  // Transactions and the real-time event index: 17 bytes per op.
  const pre = new Arena(17 * history.length + 64);
  const h = txnTable(history, pre);
  let order: EdgeSource | undefined;
  let orderEdges = 0;
  if (r.graph === 'realtime') order = realtimeSource(h, pre);
  else if (r.graph === 'process') order = processSource(h);
  order?.(() => orderEdges++);
  const m = h.mops;
  // Per micro-op columns (25 bytes), the value table, versions (at most two per micro-op: their
  // writers, readers and lost-update counts), then the graph (edges, offsets), Tarjan and the
  // cycle search's vertex map.
  const bytes = 4 * (h.n + 1) + 25 * m + 12 * PairTable.capacity(m) + 12 * 2 * m + 5 * (orderEdges + 2 * m) + 4 * (2 * h.n + 2) + 30 * h.n + 64 * 16;
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

function analyze(h: TxnTable, arena: Arena): Analysis | Malformed {
  const { n, type, history } = h;
  const M = h.mops;
  const keys = new Interner();
  // Appends are identified by their micro-op number: (key, value) → micro-op.
  const values = new PairTable(M, arena);
  const longest: (readonly unknown[])[] = [];
  const keyHasFail: number[] = [];
  const lastAppTxn: number[] = [];
  const lastAppMop: number[] = [];
  const incompatibleSeen: number[] = [];
  const mopStart = arena.i32(n + 1);
  const mKey = arena.i32(M);
  const mTxn = arena.i32(M);
  const mFlag = arena.u8(M);
  // For a read: its length. For an append: its position in the key's order (-1 if never read).
  const mAux = arena.i32(M);
  const mVer = arena.i32(M);
  const mSlot = arena.i32(M);
  const mNext = arena.i32(M);
  const luRead: number[] = [];

  const anomalies = new Map<string, unknown[]>();
  const add = (t: string, c: unknown) => {
    let l = anomalies.get(t);
    if (!l) anomalies.set(t, (l = []));
    l.push(c);
  };

  // Pass 1, the only one over every op: micro-op shapes, keys, appends, the order of each key
  // (reads must extend one another), and the checks within one transaction.
  let g = 0;
  for (let t = 0; t < n; t++) {
    mopStart[t] = g;
    const op = history[h.at[t]!]!;
    const mops = op.value as readonly unknown[];
    const ty = type[t]!;
    const len = mops.length;
    const g0 = g;
    for (let i = 0; i < len; i++, g++) {
      const mop = mops[i];
      if (!Array.isArray(mop) || mop.length < 3 || (mop[0] !== 'append' && mop[0] !== 'r')) {
        return new Malformed('unexpected-txn-micro-op-types', 'history contained micro-ops other than appends or reads', { op, mop });
      }
      const k = keys.id(mop[1]);
      mKey[g] = k;
      mTxn[g] = t;
      if (k === longest.length) {
        longest.push(EMPTY);
        keyHasFail.push(0);
        lastAppTxn.push(-1);
        lastAppMop.push(-1);
        incompatibleSeen.push(0);
      }
      if (mop[0] === 'append') {
        mFlag[g] = APPEND;
        mAux[g] = -1;
        if (values.set(k, mop[2], g) !== -1) {
          return new Malformed('duplicate-appends', `value ${fmt(mop[2])} appended to key ${fmt(mop[1])} more than once`, {
            op,
            key: mop[1],
            value: mop[2],
          });
        }
        if (ty === FAIL) keyHasFail[k] = 1;
        if (lastAppTxn[k] === t) mFlag[lastAppMop[k]!]! |= INTERMEDIATE;
        lastAppTxn[k] = t;
        lastAppMop[k] = g;
      } else if (ty !== FAIL) {
        let v = mop[2] as readonly unknown[] | null | undefined;
        if (v === null || v === undefined) {
          if (ty === INFO) continue;
          v = EMPTY;
        } else if (!Array.isArray(v)) {
          return new Malformed('unexpected-txn-micro-op-types', 'a read of a list-append key returned something other than a list', { op, mop });
        }
        const L = longest[k]!;
        const vl = v.length;
        const lim = vl < L.length ? vl : L.length;
        let j = 0;
        if (v !== L) while (j < lim && (v[j] === L[j] || same(v[j], L[j]))) j++;
        else j = lim;
        mFlag[g] = READ;
        mAux[g] = vl;
        if (j === lim) {
          if (vl > L.length) longest[k] = v;
        } else {
          mFlag[g] = READ | BAD;
          if (!incompatibleSeen[k]) {
            incompatibleSeen[k] = 1;
            add('incompatible-order', { key: mop[1], values: [v, L] });
          }
        }
      }
    }
    if (ty === OK) withinTxn(op, mops as readonly unknown[][], g0);
  }
  mopStart[n] = g;

  /** Internal consistency, future reads, and read-then-append candidates for lost updates. */
  function withinTxn(op: Op, mops: readonly unknown[][], g0: number): void {
    const len = mops.length;
    let futureSeen = false;
    for (let i = 0; i < len; i++) {
      const mop = mops[i]!;
      if (mop[0] !== 'r') continue;
      const k = mKey[g0 + i]!;
      const arr = (mop[2] ?? EMPTY) as readonly unknown[];
      let prevRead = -1;
      let anyPrev = false;
      for (let j = i - 1; j >= 0; j--) {
        if (mKey[g0 + j] !== k) continue;
        anyPrev = true;
        if (mops[j]![0] === 'r') {
          prevRead = j;
          break;
        }
      }
      if (anyPrev) {
        const appended: unknown[] = [];
        for (let j = prevRead + 1; j < i; j++) if (mKey[g0 + j] === k && mops[j]![0] === 'append') appended.push(mops[j]![2]);
        const prefix = prevRead >= 0 ? ((mops[prevRead]![2] ?? EMPTY) as readonly unknown[]) : null;
        if (!matches(arr, prefix, appended)) {
          add('internal', { op, mop, expected: prefix ? [...prefix, ...appended] : appended, ...(prefix ? {} : { prefixUnknown: true }) });
        }
      }
      let laterAppend = false;
      for (let j = i + 1; j < len; j++) {
        if (mKey[g0 + j] !== k || mops[j]![0] !== 'append') continue;
        laterAppend = true;
        if (futureSeen) break;
        const v = mops[j]![2];
        for (const e of arr) {
          if (same(e, v)) {
            futureSeen = true;
            add('future-read', { op, mop, element: v });
            break;
          }
        }
      }
      if (laterAppend && !anyPrev) luRead.push(g0 + i);
    }
  }

  const nk = keys.size;

  // Pass 2: versions. Key k has versions base[k] (its initial state) and base[k] + 1 + p for the
  // p-th distinct element of its order.
  const base: number[] = new Array(nk);
  const orderLen: number[] = new Array(nk);
  const firstDup: number[] = new Array(nk).fill(0x7fffffff);
  const rawToPos = new Map<number, number[]>();
  const posToRaw = new Map<number, number[]>();
  let nv = 0;
  for (let k = 0; k < nk; k++) nv += 1 + longest[k]!.length;
  const versionSlot = arena.i32(nv).fill(-1);
  nv = 0;
  for (let k = 0; k < nk; k++) {
    base[k] = nv++;
    const L = longest[k]!;
    let distinct = 0;
    let garbage: Map<Canon, number> | undefined;
    let r2p: number[] | undefined;
    let p2r: number[] | undefined;
    for (let j = 0; j < L.length; j++) {
      const s = values.get(k, L[j]);
      let dupOf = -1;
      if (s >= 0) {
        if (mAux[s]! >= 0) dupOf = mAux[s]!;
      } else {
        garbage ??= new Map();
        const c = canon(L[j]);
        const x = garbage.get(c);
        if (x !== undefined) dupOf = x;
        else garbage.set(c, distinct);
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
      if (s >= 0) {
        mAux[s] = distinct;
        versionSlot[nv] = s;
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

  const mopOf = (x: number) => (history[h.at[mTxn[x]!]!]!.value as unknown[][])[x - mopStart[mTxn[x]!]!]!;
  const readValue = (x: number) => (mopOf(x)[2] ?? EMPTY) as readonly unknown[];

  // Pass 3: reads, from the columns of pass 1: the version each observed, its writer, the readers
  // of each version, and the per-read anomalies.
  const readHead = arena.i32(nv).fill(-1);
  for (let x = 0; x < M; x++) {
    const f = mFlag[x]!;
    if (!(f & READ)) continue;
    const t = mTxn[x]!;
    const k = mKey[x]!;
    const len = mAux[x]!;
    let version: number;
    let slot: number;
    if (!(f & BAD)) {
      if (len === 0) {
        version = base[k]!;
        slot = -1;
      } else {
        const r2p = rawToPos.size > 0 ? rawToPos.get(k) : undefined;
        version = base[k]! + 1 + (r2p ? r2p[len - 1]! : len - 1);
        slot = versionSlot[version]!;
      }
    } else {
      const arr = readValue(x);
      slot = values.get(k, arr[len - 1]);
      version = slot >= 0 && mAux[slot]! >= 0 ? base[k]! + 1 + mAux[slot]! : -1;
    }
    mVer[x] = version;
    mSlot[x] = slot;
    if (version >= 0) {
      mNext[x] = readHead[version]!;
      readHead[version] = x;
    }
    if (len > 1 && (f & BAD || len > firstDup[k]!)) {
      const dups = duplicates(readValue(x));
      if (dups) add('duplicate-elements', { op: opOf(h, t), mop: mopOf(x), duplicates: dups });
    }
    if (type[t] !== OK) continue;
    if (slot >= 0 && mFlag[slot]! & INTERMEDIATE && mTxn[slot] !== t) {
      add('G1b', { op: opOf(h, t), mop: mopOf(x), writer: opOf(h, mTxn[slot]!), element: readValue(x)[len - 1] });
    }
    if (keyHasFail[k]) {
      for (const e of readValue(x)) {
        const s = values.get(k, e);
        if (s >= 0 && type[mTxn[s]!] === FAIL) add('G1a', { op: opOf(h, t), mop: mopOf(x), writer: opOf(h, mTxn[s]!), element: e });
      }
    }
  }

  // Lost updates: two committed transactions read the same version of a key and both appended to it.
  if (luRead.length > 1) {
    const count = arena.i32(nv);
    for (const x of luRead) if (mVer[x]! >= 0) count[mVer[x]!]!++;
    const groups = new Map<number | string, number[]>();
    for (const x of luRead) {
      const v = mVer[x]!;
      if (v >= 0 && count[v]! < 2) continue;
      const key: number | string = v >= 0 ? v : mKey[x] + ':' + valueKey(readValue(x));
      const l = groups.get(key);
      if (l) l.push(x);
      else groups.set(key, [x]);
    }
    for (const xs of groups.values()) {
      if (xs.length < 2) continue;
      add('lost-update', { key: keys.values[mKey[xs[0]!]!], value: readValue(xs[0]!), txns: xs.map((x) => opOf(h, mTxn[x]!)) });
    }
  }

  /** The raw element at distinct position `pos` of key k's order. */
  function elementAt(k: number, pos: number): unknown {
    const p2r = posToRaw.get(k);
    return longest[k]![p2r ? p2r[pos]! : pos];
  }

  /** The version an append follows: its predecessor in the order, or the last known one. */
  const prevVersion = (s: number): number => {
    const k = mKey[s]!;
    const pos = mAux[s]!;
    if (pos === 0) return base[k]!;
    if (pos > 0) return base[k]! + pos;
    return base[k]! + orderLen[k]!;
  };

  // Dirty updates: in a key's order, a committed append after an aborted one.
  for (let k = 0; k < nk; k++) {
    if (!keyHasFail[k]) continue;
    let t1 = -1;
    let t1Type = OK;
    let vs: unknown[] = [];
    for (let p = 0; p < orderLen[k]!; p++) {
      const s = versionSlot[base[k]! + 1 + p]!;
      if (s < 0) continue;
      const t2 = mTxn[s]!;
      const t2Type = type[t2]!;
      const v = elementAt(k, p);
      if (t2Type === OK) {
        if (t1Type === FAIL) add('dirty-update', { key: keys.values[k], values: [...vs, v], txns: [opOf(h, t1), opOf(h, t2)] });
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

  // The data edges: wr from each read's writer; ww and rw from each append back to the version it follows.
  const edges: EdgeSource = (emit) => {
    for (let x = 0; x < M; x++) {
      const f = mFlag[x]!;
      const t = mTxn[x]!;
      if (f & READ) {
        const s = mSlot[x]!;
        if (s >= 0) {
          const w = mTxn[s]!;
          if (w !== t && type[w] !== FAIL) emit(w, t, WR);
        }
      } else if (f & APPEND && type[t] !== FAIL) {
        const pv = prevVersion(x);
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
  };

  const explain = (a: number, b: number, rel: number, an: string, bn: string): CycleStep | null => {
    for (let x = mopStart[b]!; x < mopStart[b + 1]!; x++) {
      const f = mFlag[x]!;
      if (rel === WR) {
        const slot = mSlot[x]!;
        if (!(f & READ) || slot < 0 || mTxn[slot] !== a) continue;
        const mop = mopOf(x);
        const arr = readValue(x);
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
      const mop = mopOf(x);
      const k = mKey[x]!;
      const pv = prevVersion(x);
      const pos = pv - base[k]! - 1;
      const prev = pos >= 0 ? elementAt(k, pos) : null;
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
  };

  return { anomalies, edges, explain };
}

function duplicates(arr: readonly unknown[]): [unknown, number][] | null {
  const counts = new Map<Canon, { v: unknown; n: number }>();
  let any = false;
  for (const e of arr) {
    const c = canon(e);
    const x = counts.get(c);
    if (x) {
      x.n++;
      any = true;
    } else counts.set(c, { v: e, n: 1 });
  }
  if (!any) return null;
  return [...counts.values()].filter((x) => x.n > 1).map((x) => [x.v, x.n]);
}

function matches(arr: readonly unknown[], prefix: readonly unknown[] | null, appended: readonly unknown[]): boolean {
  if (prefix) {
    if (arr.length !== prefix.length + appended.length) return false;
    for (let j = 0; j < prefix.length; j++) if (!same(arr[j], prefix[j])) return false;
  } else if (arr.length < appended.length) return false;
  const off = arr.length - appended.length;
  for (let j = 0; j < appended.length; j++) if (!same(arr[off + j], appended[j])) return false;
  return true;
}
