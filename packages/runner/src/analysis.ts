/**
 * The analysis at the end of a run: every checker on the recorded history, merged into the
 * results map of results.json / results.edn.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { availability, exceptions, mergeValid, stats, type Validity } from '@gyre/checker';
import { prettyEdn, stringifyJson, type Op } from '@gyre/history';
import type { Router } from '@gyre/net';
import type { WorkloadDefinition, WorkloadOptions } from '@gyre/workloads';

/** What {@link analyze} looks at. */
export interface AnalysisInput {
  history: readonly Op[];
  workload: WorkloadDefinition;
  options: WorkloadOptions;
  /** The run's network, for the `net` result. */
  router: Pick<Router, 'netResult'>;
  /** Client invocations recorded. */
  invocations: number;
  /** Bad lines from nodes, counted by kind. */
  protocolErrors: ReadonlyMap<string, number>;
  seed: string;
  interrupted?: boolean;
  /** Why the run crashed, if it did. */
  crash?: string | undefined;
  /** Where the workload's checker writes extra files (paths relative to the run directory); none are written without it. */
  writeFile?: (path: string, content: string) => void;
}

/** Runs the checkers; a checker that throws gives `valid? unknown` with the error, never an exception. */
export function analyze(a: AnalysisInput): { valid: Validity; results: Record<string, unknown> } {
  const results: Record<string, unknown> = {};
  const safe = (name: string, fn: () => Record<string, unknown>) => {
    try {
      results[name] = fn();
    } catch (e) {
      results[name] = { 'valid?': 'unknown', error: String((e as Error).stack ?? e) };
    }
  };
  const { history, options: opts } = a;
  safe('perf', () => ({ 'latency-graph': { 'valid?': true }, 'rate-graph': { 'valid?': true }, 'valid?': true }));
  safe('timeline', () => ({ 'valid?': true }));
  safe('exceptions', () => exceptions(history) as unknown as Record<string, unknown>);
  safe('stats', () => stats(history) as unknown as Record<string, unknown>);
  safe('availability', () => availability(history, { availability: opts.availability }) as unknown as Record<string, unknown>);
  safe('net', () => a.router.netResult(a.invocations) as unknown as Record<string, unknown>);
  safe('workload', () => a.workload.check(history, opts, a.writeFile) as unknown as Record<string, unknown>);
  if (a.protocolErrors.size) {
    results['protocol-errors'] = { 'valid?': true, count: [...a.protocolErrors.values()].reduce((x, y) => x + y, 0), 'by-kind': Object.fromEntries(a.protocolErrors) };
  }
  const valid = mergeValid(Object.values(results).map((r) => (r as { 'valid?': Validity })['valid?'] ?? true));
  results['valid?'] = valid;
  results['seed'] = a.seed;
  if (a.interrupted) results['interrupted'] = true;
  if (a.crash) results['error'] = a.crash;
  return { valid, results };
}

/** A `writeFile` for {@link analyze} that writes under `dir` and refuses paths that leave it. */
export function runDirWriter(dir: string): (path: string, content: string) => void {
  return (path, content) => {
    const full = join(dir, path);
    if (!full.startsWith(dir + sep)) throw new Error(`workload tried to write outside the run directory: ${path}`);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  };
}

/** Writes results.json and results.edn into `dir`. */
export function writeResults(dir: string, results: Record<string, unknown>): void {
  writeFileSync(join(dir, 'results.json'), stringifyJson(results) + '\n');
  writeFileSync(join(dir, 'results.edn'), prettyEdn(results, { keywordValue: ednKeyword }) + '\n');
}

/** Which string values print as EDN keywords in results.edn. */
export function ednKeyword(key: string | undefined, value: string): boolean {
  if (key === 'valid?') return value === 'unknown';
  return key === 'f' || key === 'type' || key === 'anomaly-types' || key === 'not' || key === 'also-not' || key === 'bad-error-types' || key === 'error-types';
}
