/**
 * What the list-append and rw-register checkers share: options, which graphs to build, the cycle
 * search over the dependency graph, and Elle's result map.
 */
import type { CheckResult, Validity } from '../validity';
import { buildGraph, type EdgeSource } from './graph';
import { CYCLE_EXISTS_TYPES, searchCycles } from './cycles';
import { explainCycle, type PairExplainer } from './explain';
import {
  UNKNOWN_ANOMALY_TYPES,
  anomaliesImplying,
  anomaliesProhibitedBy,
  canonicalModelName,
  impossibleModels,
  modelBoundary,
  CONSISTENCY_MODEL_NAMES,
} from './models';
import { processSource, realtimeSource, type TxnTable } from './txn';
import { type Alloc, HEAP } from './values';

/** Options shared by the Elle-style checkers. */
export interface ElleOptions {
  /**
   * The consistency models the history must satisfy; any anomaly one of them forbids makes the
   * result invalid. Friendly names (`serializable`) or Adya's (`PL-3`).
   * @defaultValue `['strict-serializable']`
   */
  consistencyModels?: readonly string[];
  /**
   * Further anomaly types that must not occur (and everything implying them).
   * @defaultValue `[]`
   */
  anomalies?: readonly string[];
  /**
   * Milliseconds of cycle search per strongly connected component; when spent, the component
   * reports `cycle-search-timeout` (making the result `'unknown'` unless it is already invalid).
   * @defaultValue 1000
   */
  cycleSearchTimeout?: number;
  /**
   * The clock for that budget, in milliseconds.
   * @defaultValue `globalThis.performance.now`
   */
  now?: () => number;
}

/** Why a history could not be checked at all (malformed input); the result is then `'unknown'`. */
export interface ElleError {
  /** `unexpected-txn-micro-op-types`, `duplicate-appends`, `duplicate-writes`, `nil-write` (rw-register), `unknown-consistency-model`. */
  type: string;
  message: string;
  [detail: string]: unknown;
}

/**
 * An Elle-style result. `{ valid: true }` alone when nothing reportable was found; otherwise the
 * anomaly types found (sorted), example cases per type, and the consistency models the anomalies
 * rule out: `not` the weakest, `alsoNot` the stronger ones.
 */
export interface ElleResult extends CheckResult {
  /** false iff an anomaly forbidden by the requested models was found; 'unknown' if only `cycle-search-timeout` / `empty-transaction-graph` were, or the input was malformed. */
  valid: Validity;
  anomalyTypes?: string[];
  anomalies?: Record<string, unknown[]>;
  not?: string[];
  alsoNot?: string[];
  error?: ElleError;
}

/** Options with defaults filled in and the sets derived from them. */
export interface Resolved {
  models: string[];
  prohibited: Set<string>;
  reportable: Set<string>;
  graph: 'realtime' | 'process' | 'none';
  timeout: number;
  now: () => number;
}

/** Resolves options; an error result for unknown model names. */
export function resolveOptions(opts: ElleOptions): Resolved | ElleResult {
  const requested = opts.consistencyModels ?? ['strict-serializable'];
  const models: string[] = [];
  const unknown: string[] = [];
  for (const m of requested) {
    const c = canonicalModelName(m);
    if (c === undefined) unknown.push(m);
    else models.push(c);
  }
  if (unknown.length > 0) {
    return {
      valid: 'unknown',
      error: {
        type: 'unknown-consistency-model',
        message: `unknown consistency model ${unknown.map((u) => JSON.stringify(u)).join(', ')}; valid models are: ${CONSISTENCY_MODEL_NAMES.join(', ')}`,
        models: unknown,
      },
    };
  }
  const prohibited = anomaliesProhibitedBy(models);
  for (const a of anomaliesImplying(opts.anomalies ?? [])) prohibited.add(a);
  const reportable = new Set([...prohibited, ...UNKNOWN_ANOMALY_TYPES]);
  let graph: Resolved['graph'] = 'none';
  for (const t of reportable) {
    if (t.endsWith('-realtime')) graph = 'realtime';
    else if (t.endsWith('-process') && graph === 'none') graph = 'process';
  }
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  const now = opts.now ?? (perf ? () => perf.now() : () => 0);
  return { models, prohibited, reportable, graph, timeout: opts.cycleSearchTimeout ?? 1000, now };
}

/** What a workload's analysis hands to {@link finish}. */
export interface Analysis {
  /** Non-cycle anomalies found so far, by type. */
  anomalies: Map<string, unknown[]>;
  /** Data edges (ww, wr, rw) between transactions. */
  edges: EdgeSource;
  /** Explains a data edge of a cycle. */
  explain: PairExplainer;
}

/** Adds real-time or process edges as the models need, searches cycles, and builds the result. */
export function finish(h: TxnTable, analysis: Analysis, r: Resolved, alloc: Alloc = HEAP, order?: EdgeSource): ElleResult {
  const { anomalies } = analysis;
  const sources = [analysis.edges];
  if (order) sources.push(order);
  else if (r.graph === 'realtime') sources.push(realtimeSource(h, alloc));
  else if (r.graph === 'process') sources.push(processSource(h));
  // Room for the data edges (about one per micro-op, rarely more than two) and for 16 real-time or
  // process edges per transaction; asked of the arena, so what is not used costs nothing.
  const graph = buildGraph(h.n, sources, alloc, 2 * h.mops + 1024, 16 * h.n + 1024);
  if (graph.src.length === 0) anomalies.set('empty-transaction-graph', [{ message: 'no dependencies between any two transactions' }]);
  const sccs = searchCycles(graph, { timeout: r.timeout, now: r.now }, alloc);
  const add = (type: string, c: unknown) => {
    let l = anomalies.get(type);
    if (!l) anomalies.set(type, (l = []));
    l.push(c);
  };
  const indexOf = (t: number) => h.hist.index[h.done[t]!]!;
  for (const s of sccs) {
    for (const c of s.exists) add(c.type, { ...c, scc: c.scc.map(indexOf).sort((a, b) => a - b) });
    if (s.timeout) add('cycle-search-timeout', s.timeout);
    for (const c of s.cycles) add(c.type, explainCycle(h, c, analysis.explain));
  }
  return resultMap(anomalies, r);
}

/** Elle's result map: verdict, reportable anomalies, and the model boundary of all anomalies found. */
function resultMap(anomalies: Map<string, unknown[]>, r: Resolved): ElleResult {
  const all = [...anomalies.keys()];
  const bad = all.some((t) => r.prohibited.has(t));
  let reportable = all.filter((t) => r.reportable.has(t));
  const ruledOut = impossibleModels(reportable.filter((t) => !CYCLE_EXISTS_TYPES.has(t)));
  reportable = reportable.filter((t) => !ruledOut.has(CYCLE_EXISTS_TYPES.get(t) ?? ''));
  if (reportable.length === 0) return { valid: true };
  reportable.sort();
  const out: Record<string, unknown[]> = {};
  for (const t of reportable) out[t] = anomalies.get(t)!;
  return { valid: bad ? false : 'unknown', anomalyTypes: reportable, anomalies: out, ...modelBoundary(all) };
}

/**
 * Maelstrom's post-processing of the txn-rw-register result: `cycle-search-timeout` is dropped,
 * and the result is valid iff no other anomaly type remains (so an `empty-transaction-graph`
 * makes it invalid, and the result is never `'unknown'`). `not` / `alsoNot` are kept.
 */
export function maelstromRwRegisterResult(result: ElleResult): ElleResult {
  if (result.error) return result;
  const types = (result.anomalyTypes ?? []).filter((t) => t !== 'cycle-search-timeout');
  if (types.length === 0) {
    const { anomalies, anomalyTypes, ...rest } = result;
    void anomalies;
    void anomalyTypes;
    return { ...rest, valid: true };
  }
  const anomalies: Record<string, unknown[]> = {};
  for (const t of types) anomalies[t] = result.anomalies![t]!;
  return { ...result, valid: false, anomalyTypes: types, anomalies };
}
