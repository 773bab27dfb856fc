// Harness overhead: wall time of `gyre test -w echo --node-count 1 --time-limit 1` minus the 1 s
// limit, median of several runs, next to two baselines run in the same process: bare Node startup
// and the example node's own startup. Run after a build: `pnpm bench` in apps/cli.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '../../..');
const cli = join(repo, 'apps/cli/dist/cli.js');
const echo = join(repo, 'examples/dist/echo.js');
const runs = Number(process.env.RUNS ?? 7);

function time(cmd, args, input) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const nodeStart = [];
const echoStart = [];
const overhead = [];
for (let i = 0; i < runs; i++) {
  nodeStart.push(time(process.execPath, ['-e', '0']));
  echoStart.push(time(process.execPath, [echo], ''));
  const store = mkdtempSync(join(tmpdir(), 'gyre-bench-'));
  overhead.push(time(process.execPath, [cli, 'test', '-w', 'echo', '--bin', echo, '--node-count', '1', '--time-limit', '1', '--store', store]) - 1000);
  rmSync(store, { recursive: true, force: true });
}
const row = (name, xs) => `| ${name} | ${median(xs).toFixed(0)} ms | ${Math.min(...xs).toFixed(0)} ms | ${Math.max(...xs).toFixed(0)} ms |`;
console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; ${runs} runs each\n`);
console.log('| measure | median | min | max |\n|---|---|---|---|');
console.log(row('`node -e 0` (baseline)', nodeStart));
console.log(row('example echo node start to EOF (baseline)', echoStart));
console.log(row('gyre test -w echo --node-count 1 --time-limit 1, minus 1 s', overhead));
console.log(`\nHarness overhead: ${median(overhead).toFixed(0)} ms median (target ≤ 600 ms), ${(median(overhead) / median(nodeStart)).toFixed(1)}× a bare Node start.`);
