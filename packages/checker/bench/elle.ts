/**
 * Benchmark of the Elle-style list-append checker.
 *
 *   node --conditions=@gyre/source --import tsx bench/elle.ts [--sizes 100000,1000000] [--seed 1]
 *
 * Generates strict-serializable list-append histories with a seeded simulator (10 concurrent
 * clients, 10 active keys, up to 4 micro-ops per transaction, 16 appends per key), checks them
 * under strict-serializable (so real-time edges are built), and prints a Markdown table:
 * transactions per second (wall clock, main thread), process CPU time, memory per transaction,
 * and the time ratio between the largest and smallest size (medians and best of `--repeat` checks,
 * default 5). Then it times Elle's huge-scc.edn.
 *
 * Memory per transaction is (heap used + array buffers, shared ones included, + other off-heap
 * memory) right after the check minus the same right before it (after a full GC), divided by the
 * transaction count: what the check allocated and had not released when it returned. It is read
 * before any GC can reclaim the check's structures, so it bounds their peak from above unless a
 * major GC ran during the check. The resident set growth is shown too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseHistoryEdn, seededRandom } from '@gyre/history';
import { checkListAppend } from '../src/elle/index';
import { simulate } from '../src/elle/sim';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
}

const sizes = arg('sizes', '100000,1000000').split(',').map(Number);
const seed = arg('seed', '1');
const repeat = Number(arg('repeat', '5'));

interface Row {
  name: string;
  txns: number;
  wall: number;
  best?: number;
  cpu: number;
  bytes: number;
  rss: number;
  valid: unknown;
}

/** Heap, all array buffers (shared ones are not in `external`), and other off-heap memory. */
function footprint(m: NodeJS.MemoryUsage): number {
  return m.heapUsed + m.arrayBuffers + Math.max(0, m.external - m.arrayBuffers);
}

function measure(name: string, history: Parameters<typeof checkListAppend>[0], txns: number): Row {
  gc();
  gc();
  const m0 = process.memoryUsage();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const res = checkListAppend(history);
  const wall = performance.now() - t0;
  const c1 = process.cpuUsage(c0);
  const m1 = process.memoryUsage();
  return {
    name,
    txns,
    wall,
    cpu: (c1.user + c1.system) / 1000,
    bytes: footprint(m1) - footprint(m0),
    rss: m1.rss - m0.rss,
    valid: res.valid,
  };
}

function sharedData(): string | undefined {
  const env = process.env['GYRE_SHARED_DATA'];
  if (env) return env;
  const here = import.meta.dirname;
  const direct = resolve(here, '../../../../shared/data');
  if (existsSync(join(direct, 'elle'))) return direct;
  for (let d = here; dirname(d) !== d; d = dirname(d)) if (existsSync(join(d, 'shared/data/elle'))) return join(d, 'shared/data');
  return undefined;
}

const fmt = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const rows: Row[] = [];
for (const n of sizes) {
  const t0 = performance.now();
  const history = simulate(seededRandom(`${seed}/${n}`), { txns: n, concurrency: 10 });
  const gen = performance.now() - t0;
  process.stderr.write(`generated ${fmt(n)} transactions (${fmt(history.length)} ops) in ${fmt(gen / 1000, 1)} s\n`);
  if (rows.length === 0) {
    // Warm the JIT on the first size, then measure.
    checkListAppend(history);
  }
  // Median time of `repeat` checks; memory from the first.
  const runs = Array.from({ length: repeat }, () => measure(`generated, ${fmt(n)} txns`, history, n));
  const byWall = [...runs].sort((a, b) => a.wall - b.wall);
  const row = { ...byWall[Math.floor(runs.length / 2)]!, bytes: runs[0]!.bytes, rss: runs[0]!.rss, best: byWall[0]!.wall };
  process.stderr.write(`checked in ${runs.map((r) => fmt(r.wall / 1000, 2)).join(', ')} s: valid ${String(row.valid)}\n`);
  rows.push(row);
}

const data = sharedData();
let huge: { wall: number; types: string; txns: number } | undefined;
if (data) {
  const h = parseHistoryEdn(readFileSync(join(data, 'elle', 'huge-scc.edn'), 'utf8'));
  checkListAppend(h);
  const runs: number[] = [];
  let types = '';
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const res = checkListAppend(h);
    runs.push(performance.now() - t0);
    types = `${String(res.valid)}: ${(res.anomalyTypes ?? []).join(', ')}`;
  }
  runs.sort((a, b) => a - b);
  huge = { wall: runs[2]!, types, txns: h.filter((op) => op.type !== 'invoke').length };
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`Machine: ${cpus().length} × ${cpu}, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
console.log('| history | transactions | check, median (s) | best (s) | process CPU (s) | txn/s (median) | txn/s (best) | txn/s (CPU time) | memory / txn | RSS growth / txn | valid |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const r of rows) {
  const best = r.best ?? r.wall;
  console.log(
    `| ${r.name} | ${fmt(r.txns)} | ${fmt(r.wall / 1000, 2)} | ${fmt(best / 1000, 2)} | ${fmt(r.cpu / 1000, 2)} | ${fmt(r.txns / (r.wall / 1000))} | ${fmt(r.txns / (best / 1000))} | ${fmt(r.txns / (r.cpu / 1000))} | ${fmt(r.bytes / r.txns)} B | ${fmt(r.rss / r.txns)} B | ${String(r.valid)} |`,
  );
}
if (rows.length >= 2) {
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  console.log(
    `\nTime ratio ${fmt(last.txns)} / ${fmt(first.txns)} transactions: ${fmt(last.wall / first.wall, 1)} (medians), ${fmt((last.best ?? last.wall) / (first.best ?? first.wall), 1)} (best); linear would be ${fmt(last.txns / first.txns, 1)}`,
  );
}
if (huge) console.log(`\nhuge-scc.edn (${fmt(huge.txns)} transactions, one SCC): ${fmt(huge.wall)} ms (median of 5), ${huge.types}`);
else console.log('\nhuge-scc.edn: shared data not found (set GYRE_SHARED_DATA)');
