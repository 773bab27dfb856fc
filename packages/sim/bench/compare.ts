/**
 * Two versions of the simulator on the benchmark's broadcast scenario, in one process, so that
 * both see the same machine: `node --conditions=@gyre/source --import tsx bench/compare.ts OLD NEW [RUNS] [WARMUP]`
 * where OLD and NEW are checkouts of the repository (with `pnpm install` run in each; NEW defaults
 * to this one). Runs alternate (A B, B A, …) after WARMUP runs of each; reported: median simulated
 * seconds per wall second and per CPU second of the process, and their ratios. Whichever version
 * is imported first runs a few per cent faster in one process, so run it in both orders
 * (`NEW_FIRST=1` imports NEW first) and average the ratios. `RAFT=1` runs the benchmark's Raft
 * lin-kv scenario instead (the node must be an install function in both checkouts).
 */
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defaultWorkloadOptions } from '@gyre/workloads';

const here = fileURLToPath(new URL('../../../', import.meta.url));
const checkout = (r: string | undefined): string => {
  if (!r) throw new Error('usage: bench/compare.ts OLD_CHECKOUT [NEW_CHECKOUT] [RUNS] [WARMUP]');
  return r.replace(/\/$/, '') + '/';
};
const oldRepo = checkout(process.argv[2]);
const newRepo = checkout(process.argv[3] ?? here);
const RUNS = Number(process.argv[4] ?? 12);
const WARMUP = Number(process.argv[5] ?? 4);

interface Side {
  name: string;
  runSeed: (spec: unknown, seed: string, o: { digest: boolean }) => Promise<{ simSeconds: number; wallSeconds: number }>;
  spec: unknown;
  wall: number[];
  cpu: number[];
}

async function side(name: string, repo: string): Promise<Side> {
  const sim = (await import(repo + 'packages/sim/src/index.ts')) as Pick<Side, 'runSeed'>;
  const nodes = ['n0', 'n1', 'n2', 'n3', 'n4'];
  const options = defaultWorkloadOptions({ nodes, rate: 100, timeLimit: 20, latency: 10, nemesis: ['partition'] });
  const spec = process.env['RAFT']
    ? { workload: 'lin-kv', node: repo + 'examples/nodes/raft.ts', nodeArgs: [], options: { ...options, nodes: nodes.slice(0, 3), concurrency: 6, latency: 5 }, latencyDist: 'exponential', nemesisInterval: 10, recoveryTime: 10 }
    : { workload: 'broadcast', node: repo + 'examples/nodes/broadcast.ts', nodeArgs: [], options, latencyDist: 'exponential', nemesisInterval: 10, recoveryTime: 10 };
  return { name, runSeed: sim.runSeed, spec, wall: [], cpu: [] };
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

async function compare(order: [string, string][]): Promise<{ wall: number; cpu: number }> {
  const sides: Side[] = [];
  for (const [name, repo] of order) sides.push(await side(name, repo));
  for (const s of sides) {
    for (let i = 0; i < Math.max(1, WARMUP); i++) await s.runSeed(s.spec, `warm-up-${i}`, { digest: false });
    // Each version's simulator installs its own node host in the thread while it loads the node
    // module (once, then cached); the broadcast node is an install function, which needs no host
    // afterwards, so the next version may install its own.
    delete (globalThis as Record<symbol, unknown>)[Symbol.for('gyre.node.host')];
  }
  for (let i = 0; i < RUNS; i++) {
    for (const s of i % 2 ? [...sides].reverse() : sides) {
      const c0 = process.cpuUsage();
      const r = await s.runSeed(s.spec, String(i), { digest: false });
      const c = process.cpuUsage(c0);
      s.wall.push(r.simSeconds / r.wallSeconds);
      s.cpu.push(r.simSeconds / ((c.user + c.system) / 1e6));
    }
  }
  for (const s of sides) console.log(`  ${s.name}: ${median(s.wall).toFixed(0)} simulated s per wall s, ${median(s.cpu).toFixed(0)} per CPU s (runs ${s.wall.map((x) => x.toFixed(0)).join(' ')})`);
  const [o, n] = sides[0]!.name === 'old' ? [sides[0]!, sides[1]!] : [sides[1]!, sides[0]!];
  return { wall: median(n.wall) / median(o.wall), cpu: median(n.cpu) / median(o.cpu) };
}

const newFirst = Boolean(process.env['NEW_FIRST']);
console.log(`machine: ${cpus()[0]?.model ?? '?'} × ${cpus().length}, load ${load()}; ${WARMUP} warm-up and ${RUNS} measured runs of each, ${newFirst ? 'new' : 'old'} imported first`);
const pair: [string, string][] = [
  ['old', oldRepo],
  ['new', newRepo],
];
const ratio = await compare(newFirst ? [pair[1]!, pair[0]!] : pair);
console.log(`new/old: ${ratio.wall.toFixed(2)} per wall s, ${ratio.cpu.toFixed(2)} per CPU s; load after: ${load()}`);
