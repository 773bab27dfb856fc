/**
 * `gyre analyze`: re-runs the checkers on a stored run (Maelstrom's `analyze`). It rebuilds the
 * test from the run's test.json (re-parsing the recorded `gyre test` arguments), reads
 * history.jsonl and the network journal, and writes results.json / results.edn anew.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { formatOpEdn, parseHistoryJsonl, parseJson, type Op } from '@gyre/history';
import { formatSummary } from '@gyre/report';
import { analyzeHistory, clientInvocations, exitCodeFor, netResultFromJournalFile, writeResults } from '@gyre/runner';
import { OptionError, parseCommand, readOptionFile, usageError, type CommandSpec } from './args';
import type { Io } from './io';
import { parseTestArgs, storeRow, workloadOptions } from './options';
import { writeRunReport } from './report';
import { outcomeLine } from './outcome';
import { reliabilitySummary } from './summary';
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
  const root = resolve(io.cwd, o.store);
  const dir = findRun(root, o.test, io.cwd);
  if (typeof dir !== 'string') return usageError(io, ANALYZE_SPEC.command, dir.error);
  return analyzeRun(dir, io);
}

/** The run directories in a store, oldest first. */
function listRuns(root: string): string[] {
  const runs: { dir: string; start: string }[] = [];
  let workloads: string[];
  try {
    workloads = readdirSync(root);
  } catch {
    return [];
  }
  for (const w of workloads) {
    const wdir = join(root, w);
    if (w === 'latest' || w === 'current' || !isDir(wdir)) continue;
    for (const r of readdirSync(wdir)) {
      const dir = join(wdir, r);
      if (r === 'latest' || !existsSync(join(dir, 'test.json'))) continue;
      let start = r;
      try {
        const t = parseJson(readFileSync(join(dir, 'test.json'), 'utf8')) as Record<string, unknown>;
        if (typeof t['startTime'] === 'string') start = t['startTime'];
      } catch {
        // keep the directory name
      }
      runs.push({ dir, start });
    }
  }
  runs.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.dir < b.dir ? -1 : 1));
  return runs.map((r) => r.dir);
}

/** Resolves `-t INDEX_OR_PATH` to a run directory. */
function findRun(root: string, test: string, cwd: string): string | { error: string } {
  if (/^-?\d+$/.test(test)) {
    const runs = listRuns(root);
    if (runs.length === 0) return { error: `No runs in the store ${root}.` };
    const i = Number(test);
    const dir = runs[i < 0 ? runs.length + i : i];
    if (dir === undefined) return { error: `--test ${test}: the store ${root} has ${runs.length} run${runs.length === 1 ? '' : 's'} (indexes 0 to ${runs.length - 1}, or -1 to -${runs.length}).` };
    return dir;
  }
  const dir = resolve(cwd, test);
  if (!existsSync(join(dir, 'test.json'))) return { error: `--test ${test}: ${dir} is not a Gyre run directory (it has no test.json).` };
  return realpathSync(dir);
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Re-analyses the run in `dir`, prints the summary and outcome, and returns 0, 1 or 2 (254 when the run cannot be read). */
async function analyzeRun(dir: string, io: Io): Promise<number> {
  let testJson: Record<string, unknown>;
  try {
    testJson = parseJson(readFileSync(join(dir, 'test.json'), 'utf8')) as Record<string, unknown>;
  } catch (e) {
    io.err(`Cannot read ${join(dir, 'test.json')}: ${(e as Error).message}\n`);
    return 254;
  }
  const argv = testJson['argv'];
  if (!Array.isArray(argv) || argv[0] !== 'test' || !argv.every((a) => typeof a === 'string')) {
    io.err(`${dir} was not started with \`gyre test\` (test.json has no test arguments); only such runs can be analysed.\n`);
    return 254;
  }
  let parsed;
  try {
    parsed = parseTestArgs(argv.slice(1) as string[], (p) => readOptionFile('--nodes-file', resolve(io.cwd, p)));
  } catch (e) {
    if (!(e instanceof OptionError)) throw e;
    io.err(`The recorded arguments of ${dir} no longer parse: ${e.message}\n`);
    return 254;
  }
  const o = parsed.options;
  if (Array.isArray(testJson['nodes'])) o.nodes = testJson['nodes'] as string[];
  const seed = typeof testJson['seed'] === 'string' ? testJson['seed'] : String(testJson['seed'] ?? o.seed ?? '');
  let workload;
  try {
    workload = await loadWorkload(o.workload, io.cwd);
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return 254;
  }
  const options = workloadOptions(o);
  options.seed = seed;

  // The history: every complete line. A run killed mid-write may end in a partial line; it is dropped.
  let history: Op[];
  try {
    let text = readFileSync(join(dir, 'history.jsonl'), 'utf8');
    const lastNl = text.lastIndexOf('\n');
    if (lastNl < text.length - 1) {
      io.err(`WARN  history.jsonl ends in an incomplete line; it is ignored.\n`);
      text = text.slice(0, lastNl + 1);
    }
    history = parseHistoryJsonl(text);
  } catch (e) {
    io.err(`Cannot read the history of ${dir}: ${(e as Error).message}\n`);
    return 254;
  }

  // history.edn is written at the end of a run: a run that was killed outright has none.
  const ednPath = join(dir, 'history.edn');
  const ednLines = existsSync(ednPath) ? readFileSync(ednPath, 'utf8').split('\n').length - 1 : 0;
  if (ednLines !== history.length) {
    writeFileSync(ednPath, history.map((op) => formatOpEdn(op, workload.valueToEdn) + '\n').join(''));
    io.err(`INFO  Rewrote history.edn from history.jsonl\n`);
  }

  // What only the live run knew is carried over from the previous results.
  let previous: Record<string, unknown> = {};
  try {
    previous = parseJson(readFileSync(join(dir, 'results.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    // no previous results (the run was killed before its analysis)
  }
  const journalPath = join(dir, 'net-journal', 'journal.jsonl');
  const { results, valid } = analyzeHistory({
    workload,
    options,
    history,
    emit: (path, content) => {
      const full = resolve(dir, path);
      if (!full.startsWith(dir + sep)) throw new Error(`workload tried to write outside the run directory: ${path}`);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    },
    net: () => netResultFromJournalFile(journalPath, clientInvocations(history)),
    seed,
    previous,
    interrupted: previous['interrupted'] === true,
    crash: typeof previous['error'] === 'string' ? previous['error'] : undefined,
  });
  writeResults(dir, results);
  io.err(`INFO  Analysed ${history.length} history entries of ${dir}\n`);
  const report = await writeRunReport(dir, { history, results });
  if (report.error) io.err(`WARN  Could not write the report pages: ${report.error}\n`);
  io.out(formatSummary(results, { dir, color: io.isTTY }) + '\n');
  const health = reliabilitySummary(results);
  if (health) io.out(health + '\n');
  io.out('\n' + outcomeLine(valid) + '\n');
  return exitCodeFor(valid, false);
}
