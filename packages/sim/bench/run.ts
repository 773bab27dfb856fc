/**
 * Simulated seconds per wall second: `pnpm bench` (node --conditions=@gyre/source --import tsx bench/run.ts).
 *
 * - broadcast: 5 nodes, rate 100, latency 10 ms (exponential), partitions every 10 s, 20 s (as in
 *   Gossip Glomers' broadcast challenges; read replies carry the whole set, so longer runs cost more per second), the
 *   example node examples/nodes/broadcast.ts (star gossip, batched, resent until acknowledged).
 * - broadcast as a program: the same node and run, loaded as a guide-style module (createNode() at
 *   its top level, bench/broadcast-program.ts); reported with its ratio to the first scenario.
 * - raft: 3 nodes of examples/nodes/raft.ts on lin-kv, rate 100, latency 5 ms, partitions (when
 *   the lin-kv workload is available).
 *
 * One thread, no store (the history stays in memory, as in `gyre sim --seeds`); each scenario runs
 * `WARMUP` runs, then `RUNS` seeds, one seed of every scenario per round (so the machine's load
 * falls on all alike); reported: median simulated s per wall s, and operations per wall s.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { defaultWorkloadOptions, WORKLOADS } from '@gyre/workloads';
import { runSeed, sweep, seedRange, type SimSpec } from '../src/index';

const RUNS = Number(process.env['RUNS'] ?? 5);
/** Runs before measuring: the JIT needs a few to reach full speed (the first run is ~4× slower). */
const WARMUP = Number(process.env['WARMUP'] ?? 3);
const repo = new URL('../../../', import.meta.url).pathname;

function options(nodes: number, over: Partial<SimSpec['options']>): SimSpec['options'] {
  const ns = Array.from({ length: nodes }, (_, i) => `n${i}`);
  return defaultWorkloadOptions({ nodes: ns, concurrency: nodes, rate: 100, timeLimit: 20, latency: 10, nemesis: ['partition'], ...over });
}

const scenarios: { name: string; spec: SimSpec }[] = [
  {
    name: 'broadcast, 5 nodes, rate 100',
    spec: { workload: 'broadcast', node: repo + 'examples/nodes/broadcast.ts', nodeArgs: [], options: options(5, {}), latencyDist: 'exponential', nemesisInterval: 10, recoveryTime: 10 },
  },
  {
    name: 'broadcast as a program (createNode() at top level)',
    spec: { workload: 'broadcast', node: repo + 'packages/sim/bench/broadcast-program.ts', nodeArgs: [], options: options(5, {}), latencyDist: 'exponential', nemesisInterval: 10, recoveryTime: 10 },
  },
];
if (WORKLOADS['lin-kv']) {
  scenarios.push({
    name: 'raft lin-kv, 3 nodes, rate 100',
    spec: { workload: 'lin-kv', node: repo + 'examples/nodes/raft.ts', nodeArgs: [], options: options(3, { concurrency: 6, latency: 5 }), latencyDist: 'exponential', nemesisInterval: 10, recoveryTime: 10 },
  });
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`machine: ${cpus()[0]?.model ?? '?'} × ${availableParallelism()}, load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
interface Figures {
  wall: number[];
  cpu: number[];
  simOnly: number[];
  opsRates: number[];
}
const figures = new Map<string, Figures>(scenarios.map((s) => [s.name, { wall: [], cpu: [], simOnly: [], opsRates: [] }]));
for (const s of scenarios) for (let i = 0; i < WARMUP; i++) await runSeed(s.spec, `warm-up-${i}`, { digest: false });
// Round after round, one seed of each scenario: a change in the machine's load falls on all alike.
for (let i = 0; i < RUNS; i++) {
  for (const s of scenarios) {
    const f = figures.get(s.name)!;
    const c0 = process.cpuUsage();
    const r = await runSeed(s.spec, String(i), { digest: false });
    const c = process.cpuUsage(c0);
    if (r.exitCode !== 0) console.log(`  (${s.name}, seed ${i} did not pass: exit ${r.exitCode}${r.crash ? `, ${r.crash}` : ''})`);
    f.wall.push(r.simSeconds / r.wallSeconds);
    f.cpu.push(r.simSeconds / ((c.user + c.system) / 1e6));
    f.simOnly.push(r.simSeconds / (r.wallSeconds - r.analysisSeconds));
    f.opsRates.push(r.size.ops / r.wallSeconds);
  }
}
const base = figures.get(scenarios[0]!.name)!;
for (const s of scenarios) {
  const f = figures.get(s.name)!;
  const ratio = s.name.includes('as a program')
    ? ` (${(median(f.wall) / median(base.wall)).toFixed(2)}× the install-function scenario per wall s, ${(median(f.cpu) / median(base.cpu)).toFixed(2)}× per CPU s)`
    : '';
  console.log(
    `${s.name}: ${median(f.wall).toFixed(0)} simulated s per wall s, ${median(f.cpu).toFixed(0)} per CPU s; ` +
      `${median(f.simOnly).toFixed(0)} per wall s without the checkers; ${median(f.opsRates).toFixed(0)} ops per wall s (runs: ${f.wall.map((x) => x.toFixed(0)).join(' ')})${ratio}`,
  );
}
if (process.env['SWEEP']) {
  const s = scenarios[0]!;
  const n = Number(process.env['SWEEP']);
  const out = await sweep({ spec: s.spec, seeds: seedRange(100, n) });
  const sim = out.results.reduce((a, r) => a + r.simSeconds, 0);
  console.log(`sweep of ${n} seeds of ${s.name} on ${out.workers} workers: ${out.wallSeconds.toFixed(1)} s, ${(sim / out.wallSeconds).toFixed(0)} simulated s per wall s`);
}
console.log(`load after: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
