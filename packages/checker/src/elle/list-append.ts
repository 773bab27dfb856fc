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
import { type Canon, IntList, Interner, PairTable, canon, same } from './values';
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
  const values = new PairTable(n * 2);
  const longest: (readonly unknown[])[] = [];
  const keyHasFail: number[] = [];
  const lastAppTxn: number[] = [];
  const lastAppSlot: number[] = [];
  const incompatibleSeen: number[] = [];
  const slotKey = new IntList(n * 2);
  const slotTxn = new IntList(n * 2);
  const slotMop = new IntList(n * 2);
  let slotFlags: Uint8Array = new Uint8Array(Math.max(1024, n * 2));
  const mopStart = new Int32Array(n + 1);
  const mopKey = new IntList(n * 3);
  const readStart = new Int32Array(n + 1);
  const rTxn = new IntList(n * 2);
  const rKey = new IntList(n * 2);
  const rLen = new IntList(n * 2);
  const rMop = new IntList(n * 2);
  let rBad: Uint8Array = new Uint8Array(Math.max(1024, n * 2));
  const luRead = new IntList(256);
  let readOfMop = new Int32Array(64);

  const anomalies = new Map<string, unknown[]>();
  const add = (t: string, c: unknown) => {
    let l = anomalies.get(t);
    if (!l) anomalies.set(t, (l = []));
    l.push(c);
  };

  // Pass 1, the only one over every op: micro-op shapes, keys, append slots, the order of each
  // key (reads must extend one another), and the checks within one transaction.
  for (let t = 0; t < n; t++) {
    const m0 = mopKey.length;
    mopStart[t] = m0;
    readStart[t] = rTxn.length;
    const op = history[h.at[t]!]!;
    const mops = op.value as readonly unknown[];
    const ty = type[t]!;
    const len = mops.length;
    if (len > readOfMop.length) readOfMop = new Int32Array(len * 2);
    for (let i = 0; i < len; i++) {
      const mop = mops[i];
      readOfMop[i] = -1;
      if (!Array.isArray(mop) || mop.length < 3 || (mop[0] !== 'append' && mop[0] !== 'r')) {
        return new Malformed('unexpected-txn-micro-op-types', 'history contained micro-ops other than appends or reads', { op, mop });
      }
      const k = keys.id(mop[1]);
      mopKey.push(k);
      if (k === longest.length) {
        longest.push(EMPTY);
        keyHasFail.push(0);
        lastAppTxn.push(-1);
        lastAppSlot.push(-1);
        incompatibleSeen.push(0);
      }
      if (mop[0] === 'append') {
        const slot = slotKey.length;
        if (values.set(k, mop[2], slot) !== -1) {
          return new Malformed('duplicate-appends', `value ${fmt(mop[2])} appended to key ${fmt(mop[1])} more than once`, {
            op,
            key: mop[1],
            value: mop[2],
          });
        }
        slotKey.push(k);
        slotTxn.push(t);
        slotMop.push(i);
        if (slot >= slotFlags.length) slotFlags = grow8(slotFlags);
        if (ty === FAIL) keyHasFail[k] = 1;
        if (lastAppTxn[k] === t) slotFlags[lastAppSlot[k]!]! |= INTERMEDIATE;
        lastAppTxn[k] = t;
        lastAppSlot[k] = slot;
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
        const m = vl < L.length ? vl : L.length;
        let j = 0;
        if (v !== L) while (j < m && (v[j] === L[j] || same(v[j], L[j]))) j++;
        else j = m;
        const r = rTxn.push(t);
        rKey.push(k);
        rLen.push(vl);
        rMop.push(i);
        readOfMop[i] = r;
        if (r >= rBad.length) rBad = grow8(rBad);
        if (j === m) {
          if (vl > L.length) longest[k] = v;
        } else {
          rBad[r] = 1;
          if (!incompatibleSeen[k]) {
            incompatibleSeen[k] = 1;
            add('incompatible-order', { key: mop[1], values: [v, L] });
          }
        }
      }
    }
    if (ty === OK) withinTxn(t, op, mops as readonly unknown[][], m0);
  }
  mopStart[n] = mopKey.length;
  readStart[n] = rTxn.length;

  /** Internal consistency, future reads, and read-then-append candidates for lost updates. */
  function withinTxn(t: number, op: Op, mops: readonly unknown[][], m0: number): void {
    const mk = mopKey.data;
    const len = mops.length;
    let futureSeen = false;
    for (let i = 0; i < len; i++) {
      const mop = mops[i]!;
      if (mop[0] !== 'r') continue;
      const k = mk[m0 + i]!;
      const arr = (mop[2] ?? EMPTY) as readonly unknown[];
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
        const appended: unknown[] = [];
        for (let j = prevRead + 1; j < i; j++) if (mk[m0 + j] === k && mops[j]![0] === 'append') appended.push(mops[j]![2]);
        const prefix = prevRead >= 0 ? ((mops[prevRead]![2] ?? EMPTY) as readonly unknown[]) : null;
        if (!matches(arr, prefix, appended)) {
          add('internal', { op, mop, expected: prefix ? [...prefix, ...appended] : appended, ...(prefix ? {} : { prefixUnknown: true }) });
        }
      }
      let laterAppend = false;
      for (let j = i + 1; j < len; j++) {
        if (mk[m0 + j] !== k || mops[j]![0] !== 'append') continue;
        laterAppend = true;
        const v = mops[j]![2];
        if (!futureSeen && arr.some((e) => same(e, v))) {
          futureSeen = true;
          add('future-read', { op, mop, element: v });
        }
      }
      if (laterAppend && prevRead < 0) {
        let firstRead = true;
        for (let j = 0; j < i && firstRead; j++) if (mk[m0 + j] === k && mops[j]![0] === 'r') firstRead = false;
        if (firstRead && readOfMop[i]! >= 0) luRead.push(readOfMop[i]!);
      }
    }
  }

  const nk = keys.size;
  const nslots = slotKey.length;
  const nreads = rTxn.length;
  const sKey = slotKey.data;
  const sTxn = slotTxn.data;
  const sMop = slotMop.data;
  const mk = mopKey.data;

  // Pass 2: versions. Key k has versions base[k] (its initial state) and base[k] + 1 + p for the
  // p-th distinct element of its order.
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
    let distinct = 0;
    let garbage: Map<Canon, number> | undefined;
    let r2p: Int32Array | undefined;
    let p2r: number[] | undefined;
    for (let j = 0; j < L.length; j++) {
      const s = values.get(k, L[j]);
      let dupOf = -1;
      if (s >= 0) {
        if (slotPos[s]! >= 0) dupOf = slotPos[s]!;
      } else {
        garbage ??= new Map();
        const c = canon(L[j]);
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
      if (s >= 0) {
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

  const mopsOfTxn = (t: number) => history[h.at[t]!]!.value as unknown[][];
  const readValue = (r: number) => (mopsOfTxn(rTxn.data[r]!)[rMop.data[r]!]![2] ?? EMPTY) as readonly unknown[];

  // Pass 3: reads, from the columns of pass 1. wr edges, readers of each version, per-read anomalies.
  const edges = new EdgeList(n * 8);
  const readVersion = new Int32Array(nreads);
  const readSlot = new Int32Array(nreads);
  const readHead = new Int32Array(nv).fill(-1);
  const readNext = new Int32Array(nreads);
  {
    const rt = rTxn.data;
    const rk = rKey.data;
    const rl = rLen.data;
    for (let r = 0; r < nreads; r++) {
      const t = rt[r]!;
      const k = rk[r]!;
      const len = rl[r]!;
      let version: number;
      let slot: number;
      if (!rBad[r]) {
        if (len === 0) {
          version = base[k]!;
          slot = -1;
        } else {
          const r2p = rawToPos.size > 0 ? rawToPos.get(k) : undefined;
          version = base[k]! + 1 + (r2p ? r2p[len - 1]! : len - 1);
          slot = versionSlot[version]!;
        }
      } else {
        const arr = readValue(r);
        slot = values.get(k, arr[len - 1]);
        version = slot >= 0 && slotPos[slot]! >= 0 ? base[k]! + 1 + slotPos[slot]! : -1;
      }
      readVersion[r] = version;
      readSlot[r] = slot;
      if (version >= 0) {
        readNext[r] = readHead[version]!;
        readHead[version] = r;
      }
      if (slot >= 0) {
        const w = sTxn[slot]!;
        if (w !== t && type[w] !== FAIL) edges.add(w, t, WR);
      }
      if (len > 1 && (rBad[r] || len > firstDup[k]!)) {
        const arr = readValue(r);
        const dups = duplicates(arr);
        if (dups) add('duplicate-elements', { op: opOf(h, t), mop: mopsOfTxn(t)[rMop.data[r]!], duplicates: dups });
      }
      if (type[t] !== OK) continue;
      if (slot >= 0 && slotFlags[slot]! & INTERMEDIATE && sTxn[slot] !== t) {
        add('G1b', { op: opOf(h, t), mop: mopsOfTxn(t)[rMop.data[r]!], writer: opOf(h, sTxn[slot]!), element: readValue(r)[len - 1] });
      }
      if (keyHasFail[k]) {
        for (const e of readValue(r)) {
          const s = values.get(k, e);
          if (s >= 0 && type[sTxn[s]!] === FAIL) {
            add('G1a', { op: opOf(h, t), mop: mopsOfTxn(t)[rMop.data[r]!], writer: opOf(h, sTxn[s]!), element: e });
          }
        }
      }
    }
  }

  // Lost updates: two committed transactions read the same version of a key and both appended to it.
  if (luRead.length > 1) {
    const groups = new Map<number | string, number[]>();
    const lr = luRead.view();
    const count = new Int32Array(nv);
    for (let i = 0; i < lr.length; i++) {
      const v = readVersion[lr[i]!]!;
      if (v >= 0) count[v]!++;
    }
    for (let i = 0; i < lr.length; i++) {
      const r = lr[i]!;
      const v = readVersion[r]!;
      let g: number | string = v;
      if (v < 0) g = rKey.data[r] + ':' + valueKey(readValue(r));
      else if (count[v]! < 2) continue;
      const l = groups.get(g);
      if (l) l.push(r);
      else groups.set(g, [r]);
    }
    for (const rs of groups.values()) {
      if (rs.length < 2) continue;
      const k = rKey.data[rs[0]!]!;
      add('lost-update', { key: keys.values[k], value: readValue(rs[0]!), txns: rs.map((r) => opOf(h, rTxn.data[r]!)) });
    }
  }

  /** The raw element at distinct position `pos` of key k's order. */
  function elementAt(k: number, pos: number): unknown {
    const p2r = posToRaw.get(k);
    return longest[k]![p2r ? p2r[pos]! : pos];
  }

  /** The version an append in slot s follows: its predecessor in the order, or the last known one. */
  const prevVersion = (s: number): number => {
    const k = sKey[s]!;
    const pos = slotPos[s]!;
    if (pos === 0) return base[k]!;
    if (pos > 0) return base[k]! + pos;
    return base[k]! + orderLen[k]!;
  };

  // Pass 4: ww and rw edges, from each append back to the version it follows.
  const rt = rTxn.data;
  for (let s = 0; s < nslots; s++) {
    const t = sTxn[s]!;
    if (type[t] === FAIL) continue;
    const pv = prevVersion(s);
    const ws = versionSlot[pv]!;
    if (ws >= 0) {
      const w = sTxn[ws]!;
      if (w !== t && type[w] !== FAIL) edges.add(w, t, WW);
    }
    for (let r = readHead[pv]!; r >= 0; r = readNext[r]!) {
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
      const s = versionSlot[base[k]! + 1 + p]!;
      if (s < 0) continue;
      const t2 = sTxn[s]!;
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

  const explain = (a: number, b: number, rel: number, an: string, bn: string): CycleStep | null => {
    const bm = mopsOfTxn(b);
    if (rel === WR) {
      for (let r = readStart[b]!; r < readStart[b + 1]!; r++) {
        const slot = readSlot[r]!;
        if (slot < 0 || sTxn[slot] !== a) continue;
        const mop = bm[rMop.data[r]!]!;
        const arr = readValue(r);
        const v = arr[arr.length - 1];
        return {
          type: 'wr',
          key: mop[1],
          value: v,
          aMopIndex: sMop[slot]!,
          bMopIndex: rMop.data[r]!,
          text: `${bn} observed ${an}'s append of ${fmt(v)} to key ${fmt(mop[1])}`,
        };
      }
      return null;
    }
    const b0 = mopStart[b]!;
    for (let i = 0; i < bm.length; i++) {
      const mop = bm[i]!;
      if (mop[0] !== 'append') continue;
      const k = mk[b0 + i]!;
      const s = values.get(k, mop[2]);
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
      } else if (rel === RW) {
        for (let r = readStart[a]!; r < readStart[a + 1]!; r++) {
          if (readVersion[r] !== pv) continue;
          const text =
            pos < 0
              ? `${an} read key ${fmt(mop[1])} as empty, and ${bn} made its first append, ${fmt(mop[2])}`
              : `${an} read key ${fmt(mop[1])} up to ${fmt(prev)} and did not see ${bn}'s append of ${fmt(mop[2])}, which came next`;
          return { type: 'rw', key: mop[1], value: prev, nextValue: mop[2], aMopIndex: rMop.data[r]!, bMopIndex: i, text };
        }
      }
    }
    return null;
  };

  return { anomalies, edges, explain };
}

function grow8(a: Uint8Array): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(a.length * 2);
  b.set(a);
  return b;
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
