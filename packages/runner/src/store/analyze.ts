/**
 * Re-analysing a stored run (`gyre analyze`, Maelstrom's `analyze`): the checkers run again on its
 * history.jsonl and network journal, and results.json / results.edn are written anew.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Validity } from '@gyre/checker';
import { formatOpEdn, type Op } from '@gyre/history';
import type { WorkloadDefinition, WorkloadOptions } from '@gyre/workloads';
import { analyzeHistory, clientInvocations, exitCodeFor, writeResults, type CrashReport, type PhaseState, type RunPhases } from '../analysis';
import { RUN_FILES } from './layout';
import { netResultFromJournalFile, readHistory, readResults, readTest, RunReadError, type TestRecord } from './read';
import { runDirWriter } from './write';

/** What {@link analyzeRun} needs besides the run. */
export interface AnalyzeRunOptions {
  /**
   * Rebuilds the workload and its options from the run's recorded `gyre test` arguments (those
   * after `test`) and its test.json: the command line's parser knows them. Throw a
   * {@link RunReadError} saying why when they no longer make a test.
   */
  load(args: readonly string[], test: TestRecord): Promise<{ workload: WorkloadDefinition; options: WorkloadOptions }>;
  /** Told what was repaired and done. @defaultValue silent */
  reporter?: { info(message: string): void; warn(message: string): void };
}

/** A run analysed again. */
export interface AnalyzedRun {
  dir: string;
  /** The history the checkers saw (an invocation with no completion gets an `info` one at the end). */
  history: Op[];
  /** The new results, as written to results.json. */
  results: Record<string, unknown>;
  valid: Validity;
  /** 0 valid, 1 invalid, 2 unknown. */
  exitCode: 0 | 1 | 2 | 255;
}

/**
 * Re-analyses the `gyre test` run in `dir`: its history (a partial last line dropped), the
 * `:net` result re-tallied from its journal, what only the live run knew (protocol errors, STDIN
 * drops, late replies, generator lag, phases, interrupt, crash) carried over from its previous
 * results. A run with no results (gyre was killed) is marked `incomplete`, and its invocations
 * that never completed count as indeterminate (`info`). Rewrites
 * history.edn when it does not match history.jsonl (a run killed outright has none). Throws
 * {@link RunReadError} when the run cannot be read.
 */
export async function analyzeRun(dir: string, o: AnalyzeRunOptions): Promise<AnalyzedRun> {
  const test = readTest(dir);
  const argv = test['argv'];
  if (!Array.isArray(argv) || argv[0] !== 'test' || !argv.every((a) => typeof a === 'string')) {
    throw new RunReadError(`${dir} was not started with \`gyre test\` (test.json has no test arguments); only such runs can be analysed.`);
  }
  const loaded = await o.load(argv.slice(1) as string[], test);
  const workload = loaded.workload;
  const seed = typeof test['seed'] === 'string' ? test['seed'] : String(test['seed'] ?? loaded.options.seed ?? '');
  const options = { ...loaded.options, seed };
  const { history, partialLine } = readHistory(dir);
  if (partialLine) o.reporter?.warn('history.jsonl ends in an incomplete line; it is ignored.');

  const ednPath = join(dir, RUN_FILES.historyEdn);
  const ednLines = existsSync(ednPath) ? readFileSync(ednPath, 'utf8').split('\n').length - 1 : 0;
  if (ednLines !== history.length) {
    writeFileSync(ednPath, history.map((op) => formatOpEdn(op, workload.valueToEdn) + '\n').join(''));
    o.reporter?.info('Rewrote history.edn from history.jsonl');
  }

  // What only the live run knew (protocol errors, STDIN drops, generator lag, its phases, a crash) is carried over from it.
  const found = readResults(dir);
  const previous = found ?? {};
  const phases = phasesOf(found, history, workload);
  if (!found) o.reporter?.warn(`${dir} has no results: ${NEVER_FINISHED}. Checking what is on disk.`);
  const crash = crashOf(previous);
  const journal = join(dir, RUN_FILES.journal);
  const analysed = analyzeHistory({
    workload,
    options,
    history,
    emit: runDirWriter(dir),
    net: () => netResultFromJournalFile(journal, clientInvocations(history)),
    seed,
    previous,
    ...(phases ? { phases } : {}),
    interrupted: previous['interrupted'] === true,
    ...(!found || previous['incomplete'] !== undefined ? { incomplete: NEVER_FINISHED } : {}),
    ...(crash ? { crash } : {}),
  });
  writeResults(dir, analysed.results, workload.valueToEdn);
  o.reporter?.info(`Analysed ${history.length} history entries of ${dir}`);
  return { dir, history: [...analysed.history], results: analysed.results, valid: analysed.valid, exitCode: exitCodeFor(analysed.valid, false) };
}

/** Why a run has no results of its own. */
const NEVER_FINISHED = 'the run never finished (gyre was killed, or stopped by a full disk, before it wrote its results)';

/**
 * How far the run's live phases got: as its results recorded them; for a run that never wrote
 * results, what its history shows (its nodes were initialised when any operation ran; whether the
 * main and final phases ran to their end is unknown). Undefined (every phase ran to its end) for
 * results written before phases were recorded, unless the run was interrupted or crashed.
 */
function phasesOf(previous: Record<string, unknown> | undefined, history: readonly Op[], workload: WorkloadDefinition): RunPhases | undefined {
  const recorded = previous?.['phases'];
  if (recorded !== null && typeof recorded === 'object' && !Array.isArray(recorded)) return recorded as RunPhases;
  if (previous && previous['interrupted'] !== true && previous['error'] === undefined) return undefined;
  const began = history.some((op) => op.type === 'invoke' && typeof op.process === 'number');
  const before: PhaseState = began ? 'completed' : 'unknown';
  return { start: before, init: before, main: 'unknown', ...(workload.final ? { final: 'unknown' as const } : {}) };
}

/** The crash an earlier analysis recorded: under `crash`, or (results written before it existed) as the text of `error`. */
function crashOf(previous: Record<string, unknown>): CrashReport | undefined {
  const c = previous['crash'];
  if (c !== null && typeof c === 'object' && !Array.isArray(c) && typeof (c as CrashReport).message === 'string') return c as CrashReport;
  const e = previous['error'];
  if (typeof e !== 'string') return undefined;
  return { by: /^Gyre (broke|crashed)/.test(e) ? 'gyre' : 'node', how: e.split('\n')[0]!, message: e };
}
