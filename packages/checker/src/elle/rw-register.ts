/**
 * Elle's rw-register checker. Transactions are lists of `['w', k, v]` and `['r', k, v]` micro-ops
 * over registers that start as `null`; each value is written at most once per key. Only
 * write → read is observed directly; the version order of each key is assembled from sources,
 * each merged only if it creates no cycle among versions (else `cyclic-versions`):
 *
 * 1. the initial state `null` precedes every value;
 * 2. `wfrKeys`: within a transaction, writes follow reads (read v then write v' gives v < v');
 * 3. `sequentialKeys`: each process sees a key's versions in order;
 * 4. `linearizableKeys`: real-time order orders a key's versions.
 *
 * Version edges become ww and rw edges between transactions; wr edges come from reads directly.
 */
import type { Op } from '@gyre/history';
import { type TxnHistory, M_READ, M_WRITE, NIL, NO_PROCESS, SCALAR, txnHistory } from './compact';
import { type Analysis, type ElleError, type ElleOptions, type ElleResult, finish, resolveOptions } from './core';
import { type CycleStep, fmt } from './explain';
import { EdgeList, RW, WR, WW, listSource, tarjan } from './graph';
import { IntList, PairTable } from './values';
import { FAIL, OK, type TxnTable, opOf, txnTable } from './txn';

/** Options of {@link checkRwRegister}. */
export interface RwRegisterOptions extends ElleOptions {
  /**
   * Assume writes follow reads within a transaction (Maelstrom's txn-rw-register sets this).
   * @defaultValue false
   */
  wfrKeys?: boolean;
  /**
   * Assume each key is sequentially consistent: a process sees its versions in order.
   * @defaultValue false
   */
  sequentialKeys?: boolean;
  /**
   * Assume each key is linearizable: real-time order orders its versions.
   * @defaultValue false
   */
  linearizableKeys?: boolean;
}

/** An external read (first read of a key, before any write of it) or external (final) write: key id, value code, micro-op position. */
interface Ext {
  k: number;
  c: number;
  i: number;
}

/**
 * Checks an rw-register history (Elle's `elle.rw-register/check`): G1a, G1b, internal,
 * future-read, garbage-read, lost-update, cyclic-versions and dependency cycles. The history may
 * also be given column-wise (a {@link TxnHistory}).
 */
export function checkRwRegister(history: readonly Op[] | TxnHistory, opts: RwRegisterOptions = {}): ElleResult {
  const r = resolveOptions(opts);
  if ('valid' in r) return r;
  const hist = Array.isArray(history) ? txnHistory(history as readonly Op[]) : (history as TxnHistory);
  const h = txnTable(hist);
  const a = analyze(h, opts);
  if ('error' in a) return { valid: 'unknown', error: a.error };
  return finish(h, a, r);
}

type VersionGraphs = Map<number, Set<number>>[];

function analyze(h: TxnTable, opts: RwRegisterOptions): Analysis | { error: ElleError } {
  const { n, type } = h;
  const H = h.hist;
  const keyValue = (k: number) => H.keys.values[k];
  const value = (c: number) => H.values.value(c);
  /** The value code of a micro-op (a read of a list is interned as one value). */
  const codeOf = (row: number) => (H.mopKind[row] === M_READ && H.mopLen[row] !== SCALAR ? H.values.code(H.mop(row)[2]) : H.mopValue[row]!);
  const txnOp = (t: number) => H.op(h.at[t]!);
  const extR: Ext[][] = new Array(n);
  const extW: Ext[][] = new Array(n);
  const anomalies = new Map<string, unknown[]>();
  const add = (t: string, c: unknown) => {
    let l = anomalies.get(t);
    if (!l) anomalies.set(t, (l = []));
    l.push(c);
  };
  // (key, value) → a transaction that wrote it: any, failed, or not as its last write of the key.
  const written = new PairTable();
  const failed = new PairTable();
  const intermediate = new PairTable();

  for (let t = 0; t < n; t++) {
    const row0 = H.mopStart[h.at[t]!]!;
    const len = H.mopStart[h.at[t]! + 1]! - row0;
    const reads: Ext[] = [];
    const writes = new Map<number, Ext>();
    const readKeys = new Set<number>();
    const state = new Map<number, number>();
    const seen = new Map<number, Map<number, number>>();
    let internalSeen = false;
    let futureSeen = false;
    for (let i = 0; i < len; i++) {
      const row = row0 + i;
      const kind = H.mopKind[row]!;
      if (kind !== M_WRITE && kind !== M_READ) {
        return { error: { type: 'unexpected-txn-micro-op-types', message: 'history contained micro-ops other than writes or reads', op: txnOp(t), mop: H.mop(row) } };
      }
      const k = H.mopKey[row]!;
      const c = codeOf(row);
      if (kind === M_WRITE) {
        if (c === NIL) {
          const op = txnOp(t);
          return {
            error: {
              type: 'nil-write',
              message: `op ${op.index} writes nil to key ${fmt(keyValue(k))}; an rw-register reads nil as the initial state, so a write of nil cannot be told from it`,
              op,
              mop: H.mop(row),
            },
          };
        }
        const prev = writes.get(k);
        if (prev) intermediate.set(k, prev.c, t);
        writes.set(k, { k, c, i });
        written.set(k, c, t);
        if (type[t] === FAIL) failed.set(k, c, t);
        state.set(k, c);
        const r = seen.get(k)?.get(c);
        if (r !== undefined && type[t] === OK && !futureSeen) {
          futureSeen = true;
          add('future-read', { op: txnOp(t), mop: H.mop(row0 + r), element: value(c) });
        }
      } else {
        if (!writes.has(k) && !readKeys.has(k)) {
          readKeys.add(k);
          reads.push({ k, c, i });
        }
        if (c !== NIL) {
          let m = seen.get(k);
          if (!m) seen.set(k, (m = new Map()));
          if (!m.has(c)) m.set(c, i);
        }
        if (type[t] === OK) {
          const s = state.get(k);
          if (s !== undefined && s !== c && !internalSeen) {
            internalSeen = true;
            add('internal', { op: txnOp(t), mop: H.mop(row), expected: value(s) });
          }
          state.set(k, c);
        }
      }
    }
    extR[t] = type[t] === OK ? reads : [];
    extW[t] = type[t] === FAIL ? [] : [...writes.values()];
  }

  // G1a, G1b (ok reads of failed or intermediate writes), garbage reads (of values nobody wrote)
  // and lost updates.
  const lost = new Map<string, { key: unknown; value: unknown; ts: number[] }>();
  for (let t = 0; t < n; t++) {
    if (type[t] !== OK) continue;
    const row0 = H.mopStart[h.at[t]!]!;
    const len = H.mopStart[h.at[t]! + 1]! - row0;
    const firstRead = new Map<number, number>();
    const wrote = new Set<number>();
    for (let i = 0; i < len; i++) {
      const row = row0 + i;
      const k = H.mopKey[row]!;
      const c = codeOf(row);
      if (H.mopKind[row] === M_READ) {
        const f = failed.get(k, c);
        if (f >= 0) add('G1a', { op: opOf(h, t), mop: H.mop(row), writer: opOf(h, f) });
        const w = intermediate.get(k, c);
        if (w >= 0 && w !== t) add('G1b', { op: opOf(h, t), mop: H.mop(row), writer: opOf(h, w) });
        if (c !== NIL && written.get(k, c) < 0) add('garbage-read', { op: opOf(h, t), mop: H.mop(row), key: keyValue(k), value: value(c) });
        if (!firstRead.has(k) && !wrote.has(k)) firstRead.set(k, c);
      } else if (!wrote.has(k)) {
        wrote.add(k);
        const r = firstRead.get(k);
        if (r !== undefined) {
          const g = k + ':' + r;
          const l = lost.get(g);
          if (l) l.ts.push(t);
          else lost.set(g, { key: keyValue(k), value: value(r), ts: [t] });
        }
      }
    }
  }
  for (const l of lost.values()) {
    if (l.ts.length > 1) add('lost-update', { key: l.key, value: l.value, txns: l.ts.map((t) => opOf(h, t)) });
  }

  // Indices of external writes by transactions that may have committed (ok and info), and of
  // external reads by committed ones.
  const writersOf = new Map<string, number[]>();
  const readersOf = new Map<string, number[]>();
  const kv = (k: number, c: number) => k + ':' + c;
  for (let t = 0; t < n; t++) {
    if (type[t] === FAIL) continue;
    for (const w of extW[t]!) push(writersOf, kv(w.k, w.c), t);
    for (const r of extR[t]!) push(readersOf, kv(r.k, r.c), t);
  }

  const edges = new EdgeList(n * 4);
  for (let t = 0; t < n; t++) {
    for (const r of extR[t]!) {
      const ws = writersOf.get(kv(r.k, r.c));
      if (!ws) continue;
      if (ws.length > 1) {
        return {
          error: {
            type: 'duplicate-writes',
            message: `key ${fmt(keyValue(r.k))} had value ${fmt(value(r.c))} written by more than one transaction`,
            key: keyValue(r.k),
            value: value(r.c),
            ops: ws.map((w) => opOf(h, w)),
          },
        };
      }
      edges.add(ws[0]!, t, WR);
    }
  }

  // Version graphs, one source at a time.
  const nk = H.keys.size;
  const graphs: VersionGraphs = Array.from({ length: nk }, () => new Map());
  const sources: string[] = [];
  const link = (gs: VersionGraphs, k: number, a: number, b: number) => {
    if (a === b) return;
    const g = gs[k]!;
    let s = g.get(a);
    if (!s) g.set(a, (s = new Set()));
    s.add(b);
  };
  const trySource = (name: string, fill: (gs: VersionGraphs) => void) => {
    const next = graphs.map((g) => new Map([...g].map(([a, s]) => [a, new Set(s)])));
    fill(next);
    const cycles = versionCycles(next);
    if (cycles.length > 0) {
      for (const c of cycles) add('cyclic-versions', { key: keyValue(c.key), scc: c.scc.map(value), sources: [...sources, name] });
      return;
    }
    sources.push(name);
    for (let k = 0; k < nk; k++) graphs[k] = next[k]!;
  };
  trySource('initial-state', (gs) => {
    for (let t = 0; t < n; t++) {
      if (type[t] === FAIL) continue;
      for (const e of [...extW[t]!, ...extR[t]!]) if (e.c !== NIL) link(gs, e.k, NIL, e.c);
    }
  });
  if (opts.wfrKeys) {
    trySource('wfr-keys', (gs) => {
      for (let t = 0; t < n; t++) {
        for (const r of extR[t]!) {
          if (r.c === NIL) continue;
          const w = extW[t]!.find((x) => x.k === r.k);
          if (w) link(gs, r.k, r.c, w.c);
        }
      }
    });
  }
  // A transaction's last and first version of each key it interacted with (reads only count when ok).
  const lastOf = (t: number, k: number): number | undefined =>
    extW[t]!.find((w) => w.k === k)?.c ?? (type[t] === OK ? extR[t]!.find((r) => r.k === k)?.c : undefined);
  const firstOf = (t: number, k: number): number | undefined =>
    (type[t] === OK ? extR[t]!.find((r) => r.k === k)?.c : undefined) ?? extW[t]!.find((w) => w.k === k)?.c;
  const touched = (t: number): number[] => [...new Set([...extW[t]!.map((w) => w.k), ...extR[t]!.map((r) => r.k)])];
  if (opts.sequentialKeys) {
    trySource('sequential-keys', (gs) => {
      const last = new Map<string, number>();
      for (let t = 0; t < n; t++) {
        if (type[t] === FAIL) continue;
        const p = H.process[h.done[t]!]!;
        if (p === NO_PROCESS) continue;
        for (const k of touched(t)) {
          const id = p + '/' + k;
          const a = last.get(id);
          if (a !== undefined) {
            const x = lastOf(a, k);
            const y = firstOf(t, k);
            if (x !== undefined && y !== undefined) link(gs, k, x, y);
          }
          last.set(id, t);
        }
      }
    });
  }
  if (opts.linearizableKeys) {
    trySource('linearizable-keys', (gs) => realtimeVersions(h, touched, lastOf, firstOf, (k, a, b) => link(gs, k, a, b)));
  }

  // Version edges to transaction edges.
  for (let k = 0; k < nk; k++) {
    for (const [a, bs] of graphs[k]!) {
      const aw = writersOf.get(kv(k, a)) ?? [];
      const ar = readersOf.get(kv(k, a)) ?? [];
      for (const b of bs) {
        const bw = writersOf.get(kv(k, b));
        if (!bw) continue;
        for (const y of bw) {
          for (const x of aw) edges.add(x, y, WW);
          for (const x of ar) edges.add(x, y, RW);
        }
      }
    }
  }

  const explain = (a: number, b: number, rel: number, an: string, bn: string): CycleStep | null => {
    if (rel === WR) {
      for (const r of extR[b]!) {
        const w = extW[a]!.find((x) => x.k === r.k && x.c === r.c);
        if (w) {
          return {
            type: 'wr',
            key: keyValue(r.k),
            value: value(r.c),
            aMopIndex: w.i,
            bMopIndex: r.i,
            text: `${bn} read key ${fmt(keyValue(r.k))} = ${fmt(value(r.c))}, which ${an} wrote`,
          };
        }
      }
      return null;
    }
    const from = rel === WW ? extW[a]! : extR[a]!;
    for (const x of from) {
      const next = graphs[x.k]!.get(x.c);
      if (!next) continue;
      const y = extW[b]!.find((w) => w.k === x.k && next.has(w.c));
      if (!y) continue;
      const key = fmt(keyValue(x.k));
      const xv = value(x.c);
      const yv = value(y.c);
      const text =
        rel === WW
          ? `${an} set key ${key} to ${fmt(xv)}, and ${bn} set it to ${fmt(yv)}, which came later in the version order`
          : x.c === NIL
            ? `${an} read key ${key} in its initial state (nil), and ${bn} set it to ${fmt(yv)}, which came later`
            : `${an} read key ${key} = ${fmt(xv)}, and ${bn} set it to ${fmt(yv)}, which came later in the version order`;
      return { type: rel === WW ? 'ww' : 'rw', key: keyValue(x.k), value: xv, nextValue: yv, aMopIndex: x.i, bMopIndex: y.i, text };
    }
    return null;
  };

  return { anomalies, edges: listSource(edges), explain };
}

function push<K>(m: Map<K, number[]>, k: K, t: number): void {
  const l = m.get(k);
  if (l) l.push(t);
  else m.set(k, [t]);
}

/** Cycles in each key's version graph, as the key id and the value codes involved. */
function versionCycles(graphs: VersionGraphs): { key: number; scc: number[] }[] {
  const out: { key: number; scc: number[] }[] = [];
  for (let k = 0; k < graphs.length; k++) {
    const g = graphs[k]!;
    if (g.size === 0) continue;
    const ids = new Map<number, number>();
    const names: number[] = [];
    const id = (c: number) => {
      let i = ids.get(c);
      if (i === undefined) {
        i = names.length;
        ids.set(c, i);
        names.push(c);
      }
      return i;
    };
    const src = new IntList();
    const dst = new IntList();
    for (const [a, bs] of g) for (const b of bs) {
      src.push(id(a));
      dst.push(id(b));
    }
    const nv = names.length;
    const start = new Int32Array(nv + 1);
    for (let e = 0; e < src.length; e++) start[src.data[e]! + 1]!++;
    for (let v = 0; v < nv; v++) start[v + 1]! += start[v]!;
    const fill = start.slice(0, nv);
    const d = new Int32Array(src.length);
    for (let e = 0; e < src.length; e++) d[fill[src.data[e]!]!++] = dst.data[e]!;
    const comps = tarjan(nv, start, d, new Uint8Array(src.length).fill(1), 1);
    const members = new Map<number, number[]>();
    for (let v = 0; v < nv; v++) {
      const c = comps.comp[v]!;
      if (comps.size[c]! < 2) continue;
      const l = members.get(c);
      if (l) l.push(names[v]!);
      else members.set(c, [names[v]!]);
    }
    for (const vs of members.values()) out.push({ key: k, scc: vs });
  }
  return out;
}

/**
 * Version edges from real-time order, key by key: a per-key transitive reduction built like the
 * real-time graph, over the transactions that interacted with the key.
 */
function realtimeVersions(
  h: TxnTable,
  touched: (t: number) => number[],
  lastOf: (t: number, k: number) => number | undefined,
  firstOf: (t: number, k: number) => number | undefined,
  link: (k: number, a: number, b: number) => void,
): void {
  const event = new Int32Array(h.hist.length).fill(-1);
  for (let t = 0; t < h.n; t++) {
    if (h.type[t] === FAIL) continue;
    if (h.invoke[t]! >= 0) event[h.invoke[t]!] = t;
    if (h.done[t] !== h.invoke[t]) event[h.done[t]!] = t;
  }
  const frontier = new Map<number, Set<number>>();
  const preds = new Map<number, Map<number, number[]>>();
  for (let i = 0; i < event.length; i++) {
    const t = event[i]!;
    if (t < 0) continue;
    if (h.invoke[t] === i) {
      const mine = new Map<number, number[]>();
      for (const k of touched(t)) {
        const f = [...(frontier.get(k) ?? [])];
        mine.set(k, f);
        const y = firstOf(t, k);
        if (y === undefined) continue;
        for (const a of f) {
          const x = lastOf(a, k);
          if (x !== undefined) link(k, x, y);
        }
      }
      preds.set(t, mine);
    } else if (h.type[t] === OK) {
      for (const [k, f] of preds.get(t) ?? []) {
        let s = frontier.get(k);
        if (!s) frontier.set(k, (s = new Set()));
        for (const a of f) s.delete(a);
        s.add(t);
      }
      preds.delete(t);
    }
  }
}
