/**
 * Where a warmed run's time goes: `node --conditions=@gyre/source --import tsx bench/profile.ts [RUNS] [WARMUP]`
 * (the benchmark's broadcast scenario; its Raft lin-kv scenario with `RAFT=1`). Profiles RUNS runs
 * (default 10) after WARMUP (default 4) with `node:inspector`, then prints self time by package and
 * the top `TOP` functions (default 40); writes the profile to `$PROFILE_OUT` when set. Without
 * `--conditions=@gyre/source` the packages' built files run, whose line numbers mean something.
 */
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { defaultWorkloadOptions } from '@gyre/workloads';
import { runSeed, type SimSpec } from '../src/index';

const RUNS = Number(process.argv[2] ?? 10);
const WARMUP = Number(process.argv[3] ?? 4);
const repo = new URL('../../../', import.meta.url).pathname;
const nodes = ['n0', 'n1', 'n2', 'n3', 'n4'];
const broadcastSpec: SimSpec = {
  workload: 'broadcast',
  node: repo + 'examples/nodes/broadcast.ts',
  nodeArgs: [],
  options: defaultWorkloadOptions({ nodes, rate: 100, timeLimit: 20, latency: 10, nemesis: ['partition'] }),
  latencyDist: 'exponential',
  nemesisInterval: 10,
  recoveryTime: 10,
};
const spec: SimSpec = process.env['RAFT'] ? { ...broadcastSpec, workload: 'lin-kv', node: repo + 'examples/nodes/raft.ts', options: { ...broadcastSpec.options, nodes: ['n0', 'n1', 'n2'], concurrency: 6, latency: 5 } } : broadcastSpec;
for (let i = 0; i < WARMUP; i++) await runSeed(spec, `warm-up-${i}`, { digest: false });
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
for (let i = 0; i < RUNS; i++) await runSeed(spec, String(i), { digest: false });
const { profile } = await session.post('Profiler.stop');
if (process.env['PROFILE_OUT']) writeFileSync(process.env['PROFILE_OUT'], JSON.stringify(profile));

interface N { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
const byId = new Map<number, N>((profile.nodes as N[]).map((n) => [n.id, n]));
// The profiler's own work (`Profiler.stop`, under node:inspector's `post`) is left out.
const own = new Set<number>();
const mark = (id: number): void => {
  own.add(id);
  for (const c of byId.get(id)!.children ?? []) mark(c);
};
for (const n of byId.values()) if (n.callFrame.url === 'node:inspector' && n.callFrame.functionName === 'post') mark(n.id);
const dt = new Map<number, number>();
const samples = profile.samples ?? [];
const deltas = profile.timeDeltas ?? [];
for (let i = 0; i < samples.length; i++) dt.set(samples[i]!, (dt.get(samples[i]!) ?? 0) + (deltas[i] ?? 0));
let total = 0;
const pkg = new Map<string, number>();
const fn = new Map<string, number>();
for (const [id, t] of dt) {
  if (own.has(id)) continue;
  const n = byId.get(id)!;
  total += t;
  const url = n.callFrame.url;
  const m = /packages\/([^/]+)\/|examples\/|node_modules\/(?:\.pnpm\/)?([^/]+)/.exec(url);
  const p = n.callFrame.functionName === '(garbage collector)' ? 'GC' : m ? (m[1] ?? m[2] ?? 'examples') : url ? url.replace(/^.*\//, '') : n.callFrame.functionName || '(native)';
  pkg.set(p, (pkg.get(p) ?? 0) + t);
  const f = `${n.callFrame.functionName || '(anon)'} ${url.replace(/^.*\/(packages|examples)\//, '')}:${n.callFrame.lineNumber + 1}`;
  fn.set(f, (fn.get(f) ?? 0) + t);
}
const pct = (t: number) => ((100 * t) / total).toFixed(1).padStart(5) + '%';
console.log(`profiled ${(total / 1e6).toFixed(2)} s over ${RUNS} runs`);
for (const [p, t] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(pct(t), p);
console.log('--');
for (const [f, t] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env['TOP'] ?? 40))) console.log(pct(t), f);
