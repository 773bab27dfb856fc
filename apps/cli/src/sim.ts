/**
 * `gyre sim`, `gyre sim merge` and `gyre replay`: deterministic simulation of TypeScript nodes
 * (see @gyre/sim), on the same options as `gyre test`.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { stringifyJson } from '@gyre/history';
import { basicTime } from '@gyre/runner';
import {
  failed,
  formatSweepSummary,
  mergeSummaries,
  recordRun,
  replayRun,
  runSim,
  seedRange,
  seedResult,
  shardRange,
  shrink,
  simCommandLine,
  specConfig,
  summarize,
  sweep,
  type SimSpec,
  type SweepSummary,
} from '@gyre/sim';
import { formatSummary } from '@gyre/report';
import type { Io } from './cli';
import { OUTCOME } from './summary';
import { writeRunReport } from './report';
import { OptionError, optionsHelp, parseTestArgs } from './options';
import { workloadFor } from './workloads';

/** Options of `gyre sim` beyond those of `gyre test`. */
export interface SimOptions {
  /** The node module. */
  node: string | undefined;
  seeds: number | undefined;
  shard: { index: number; total: number } | undefined;
  workers: number | undefined;
  stopOnFailure: boolean;
  shrink: boolean;
  shrinkBudget: number;
  maxOps: number | undefined;
  checkDeterminism: boolean;
  summary: string | undefined;
}

/** `gyre sim`'s own options, for the help. */
const SIM_OPTIONS: [string, string][] = [
  ['--node FILE', 'The node module (.ts or .js, written with @gyre/node): its default export (node, args) => void installs the handlers. --bin works too. A --node value that is not a path is a node id, as in gyre test.'],
  ['--seed SEED', 'The run\'s seed (random when absent; printed). With --seeds: the first seed, an integer (default 0).'],
  ['--seeds N', 'Run N seeds (SEED, SEED+1, ...) on worker threads and report how many failed and the smallest failing seed.'],
  ['--shard K/N', 'Run only the K-th of N contiguous blocks of the seeds (for CI machines); join the summaries with gyre sim merge.'],
  ['--workers N', `Worker threads for --seeds. [default: the machine's cores, here ${availableParallelism()}]`],
  ['--stop-on-failure', 'With --seeds: hand out no more seeds once one has failed.'],
  ['--shrink', 'Search for a smaller failing run (fewer operations, faults, nodes, less time) from the failing seed, and write it with its report.'],
  ['--shrink-budget N', 'Most runs the shrinking may make. [default: 1000]'],
  ['--max-ops N', 'At most N client operations in the main phase (shrunk runs use it).'],
  ['--check-determinism', 'Run the seed twice and fail if the histories or journals differ.'],
  ['--summary FILE', 'Where --seeds writes its summary. [default: STORE/sweeps/WORKLOAD-TIME.json]'],
];

const looksLikePath = (v: string) => /[/\\]/.test(v) || /\.[cm]?[jt]sx?$/.test(v);

/** Splits `gyre sim` arguments into its own options and those of `gyre test`. */
export function parseSimArgs(argv: readonly string[]): { sim: SimOptions; rest: string[] } {
  const sim: SimOptions = { node: undefined, seeds: undefined, shard: undefined, workers: undefined, stopOnFailure: false, shrink: false, shrinkBudget: 1000, maxOps: undefined, checkDeterminism: false, summary: undefined };
  const rest: string[] = [];
  const int = (name: string, v: string | undefined, min: number): number => {
    if (v === undefined || !/^\d+$/.test(v) || Number(v) < min) throw new OptionError(`${name} must be an integer ≥ ${min}, got ${JSON.stringify(v ?? '')}`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    const inline = eq > 0 ? a.slice(eq + 1) : undefined;
    const value = () => inline ?? argv[++i];
    switch (name) {
      case '--node':
      case '-n': {
        const v = inline ?? argv[i + 1];
        if (v !== undefined && looksLikePath(v)) {
          sim.node = v;
          if (inline === undefined) i++;
        } else rest.push(a);
        break;
      }
      case '--seeds':
        sim.seeds = int('--seeds', value(), 1);
        break;
      case '--shard': {
        const v = value() ?? '';
        const m = /^(\d+)\/(\d+)$/.exec(v);
        if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new OptionError(`--shard must be K/N with 1 ≤ K ≤ N, got ${JSON.stringify(v)}`);
        sim.shard = { index: Number(m[1]), total: Number(m[2]) };
        break;
      }
      case '--workers':
        sim.workers = int('--workers', value(), 0);
        break;
      case '--stop-on-failure':
        sim.stopOnFailure = true;
        break;
      case '--shrink':
        sim.shrink = true;
        break;
      case '--shrink-budget':
        sim.shrinkBudget = int('--shrink-budget', value(), 1);
        break;
      case '--max-ops':
        sim.maxOps = int('--max-ops', value(), 1);
        break;
      case '--check-determinism':
        sim.checkDeterminism = true;
        break;
      case '--summary':
        sim.summary = value();
        break;
      default:
        rest.push(a);
    }
  }
  if (sim.shard && sim.seeds === undefined) throw new OptionError('--shard needs --seeds');
  return { sim, rest };
}

const SIM_USAGE = `Usage: gyre sim -w WORKLOAD --node ./my-node.ts [OPTIONS ...] [-- ARGS FOR THE NODE]
       gyre sim merge SUMMARY.json ... [--out FILE]

Runs every node of the cluster in this process under virtual time: no real waiting, every timer on
one simulated clock, every random choice drawn from the seed, so a seed replays exactly. The node
module's default export installs a node: export default (node: Node, args: string[]) => { node.on(...) }.
The same file runs as a process under gyre test.`;

/** `gyre sim`. */
export async function simCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv[0] === 'merge') return mergeCommand(argv.slice(1), io);
  let parsed;
  let sim: SimOptions;
  try {
    const split = parseSimArgs(argv);
    sim = split.sim;
    parsed = parseTestArgs(split.rest, (p) => readFileSync(resolve(io.cwd, p), 'utf8'));
  } catch (e) {
    if (e instanceof OptionError) {
      io.err(`${e.message}\n\nRun \`gyre sim --help\` for every option.\n`);
      return 254;
    }
    throw e;
  }
  if (parsed.help) {
    io.out(`${SIM_USAGE}\n\nSimulation options:\n${SIM_OPTIONS.map(([f, d]) => `  ${f.padEnd(34)} ${d}`).join('\n')}\n\nThe options of gyre test:\n${optionsHelp()}\n`);
    return 0;
  }
  for (const w of parsed.warnings) io.err(`WARNING: ${w}\n`);
  const o = parsed.options;
  const nodeFile = sim.node ?? o.bin;
  if (!nodeFile) {
    io.err('Expected --node PATH_TO_NODE_MODULE (a .ts or .js file whose default export installs a node; see `gyre sim --help`).\n');
    return 254;
  }
  const chosen = await workloadFor(o, io.cwd);
  if ('error' in chosen) {
    io.err(`${chosen.error}\n`);
    return 254;
  }
  const { workload, options } = chosen;
  const spec: SimSpec = {
    workload: workload.name,
    node: resolve(io.cwd, nodeFile),
    nodeArgs: o.binArgs,
    options,
    latencyDist: o.latencyDist,
    nemesisInterval: o.nemesisInterval,
    nemesisTargets: o.nemesisTargets,
    recoveryTime: o.recoveryTime,
    ...(sim.maxOps !== undefined ? { maxOps: sim.maxOps } : {}),
  };
  const store = resolve(io.cwd, o.store);
  const reporter = { info: (m: string) => io.err(`INFO  ${m}\n`), warn: (m: string) => io.err(`WARN  ${m}\n`) };
  try {
    if (sim.seeds !== undefined) return await sweepCommand(spec, sim, o.seed, store, argv, io);
    const seed = o.seed ?? String(randomBytes(4).readUInt32BE(0));
    const r = await runSim(await specConfig(spec, seed, { store, keepJournal: sim.checkDeterminism, argv: ['sim', ...argv], reporter, ...(io.signal ? { signal: io.signal } : {}) }));
    const report = await writeRunReport(r.dir!, { history: r.history, results: r.results });
    if (report.error) io.err(`WARN  Could not write the report pages: ${report.error}\n`);
    io.out(formatSummary(r.results, { dir: r.dir!, color: io.isTTY }) + '\n');
    io.out(`simulated ${r.simSeconds.toFixed(1)} s in ${r.wallSeconds.toFixed(2)} s\n`);
    if (sim.checkDeterminism) {
      const again = seedResult(await runSim(await specConfig(spec, seed, { keepJournal: true })));
      const first = seedResult(r);
      if (again.digest !== first.digest) {
        io.out(`\nNOT DETERMINISTIC: seed ${seed} gave two different runs (history and journal digests ${first.digest.slice(0, 12)} and ${again.digest.slice(0, 12)}). Does the node read real time, use Math.random before the run, or wait on real I/O? Compare with: gyre replay ${r.dir}\n`);
        return 1;
      }
      io.out('determinism: the seed ran twice with identical histories and journals\n');
    }
    if (r.crash) {
      io.out(`\nOh jeez, I'm sorry, Gyre broke. Here's why:\n${r.crash}\n`);
      return 255;
    }
    if (r.exitCode !== 0 && sim.shrink) await shrinkAndReport(spec, seed, sim, store, io);
    io.out(`reproduce: ${simCommandLine(spec, seed)}\n`);
    io.out('\n' + (r.valid === true ? OUTCOME.valid : r.valid === false ? OUTCOME.invalid : OUTCOME.unknown) + '\n');
    return r.exitCode;
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return 255;
  }
}

async function sweepCommand(spec: SimSpec, sim: SimOptions, seedOpt: string | undefined, store: string, argv: readonly string[], io: Io): Promise<number> {
  if (seedOpt !== undefined && !/^\d+$/.test(seedOpt)) throw new Error(`With --seeds, --seed is the first seed: an integer, got ${JSON.stringify(seedOpt)}`);
  const first = seedOpt === undefined ? 0 : Number(seedOpt);
  const range: { first: number; count: number; shard?: string } = sim.shard ? { ...shardRange(first, sim.seeds!, sim.shard.index, sim.shard.total), shard: `${sim.shard.index}/${sim.shard.total}` } : { first, count: sim.seeds! };
  const seeds = seedRange(range.first, range.count);
  io.err(`INFO  Simulating ${spec.workload} with ${spec.node} over seeds ${range.first}..${range.first + range.count - 1}${range.shard ? ` (shard ${range.shard})` : ''}\n`);
  let lastShown = 0;
  let failures = 0;
  const outcome = await sweep({
    spec,
    seeds,
    ...(sim.workers !== undefined ? { workers: sim.workers } : {}),
    stopOnFailure: sim.stopOnFailure,
    ...(io.signal ? { signal: io.signal } : {}),
    onResult: (r, n) => {
      if (failed(r)) {
        failures++;
        io.err(`${io.isTTY ? '\r\x1b[2K' : ''}seed ${r.seed}: ${r.exitCode === 1 ? 'INVALID' : r.exitCode === 2 ? 'unknown' : `crashed: ${(r.crash ?? '').split('\n')[0]}`}\n`);
      }
      if (io.isTTY && (n - lastShown >= Math.max(1, seeds.length / 100) || n === seeds.length)) {
        lastShown = n;
        io.err(`\r\x1b[2K${n}/${seeds.length} seeds, ${failures} failed`);
      }
    },
  });
  if (io.isTTY) io.err('\r\x1b[2K');
  const s = summarize(spec, range, outcome);
  const file = sim.summary ? resolve(io.cwd, sim.summary) : join(store, 'sweeps', `${spec.workload}-${basicTime(new Date())}${range.shard ? `-shard${range.shard.replace('/', 'of')}` : ''}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, stringifyJson(s) + '\n');
  io.out(formatSweepSummary(s) + '\n');
  io.out(`summary: ${file}\n`);
  if (s.smallestFailing === null) {
    io.out('\n' + OUTCOME.valid + '\n');
    return 0;
  }
  const seed = s.smallestFailing;
  const rec = await recordRun(spec, seed, store, { argv: ['sim', ...argv] });
  io.out(`smallest failing seed ${seed}: ${rec.dir} (messages.html shows its Lamport diagram)\n`);
  if (sim.shrink) await shrinkAndReport(spec, seed, sim, store, io);
  io.out(`reproduce: ${simCommandLine(spec, seed)}\n`);
  io.out('\n' + (s.invalid > 0 ? OUTCOME.invalid : OUTCOME.unknown) + '\n');
  return s.invalid > 0 ? 1 : s.crashed > 0 ? 255 : 2;
}

async function shrinkAndReport(spec: SimSpec, seed: string, sim: SimOptions, store: string, io: Io): Promise<void> {
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
  const rec = await recordRun(r.smallest.spec, r.smallest.seed, store, { argv: ['sim', 'shrunk'] });
  io.out(
    `shrunk in ${r.runs} runs: ${o.ops} → ${m.ops} operations, ${o.faults} → ${m.faults} faults, ${o.nodes} → ${m.nodes} nodes, ${o.seconds.toFixed(1)} → ${m.seconds.toFixed(1)} simulated s\n` +
      `smallest failing run: ${rec.dir} (history.txt, messages.html)\n` +
      `reproduce it: ${simCommandLine(r.smallest.spec, r.smallest.seed)}\n`,
  );
}

async function mergeCommand(argv: readonly string[], io: Io): Promise<number> {
  const files: string[] = [];
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out' || a === '-o') out = argv[++i];
    else if (a === '--help' || a === '-h') {
      io.out('Usage: gyre sim merge SUMMARY.json ... [--out FILE]\n\nJoins the summaries of the shards of one sweep: counts add up, the smallest failing seed is the smallest of all.\n');
      return 0;
    } else files.push(a);
  }
  if (files.length === 0) {
    io.err('Usage: gyre sim merge SUMMARY.json ... [--out FILE]\n');
    return 254;
  }
  let merged: SweepSummary;
  try {
    merged = mergeSummaries(files.map((f) => JSON.parse(readFileSync(resolve(io.cwd, f), 'utf8')) as SweepSummary));
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return 254;
  }
  if (out) writeFileSync(resolve(io.cwd, out), stringifyJson(merged) + '\n');
  io.out(formatSweepSummary(merged) + '\n');
  if (out) io.out(`summary: ${resolve(io.cwd, out)}\n`);
  if (merged.smallestFailing !== null) io.out(`reproduce: ${simCommandLine(merged.spec, merged.smallestFailing)}\n`);
  return merged.smallestFailing === null ? 0 : merged.invalid > 0 ? 1 : merged.crashed > 0 ? 255 : 2;
}

/** `gyre replay RUN_DIR`. */
export async function replayCommand(argv: readonly string[], io: Io): Promise<number> {
  let dir: string | undefined;
  let store: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--store') store = argv[++i];
    else if (a === '--help' || a === '-h') {
      io.out(
        'Usage: gyre replay RUN_DIR [--store DIR]\n\n' +
          'Runs a recorded run again. A gyre sim run is simulated again from its seed; its history and journal must\n' +
          'come out identical. A gyre test run is replayed from its network journal: fresh node processes get the\n' +
          'recorded messages in the recorded order and at the recorded times (with the kills and pauses), and what\n' +
          'each node writes is compared with what it wrote before. Reports the first divergence.\n',
      );
      return 0;
    } else dir = a;
  }
  if (!dir) {
    io.err('Usage: gyre replay RUN_DIR [--store DIR]\n');
    return 254;
  }
  try {
    const r = await replayRun(resolve(io.cwd, dir), { ...(store ? { store: resolve(io.cwd, store) } : {}), log: (m) => io.err(`INFO  ${m}\n`) });
    io.out(`replay: ${r.dir}\n`);
    if (r.nodes) io.out(`messages compared: ${Object.entries(r.nodes).map(([n, c]) => `${n} ${c.replayed}/${c.recorded}`).join(', ')}\n`);
    if (r.identical) {
      io.out(r.mode === 'sim' ? 'identical: same history and journal, byte for byte\n' : 'identical: every node wrote what it wrote in the recorded run\n');
      return 0;
    }
    const d = r.divergence!;
    io.out(
      `DIVERGED at ${d.what}, ${r.mode === 'sim' ? 'line' : 'message'} ${d.index}${d.time !== undefined ? ` (recorded at ${(d.time / 1e9).toFixed(3)} s)` : ''}:\n` +
        `  recorded: ${d.expected ?? '(nothing)'}\n  replayed: ${d.actual ?? '(nothing)'}\n`,
    );
    return 1;
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return 254;
  }
}
