/**
 * Benchmark of the Elle-style list-append checker, as a library and as the `gyre check` command.
 *
 *   node --expose-gc --conditions=@gyre/source --import tsx bench/elle.ts [--sizes 100000,1000000] [--seed 1] [--repeat 5] [--keep DIR] [--compare CLI]
 *
 * 1. Generates strict-serializable list-append histories with the seeded simulator (10 concurrent
 *    clients, 10 active keys, 1–4 micro-ops per transaction, 16 appends per key) and writes each
 *    as JSON Lines and as EDN (one op map per line, Jepsen's keywords) into a temporary directory,
 *    removed at the end (`--keep DIR` writes them there instead and reuses them next time).
 * 2. Whole process, first run: `node apps/cli/dist/cli.js check --model list-append FILE` (the
 *    CLI must be built), with, measured in the same command, two baselines: `node -e 0` (start-up)
 *    and a Node process that reads the JSON Lines file and runs the native `JSON.parse` on every
 *    line. Wall time, CPU time (user + system) and peak RSS of each child (read from
 *    `process.resourceUsage()` at its exit); the load average before and after each figure.
 *    `--compare CLI` (another build's `cli.js`, say a copy of main's `apps/cli/dist`) runs that
 *    build's `gyre check` right after each of this one's, `--repeat` times interleaved, and
 *    reports the medians side by side, with their ratio.
 * 3. In process, check only (warmed, median of `--repeat`): `checkListAppend` on the column-wise
 *    history read from the JSON Lines file (`gyre check`'s path), and on the simulator's `Op`
 *    objects (the path of a run's own checker and of `gyre analyze`), with the time to read the
 *    file into columns. Memory per transaction is heap + array buffers + other off-heap memory
 *    right after the check minus right before it (after a full GC): what the check allocated and
 *    still held when it returned.
 * 4. Elle's `huge-scc.edn` (one component of 10,348 transactions), in process.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Keyword, formatOpEdn, formatOpJson, parseHistoryEdn, seededRandom, type Op } from '@gyre/history';
import { sharedData } from '../../../scripts/shared-data.mjs';
import { TxnJsonlReader, checkListAppend, type TxnHistory } from '../src/elle/index';
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
const keep = arg('keep', '');
const compare = arg('compare', '') ? resolve(arg('compare', '')) : '';
const dir = keep ? resolve(keep) : mkdtempSync(join(tmpdir(), 'gyre-bench-elle-'));
mkdirSync(dir, { recursive: true });
const CLI = resolve(import.meta.dirname, '../../../apps/cli/dist/cli.js');

const fmt = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const load = () => loadavg()[0]!.toFixed(1);

/** Writes ops one per line, in batches (a 1M-op history is too big for one string). */
function writeLines(path: string, history: readonly Op[], line: (op: Op) => string): void {
  const fd = openSync(path, 'w');
  try {
    for (let i = 0; i < history.length; i += 10_000) writeSync(fd, history.slice(i, i + 10_000).map(line).join('\n') + '\n');
  } finally {
    closeSync(fd);
  }
}
const ednLine = (op: Op) => formatOpEdn(op, (v) => (Array.isArray(v) ? v.map((m) => (Array.isArray(m) ? [new Keyword(m[0] as string), m[1], m[2]] : m)) : v));

// ---------------------------------------------------------------------------------------------
// Whole process.

/** Reports the child's resource usage on fd 3 when it exits. */
const USAGE_HOOK =
  'data:text/javascript,' +
  encodeURIComponent('import{writeSync}from"node:fs";process.on("exit",()=>{try{writeSync(3,JSON.stringify(process.resourceUsage()))}catch{}});');

interface ProcessRun {
  wall: number;
  cpu: number;
  rss: number;
  code: number | null;
  out: string;
  loadBefore: string;
  loadAfter: string;
}

function run(args: string[]): ProcessRun {
  const loadBefore = load();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', USAGE_HOOK, ...args], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], maxBuffer: 1 << 28, encoding: 'utf8' });
  const wall = performance.now() - t0;
  const usage = JSON.parse((r.output[3] as string | null) || '{}') as { userCPUTime?: number; systemCPUTime?: number; maxRSS?: number };
  return {
    wall,
    cpu: ((usage.userCPUTime ?? NaN) + (usage.systemCPUTime ?? NaN)) / 1000,
    rss: (usage.maxRSS ?? NaN) * 1024,
    code: r.status,
    out: (r.stdout ?? '') + (r.stderr ?? ''),
    loadBefore,
    loadAfter: load(),
  };
}

const PARSE_ALL =
  'const fs=require("fs");const t=fs.readFileSync(process.argv[1],"utf8");let n=0,s=0;for(;;){let e=t.indexOf("\\n",s);if(e<0)e=t.length;if(e>s){JSON.parse(t.slice(s,e));n++}if(e>=t.length)break;s=e+1}if(n===0)process.exit(1)';

interface Row {
  what: string;
  txns: number;
  r: ProcessRun;
  base?: ProcessRun;
  /** The `--compare` build on the same file. */
  other?: ProcessRun;
}

/** The run of median wall time. */
function median(runs: ProcessRun[]): ProcessRun {
  return [...runs].sort((a, b) => a.wall - b.wall)[Math.floor(runs.length / 2)]!;
}
const processRows: Row[] = [];

// ---------------------------------------------------------------------------------------------
// In process.

function footprint(m: NodeJS.MemoryUsage): number {
  return m.heapUsed + m.arrayBuffers + Math.max(0, m.external - m.arrayBuffers);
}

interface Check {
  wall: number;
  best: number;
  cpu: number;
  bytes: number;
  valid: unknown;
}

/** Median wall time, CPU time and memory of `repeat` checks (after one to warm up). */
function measure(check: () => { valid: unknown }): Check {
  check();
  const runs: Check[] = [];
  for (let i = 0; i < repeat; i++) {
    gc();
    gc();
    const m0 = process.memoryUsage();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const res = check();
    const wall = performance.now() - t0;
    const c1 = process.cpuUsage(c0);
    const m1 = process.memoryUsage();
    runs.push({ wall, best: wall, cpu: (c1.user + c1.system) / 1000, bytes: footprint(m1) - footprint(m0), valid: res.valid });
  }
  const byWall = [...runs].sort((a, b) => a.wall - b.wall);
  return { ...byWall[Math.floor(runs.length / 2)]!, best: byWall[0]!.wall, bytes: runs[0]!.bytes };
}

function readColumns(path: string): TxnHistory {
  const reader = new TxnJsonlReader({ bytes: statSync(path).size });
  const fd = openSync(path, 'r');
  const buf = new Uint8Array(1 << 20);
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) reader.push(n === buf.length ? buf : buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return reader.end();
}

interface InRow {
  txns: number;
  read: number;
  columns: Check;
  ops: Check;
  load: string;
}
const inRows: InRow[] = [];

// ---------------------------------------------------------------------------------------------

const haveCli = existsSync(CLI);
const idle = haveCli ? run(['-e', '0']) : undefined;
for (const n of sizes) {
  const jsonl = join(dir, `list-append-${n}-seed-${seed}.jsonl`);
  const edn = join(dir, `list-append-${n}-seed-${seed}.edn`);
  let history: Op[] | undefined;
  const generate = () => (history ??= simulate(seededRandom(`${seed}/${n}`), { txns: n, concurrency: 10 }));
  if (!existsSync(jsonl) || !existsSync(edn)) {
    const t0 = performance.now();
    writeLines(jsonl, generate(), formatOpJson);
    writeLines(edn, generate(), ednLine);
    process.stderr.write(`generated ${fmt(n)} transactions in ${fmt((performance.now() - t0) / 1000, 1)} s: ${jsonl} (${fmt(statSync(jsonl).size / 1e6)} MB), .edn (${fmt(statSync(edn).size / 1e6)} MB)\n`);
  }
  // In process on the simulator's ops first (then they are dropped: a heap of a million op objects
  // would slow down everything after it).
  const onOps = ((ops: Op[]) => measure(() => checkListAppend(ops)))(generate());
  history = undefined;
  gc();
  if (haveCli) {
    for (const [what, file] of [
      ['JSON Lines', jsonl],
      ['EDN', edn],
    ] as const) {
      const mine: ProcessRun[] = [];
      const theirs: ProcessRun[] = [];
      for (let i = 0; i < (compare ? repeat : 1); i++) {
        const r = run([CLI, 'check', '--model', 'list-append', file]);
        if (r.code !== 0) throw new Error(`gyre check ${file} exited ${r.code}:\n${r.out.slice(-2000)}`);
        mine.push(r);
        if (compare) theirs.push(run([compare, 'check', '--model', 'list-append', file]));
      }
      const r = median(mine);
      const base = what === 'JSON Lines' ? run(['-e', PARSE_ALL, jsonl]) : undefined;
      processRows.push({ what, txns: n, r, ...(base ? { base } : {}), ...(compare ? { other: median(theirs) } : {}) });
      process.stderr.write(`gyre check ${what} ${fmt(n)}: ${fmt(r.wall / 1000, 2)} s\n`);
    }
  }
  // In process on the columns read from the file.
  const t0 = performance.now();
  const columns = readColumns(jsonl);
  const read = performance.now() - t0;
  const onColumns = measure(() => checkListAppend(columns));
  inRows.push({ txns: n, read, columns: onColumns, ops: onOps, load: load() });
  process.stderr.write(`in process ${fmt(n)}: columns ${fmt(onColumns.wall / 1000, 2)} s, ops ${fmt(onOps.wall / 1000, 2)} s\n`);
}

const data = sharedData();
let huge: { wall: number; types: string; txns: number } | undefined;
if (data) {
  const h = parseHistoryEdn(readFileSync(join(data, 'elle', 'huge-scc.edn'), 'utf8'));
  let types = '';
  const c = measure(() => {
    const res = checkListAppend(h);
    types = `${String(res.valid)}: ${(res.anomalyTypes ?? []).join(', ')}`;
    return res;
  });
  huge = { wall: c.wall, types, txns: h.filter((op) => op.type !== 'invoke').length };
}
if (!keep) rmSync(dir, { recursive: true, force: true });

// ---------------------------------------------------------------------------------------------
// Report.

const out: string[] = [];
out.push(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; seed ${seed}.`);
out.push('');
if (!haveCli) out.push(`Whole process: skipped (build the CLI first: ${CLI} is missing).`);
else {
  out.push(`Whole process, first run (\`gyre check --model list-append FILE\`, exit 0, valid${compare ? `; median of ${repeat}, interleaved with ${compare}` : ''}). Baselines measured in the same command: \`node -e 0\` took ${fmt(idle!.wall)} ms wall, ${fmt(idle!.rss / 1e6)} MB; "JSON.parse" is a Node process that reads the same JSON Lines file and runs the native JSON.parse on every line.`);
  out.push('');
  out.push('| input | transactions | gyre check wall (s) | CPU (s) | txn/s (wall) | peak RSS | RSS / txn | JSON.parse wall (s) | ratio to JSON.parse | load avg before → after |');
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const { what, txns, r } of processRows) {
    const base = processRows.find((x) => x.txns === txns && x.base)?.base;
    out.push(
      `| ${what} | ${fmt(txns)} | ${fmt(r.wall / 1000, 2)} | ${fmt(r.cpu / 1000, 2)} | ${fmt(txns / (r.wall / 1000))} | ${fmt(r.rss / 1e6)} MB | ${fmt(r.rss / txns)} B | ${base ? fmt(base.wall / 1000, 2) : ''} | ${base ? fmt(r.wall / base.wall, 2) : ''} | ${r.loadBefore} → ${r.loadAfter} |`,
    );
  }
  if (compare) {
    out.push('');
    out.push(`Against ${compare}, run right after each of the above (medians):`);
    out.push('');
    out.push('| input | transactions | this wall (s) | CPU (s) | peak RSS | other wall (s) | CPU (s) | peak RSS | ratio wall | ratio CPU |');
    out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const { what, txns, r, other: o } of processRows) {
      if (!o) continue;
      out.push(
        `| ${what} | ${fmt(txns)} | ${fmt(r.wall / 1000, 2)} | ${fmt(r.cpu / 1000, 2)} | ${fmt(r.rss / 1e6)} MB | ${fmt(o.wall / 1000, 2)} | ${fmt(o.cpu / 1000, 2)} | ${fmt(o.rss / 1e6)} MB | ${fmt(r.wall / o.wall, 2)} | ${fmt(r.cpu / o.cpu, 2)} |`,
      );
    }
  }
}
out.push('');
out.push(`In process, warmed, median of ${repeat} (best in parentheses); "read" is the first read of the JSON Lines file into columns.`);
out.push('');
out.push('| transactions | read (s) | check, columns (s) | CPU (s) | txn/s | memory / txn | check, Op objects (s) | CPU (s) | memory / txn | load avg |');
out.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const r of inRows) {
  const c = r.columns;
  const o = r.ops;
  out.push(
    `| ${fmt(r.txns)} | ${fmt(r.read / 1000, 2)} | ${fmt(c.wall / 1000, 2)} (${fmt(c.best / 1000, 2)}) | ${fmt(c.cpu / 1000, 2)} | ${fmt(r.txns / (c.wall / 1000))} | ${fmt(c.bytes / r.txns)} B | ${fmt(o.wall / 1000, 2)} (${fmt(o.best / 1000, 2)}) | ${fmt(o.cpu / 1000, 2)} | ${fmt(o.bytes / r.txns)} B | ${r.load} |`,
  );
}
if (inRows.length >= 2) {
  const a = inRows[0]!;
  const b = inRows[inRows.length - 1]!;
  out.push('');
  out.push(
    `Ratio ${fmt(b.txns)} / ${fmt(a.txns)} transactions, check on columns: ${fmt(b.columns.cpu / a.columns.cpu, 1)} by CPU time, ${fmt(b.columns.wall / a.columns.wall, 1)} by wall time (medians); linear would be ${fmt(b.txns / a.txns, 1)}.`,
  );
}
out.push('');
out.push(huge ? `huge-scc.edn (${fmt(huge.txns)} transactions, one SCC), in process: ${fmt(huge.wall)} ms (median of ${repeat}), ${huge.types}` : 'huge-scc.edn: shared data not found (set GYRE_SHARED_DATA)');
console.log(out.join('\n'));
