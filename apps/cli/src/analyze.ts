/**
 * `gyre analyze`: re-runs the checkers on a stored run (Maelstrom's `analyze`). It rebuilds the
 * test from the run's test.json (re-parsing the recorded `gyre test` arguments), reads
 * history.jsonl and the network journal, and writes results.json / results.edn anew.
 */
import { resolve } from 'node:path';
import { formatSummary } from '@gyre/report';
import { analyzeRun, findRun, RunReadError, type TestRecord } from '@gyre/runner/store';
import { readOptionFile, type Io } from './cli';
import { OptionError, parseTestArgs, workloadOptions } from './options';
import { writeRunReport } from './report';
import { outcomeLine, reliabilitySummary } from './summary';
import { loadWorkload } from './workloads';

const HELP = `Usage: gyre analyze [-t/--test INDEX_OR_PATH] [--store DIR]

Re-runs the checkers on a stored run and rewrites its results.json and results.edn.

  -t, --test INDEX_OR_PATH   Which run: an index into the store's runs in time order (0 is the
                             oldest, -1 the latest, -2 the one before), or a run directory.
                             [default: -1]
      --store DIR            The store. [default: store]

Exit codes: 0 valid, 1 invalid, 2 unknown, 254 bad options or no such run.`;

/** Runs `gyre analyze` and returns the exit code. */
export async function analyzeCommand(argv: readonly string[], io: Io): Promise<number> {
  let test = '-1';
  let store = 'store';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    if (name === '-h' || name === '--help') {
      io.out(HELP + '\n');
      return 0;
    }
    if (name === '-t' || name === '--test' || name === '--store') {
      const v = inline ?? argv[++i];
      if (v === undefined) return usage(io, `Missing argument for "${name}"`);
      if (name === '--store') store = v;
      else test = v;
      continue;
    }
    return usage(io, `Unknown option: ${JSON.stringify(a)}`);
  }
  let dir: string;
  try {
    dir = await findRun(resolve(io.cwd, store), test, io.cwd);
  } catch (e) {
    if (!(e instanceof RunReadError)) throw e;
    return usage(io, e.message);
  }
  try {
    const r = await analyzeRun(dir, {
      load: (args, t) => loadRecordedTest(dir, args, t, io),
      reporter: { info: (m) => io.err(`INFO  ${m}\n`), warn: (m) => io.err(`WARN  ${m}\n`) },
    });
    const report = await writeRunReport(dir, { history: r.history, results: r.results });
    if (report.error) io.err(`WARN  Could not write the report pages: ${report.error}\n`);
    io.out(formatSummary(r.results, { dir, color: io.isTTY }) + '\n');
    const health = reliabilitySummary(r.results);
    if (health) io.out(health + '\n');
    io.out('\n' + outcomeLine(r.valid) + '\n');
    return r.exitCode;
  } catch (e) {
    if (!(e instanceof RunReadError)) throw e;
    io.err(`${e.message}\n`);
    return 254;
  }
}

function usage(io: Io, message: string): number {
  io.err(`${message}\n\n${HELP}\n`);
  return 254;
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
