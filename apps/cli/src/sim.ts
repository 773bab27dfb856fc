/**
 * `gyre sim` and `gyre sim merge`: deterministic simulation of TypeScript nodes (see @gyre/sim),
 * on the same options as `gyre test`.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { stringifyJson } from '@gyre/history';
import { basicTime, DEFAULT_MAX_LINE_BYTES } from '@gyre/runner';
import {
  failed,
  formatSweepSummary,
  mergeSummaries,
  recordRun,
  runSim,
  seedRange,
  seedResult,
  shardRange,
  shrink,
  simCommandLine,
  specConfig,
  summarize,
  sweep,
  type RecordedRun,
  type SeedResult,
  type SimConfig,
  type SimSpec,
  type SweepSummary,
} from '@gyre/sim';
import { OptionError, parseCommand, parseOptions, parseOrExit, readOptionFile, usageError, type CommandSpec, type OptionRow } from './args';
import { consoleReporter, endRun, sayOutcome } from './console';
import { warn } from './summary';
import { ShardError, shardFromEnv, type Shard } from './shard';
import { JUnitFile, junitProblem, summaryMessage, verdictFailure, type JUnitCase } from './junit';
import type { Io } from './io';
import { logFormat, maxLineBytes, resolveTestDraft, runSettings, TEST_ROWS, TEST_SPEC_PARTS, type TestDraft, type TestOptions } from './options';
import { checkStore } from './test';
import { fileProblem, outputFileProblem, writeOutputFile } from './paths';
import { workloadFor } from './workloads';

/** Options of `gyre sim` beyond those of `gyre test`. */
export interface SimOptions {
  /** The node module. */
  node: string | undefined;
  seeds: number | undefined;
  /** `--shard K/N`, or `--shard auto[/N]` (resolved from the job engine's environment, see shard.ts). */
  shard: Shard | { auto: true; total?: number } | undefined;
  workers: number | undefined;
  stopOnFailure: boolean;
  shrink: boolean;
  shrinkBudget: number;
  maxOps: number | undefined;
  checkDeterminism: boolean;
  summary: string | undefined;
}

const looksLikePath = (v: string) => /[/\\]/.test(v) || /\.[cm]?[jt]sx?$/.test(v);
const int = (name: string, v: string, min: number): number => {
  if (!/^\d+$/.test(v) || Number(v) < min) throw new OptionError(`${name} must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  return Number(v);
};

/** `gyre sim`'s draft: `gyre test`'s, and the simulation's own options. */
export interface SimDraft extends TestDraft {
  sim: SimOptions;
}

const testRow = (long: string) => TEST_ROWS.find((r) => r.long === long)!;

/**
 * An option of `gyre test` that a simulated run cannot honour: refused (exit 254) with `why`,
 * which names what `gyre sim` offers instead, and left out of `gyre sim`'s help. Never accepted
 * and ignored.
 */
const refused = (long: string, why: string): OptionRow<SimDraft> => ({
  ...testRow(long),
  hidden: true,
  set: () => {
    throw new OptionError(`gyre sim does not take --${long}: ${why}`);
  },
});

/** `gyre sim`'s own options; they come before (and override) `gyre test`'s in its table. */
const SIM_ROWS: readonly OptionRow<SimDraft>[] = [
  {
    long: 'node',
    short: 'n',
    arg: 'FILE',
    desc: 'The node module (.ts or .js, written with @gyre/node): its default export (node, args) => void installs the handlers. --bin works too. A --node value that is not a path is a node id, as in gyre test.',
    set: (d, v) => (looksLikePath(v) ? (d.sim.node = v) : d.acc.nodeFlags.push(v)),
  },
  { ...testRow('bin'), desc: 'The node module, as --node FILE.' },
  { ...testRow('seed'), gyre: false, defText: 'random; with --seeds, 0', desc: "The run's seed (printed). With --seeds or --test-count: the first seed, an integer." },
  { long: 'seeds', arg: 'N', desc: 'Run N seeds (SEED, SEED+1, ...) on worker threads and report how many failed and the smallest failing seed.', set: (d, v) => (d.sim.seeds = int('--seeds', v, 1)) },
  {
    long: 'shard',
    arg: 'K/N|auto',
    desc:
      'Run only the K-th of N contiguous blocks of the seeds (for CI machines); join the summaries with gyre sim merge. ' +
      'auto reads K and N from the job engine: GitLab (CI_NODE_INDEX, CI_NODE_TOTAL), CircleCI (CIRCLE_NODE_INDEX, CIRCLE_NODE_TOTAL), Buildkite (BUILDKITE_PARALLEL_JOB, BUILDKITE_PARALLEL_JOB_COUNT), ' +
      'or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with the total given as auto/N).',
    set: (d, v) => {
      const auto = /^auto(?:\/(\d+))?$/.exec(v);
      if (auto) {
        if (auto[1] !== undefined && Number(auto[1]) < 1) throw new OptionError(`--shard auto/N needs N ≥ 1, got ${JSON.stringify(v)}`);
        d.sim.shard = auto[1] === undefined ? { auto: true } : { auto: true, total: Number(auto[1]) };
        return;
      }
      const m = /^(\d+)\/(\d+)$/.exec(v);
      if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new OptionError(`--shard must be K/N with 1 ≤ K ≤ N, or auto, got ${JSON.stringify(v)}`);
      d.sim.shard = { index: Number(m[1]), total: Number(m[2]) };
    },
  },
  { long: 'workers', arg: 'N', defText: `the machine's cores, here ${availableParallelism()}`, desc: 'Worker threads for --seeds.', set: (d, v) => (d.sim.workers = int('--workers', v, 0)) },
  { long: 'stop-on-failure', desc: 'With --seeds: hand out no more seeds once one has failed.', set: (d) => (d.sim.stopOnFailure = true) },
  { long: 'shrink', desc: 'Search for a smaller failing run (fewer operations, faults, nodes, less time) from the failing seed, and write it with its report.', set: (d) => (d.sim.shrink = true) },
  { long: 'shrink-budget', arg: 'N', def: '1000', desc: 'Most runs the shrinking may make.', set: (d, v) => (d.sim.shrinkBudget = int('--shrink-budget', v, 1)) },
  { long: 'max-ops', arg: 'N', desc: 'At most N client operations in the main phase (shrunk runs use it).', set: (d, v) => (d.sim.maxOps = int('--max-ops', v, 1)) },
  { long: 'check-determinism', desc: 'Run the seed twice and fail if the histories or journals differ.', set: (d) => (d.sim.checkDeterminism = true) },
  { long: 'summary', arg: 'FILE', defText: 'STORE/sweeps/WORKLOAD-TIME.json', desc: 'Where --seeds writes its summary.', set: (d, v) => (d.sim.summary = v) },
  {
    ...testRow('test-count'),
    desc: "Run the simulation this many times, one after another, on the seeds SEED, SEED+1, ... (SEED: --seed, an integer, or a random one), each written to the store as one run is; stop at the first invalid or unknown result. --seeds runs many seeds faster, on worker threads.",
  },
  { ...testRow('progress'), desc: "With --seeds: show the sweep's live count of seeds even when not on a terminal. (One simulated run has no status line.)" },
  { ...testRow('no-progress'), desc: 'With --seeds: print no count of seeds as the sweep goes.' },
  refused('log-stderr', "its nodes run in this process, and what each one logs is written to the run directory's node-logs/NODE.log (gyre serve shows it)."),
  refused('log-net-send', "every message is in the run directory's net-journal/journal.jsonl, and messages.html draws them."),
  refused('log-net-recv', "every message is in the run directory's net-journal/journal.jsonl, and messages.html draws them."),
];

/** `gyre sim`'s table: its own options, then `gyre test`'s. */
export const SIM_SPEC: CommandSpec<SimDraft> = {
  command: 'gyre sim',
  usage: `Usage: gyre sim -w WORKLOAD --node ./my-node.ts [OPTIONS ...] [-- ARGS FOR THE NODE]
       gyre sim merge SUMMARY.json ... [--out FILE]

Runs every node of the cluster in this process under virtual time: no real waiting, every timer on
one simulated clock, every random choice drawn from the seed, so a seed replays exactly. The node
module's default export installs a node: export default (node: Node, args: string[]) => { node.on(...) }.
The same file runs as a process under gyre test. It takes gyre test's options except --log-stderr,
--log-net-send and --log-net-recv, which it refuses: each node's log and every message are in the
run directory (node-logs/, net-journal/, messages.html).`,
  sections: [
    { title: 'Simulation options', rows: SIM_ROWS },
    { title: 'The options of gyre test', rows: TEST_ROWS },
  ],
  ...TEST_SPEC_PARTS,
  draft: () => ({
    ...TEST_SPEC_PARTS.draft(),
    sim: { node: undefined, seeds: undefined, shard: undefined, workers: undefined, stopOnFailure: false, shrink: false, shrinkBudget: 0, maxOps: undefined, checkDeterminism: false, summary: undefined },
  }),
};

/**
 * Parses `gyre sim` arguments: the simulation's options and `gyre test`'s. `readFile` reads
 * `--nodes-file`. An option that would do nothing in the mode chosen (one run or `--seeds`) is
 * refused, never ignored.
 */
export function parseSimArgs(argv: readonly string[], readFile: (path: string) => string = () => '') {
  const p = parseOptions(SIM_SPEC, argv);
  const options = resolveTestDraft(p.draft, readFile, (m) => p.warnings.push(m));
  const sim = p.draft.sim;
  const problems: string[] = [];
  if (sim.seeds === undefined) {
    for (const long of ['shard', 'workers', 'stop-on-failure', 'summary']) if (p.given.has(long)) problems.push(`--${long} needs --seeds`);
    if (options.progress === true) problems.push('--progress needs --seeds: one simulated run has no status line (it runs on simulated time, and is over in moments)');
  } else {
    if (p.given.has('test-count')) problems.push('--test-count and --seeds both repeat the run: give --seeds N (with --stop-on-failure to stop at the first failing seed)');
    if (options.logOps) problems.push('--log-ops prints the operations of one run as it goes, and a --seeds sweep prints none: run one seed with --seed N --log-ops, or read history.txt in the run the sweep records');
    if (sim.checkDeterminism) problems.push('--check-determinism checks one seed: run it with --seed N');
  }
  if (p.given.has('shrink-budget') && !sim.shrink) problems.push('--shrink-budget needs --shrink');
  const repeated = sim.seeds !== undefined ? '--seeds' : options.testCount > 1 ? '--test-count' : undefined;
  if (repeated && options.seed !== undefined && !/^\d+$/.test(options.seed)) problems.push(`With ${repeated}, --seed is the first seed: an integer, got ${JSON.stringify(options.seed)}`);
  if (problems.length) throw new OptionError(problems.join('\n'));
  return { sim, options, warnings: p.warnings, help: p.help, version: p.version };
}

/**
 * The seeds of `gyre sim`'s runs without `--seeds`: `--seed` (or a random one), and with
 * `--test-count N` the N seeds from there on, numbered as `--seeds` numbers them.
 */
export function runSeeds(seed: string | undefined, testCount: number, random: () => number): string[] {
  const first = seed ?? String(random());
  return testCount === 1 ? [first] : seedRange(Number(first), testCount);
}

/** `gyre sim`. */
export async function simCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv[0] === 'merge') return mergeCommand(argv.slice(1), io);
  const parsed = parseOrExit(SIM_SPEC, io, () => {
    const p = parseSimArgs(argv, (path) => readOptionFile('--nodes-file', resolve(io.cwd, path)));
    return { ...p, value: p };
  });
  if (typeof parsed === 'number') return parsed;
  const { sim, options: o } = parsed;
  if (sim.shard && 'auto' in sim.shard) {
    try {
      sim.shard = shardFromEnv(io.env ?? process.env, sim.shard.total);
    } catch (e) {
      if (!(e instanceof ShardError)) throw e;
      return usageError(io, SIM_SPEC.command, e.message);
    }
  }
  const nodeFile = sim.node ?? o.bin;
  if (!nodeFile) {
    io.err('Expected --node PATH_TO_NODE_MODULE (a .ts or .js file whose default export installs a node; see `gyre sim --help`).\n');
    return 254;
  }
  const chosen = await workloadFor(o, io);
  if (typeof chosen === 'number') return chosen;
  const { workload, options } = chosen;
  const problem =
    fileProblem(sim.node ? '--node' : '--bin', nodeFile, io.cwd, 'a node module') ??
    checkStore(o.store, io.cwd) ??
    (o.junit !== undefined ? junitProblem(o.junit, io.cwd) : undefined) ??
    (sim.summary !== undefined ? outputFileProblem('--summary', sim.summary, io.cwd) : undefined);
  if (problem) {
    io.err(problem + '\n');
    return 254;
  }
  const spec: SimSpec = {
    workload: workload.name,
    node: resolve(io.cwd, nodeFile),
    nodeArgs: o.binArgs,
    options,
    ...runSettings(o),
    ...(sim.maxOps !== undefined ? { maxOps: sim.maxOps } : {}),
    ...(maxLineBytes(o) !== DEFAULT_MAX_LINE_BYTES ? { maxLineBytes: maxLineBytes(o) } : {}),
  };
  const store = resolve(io.cwd, o.store);
  const reporter = consoleReporter(io, { logOps: o.logOps, progress: false });
  const junit = o.junit && sim.seeds === undefined ? new JUnitFile(resolve(io.cwd, o.junit), `gyre sim ${workload.name}`, ['sim', ...argv]) : undefined;
  /** One run of `seed`, written to the store and ended as `gyre test` ends one; its exit code. */
  const runOne = async (seed: string, name: string): Promise<number> => {
    const config = await specConfig(spec, seed, { store, keepJournal: sim.checkDeterminism, ...recording(o), argv: ['sim', ...argv], reporter, ...(io.signal ? { signal: io.signal } : {}) });
    return endRun(() => runSim(config), io, {
      command: 'sim',
      workload: workload.name,
      valueToEdn: workload.valueToEdn,
      reporter,
      printResults: o.printResults,
      logOps: o.logOps,
      ...(junit ? { junit: { file: junit, name } } : {}),
      reproduce: simCommandLine(spec, seed),
      after: async (r) => {
        io.out(`simulated ${r.simSeconds.toFixed(1)} s in ${r.wallSeconds.toFixed(2)} s\n`);
        if (!sim.checkDeterminism) return undefined;
        // An interrupted run is cut short where the signal came: a second run would not be.
        if (r.results['interrupted'] === true) {
          io.out('determinism: not checked, the run was interrupted\n');
          return undefined;
        }
        const again = seedResult(await runSim(await specConfig(spec, seed, { keepJournal: true })));
        const first = seedResult(r);
        if (again.digest !== first.digest) {
          io.out(`\nNOT DETERMINISTIC: seed ${seed} gave two different runs (history and journal digests ${first.digest.slice(0, 12)} and ${again.digest.slice(0, 12)}). Does the node read real time, use Math.random before the run, or wait on real I/O? Compare with: gyre replay ${r.dir}\n`);
          return 1;
        }
        io.out('determinism: the seed ran twice with identical histories and journals\n');
        return undefined;
      },
      ...(sim.shrink ? { failed: () => shrinkAndReport(spec, seed, sim, recording(o), store, io) } : {}),
    });
  };
  try {
    if (sim.seeds !== undefined) return await sweepCommand(spec, sim, o, store, argv, io);
    // --test-count N: N runs one after another, each on its own seed, stopping at the first that is not valid (as gyre test does).
    const seeds = runSeeds(o.seed, o.testCount, () => randomBytes(4).readUInt32BE(0));
    let code = 0;
    for (const [i, seed] of seeds.entries()) {
      code = await runOne(seed, seeds.length > 1 ? `${workload.name} #${i + 1}` : workload.name);
      if (code !== 0) break;
    }
    return code;
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return 255;
  }
}

async function sweepCommand(spec: SimSpec, sim: SimOptions, o: TestOptions, store: string, argv: readonly string[], io: Io): Promise<number> {
  const junitPath = o.junit;
  // The count of seeds run: a live line (on a terminal, or --progress), a plain line now and then (off one), or none (--no-progress).
  const live = o.progress ?? io.isTTY;
  const plain = o.progress === undefined && !io.isTTY;
  const first = o.seed === undefined ? 0 : Number(o.seed);
  const shard = sim.shard && !('auto' in sim.shard) ? sim.shard : undefined;
  const range: { first: number; count: number; shard?: string } = shard ? { ...shardRange(first, sim.seeds!, shard.index, shard.total), shard: `${shard.index}/${shard.total}` } : { first, count: sim.seeds! };
  const seeds = seedRange(range.first, range.count);
  io.err(`INFO  Simulating ${spec.workload} with ${spec.node} over seeds ${range.first}..${range.first + range.count - 1}${range.shard ? ` (shard ${range.shard}${shard?.source ? ` from ${shard.source}` : ''})` : ''}\n`);
  const started = new Date();
  let lastShown = 0;
  let lastPlain = Date.now();
  let failures = 0;
  const results: SeedResult[] = [];
  const outcome = await sweep({
    spec,
    seeds,
    ...(sim.workers !== undefined ? { workers: sim.workers } : {}),
    stopOnFailure: sim.stopOnFailure,
    ...(io.signal ? { signal: io.signal } : {}),
    onResult: (r, n) => {
      if (junitPath) results.push(r);
      if (failed(r)) {
        failures++;
        io.err(`${live ? '\r\x1b[2K' : ''}seed ${r.seed}: ${r.exitCode === 1 ? 'INVALID' : r.exitCode === 2 ? 'unknown' : `crashed: ${(r.crash ?? '').split('\n')[0]}`}\n`);
      }
      if (live && (n - lastShown >= Math.max(1, seeds.length / 100) || n === seeds.length)) {
        lastShown = n;
        io.err(`\r\x1b[2K${n}/${seeds.length} seeds, ${failures} failed`);
      } else if (plain && Date.now() - lastPlain >= SWEEP_STATUS_MS) {
        // Off a terminal (CI), a plain line now and then, so that the log shows the sweep moving.
        lastPlain = Date.now();
        io.err(`INFO  status: ${n}/${seeds.length} seeds, ${failures} failed\n`);
      }
    },
  });
  if (live) io.err('\r\x1b[2K');
  const s = summarize(spec, range, outcome);
  const file = sim.summary ? resolve(io.cwd, sim.summary) : join(store, 'sweeps', `${spec.workload}-${basicTime(new Date())}${range.shard ? `-shard${range.shard.replace('/', 'of')}` : ''}.json`);
  // The summary file is one more view of a known verdict: a failure to write it is a warning.
  const summaryProblem = writeOutputFile('the sweep summary', file, stringifyJson(s) + '\n');
  warn(io, summaryProblem);
  const written = summaryProblem === undefined ? file : undefined;
  io.out(formatSweepSummary(s) + '\n');
  io.out(written ? `summary: ${written}\n` : 'summary: not written (see the warning above)\n');
  const junit = (recorded?: RecordedSeed) => junitPath && warn(io, writeSweepJUnit(resolve(io.cwd, junitPath), started, spec, range, results, argv, written, recorded));
  // Stopped by Ctrl-C with seeds left unrun: what ran is all the verdict covers.
  const interrupted = io.signal?.aborted === true && s.stopped;
  const note = interrupted ? { interrupted: `The sweep was interrupted, so this verdict covers only the ${s.ran} of ${range.count} seeds that ran (exit 255).` } : {};
  if (s.smallestFailing === null) {
    junit();
    sayOutcome(io, interrupted ? 'unknown' : true, note);
    return interrupted ? 255 : 0;
  }
  const seed = s.smallestFailing;
  const rec = await recordRun(spec, seed, store, { argv: ['sim', ...argv], ...recording(o) });
  const see = recordedReport(io, rec);
  io.out(`smallest failing seed ${seed}: ${rec.dir} (${see === 'report.html' ? 'messages.html shows its Lamport diagram' : 'its results are in results.json'})\n`);
  junit({ seed, dir: rec.dir, see });
  if (sim.shrink && !interrupted) await shrinkAndReport(spec, seed, sim, recording(o), store, io);
  sayOutcome(io, s.invalid > 0 ? false : 'unknown', { reproduce: simCommandLine(spec, seed), ...note });
  return interrupted ? 255 : s.invalid > 0 ? 1 : s.crashed > 0 ? 255 : 2;
}

/** The seed a sweep recorded in the store, its run directory, and the file to look at there. */
interface RecordedSeed {
  seed: string;
  dir: string;
  see: 'report.html' | 'results.json';
}

/** Real milliseconds between two plain status lines of a sweep off a terminal. */
const SWEEP_STATUS_MS = 10_000;

/**
 * Writes the JUnit report of a sweep: one case per seed run, in seed order; a failing seed carries
 * its anomaly summary and the command that reproduces it, and the seed the sweep recorded in the
 * store (the smallest failing one) the path of its report.html (of its results.json when the report
 * pages could not be written). Returns why the file could not be written, if it could not.
 */
function writeSweepJUnit(path: string, started: Date, spec: SimSpec, range: { first: number; count: number; shard?: string }, results: readonly SeedResult[], argv: readonly string[], summaryFile: string | undefined, recorded?: RecordedSeed): string | undefined {
  const classname = `gyre.sim.${spec.workload}`;
  const caseOf = (r: SeedResult): JUnitCase => {
    const what = r.exitCode === 1 ? 'INVALID' : r.exitCode === 2 ? 'UNKNOWN' : 'CRASHED';
    const message = r.crash ? `crashed: ${r.crash.split('\n')[0]}` : r.anomalies ? summaryMessage(r.anomalies, what) : `${what}: ${r.failures.join(', ')}`;
    const details = [
      r.anomalies ?? `${what}${r.failures.length ? ` (failing checkers: ${r.failures.join(', ')})` : ''}`,
      r.crash ? `\nWhy it crashed:\n${r.crash}` : '',
      r.seed === recorded?.seed ? `see ${recorded.dir}/${recorded.see}` : '',
      `reproduce: ${simCommandLine(spec, r.seed)}`,
    ].filter((x) => x !== '');
    const failure = verdictFailure(r.exitCode, message, details.join('\n'));
    return { name: `seed ${r.seed}`, classname, seconds: r.wallSeconds, ...(failure ? { failure } : {}) };
  };
  const out = [...(summaryFile ? [`summary: ${summaryFile}`] : []), ...(recorded ? [`smallest failing seed ${recorded.seed}: ${recorded.dir}/${recorded.see}`] : [])];
  const file = new JUnitFile(path, `gyre sim ${spec.workload}`, ['sim', ...argv], out, started);
  file.property('seeds', `${range.first}..${range.first + range.count - 1}`);
  if (range.shard) file.property('shard', range.shard);
  return file.add([...results].sort((a, b) => Number(a.seed) - Number(b.seed)).map(caseOf));
}

/** How the runs `gyre sim` writes to the store are written, from its options. */
function recording(o: TestOptions): Pick<SimConfig, 'keepNodeDirs' | 'logFormat'> {
  return { keepNodeDirs: o.keepNodeDirs, logFormat: logFormat(o) };
}

/**
 * Says, as a warning, why the report pages of a run the sweep or the shrinking recorded could not
 * be written (the run and the verdict stand, as after one run); returns the file to look at:
 * report.html, or results.json when the pages are missing.
 */
function recordedReport(io: Io, rec: RecordedRun): 'report.html' | 'results.json' {
  if (rec.reportError === undefined) return 'report.html';
  warn(io, `Could not write the report pages of ${rec.dir}: ${rec.reportError}`);
  return 'results.json';
}

async function shrinkAndReport(spec: SimSpec, seed: string, sim: SimOptions, record: Pick<SimConfig, 'keepNodeDirs' | 'logFormat'>, store: string, io: Io): Promise<void> {
  io.err(`INFO  Shrinking seed ${seed} (at most ${sim.shrinkBudget} runs)\n`);
  const r = await shrink({
    spec,
    seed,
    budget: sim.shrinkBudget,
    ...(io.signal ? { signal: io.signal } : {}),
    onRun: (step) => {
      if (step.kept) io.err(`INFO  smaller: ${step.change} (seed ${step.seed}): ${step.result.size.ops} ops, ${step.result.size.faults} faults, ${step.result.size.nodes} nodes, ${step.result.size.seconds.toFixed(1)} s\n`);
    },
  });
  const o = r.original.result.size;
  const m = r.smallest.result.size;
  const rec = await recordRun(r.smallest.spec, r.smallest.seed, store, { argv: ['sim', 'shrunk'], ...record });
  const see = recordedReport(io, rec);
  io.out(
    `shrunk in ${r.runs} runs: ${o.ops} → ${m.ops} operations, ${o.faults} → ${m.faults} faults, ${o.nodes} → ${m.nodes} nodes, ${o.seconds.toFixed(1)} → ${m.seconds.toFixed(1)} simulated s\n` +
      `smallest failing run: ${rec.dir} (history.txt, ${see === 'report.html' ? 'messages.html' : 'results.json'})\n` +
      `reproduce it: ${simCommandLine(r.smallest.spec, r.smallest.seed)}\n`,
  );
}

/** `gyre sim merge`'s table. */
export const MERGE_SPEC: CommandSpec<{ files: string[]; out: string | undefined }> = {
  command: 'gyre sim merge',
  usage: 'Usage: gyre sim merge SUMMARY.json ... [--out FILE]\n\nJoins the summaries of the shards of one sweep: counts add up, the smallest failing seed is the smallest of all.',
  sections: [{ title: 'Options', rows: [{ long: 'out', short: 'o', arg: 'FILE', defText: 'not written', desc: 'Where to write the merged summary.', set: (d, v) => (d.out = v) }] }],
  draft: () => ({ files: [], out: undefined }),
  positional: (d, word) => d.files.push(word),
};

async function mergeCommand(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseCommand(MERGE_SPEC, argv, io);
  if (typeof parsed === 'number') return parsed;
  const { files, out } = parsed;
  if (files.length === 0) return usageError(io, MERGE_SPEC.command, 'Expected the SUMMARY.json files of the shards to merge.');
  const outProblem = out !== undefined ? outputFileProblem('--out', out, io.cwd) : undefined;
  if (outProblem) return usageError(io, MERGE_SPEC.command, outProblem);
  let merged: SweepSummary;
  try {
    merged = mergeSummaries(files.map((f) => JSON.parse(readFileSync(resolve(io.cwd, f), 'utf8')) as SweepSummary));
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return 254;
  }
  const writeProblem = out ? writeOutputFile('the merged summary', resolve(io.cwd, out), stringifyJson(merged) + '\n') : undefined;
  warn(io, writeProblem);
  const written = out !== undefined && writeProblem === undefined;
  io.out(formatSweepSummary(merged) + '\n');
  if (written) io.out(`summary: ${resolve(io.cwd, out!)}\n`);
  if (merged.smallestFailing !== null) io.out(`reproduce: ${simCommandLine(merged.spec, merged.smallestFailing)}\n`);
  return merged.smallestFailing === null ? 0 : merged.invalid > 0 ? 1 : merged.crashed > 0 ? 255 : 2;
}
