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
import { EdgeList, RW, WR, WW } from './graph';
import { type Canon, IntList, Interner, canon, same } from './values';
import { FAIL, INFO, OK, type TxnTable, opOf, txnTable } from './txn';

const INTERMEDIATE = 1;
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
  const h = txnTable(history);
  const a = analyze(h);
  if (a instanceof Malformed) return { valid: 'unknown', error: { type: a.type, message: a.message, ...a.detail } };
  return finish(h, a, r);
}

function analyze(h: TxnTable): Analysis | Malformed {
  const { n, type, history } = h;
  const keys = new Interner();
  const valueMaps: Map<Canon, number>[] = [];
  const longest: (readonly unknown[])[] = [];
  const keyHasFail: number[] = [];
  const lastAppTxn: number[] = [];
  const lastAppSlot: number[] = [];
  const slotKey = new IntList(1024);
  const slotTxn = new IntList(1024);
  const slotMop = new IntList(1024);
  let slotFlags = new Uint8Array(1024);
  const mopStart = new Int32Array(n + 1);
  const mopKey = new IntList(1024);

  // Pass 1: micro-op shapes, keys, append slots, the longest read of each key.
  for (let t = 0; t < n; t++) {
    mopStart[t] = mopKey.length;
    const op = history[h.at[t]!]!;
    const mops = op.value as readonly unknown[];
    const ty = type[t]!;
    for (let i = 0; i < mops.length; i++) {
      const mop = mops[i];
      if (!Array.isArray(mop) || mop.length < 3 || (mop[0] !== 'append' && mop[0] !== 'r')) {
        return new Malformed('unexpected-txn-micro-op-types', 'history contained micro-ops other than appends or reads', { op, mop });
      }
      const k = keys.id(mop[1]);
      mopKey.push(k);
      if (k === valueMaps.length) {
        valueMaps.push(new Map());
        longest.push(EMPTY);
        keyHasFail.push(0);
        lastAppTxn.push(-1);
        lastAppSlot.push(-1);
      }
      if (mop[0] === 'append') {
        const c = canon(mop[2]);
        const map = valueMaps[k]!;
        if (map.has(c)) {
          return new Malformed('duplicate-appends', `value ${fmt(mop[2])} appended to key ${fmt(mop[1])} more than once`, {
            op,
            key: mop[1],
            value: mop[2],
          });
        }
        const slot = slotKey.push(k);
        slotTxn.push(t);
        slotMop.push(i);
        if (slot >= slotFlags.length) {
          const f = new Uint8Array(slotFlags.length * 2);
          f.set(slotFlags);
          slotFlags = f;
        }
        map.set(c, slot);
        if (ty === FAIL) keyHasFail[k] = 1;
        if (lastAppTxn[k] === t) slotFlags[lastAppSlot[k]!]! |= INTERMEDIATE;
        lastAppTxn[k] = t;
        lastAppSlot[k] = slot;
      } else if (ty !== FAIL) {
        const v = mop[2];
        if (v === null || v === undefined) continue;
        if (!Array.isArray(v)) {
          return new Malformed('unexpected-txn-micro-op-types', 'a read of a list-append key returned something other than a list', { op, mop });
        }
        if (v.length > longest[k]!.length) longest[k] = v;
      }
    }
  }
  mopStart[n] = mopKey.length;
  const nk = keys.size;
  const nslots = slotKey.length;
  const sKey = slotKey.view();
  const sTxn = slotTxn.view();
  const sMop = slotMop.view();

  // Pass 2: versions. Key k has versions base[k] (initial) and base[k] + 1 + p for each distinct
  // element p of its longest read.
  const base = new Int32Array(nk);
  const orderLen = new Int32Array(nk);
  const firstDup = new Int32Array(nk).fill(0x7fffffff);
  const rawToPos = new Map<number, Int32Array>();
  const posToRaw = new Map<number, Int32Array>();
  let nv = 0;
  for (let k = 0; k < nk; k++) nv += 1 + longest[k]!.length;
  const versionSlot = new Int32Array(nv).fill(-1);
  const slotPos = new Int32Array(nslots).fill(-1);
  nv = 0;
  for (let k = 0; k < nk; k++) {
    base[k] = nv++;
    const L = longest[k]!;
    const map = valueMaps[k]!;
    let distinct = 0;
    let garbage: Map<Canon, number> | undefined;
    let r2p: Int32Array | undefined;
    let p2r: number[] | undefined;
    for (let j = 0; j < L.length; j++) {
      const c = canon(L[j]);
      const s = map.get(c);
      let dupOf = -1;
      if (s !== undefined) {
        if (slotPos[s]! >= 0) dupOf = slotPos[s]!;
      } else {
        garbage ??= new Map();
        const g = garbage.get(c);
        if (g !== undefined) dupOf = g;
        else garbage.set(c, distinct);
      }
      if (dupOf >= 0) {
        if (!r2p) {
          r2p = new Int32Array(L.length);
          p2r = [];
          for (let x = 0; x < j; x++) {
            r2p[x] = x;
            p2r.push(x);
          }
          firstDup[k] = j;
        }
        r2p[j] = dupOf;
        continue;
      }
      if (s !== undefined) {
        slotPos[s] = distinct;
        versionSlot[nv] = s;
      }
      if (r2p) {
        r2p[j] = distinct;
        p2r!.push(j);
      }
      nv++;
      distinct++;
    }
    orderLen[k] = distinct;
    if (r2p) {
      rawToPos.set(k, r2p);
      posToRaw.set(k, Int32Array.from(p2r!));
    }
  }

  const versionOfPos = (k: number, pos: number) => base[k]! + 1 + pos;

  // readVersion's side results: the slot of the read's last element, and whether the read is a prefix of the order.
  let rvSlot = -1;
  let lastCompatible = true;
  /** The version a read of key k returning `arr` observed, or -1 if unknown. */
  const readVersion = (k: number, arr: readonly unknown[]): number => {
    const L = longest[k]!;
    const len = arr.length;
    if (len === 0) {
      lastCompatible = true;
      rvSlot = -1;
      return base[k]!;
    }
    let ok = arr === L;
    if (!ok && len <= L.length) {
      ok = true;
      for (let j = 0; j < len; j++) {
        if (!same(arr[j], L[j])) {
          ok = false;
          break;
        }
      }
    }
    lastCompatible = ok;
    if (ok) {
      const r2p = rawToPos.get(k);
      const v = versionOfPos(k, r2p ? r2p[len - 1]! : len - 1);
      rvSlot = versionSlot[v]!;
      return v;
    }
    const s = valueMaps[k]!.get(canon(arr[len - 1]));
    if (s === undefined) {
      rvSlot = -1;
      return -1;
    }
    rvSlot = s;
    return slotPos[s]! >= 0 ? versionOfPos(k, slotPos[s]!) : -1;
  };

  const anomalies = new Map<string, unknown[]>();
  const add = (t: string, c: unknown) => {
    let l = anomalies.get(t);
    if (!l) anomalies.set(t, (l = []));
    l.push(c);
  };
  const edges = new EdgeList();
  const readHead = new Int32Array(nv).fill(-1);
  const readNext = new IntList(1024);
  const readTxn = new IntList(1024);
  const incompatibleSeen = new Uint8Array(nk);
  const luVersion = new IntList(256);
  const luTxn = new IntList(256);
  const luOther = new Map<string, number[]>();
  const mk = mopKey.data;

  // Pass 3: reads. wr edges, readers of each version, and the per-read anomalies.
  for (let t = 0; t < n; t++) {
    const ty = type[t]!;
    if (ty === FAIL) continue;
    let futureSeen = false;
    const op = history[h.at[t]!]!;
    const mops = op.value as readonly unknown[][];
    const m0 = mopStart[t]!;
    const len = mops.length;
    for (let i = 0; i < len; i++) {
      const mop = mops[i]!;
      if (mop[0] !== 'r') continue;
      let arr = mop[2] as readonly unknown[] | null | undefined;
      if (arr === null || arr === undefined) {
        if (ty === INFO) continue;
        arr = EMPTY;
      }
      const k = mk[m0 + i]!;
      const version = readVersion(k, arr);
      const slot = rvSlot;
      if (!lastCompatible && !incompatibleSeen[k]) {
        incompatibleSeen[k] = 1;
        add('incompatible-order', { key: mop[1], values: [arr, longest[k]] });
      }
      if (arr.length > 1 && (lastCompatible ? arr.length > firstDup[k]! : true)) {
        const dups = duplicates(arr);
        if (dups) add('duplicate-elements', { op: opOf(h, t), mop, duplicates: dups });
      }
      if (version >= 0) {
        readTxn.push(t);
        readHead[version] = readNext.push(readHead[version]!);
      }
      if (slot >= 0) {
        const w = sTxn[slot]!;
        if (w !== t && type[w] !== FAIL) edges.add(w, t, WR);
      }
      if (ty !== OK) continue;
      if (keyHasFail[k]) {
        const map = valueMaps[k]!;
        for (const e of arr) {
          const s = map.get(canon(e));
          if (s !== undefined && type[sTxn[s]!] === FAIL) add('G1a', { op: opOf(h, t), mop, writer: opOf(h, sTxn[s]!), element: e });
        }
      }
      if (slot >= 0 && slotFlags[slot]! & INTERMEDIATE && sTxn[slot] !== t) {
        add('G1b', { op: opOf(h, t), mop, writer: opOf(h, sTxn[slot]!), element: arr[arr.length - 1] });
      }
      // Within the transaction: internal consistency, future reads, read-then-append (lost update).
      let prevRead = -1;
      let anyPrev = false;
      for (let j = i - 1; j >= 0; j--) {
        if (mk[m0 + j] !== k) continue;
        anyPrev = true;
        if (mops[j]![0] === 'r') {
          prevRead = j;
          break;
        }
      }
      if (anyPrev) {
        const expected = internalExpected(mops, mk, m0, k, prevRead, i);
        if (!matches(arr, expected.prefix, expected.appended)) {
          add('internal', {
            op: opOf(h, t),
            mop,
            expected: expected.prefix ? [...expected.prefix, ...expected.appended] : expected.appended,
            ...(expected.prefix ? {} : { prefixUnknown: true }),
          });
        }
      }
      let laterAppend = false;
      for (let j = i + 1; j < len; j++) {
        if (mk[m0 + j] !== k || mops[j]![0] !== 'append') continue;
        laterAppend = true;
        const v = mops[j]![2];
        if (!futureSeen && arr.some((e) => same(e, v))) {
          futureSeen = true;
          add('future-read', { op: opOf(h, t), mop, element: v });
        }
      }
      if (laterAppend) {
        let firstRead = true;
        for (let j = 0; j < i; j++) {
          if (mk[m0 + j] === k && mops[j]![0] === 'r') {
            firstRead = false;
            break;
          }
        }
        if (firstRead) {
          if (version >= 0) {
            luVersion.push(version);
            luTxn.push(t);
          } else {
            const key = k + ':' + valueKey(arr);
            const l = luOther.get(key);
            if (l) l.push(t);
            else luOther.set(key, [t]);
          }
        }
      }
    }
  }

  // Lost updates: two committed transactions read the same version of a key and both appended to it.
  if (luVersion.length > 1) {
    const count = new Int32Array(nv);
    const lv = luVersion.view();
    const lt = luTxn.view();
    for (let i = 0; i < lv.length; i++) count[lv[i]!]!++;
    const groups = new Map<number, number[]>();
    for (let i = 0; i < lv.length; i++) {
      if (count[lv[i]!]! < 2) continue;
      const g = groups.get(lv[i]!);
      if (g) g.push(lt[i]!);
      else groups.set(lv[i]!, [lt[i]!]);
    }
    for (const [v, ts] of groups) {
      const k = keyOfVersion(v);
      add('lost-update', { key: keys.values[k], value: versionList(k, v - base[k]! - 1), txns: ts.map((t) => opOf(h, t)) });
    }
  }
  for (const [key, ts] of luOther) {
    if (ts.length < 2) continue;
    const k = Number(key.slice(0, key.indexOf(':')));
    const t0 = ts[0]!;
    const mops = history[h.at[t0]!]!.value as unknown[][];
    const m0 = mopStart[t0]!;
    let value: unknown = null;
    for (let j = 0; j < mops.length; j++) if (mk[m0 + j] === k && mops[j]![0] === 'r') value = mops[j]![2];
    add('lost-update', { key: keys.values[k], value, txns: ts.map((t) => opOf(h, t)) });
  }

  function keyOfVersion(v: number): number {
    let lo = 0;
    let hi = nk - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (base[mid]! <= v) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The raw element at distinct position `pos` of key k's order. */
  function elementAt(k: number, pos: number): unknown {
    const p2r = posToRaw.get(k);
    return longest[k]![p2r ? p2r[pos]! : pos];
  }

  /** The list a reader of position `pos` of key k saw. */
  function versionList(k: number, pos: number): unknown[] {
    if (pos < 0) return [];
    const p2r = posToRaw.get(k);
    return longest[k]!.slice(0, (p2r ? p2r[pos]! : pos) + 1);
  }

  /** The version an append in slot s follows: its predecessor in the order, or the last known one. */
  const prevVersion = (s: number): number => {
    const k = sKey[s]!;
    const pos = slotPos[s]!;
    if (pos === 0) return base[k]!;
    if (pos > 0) return versionOfPos(k, pos - 1);
    return orderLen[k] === 0 ? base[k]! : versionOfPos(k, orderLen[k]! - 1);
  };

  // Pass 4: ww and rw edges, from each append back to the version it follows.
  const rn = readNext.data;
  const rt = readTxn.data;
  for (let s = 0; s < nslots; s++) {
    const t = sTxn[s]!;
    if (type[t] === FAIL) continue;
    const pv = prevVersion(s);
    const ws = versionSlot[pv]!;
    if (ws >= 0) {
      const w = sTxn[ws]!;
      if (w !== t && type[w] !== FAIL) edges.add(w, t, WW);
    }
    for (let r = readHead[pv]!; r >= 0; r = rn[r]!) {
      const reader = rt[r]!;
      if (reader !== t) edges.add(reader, t, RW);
    }
  }

  // Dirty updates: in a key's order, a committed append after an aborted one.
  for (let k = 0; k < nk; k++) {
    if (!keyHasFail[k]) continue;
    let t1 = -1;
    let t1Type = OK;
    let vs: unknown[] = [];
    for (let p = 0; p < orderLen[k]!; p++) {
      const s = versionSlot[versionOfPos(k, p)]!;
      if (s < 0) continue;
      const t2 = sTxn[s]!;
      const t2Type = type[t2]!;
      const v = elementAt(k, p);
      if (t2Type === OK) {
        if (t1Type === FAIL) add('dirty-update', { key: keys.values[k], values: [...vs, v], txns: [opOf(h, t1), opOf(h, t2)] });
        t1 = t2;
        t1Type = OK;
        vs = [v];
      } else if (t2Type === INFO) {
        vs.push(v);
      } else if (t1Type === FAIL) {
        vs.push(v);
      } else {
        t1 = t2;
        t1Type = FAIL;
        vs = [v];
      }
    }
  }

  const mopsOfTxn = (t: number) => history[h.at[t]!]!.value as unknown[][];
  const explain = (a: number, b: number, rel: number, an: string, bn: string): CycleStep | null => {
    const bm = mopsOfTxn(b);
    const b0 = mopStart[b]!;
    for (let i = 0; i < bm.length; i++) {
      const mop = bm[i]!;
      const k = mk[b0 + i]!;
      if (rel === WR && mop[0] === 'r') {
        const arr = (mop[2] ?? EMPTY) as readonly unknown[];
        readVersion(k, arr);
        const slot = rvSlot;
        if (slot >= 0 && sTxn[slot] === a) {
          const v = arr[arr.length - 1];
          return {
            type: 'wr',
            key: mop[1],
            value: v,
            aMopIndex: sMop[slot]!,
            bMopIndex: i,
            text: `${bn} observed ${an}'s append of ${fmt(v)} to key ${fmt(mop[1])}`,
          };
        }
      } else if (mop[0] === 'append' && (rel === WW || rel === RW)) {
        const s = valueMaps[k]!.get(canon(mop[2]))!;
        const pv = prevVersion(s);
        const pos = pv - base[k]! - 1;
        const prev = pos >= 0 ? elementAt(k, pos) : null;
        if (rel === WW) {
          const ws = versionSlot[pv]!;
          if (ws >= 0 && sTxn[ws] === a) {
            return {
              type: 'ww',
              key: mop[1],
              value: prev,
              nextValue: mop[2],
              aMopIndex: sMop[ws]!,
              bMopIndex: i,
              text: `${bn} appended ${fmt(mop[2])} after ${an} appended ${fmt(prev)} to key ${fmt(mop[1])}`,
            };
          }
        } else {
          const am = mopsOfTxn(a);
          const a0 = mopStart[a]!;
          for (let j = 0; j < am.length; j++) {
            const rm = am[j]!;
            if (rm[0] !== 'r' || mk[a0 + j] !== k || (rm[2] == null && type[a] === INFO)) continue;
            if (readVersion(k, (rm[2] ?? EMPTY) as readonly unknown[]) !== pv) continue;
            const text =
              pos < 0
                ? `${an} read key ${fmt(mop[1])} as empty, and ${bn} made its first append, ${fmt(mop[2])}`
                : `${an} read key ${fmt(mop[1])} up to ${fmt(prev)} and did not see ${bn}'s append of ${fmt(mop[2])}, which came next`;
            return { type: 'rw', key: mop[1], value: prev, nextValue: mop[2], aMopIndex: j, bMopIndex: i, text };
          }
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

/** What a read at position i of key k should return given the transaction's earlier micro-ops on k. */
function internalExpected(
  mops: readonly unknown[][],
  mk: Int32Array,
  m0: number,
  k: number,
  prevRead: number,
  i: number,
): { prefix: readonly unknown[] | null; appended: unknown[] } {
  const appended: unknown[] = [];
  for (let j = prevRead + 1; j < i; j++) if (mk[m0 + j] === k && mops[j]![0] === 'append') appended.push(mops[j]![2]);
  const prefix = prevRead >= 0 ? ((mops[prevRead]![2] ?? EMPTY) as readonly unknown[]) : null;
  return { prefix, appended };
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
