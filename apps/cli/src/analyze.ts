/**
 * `gyre analyze`: re-runs the checkers on a stored run (Maelstrom's `analyze`). It rebuilds the
 * test from the run's test.json (re-parsing the recorded `gyre test` arguments), reads
 * history.jsonl and the network journal, and writes results.json / results.edn anew.
 */
import { resolve } from 'node:path';
import { analyzeRun, findRun, RunReadError, type TestRecord } from '@gyre/runner/store';
import { OptionError, parseCommand, readOptionFile, usageError, type CommandSpec } from './args';
import type { Io } from './io';
import { parseTestArgs, storeRow, workloadOptions } from './options';
import { outcomeLine } from './outcome';
import { showRun } from './summary';
import { loadWorkload } from './workloads';

/** The options of `gyre analyze`. */
interface AnalyzeOptions {
  test: string;
  store: string;
}

/** `gyre analyze`'s table. */
export const ANALYZE_SPEC: CommandSpec<AnalyzeOptions> = {
  command: 'gyre analyze',
  usage: 'Usage: gyre analyze [-t/--test INDEX_OR_PATH] [--store DIR]\n\nRe-runs the checkers on a stored run and rewrites its results.json and results.edn.',
  sections: [
    {
      title: 'Options',
      rows: [
        {
          long: 'test',
          short: 't',
          arg: 'INDEX_OR_PATH',
          def: '-1',
          desc: "Which run: an index into the store's runs in time order (0 is the oldest, -1 the latest, -2 the one before), or a run directory.",
          set: (d, v) => (d.test = v),
        },
        storeRow((d, v) => (d.store = v)),
      ],
    },
  ],
  footer: 'Exit codes: 0 valid, 1 invalid, 2 unknown, 254 bad options or no such run.',
  draft: () => ({}) as AnalyzeOptions,
};

/** Runs `gyre analyze` and returns the exit code. */
export async function analyzeCommand(argv: readonly string[], io: Io): Promise<number> {
  const o = parseCommand(ANALYZE_SPEC, argv, io);
  if (typeof o === 'number') return o;
  let dir: string;
  try {
    dir = await findRun(resolve(io.cwd, o.store), o.test, io.cwd);
  } catch (e) {
    if (!(e instanceof RunReadError)) throw e;
    return usageError(io, ANALYZE_SPEC.command, `--test ${o.test}: ${e.message}`);
  }
  try {
    const r = await analyzeRun(dir, {
      load: (args, t) => loadRecordedTest(dir, args, t, io),
      reporter: { info: (m) => io.err(`INFO  ${m}\n`), warn: (m) => io.err(`WARN  ${m}\n`) },
    });
    await showRun(io, dir, r);
    io.out('\n' + outcomeLine(r.valid) + '\n');
    return r.exitCode;
  } catch (e) {
    if (!(e instanceof RunReadError)) throw e;
    io.err(`${e.message}\n`);
    return 254;
  }
}

/** The workload and options of a stored run, from its recorded `gyre test` arguments. */
async function loadRecordedTest(dir: string, args: readonly string[], test: TestRecord, io: Io) {
  let parsed;
  try {
    parsed = parseTestArgs(args, (p) => readOptionFile('--nodes-file', resolve(io.cwd, p)));
  } catch (e) {
    if (!(e instanceof OptionError)) throw e;
    throw new RunReadError(`The recorded arguments of ${dir} no longer parse: ${e.message}`);
  }
  const o = parsed.options;
  if (Array.isArray(test['nodes'])) o.nodes = test['nodes'] as string[];
  try {
    return { workload: await loadWorkload(o.workload, io.cwd), options: workloadOptions(o) };
  } catch (e) {
    throw new RunReadError((e as Error).message);
  }
}
