/**
 * The analysis of a run: the checkers Maelstrom runs on every test (stats, availability,
 * exceptions, net, the workload's own), combined into `results.json` / `results.edn`. Shared by
 * `gyre test` (on the history it just recorded) and `gyre analyze` (on a stored run).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availability, exceptions, mergeValid, stats, type Validity } from '@gyre/checker';
import { prettyEdn, stringifyJson, type Op } from '@gyre/history';
import type { NetResult } from '@gyre/net';
import type { WorkloadDefinition, WorkloadOptions } from '@gyre/workloads';

/** What {@link analyzeHistory} needs. */
export interface AnalysisInput {
  workload: WorkloadDefinition;
  /** The options the run had. */
  options: WorkloadOptions;
  /** The recorded history, in order. */
  history: readonly Op[];
  /** Maelstrom's `:net` result: from the live router, or re-tallied from the journal. */
  net: () => NetResult;
  /** The run's seed, recorded in the results. */
  seed: string;
  /** Extra entries for `perf` (e.g. `generator-lag`). */
  perf?: Record<string, unknown>;
  /** Further top-level sections, each with its own `valid?` (e.g. `protocol-errors`, `stdin-drops`). */
  sections?: Record<string, Record<string, unknown>>;
  /** The run was stopped by Ctrl-C / SIGTERM. */
  interrupted?: boolean;
  /** Why the run crashed, if it did. */
  crash?: string;
  /** Lets the workload's checker write files in the run directory (`path` relative to it). */
  emit?: (path: string, content: string) => void;
}

/** The results map and its overall validity. */
export interface Analysis {
  results: Record<string, unknown>;
  valid: Validity;
}

/**
 * Runs every checker on the history. A checker that throws gives `valid?: unknown` and its error
 * in that section, never an exception.
 */
export function analyzeHistory(input: AnalysisInput): Analysis {
  const { history, options } = input;
  const results: Record<string, unknown> = {};
  const safe = (name: string, fn: () => Record<string, unknown>) => {
    try {
      results[name] = fn();
    } catch (e) {
      results[name] = { 'valid?': 'unknown', error: String((e as Error).stack ?? e) };
    }
  };
  safe('perf', () => ({ 'latency-graph': { 'valid?': true }, 'rate-graph': { 'valid?': true }, ...input.perf, 'valid?': true }));
  safe('timeline', () => ({ 'valid?': true }));
  safe('exceptions', () => exceptions(history) as unknown as Record<string, unknown>);
  safe('stats', () => stats(history) as unknown as Record<string, unknown>);
  safe('availability', () => availability(history, { availability: options.availability }) as unknown as Record<string, unknown>);
  safe('net', () => input.net() as unknown as Record<string, unknown>);
  safe('workload', () => input.workload.check(history, options, input.emit) as unknown as Record<string, unknown>);
  for (const [k, v] of Object.entries(input.sections ?? {})) results[k] = v;
  const valid = mergeValid(Object.values(results).map((r) => (r as { 'valid?'?: Validity })['valid?'] ?? true));
  results['valid?'] = valid;
  results['seed'] = input.seed;
  if (input.interrupted) results['interrupted'] = true;
  if (input.crash) results['error'] = input.crash;
  return { results, valid };
}

/** Client invocations in a history (`:invoke`s of non-nemesis processes), for `msgs-per-op`. */
export function clientInvocations(history: readonly Op[]): number {
  let n = 0;
  for (const op of history) if (op.type === 'invoke' && op.process !== 'nemesis') n++;
  return n;
}

/** Writes `results.json` and `results.edn` in `dir`. */
export function writeResults(dir: string, results: Record<string, unknown>): void {
  writeFileSync(join(dir, 'results.json'), stringifyJson(results) + '\n');
  writeFileSync(join(dir, 'results.edn'), prettyEdn(results, { keywordValue: ednKeyword }) + '\n');
}

/** `gyre test`'s exit code: 0 valid, 1 invalid, 2 unknown, 255 crashed or interrupted. */
export function exitCodeFor(valid: Validity, crashed: boolean): 0 | 1 | 2 | 255 {
  return crashed ? 255 : valid === true ? 0 : valid === false ? 1 : 2;
}

/** Which string values print as EDN keywords in results.edn. */
function ednKeyword(key: string | undefined, value: string): boolean {
  if (key === 'valid?') return value === 'unknown';
  return key === 'f' || key === 'type' || key === 'anomaly-types' || key === 'not' || key === 'also-not' || key === 'bad-error-types' || key === 'error-types';
}
