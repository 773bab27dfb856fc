/**
 * Small random transactional histories for property tests (not exported from the package entry):
 * a random serial execution of a few transactions over a few keys, with invocation and
 * completion times around each transaction's place in it, then (sometimes) a read or a time
 * perturbed so that the history may no longer be serializable.
 */
import type { Op, Random } from '@gyre/history';

/** Options of {@link smallHistory}. */
export interface SmallHistoryOptions {
  workload: 'list-append' | 'rw-register';
  /** Transactions. @defaultValue 2 to 6 */
  txns?: number;
  /** Probability that a read is perturbed. @defaultValue 0.15 */
  perturb?: number;
}

type Mop = [string, unknown, unknown];

/** A random small history; see the module comment. */
export function smallHistory(rng: Random, opts: SmallHistoryOptions): Op[] {
  const list = opts.workload === 'list-append';
  const write = list ? 'append' : 'w';
  const n = opts.txns ?? 2 + rng.int(5);
  const keys = ['x', 'y', 'z'].slice(0, 1 + rng.int(3));
  const perturb = opts.perturb ?? 0.15;
  const next = new Map<string, number>();
  const written = new Map<string, unknown[]>();
  const txns: { type: 'ok' | 'info' | 'fail'; mops: Mop[]; committed: boolean }[] = [];
  for (let i = 0; i < n; i++) {
    const roll = rng.next();
    const type = roll < 0.72 ? 'ok' : roll < 0.86 ? 'info' : 'fail';
    const len = 1 + rng.int(3);
    const mops: Mop[] = [];
    for (let j = 0; j < len; j++) {
      const k = keys[rng.int(keys.length)]!;
      if (rng.next() < 0.5) mops.push(['r', k, null]);
      else {
        const v = (next.get(k) ?? 0) + 1;
        next.set(k, v);
        mops.push([write, k, v]);
        written.set(k, [...(written.get(k) ?? []), v]);
      }
    }
    txns.push({ type, mops, committed: type === 'ok' || (type === 'info' && rng.next() < 0.5) });
  }
  // A random serial order of the committed ones, executed.
  const order = txns.map((_, i) => i).filter((i) => txns[i]!.committed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const state = new Map<string, unknown>();
  const completed: Mop[][] = txns.map((t) => t.mops.map((m) => [...m] as Mop));
  for (const i of order) {
    for (const m of completed[i]!) {
      const [f, k, v] = m;
      if (f === 'r') m[2] = list ? [...((state.get(k as string) as unknown[]) ?? [])] : (state.get(k as string) ?? null);
      else if (list) state.set(k as string, [...((state.get(k as string) as unknown[]) ?? []), v]);
      else state.set(k as string, v);
    }
  }
  // Perturb some reads of ok transactions.
  for (let i = 0; i < n; i++) {
    if (txns[i]!.type !== 'ok') continue;
    for (const m of completed[i]!) {
      if (m[0] !== 'r' || rng.next() >= perturb) continue;
      const ws = written.get(m[1] as string) ?? [];
      if (list) {
        const l = m[2] as unknown[];
        const r = rng.int(5);
        if (r === 0 && l.length > 0) m[2] = l.slice(0, rng.int(l.length));
        else if (r === 1 && l.length > 1) m[2] = [...l].reverse();
        else if (r === 2) m[2] = [...l, 99];
        else if (r === 3 && ws.length > 0) m[2] = [...l, ws[rng.int(ws.length)]];
        else m[2] = ws.slice(0, rng.int(ws.length + 1));
      } else {
        const r = rng.int(4);
        m[2] = r === 0 ? null : r === 1 ? 99 : (ws[rng.int(Math.max(1, ws.length))] ?? null);
      }
    }
  }
  // Times: a committed transaction is invoked before and completes after its place in the order
  // (sometimes not, to break real-time order); the others at random.
  const place = new Map(order.map((i, p) => [i, 2 * p + 1]));
  const events: { t: number; i: number; end: boolean }[] = [];
  const span = 2 * order.length + 2;
  for (let i = 0; i < n; i++) {
    const p = place.get(i);
    let a: number;
    let b: number;
    if (p !== undefined && rng.next() < 0.85) {
      a = p - rng.next() * 2.5;
      b = p + rng.next() * 2.5;
    } else {
      a = rng.next() * span;
      b = a + rng.next() * span;
    }
    events.push({ t: a, i, end: false }, { t: b, i, end: true });
  }
  events.sort((x, y) => x.t - y.t);
  const history: Op[] = [];
  for (const ev of events) {
    const t = txns[ev.i]!;
    const invokeValue = t.mops.map((m) => (m[0] === 'r' ? ['r', m[1], null] : [...m]));
    const type = ev.end ? t.type : 'invoke';
    const value = type === 'ok' ? completed[ev.i]! : invokeValue;
    history.push({ index: history.length, time: history.length * 1000, type, process: ev.i, f: 'txn', value });
  }
  return history;
}
