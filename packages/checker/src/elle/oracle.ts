/**
 * A brute-force oracle for tests (not exported from the package entry): does some serial order of
 * the transactions explain the history? It tries every order (depth first, pruned as soon as a
 * read disagrees, and remembering (placed set, state) pairs already explored), so it is exact and
 * only fit for histories of a handful of transactions.
 *
 * Semantics: `ok` transactions committed and must all be placed; `fail` ones never took effect;
 * `info` ones (and invocations never completed) may be placed or left out. A placed transaction
 * runs its micro-ops in order against the state, and every read it made must return what that
 * state holds: list-append lists start empty (an ok read of `null` is the empty list), registers
 * start `null`. A read of `null` by an `info` transaction is unknown. With `realtime`, an ok
 * transaction that completed before another was invoked must come before it.
 */
import type { Op } from '@gyre/history';
import { valueKey, valuesEqual } from '@gyre/history';

/** Options of {@link serialOrderExists}. */
export interface OracleOptions {
  workload: 'list-append' | 'rw-register';
  /** Respect real-time order (strict serializability). @defaultValue false */
  realtime?: boolean;
}

interface Txn {
  type: 'ok' | 'info' | 'fail';
  mops: unknown[][];
  invoke: number;
  done: number;
}

/** The transactions of a history, invocations paired with completions by process. */
function txns(history: readonly Op[]): Txn[] {
  const open = new Map<unknown, number>();
  const out: Txn[] = [];
  history.forEach((op, i) => {
    if (op.type === 'invoke') {
      open.set(op.process, i);
      return;
    }
    const inv = open.get(op.process);
    open.delete(op.process);
    const value = Array.isArray(op.value) ? op.value : inv !== undefined ? history[inv]!.value : null;
    if (!Array.isArray(value)) return;
    out.push({ type: op.type as Txn['type'], mops: value as unknown[][], invoke: inv ?? i, done: i });
  });
  for (const i of open.values()) {
    const value = history[i]!.value;
    if (Array.isArray(value)) out.push({ type: 'info', mops: value as unknown[][], invoke: i, done: Infinity });
  }
  return out;
}

/** True when some serial order of the committed transactions explains every read. */
export function serialOrderExists(history: readonly Op[], opts: OracleOptions): boolean {
  const all = txns(history).filter((t) => t.type !== 'fail');
  const n = all.length;
  if (n > 30) throw new Error('the oracle is exponential: at most 30 transactions');
  const list = opts.workload === 'list-append';
  // Real-time predecessors that must be placed first: ok transactions completed before t was invoked.
  const preds = all.map((t) => {
    let m = 0;
    if (opts.realtime) all.forEach((p, j) => {
      if (p.type === 'ok' && p.done < t.invoke) m |= 1 << j;
    });
    return m;
  });
  let okMask = 0;
  all.forEach((t, j) => {
    if (t.type === 'ok') okMask |= 1 << j;
  });
  const seen = new Set<string>();

  /** Runs t on the state; the new state, or null when one of its reads disagrees. */
  const run = (t: Txn, state: Map<string, unknown>): Map<string, unknown> | null => {
    const s = new Map(state);
    for (const [f, k, v] of t.mops) {
      const key = valueKey(k);
      const cur = s.get(key);
      if (f === 'r') {
        if (v === null || v === undefined) {
          if (t.type === 'info') continue;
          if (list ? cur !== undefined && (cur as unknown[]).length > 0 : cur !== undefined && cur !== null) return null;
          continue;
        }
        if (!valuesEqual(list ? (cur ?? []) : (cur ?? null), v)) return null;
      } else if (list) s.set(key, [...((cur as unknown[] | undefined) ?? []), v]);
      else s.set(key, v);
    }
    return s;
  };

  const search = (placed: number, state: Map<string, unknown>): boolean => {
    if ((placed & okMask) === okMask) return true;
    const id = placed + '|' + valueKey([...state].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    if (seen.has(id)) return false;
    seen.add(id);
    for (let j = 0; j < n; j++) {
      if (placed & (1 << j) || (preds[j]! & placed) !== preds[j]) continue;
      const next = run(all[j]!, state);
      if (next && search(placed | (1 << j), next)) return true;
    }
    return false;
  };
  return search(0, new Map());
}
