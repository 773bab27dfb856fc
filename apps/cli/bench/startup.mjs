// Start-up time of the built CLI: whole process, wall clock and CPU time, for commands that load
// little (`gyre --version`, `gyre check --help`, `gyre test --help`), next to a bare Node start
// (`node -e 0`) measured in the same loop. The commands take turns, round by round, so a change
// of load hits them alike; 2 warm-up rounds (disk cache) are not counted. Run after a build:
// `node bench/startup.mjs` in apps/cli (RUNS=N for more rounds; GYRE_BENCH_ARGS='["--help"]'
// replaces the commands, to measure a build without --version).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '../../..');
const cli = join(repo, 'apps/cli/dist/cli.js');
const runs = Number(process.env.RUNS ?? 20);
const extra = process.env.GYRE_BENCH_ARGS ? JSON.parse(process.env.GYRE_BENCH_ARGS).map((a) => [a]) : [['--version'], ['check', '--help'], ['test', '--help']];
const commands = [{ name: '`node -e 0` (baseline)', args: ['-e', '0'] }, ...extra.map((a) => ({ name: `\`gyre ${a.flat().join(' ')}\``, args: [cli, ...a.flat()] }))];

/** CPU time of the waited-for children of this process, in ms (Linux: /proc/self/stat cutime + cstime). */
function childCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

function once(args) {
  const cpu0 = childCpuMs();
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const wall = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { wall, cpu: childCpuMs() - cpu0 };
}

const wall = commands.map(() => []);
const cpu = commands.map(() => 0);
for (let round = -2; round < runs; round++) {
  commands.forEach((c, i) => {
    const r = once(c.args);
    if (round < 0) return;
    wall[i].push(r.wall);
    cpu[i] += r.cpu;
  });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(wall[0]);
const baseCpu = cpu[0] / runs;
console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; ${runs} rounds\n`);
console.log('| command | wall median | min | × node -e 0 | CPU per run | × node -e 0 |\n|---|---|---|---|---|---|');
commands.forEach((c, i) => {
  const m = median(wall[i]);
  const perRun = cpu[i] / runs;
  console.log(`| ${c.name} | ${m.toFixed(0)} ms | ${Math.min(...wall[i]).toFixed(0)} ms | ${(m / base).toFixed(2)} | ${perRun.toFixed(0)} ms | ${(perRun / baseCpu).toFixed(2)} |`);
});
