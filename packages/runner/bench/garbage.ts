/**
 * The error path's benchmark (issue 15): one node floods bad lines on STDOUT as fast as its pipe
 * takes them while the generator runs an echo workload at a steady rate. What matters is that the
 * run keeps its rate (the generator's lateness, `perf.generator-lag`, next to the same run without
 * the flood) and what each bad line costs Gyre (CPU per bad line, next to the CPU per good message
 * of the router benchmark). Also measured: how many lines the flooding node can write when nothing
 * but a byte counter reads them, and how many Gyre took.
 *
 * Whole process: `runTest` in this process, with real node processes (`garbage-node.mjs`); CPU is
 * this process's (`process.cpuUsage`), so the nodes' own CPU is not counted.
 *
 *   pnpm bench -- garbage              # 3 runs of each, 10 s each
 *   pnpm bench -- garbage 5 2          # 2 runs of each, 5 s each
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKLOADS } from '@gyre/workloads';
import { runTest } from '../src/index';
import { benchRun } from './options';

const bin = join(import.meta.dirname, 'garbage-node.mjs');
const LINE = 'got echo from c12, replying';

interface Measured {
  lag: { p50: number; p99: number; max: number; rate: number };
  /** Bad lines Gyre counted. */
  bad: number;
  ok: number;
  seconds: number;
  cpuUs: number;
}

/** Lines per second the node writes into a pipe read by nothing but a byte counter. */
async function alone(seconds: number): Promise<number> {
  const child = spawn(bin, ['alone', String(seconds), LINE], { stdio: ['ignore', 'pipe', 'pipe'] });
  let bytes = 0;
  let err = '';
  child.stdout.on('data', (c: Buffer) => (bytes += c.length));
  child.stderr.on('data', (c: Buffer) => (err += c));
  await new Promise((r) => child.once('close', r));
  return bytes / (LINE.length + 1) / seconds;
}

async function run(mode: 'quiet' | 'flood', seconds: number): Promise<Measured> {
  const store = mkdtempSync(join(tmpdir(), 'gyre-bench-'));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await runTest(benchRun({ workload: WORKLOADS['echo']!, options: { nodes: ['n0', 'n1'], concurrency: 4, rate: 200, timeLimit: seconds }, bin, binArgs: [mode, LINE], store }));
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - t0) / 1000;
  rmSync(store, { recursive: true, force: true });
  if (r.crash) throw new Error(r.crash);
  const perf = r.results['perf'] as { 'generator-lag': { quantiles: Record<string, number>; 'achieved-rate': number } };
  const lag = perf['generator-lag'];
  const pe = r.results['protocol-errors'] as { count: number } | undefined;
  return {
    lag: { p50: Number(lag.quantiles['0.5']), p99: Number(lag.quantiles['0.99']), max: Number(lag.quantiles['1']), rate: Number(lag['achieved-rate']) },
    bad: pe?.count ?? 0,
    ok: r.history.filter((o) => o.type === 'ok').length,
    seconds: wall,
    cpuUs: cpu.user + cpu.system,
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs the benchmark and prints its report. */
export async function garbageBench(seconds: number, reps: number): Promise<void> {
  console.log(`# error-path benchmark: echo, 2 nodes, --rate 200, ${seconds} s; n1 floods ${JSON.stringify(LINE)} on STDOUT; ${reps} runs of each, alternating`);
  const canWrite = await alone(3);
  console.log(`  the node alone, into a byte counter: ${fmt(canWrite)} lines/s`);
  const quiet: Measured[] = [];
  const flood: Measured[] = [];
  for (let i = 0; i < reps; i++) {
    for (const [mode, into] of [
      ['quiet', quiet],
      ['flood', flood],
    ] as const) {
      const m = await run(mode, seconds);
      into.push(m);
      console.log(
        `  ${mode.padEnd(5)}  lag p50 ${m.lag.p50.toFixed(2)} ms, p99 ${m.lag.p99.toFixed(2)} ms, max ${m.lag.max.toFixed(1)} ms; ${m.lag.rate.toFixed(0)} ops/s issued, ${m.ok} ok; ` +
          `${fmt(m.bad)} bad lines (${fmt(m.bad / m.seconds)}/s); CPU ${(m.cpuUs / 1e6).toFixed(2)} s`,
      );
    }
  }
  const extraCpu = median(flood.map((m) => m.cpuUs)) - median(quiet.map((m) => m.cpuUs));
  const bad = median(flood.map((m) => m.bad));
  console.log(
    `summary (medians): generator lag p99 ${median(quiet.map((m) => m.lag.p99)).toFixed(2)} ms quiet, ${median(flood.map((m) => m.lag.p99)).toFixed(2)} ms flooded; ` +
      `${fmt(median(flood.map((m) => m.bad / m.seconds)))} bad lines/s taken of ${fmt(canWrite)} the node can write; ` +
      `CPU per bad line ${(extraCpu / bad).toFixed(2)} µs (the flooded run's CPU minus the quiet run's, over its bad lines)`,
  );
}
