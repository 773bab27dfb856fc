// `gyre check` as a whole process (start-up, reading, parsing, checking, explaining, output) on
// the reference histories of /work/shared/data (or GYRE_SHARED_DATA) and on two generated JSON
// Lines histories, next to baselines run in the same command, interleaved: a bare Node start
// (`node -e 0`) and, for the JSON Lines files, a Node process that reads the file and calls native
// `JSON.parse` on each line. Porcupine's figures are quoted from issue 17 (measured elsewhere:
// whole process, Go 1.19, 2 vCPUs), not run here. Run after a build: `pnpm bench` in apps/cli.
//
//   node bench/check.mjs [--runs 5] [--big] [--against OLD/cli.js] [--only lin]
//   --big adds the 1,000,000-op sequential register (167 MB); --against runs every case with another
//   build too (a copy of an older apps/cli/dist), interleaved, and prints both; --only runs only the
//   cases whose name contains this text.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { requireSharedData as sharedData } from '../../../scripts/shared-data.mjs';

const repo = resolve(import.meta.dirname, '../../..');
const cli = join(repo, 'apps/cli/dist/cli.js');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const runs = Number(arg('runs', process.env.RUNS ?? 5));
const big = process.argv.includes('--big');
const against = arg('against', undefined);
const only = arg('only', undefined);

const data = sharedData();
const etcd = readdirSync(join(data, 'etcd'))
  .filter((f) => /^etcd_\d{3}\.log$/.test(f) && f !== 'etcd_095.log')
  .sort()
  .map((f) => join(data, 'etcd', f));

// The generated histories, written by the checker's scaling benchmark (same generators, same seed).
const dir = mkdtempSync(join(tmpdir(), 'gyre-check-bench-'));
const seqOps = big ? 1_000_000 : 0;
const w = spawnSync(process.execPath, ['--conditions=@gyre/source', '--import', 'tsx', 'bench/scale.ts', '--write', dir, '--seq', String(Math.max(seqOps, 1)), '--kv', '100000'], { cwd: join(repo, 'packages/checker'), stdio: ['ignore', 'ignore', 'inherit'] });
if (w.status !== 0) throw new Error('could not write the generated histories');

const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
/** Wall seconds (and CPU seconds and peak RSS when /usr/bin/time exists) of one process. */
function run(args, expect) {
  const t = process.hrtime.bigint();
  const r = timeBin
    ? spawnSync(timeBin, ['-f', 'TIME %U %S %M', process.execPath, ...args], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 })
    : spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== expect) throw new Error(`node ${args.join(' ').slice(0, 200)} exited ${r.status}, expected ${expect}: ${String(r.stderr).slice(-500)}`);
  const m = /TIME ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(String(r.stderr));
  return { wall, cpu: m ? Number(m[1]) + Number(m[2]) : NaN, rss: m ? Number(m[3]) / 1024 : NaN };
}

const nodeE0 = ['-e', '0'];
const jsonLines = (file) => ['-e', `const t=require('fs').readFileSync(${JSON.stringify(file)},'utf8');for(const l of t.split('\\n'))if(l)JSON.parse(l)`];
const cases = [
  { name: 'etcd, 102 logs, one process (cas-register)', args: [cli, 'check', '--model', 'cas-register', ...etcd], code: 1, porcupine: 0.72 },
  { name: 'kv c50-ok (kv)', args: [cli, 'check', '--model', 'kv', join(data, 'kv', 'c50-ok.txt')], code: 0, porcupine: 0.26 },
  { name: 'kv c50-bad (kv)', args: [cli, 'check', '--model', 'kv', join(data, 'kv', 'c50-bad.txt')], code: 1 },
  { name: 'lin-kv, 100,000 ops, 8 keys (JSON Lines)', args: [cli, 'check', '--model', 'lin-kv', join(dir, 'lin-kv-100000.jsonl')], code: 0, porcupine: 1.28, json: join(dir, 'lin-kv-100000.jsonl') },
];
if (big) cases.push({ name: 'sequential register, 1,000,000 ops (JSON Lines)', args: [cli, 'check', '--model', 'register', join(dir, `sequential-register-${seqOps}.jsonl`)], code: 0, json: join(dir, `sequential-register-${seqOps}.jsonl`) });
if (only !== undefined) cases.splice(0, cases.length, ...cases.filter((c) => c.name.includes(only)));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load0 = loadavg();
const base = [];
const results = cases.map(() => ({ runs: [], json: [], other: [] }));
for (let i = 0; i < runs; i++) {
  base.push(run(nodeE0, 0));
  cases.forEach((c, k) => {
    results[k].runs.push(run(c.args, c.code));
    if (against) results[k].other.push(run([resolve(against), ...c.args.slice(1)], c.code));
    if (c.json) results[k].json.push(run(jsonLines(c.json), 0));
  });
}
const load1 = loadavg();
rmSync(dir, { recursive: true, force: true });

const s = (x) => (Number.isNaN(x) ? '—' : `${x.toFixed(2)} s`);
const mb = (x) => (Number.isNaN(x) ? '—' : `${x.toFixed(0)} MB`);
const b = median(base.map((r) => r.wall));
console.log(`${cpus().length} vCPU (${cpus()[0]?.model ?? '?'}), Node ${process.version}; load average ${load0.map((x) => x.toFixed(1)).join(' ')} → ${load1.map((x) => x.toFixed(1)).join(' ')}; ${runs} runs of each, interleaved; the first run of each is its first process (files possibly not yet in the page cache).\n`);
console.log('| whole process | median wall | first run | min | CPU (user+sys, median) | peak RSS | `node -e 0` (baseline) | ÷ baseline | JSON.parse of each line (baseline) | Porcupine (elsewhere) | ÷ Porcupine | target |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
console.log(`| \`node -e 0\` | ${s(b)} | ${s(base[0].wall)} | ${s(Math.min(...base.map((r) => r.wall)))} | ${s(median(base.map((r) => r.cpu)))} | ${mb(median(base.map((r) => r.rss)))} | | | | | | |`);
cases.forEach((c, k) => {
  const r = results[k].runs;
  const m = median(r.map((x) => x.wall));
  const json = results[k].json.length ? s(median(results[k].json.map((x) => x.wall))) : '—';
  console.log(
    `| ${c.name} | ${s(m)} | ${s(r[0].wall)} | ${s(Math.min(...r.map((x) => x.wall)))} | ${s(median(r.map((x) => x.cpu)))} | ${mb(median(r.map((x) => x.rss)))} | ${s(b)} | ${(m / b).toFixed(1)}× | ${json} | ${c.porcupine ? `${c.porcupine.toFixed(2)} s` : '—'} | ${c.porcupine ? `${(m / c.porcupine).toFixed(2)}×` : '—'} | ${c.porcupine && c.porcupine < 1 ? '≤ 0.5×' : ''} |`,
  );
});
if (against) {
  console.log(`\nThe same cases with ${against} (runs interleaved with the ones above):\n`);
  console.log('| whole process | this build: wall, CPU, peak RSS (medians) | other build: wall, CPU, peak RSS (medians) | this ÷ other (wall, CPU) |');
  console.log('|---|---|---|---|');
  cases.forEach((c, k) => {
    const med = (xs, f) => median(xs.map(f));
    const [a, o] = [results[k].runs, results[k].other];
    const w = (xs) => `${s(med(xs, (x) => x.wall))}, ${s(med(xs, (x) => x.cpu))}, ${mb(med(xs, (x) => x.rss))}`;
    console.log(`| ${c.name} | ${w(a)} | ${w(o)} | ${(med(a, (x) => x.wall) / med(o, (x) => x.wall)).toFixed(2)}×, ${(med(a, (x) => x.cpu) / med(o, (x) => x.cpu)).toFixed(2)}× |`);
  });
}
