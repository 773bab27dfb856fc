// Start-up time of the built CLI, whole process: wall clock and CPU time of commands that do
// little (`gyre --version`, `gyre --help`, `gyre check --help`, `gyre test --help`), next to two
// baselines measured in the same loop: a bare Node start (`node -e 0`) and Node loading an empty
// ES module (`node bench/empty.mjs`; the CLI is ESM, so it pays the ES module loader's start too).
// The commands take turns, round by round, so a change of load hits them alike; 2 warm-up rounds
// (disk cache) are not counted. CPU time (user + system of the child, from /proc/self/stat) is the
// steadier figure on a loaded machine.
//
// Run after a build: `node bench/startup.mjs` in apps/cli (RUNS=N for more rounds).
// GYRE_CLI_BEFORE=path/to/an/older/dist/cli.js adds the same commands run by an older build
// (`--help` in place of `--version`, which older builds lack), for a before/after comparison.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '../../..');
const cli = join(repo, 'apps/cli/dist/cli.js');
const runs = Number(process.env.RUNS ?? 20);
const before = process.env.GYRE_CLI_BEFORE ? resolve(process.env.GYRE_CLI_BEFORE) : undefined;

const commands = [
  { name: '`node -e 0` (baseline)', args: ['-e', '0'] },
  { name: '`node empty.mjs` (baseline)', args: [join(import.meta.dirname, 'empty.mjs')] },
  ...[['--version'], ['--help'], ['check', '--help'], ['test', '--help']].map((a) => ({ name: `\`gyre ${a.join(' ')}\``, args: [cli, ...a] })),
  ...(before ? [['--help'], ['check', '--help'], ['test', '--help']].map((a) => ({ name: `\`gyre ${a.join(' ')}\`, before`, args: [before, ...a] })) : []),
];

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
console.log('| command | wall median | wall min | × `node -e 0` | CPU per run | × `node -e 0` |\n|---|---|---|---|---|---|');
commands.forEach((c, i) => {
  const m = median(wall[i]);
  const perRun = cpu[i] / runs;
  console.log(`| ${c.name} | ${m.toFixed(0)} ms | ${Math.min(...wall[i]).toFixed(0)} ms | ${(m / base).toFixed(2)} | ${perRun.toFixed(0)} ms | ${(perRun / baseCpu).toFixed(2)} |`);
});
