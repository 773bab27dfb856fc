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
import { type Analysis, type ElleOptions, type ElleResult, finish, resolveOptions } from './core';
import { type CycleStep, fmt } from './explain';
import { EdgeList, RW, WR, WW, listSource, tarjan } from './graph';
import { type Canon, IntList, Interner, canon } from './values';
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

/** The canonical form standing for the initial `null` state. */
const NIL: Canon = '\u0000nil';

/** An external read (first read of a key, before any write of it) or external (final) write. */
interface Ext {
  k: number;
  c: Canon;
  v: unknown;
  i: number;
}

/**
 * Checks an rw-register history (Elle's `elle.rw-register/check`): G1a, G1b, internal,
 * lost-update, cyclic-versions and dependency cycles.
 */
export function checkRwRegister(history: readonly Op[], opts: RwRegisterOptions = {}): ElleResult {
  const r = resolveOptions(opts);
  if ('valid' in r) return r;
  const h = txnTable(history);
  const a = analyze(h, opts);
  if ('error' in a) return { valid: 'unknown', error: a.error };
  return finish(h, a, r);
}

function analyze(h: TxnTable, opts: RwRegisterOptions): Analysis | { error: { type: string; message: string; [k: string]: unknown } } {
  const { n, type, history } = h;
  const keys = new Interner();
  const extR: Ext[][] = new Array(n);
  const extW: Ext[][] = new Array(n);
  const anomalies = new Map<string, unknown[]>();
  const add = (t: string, c: unknown) => {
    let l = anomalies.get(t);
    if (!l) anomalies.set(t, (l = []));
    l.push(c);
  };
  const failed = new Map<string, number>();
  const intermediate = new Map<string, number>();
  const kv = (k: number, c: Canon) => k + (typeof c === 'number' ? '#' : '$') + c;

  for (let t = 0; t < n; t++) {
    const op = history[h.at[t]!]!;
    const mops = op.value as readonly unknown[];
    const reads: Ext[] = [];
    const writes = new Map<number, Ext>();
    const readKeys = new Set<number>();
    const state = new Map<number, { c: Canon; v: unknown }>();
    let internalSeen = false;
    for (let i = 0; i < mops.length; i++) {
      const mop = mops[i];
      if (!Array.isArray(mop) || mop.length < 3 || (mop[0] !== 'w' && mop[0] !== 'r')) {
        return { error: { type: 'unexpected-txn-micro-op-types', message: 'history contained micro-ops other than writes or reads', op, mop } };
      }
      const k = keys.id(mop[1]);
      const v = mop[2];
      const c = v === null || v === undefined ? NIL : canon(v);
      if (mop[0] === 'w') {
        const prev = writes.get(k);
        if (prev) intermediate.set(kv(k, prev.c), t);
        writes.set(k, { k, c, v, i });
        if (type[t] === FAIL) failed.set(kv(k, c), t);
        state.set(k, { c, v: v ?? null });
      } else {
        if (!writes.has(k) && !readKeys.has(k)) {
          readKeys.add(k);
          reads.push({ k, c, v, i });
        }
        if (type[t] === OK) {
          const s = state.get(k);
          if (s !== undefined && s.c !== c && !internalSeen) {
            internalSeen = true;
            add('internal', { op, mop, expected: s.v });
          }
          state.set(k, { c, v: v ?? null });
        }
      }
    }
    extR[t] = type[t] === OK ? reads : [];
    extW[t] = type[t] === FAIL ? [] : [...writes.values()];
  }

  // G1a, G1b (ok reads of failed or intermediate writes) and lost updates.
  const lost = new Map<string, { key: unknown; value: unknown; ts: number[] }>();
  for (let t = 0; t < n; t++) {
    if (type[t] !== OK) continue;
    const op = history[h.at[t]!]!;
    const mops = op.value as readonly unknown[][];
    const firstRead = new Map<number, Ext>();
    const wrote = new Set<number>();
    for (let i = 0; i < mops.length; i++) {
      const mop = mops[i]!;
      const k = keys.find(mop[1]);
      const c = mop[2] === null || mop[2] === undefined ? NIL : canon(mop[2]);
      if (mop[0] === 'r') {
        const f = failed.get(kv(k, c));
        if (f !== undefined) add('G1a', { op: opOf(h, t), mop, writer: opOf(h, f) });
        const w = intermediate.get(kv(k, c));
        if (w !== undefined && w !== t) add('G1b', { op: opOf(h, t), mop, writer: opOf(h, w) });
        if (!firstRead.has(k) && !wrote.has(k)) firstRead.set(k, { k, c, v: mop[2], i });
      } else if (!wrote.has(k)) {
        wrote.add(k);
        const r = firstRead.get(k);
        if (r) {
          const g = kv(k, r.c);
          const l = lost.get(g);
          if (l) l.ts.push(t);
          else lost.set(g, { key: mop[1], value: r.v ?? null, ts: [t] });
        }
      }
    }
  }
  for (const l of lost.values()) {
    if (l.ts.length > 1) add('lost-update', { key: l.key, value: l.value, txns: l.ts.map((t) => opOf(h, t)) });
  }

  // Indices of external reads and writes by committed transactions.
  const writersOf = new Map<string, number[]>();
  const readersOf = new Map<string, number[]>();
  for (let t = 0; t < n; t++) {
    if (type[t] !== OK) continue;
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
            message: `key ${fmt(keys.values[r.k])} had value ${fmt(r.v)} written by more than one transaction`,
            key: keys.values[r.k],
            value: r.v,
            ops: ws.map((w) => opOf(h, w)),
          },
        };
      }
      edges.add(ws[0]!, t, WR);
    }
  }

  // Version graphs, one source at a time.
  const nk = keys.size;
  const graphs: Map<Canon, Set<Canon>>[] = Array.from({ length: nk }, () => new Map());
  const sources: string[] = [];
  const link = (gs: Map<Canon, Set<Canon>>[], k: number, a: Canon, b: Canon) => {
    if (a === b) return;
    const g = gs[k]!;
    let s = g.get(a);
    if (!s) g.set(a, (s = new Set()));
    s.add(b);
  };
  const trySource = (name: string, fill: (gs: Map<Canon, Set<Canon>>[]) => void) => {
    const next = graphs.map((g) => new Map([...g].map(([a, s]) => [a, new Set(s)])));
    fill(next);
    const cycles = versionCycles(next, keys.values);
    if (cycles.length > 0) {
      for (const c of cycles) add('cyclic-versions', { ...c, sources: [...sources, name] });
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
  const lastOf = (t: number, k: number): Canon | undefined =>
    extW[t]!.find((w) => w.k === k)?.c ?? (type[t] === OK ? extR[t]!.find((r) => r.k === k)?.c : undefined);
  const firstOf = (t: number, k: number): Canon | undefined =>
    (type[t] === OK ? extR[t]!.find((r) => r.k === k)?.c : undefined) ?? extW[t]!.find((w) => w.k === k)?.c;
  const touched = (t: number): number[] => [...new Set([...extW[t]!.map((w) => w.k), ...extR[t]!.map((r) => r.k)])];
  if (opts.sequentialKeys) {
    trySource('sequential-keys', (gs) => {
      const last = new Map<string, number>();
      for (let t = 0; t < n; t++) {
        if (type[t] === FAIL) continue;
        const p = history[h.done[t]!]!.process;
        if (p === undefined || p === null) continue;
        for (const k of touched(t)) {
          const id = String(p) + '/' + k;
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
            key: keys.values[r.k],
            value: r.v,
            aMopIndex: w.i,
            bMopIndex: r.i,
            text: `${bn} read key ${fmt(keys.values[r.k])} = ${fmt(r.v)}, which ${an} wrote`,
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
      const key = fmt(keys.values[x.k]);
      const text =
        rel === WW
          ? `${an} set key ${key} to ${fmt(x.v)}, and ${bn} set it to ${fmt(y.v)}, which came later in the version order`
          : x.c === NIL
            ? `${an} read key ${key} in its initial state (nil), and ${bn} set it to ${fmt(y.v)}, which came later`
            : `${an} read key ${key} = ${fmt(x.v)}, and ${bn} set it to ${fmt(y.v)}, which came later in the version order`;
      return { type: rel === WW ? 'ww' : 'rw', key: keys.values[x.k], value: x.v ?? null, nextValue: y.v, aMopIndex: x.i, bMopIndex: y.i, text };
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

/** Cycles in each key's version graph, as `{ key, scc }` with the values involved. */
function versionCycles(graphs: Map<Canon, Set<Canon>>[], keyValues: unknown[]): { key: unknown; scc: unknown[] }[] {
  const out: { key: unknown; scc: unknown[] }[] = [];
  for (let k = 0; k < graphs.length; k++) {
    const g = graphs[k]!;
    if (g.size === 0) continue;
    const ids = new Map<Canon, number>();
    const names: Canon[] = [];
    const id = (c: Canon) => {
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
    const members = new Map<number, Canon[]>();
    for (let v = 0; v < nv; v++) {
      const c = comps.comp[v]!;
      if (comps.size[c]! < 2) continue;
      const l = members.get(c);
      if (l) l.push(names[v]!);
      else members.set(c, [names[v]!]);
    }
    for (const vs of members.values()) out.push({ key: keyValues[k], scc: vs.map(decanon) });
  }
  return out;
}

/** Back from a canonical value to a plain one, for reports. */
function decanon(c: Canon): unknown {
  if (c === NIL) return null;
  if (typeof c === 'number') return c;
  if (c.startsWith('\u0000\u0000')) return c.slice(2);
  if (c.startsWith('\u0000')) return c.slice(1);
  return c;
}

/**
 * Version edges from real-time order, key by key: a per-key transitive reduction built like the
 * real-time graph, over the transactions that interacted with the key.
 */
function realtimeVersions(
  h: TxnTable,
  touched: (t: number) => number[],
  lastOf: (t: number, k: number) => Canon | undefined,
  firstOf: (t: number, k: number) => Canon | undefined,
  link: (k: number, a: Canon, b: Canon) => void,
): void {
  const event = new Int32Array(h.history.length).fill(-1);
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
