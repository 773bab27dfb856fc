/**
 * Re-analysing a stored run (`gyre analyze`, Maelstrom's `analyze`): the checkers run again on its
 * history.jsonl and network journal, and results.json / results.edn are written anew.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Validity } from '@gyre/checker';
import { formatOpEdn, type Op } from '@gyre/history';
import type { WorkloadDefinition, WorkloadOptions } from '@gyre/workloads';
import { analyzeHistory, clientInvocations, exitCodeFor, writeResults } from '../analysis';
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
 * drops, generator lag, interrupt, crash) carried over from its previous results. Rewrites
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

  // What only the live run knew (protocol errors, STDIN drops, generator lag) is carried over from it.
  const previous = readResults(dir) ?? {};
  const journal = join(dir, RUN_FILES.journal);
  const { results, valid } = analyzeHistory({
    workload,
    options,
    history,
    emit: runDirWriter(dir),
    net: () => netResultFromJournalFile(journal, clientInvocations(history)),
    seed,
    previous,
    interrupted: previous['interrupted'] === true,
    crash: typeof previous['error'] === 'string' ? previous['error'] : undefined,
  });
  writeResults(dir, results);
  o.reporter?.info(`Analysed ${history.length} history entries of ${dir}`);
  return { dir, history, results, valid, exitCode: exitCodeFor(valid, false) };
}
