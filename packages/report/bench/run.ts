/**
 * Benchmarks of @gyre/report (`pnpm bench`):
 *
 * 1. `writeReport` for a synthetic 25-node, 20-second broadcast run (~100k journal events, ~4k ops).
 * 2. The interactive Lamport view for 1,000,000 journal events: time to build, size of the page,
 *    and in Chromium the time to open it and to scroll from top to bottom in steps, with the
 *    longest frame.
 *
 * Wall times are the best and the median of several runs; CPU time is this process's user+system
 * time, less sensitive to other load on a shared machine. Prints a Markdown table.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { writeReport } from '../src/write';
import { LamportDataBuilder } from '../src/lamport-data';
import { lamportHtml } from '../src/lamport-html';
import { syntheticBroadcast, writeRunFixture } from '../test/synthetic';
import { browserMissing, launch } from '../test/browser';

/** Runs in the page (as text, so that no build helper leaks into it): scrolls in steps, one frame each. */
const SCROLL_BENCH = `(async function (steps) {
  var L = window.gyreLamport, long = [], obs;
  try {
    obs = new PerformanceObserver(function (list) { list.getEntries().forEach(function (e) { long.push(e.duration); }); });
    obs.observe({ type: 'long-animation-frame', buffered: false });
  } catch (e) { obs = undefined; }
  var frames = [], draws = [];
  function raf() { return new Promise(function (res) { requestAnimationFrame(res); }); }
  var prev = await raf();
  for (var i = 0; i <= steps; i++) {
    L.scrollToFraction(i / steps);
    var now = await raf();
    frames.push(now - prev); prev = now; draws.push(L.lastDrawMs);
  }
  await raf();
  if (obs) obs.disconnect();
  function sorted(xs) { return xs.slice().sort(function (a, b) { return a - b; }); }
  return { steps: steps, maxFrame: Math.max.apply(null, frames), p99Frame: sorted(frames)[Math.floor(frames.length * 0.99)],
    maxDraw: Math.max.apply(null, draws), medianDraw: sorted(draws)[Math.floor(draws.length / 2)],
    longFrames: long.filter(function (d) { return d > 50; }).length, loaf: obs !== undefined, endRow: L.state().topRow };
})(STEPS)`;

interface ScrollResult {
  steps: number;
  maxFrame: number;
  p99Frame: number;
  maxDraw: number;
  medianDraw: number;
  longFrames: number;
  loaf: boolean;
  endRow: number;
}

const rows: [string, string][] = [];
const note = (k: string, v: string) => {
  rows.push([k, v]);
  console.error(`${k}: ${v}`);
};
const ms = (x: number) => `${x.toFixed(0)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed<T>(n: number, f: () => Promise<T> | T): Promise<{ best: number; median: number; cpu: number; last: T }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  let last!: T;
  for (let i = 0; i < n; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    last = await f();
    wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  return { best: Math.min(...wall), median: median(wall), cpu: Math.min(...cpu), last };
}

const dir = mkdtempSync(join(tmpdir(), 'gyre-bench-'));
try {
  note('machine', `${cpus()[0]?.model ?? '?'} × ${cpus().length}, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at start`);

  // 1. A 25-node, 20-second broadcast run.
  const run = syntheticBroadcast({ nodes: 25, seconds: 20, rate: 100, partition: [5, 10], lose: 2, seed: 'bench' });
  const runDir = writeRunFixture(join(dir, 'store'), 'broadcast', '20261125T120301.972+0000', run);
  note('run', `${run.events.length.toLocaleString('en')} journal events, ${run.history.length.toLocaleString('en')} history ops, 25 nodes, 20 s`);
  const w = await timed(7, () => writeReport(runDir, { events: run.events, history: run.history, results: run.results, test: run.test }));
  note('writeReport (all files)', `best ${ms(w.best)}, median ${ms(w.median)}, CPU ${ms(w.cpu)}`);
  note('writeReport steps (last run)', Object.entries(w.last.timings).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ') + ' ms');
  const sizes = w.last.files.map((f) => `${f.split('/').pop()} ${(statSync(f).size / 1024).toFixed(0)} KiB`);
  note('file sizes', sizes.join(', '));

  // 2. One million journal events.
  const big = syntheticBroadcast({ nodes: 25, seconds: 200, rate: 250, seed: 'bench-1m', maxEvents: 1_000_000 });
  note('big run', `${big.events.length.toLocaleString('en')} journal events, ${big.history.length.toLocaleString('en')} history ops`);
  // The deflate writeReport uses (the builder's portable default, CompressionStream, is slower).
  const b = await timed(3, async () => {
    const builder = new LamportDataBuilder({ deflate: (raw) => deflateRawSync(raw, { level: 4 }) });
    for (const ev of big.events) builder.add(ev);
    return lamportHtml(await builder.finish(big.history));
  });
  const page = join(dir, 'messages-1m.html');
  writeFileSync(page, b.last);
  const last = b.last;
  const packedBytes = /id="lamport-data">([^<]*)</.exec(last)![1]!.length;
  note('build messages.html, 1M events', `best ${ms(b.best)}, median ${ms(b.median)}, CPU ${ms(b.cpu)}`);
  note('messages.html size, 1M events', `${(Buffer.byteLength(last) / 1048576).toFixed(1)} MiB (base64 data ${(packedBytes / 1048576).toFixed(1)} MiB)`);

  const missing = browserMissing();
  if (missing) note('browser', missing);
  else {
    const browser = await launch({ width: 1360, height: 900 });
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        const p = await browser.context.newPage();
        const t = performance.now();
        await p.goto(`file://${page}`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
        await p.waitForFunction('window.gyreLamport && window.gyreLamport.ready === true', undefined, { timeout: 120_000, polling: 20 });
        const openMs = performance.now() - t;
        const inPage = (await p.evaluate('({ readyAt: window.gyreLamport.readyAt, decode: window.gyreLamport.loadMs, marks: window.gyreLamport.marks })')) as { readyAt: number; decode: number; marks: Record<string, number> };
        const m = inPage.marks;
        note(
          `open in Chromium (attempt ${attempt + 1})`,
          `${ms(openMs)} until ready; in the page: script starts ${ms(m['start']!)}, base64 ${ms(m['base64']! - m['start']!)}, inflate ${ms(m['inflate']! - m['base64']!)}, decode ${ms(m['decode']! - m['inflate']!)}, index ${ms(m['index']! - m['decode']!)}, first frame at ${ms(inPage.readyAt)}`,
        );
        if (attempt < 2) {
          await p.close();
          continue;
        }
        for (const density of ['0', '2']) {
          await p.selectOption('#density', density);
          const r = (await p.evaluate(SCROLL_BENCH.replace('STEPS', '400'))) as ScrollResult;
          note(
            `scroll top → bottom, rows ${density === '0' ? '20 px' : '5 px'}`,
            `${r.steps} steps to row ${r.endRow.toLocaleString('en')}: frame max ${r.maxFrame.toFixed(1)} ms, p99 ${r.p99Frame.toFixed(1)} ms; draw median ${r.medianDraw.toFixed(2)} ms, max ${r.maxDraw.toFixed(1)} ms; frames over 50 ms: ${r.loaf ? r.longFrames : 'n/a'}`,
          );
        }
        await p.close();
      }
    } finally {
      await browser.close();
    }
  }
  note('load average at end', loadavg().map((x) => x.toFixed(1)).join(' '));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log('| measure | result |\n|---|---|');
for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
