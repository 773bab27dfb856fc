/**
 * Scaling benchmark of the linearizability checker (in process, parsing excluded): long histories
 * at bounded concurrency, where the memo must stay linear in the history, and the crashed-write
 * cases, where the search is exponential and the memo's cap decides.
 *
 *   node --conditions=@gyre/source --import tsx bench/scale.ts [--seq 1000000] [--kv 100000] [--hard 18,20,22] [--reps 3]
 *   node --conditions=@gyre/source --import tsx bench/scale.ts --write DIR   # only write the two long histories as JSON Lines
 *
 * - seq: one process writing and reading a register in turn (`sequentialRegister`); target: valid,
 *   under 2 s for 1,000,000 ops.
 * - kv: Maelstrom's lin-kv against a correct store, 8 keys, 10 processes, seed "1"
 *   (`linKvHistory`); target: valid, under 0.3 s for 100,000 ops (Porcupine: 0.237 s, measured
 *   elsewhere, issue 17).
 * - hard: N writes that never complete, then a read of a value none wrote (invalid; about
 *   N·2^(N-1) configurations without the pruning of unreachable reads, which the register model
 *   turns off for this row; with it, refuted at once), and the same with a read of the first write
 *   (valid). Steps and memo entries are exact counts, so a regression shows whatever the machine's
 *   load.
 *
 * Each check runs `--reps` times: the first run (code not yet optimised for it) and the median of
 * the others (warmed) are reported, wall and CPU (`process.cpuUsage`, all threads). The baseline,
 * measured in the same process, is native `JSON.parse` of the same history as JSON Lines text
 * (as one array), median of 3.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { formatOpJson, type Op } from '@gyre/history';
import { linearizable, linKv, register, type Model } from '../src/index';
import { crashedWrites, linKvHistory, sequentialRegister } from '../src/linear/sim';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
}
const seqOps = Number(arg('seq', '1000000'));
const kvOps = Number(arg('kv', '100000'));
const hard = arg('hard', '18,20,22').split(',').filter(Boolean).map(Number);
const reps = Math.max(2, Number(arg('reps', '3')));

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`);

interface Timed {
  wall: number;
  cpu: number;
}
function timed<T>(f: () => T): [T, Timed] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return [r, { wall, cpu: (c.user + c.system) / 1000 }];
}

/** Native JSON.parse of the history as JSON Lines (joined into one array): ms, median of 3. */
function jsonBaseline(history: readonly Op[]): number {
  const text = '[' + history.map(formatOpJson).join(',\n') + ']';
  const ts: number[] = [];
  for (let i = 0; i < 3; i++) ts.push(timed(() => JSON.parse(text) as unknown)[1].wall);
  return median(ts);
}

const write = process.argv.includes('--write') ? arg('write', '.') : undefined;
if (write !== undefined) {
  // For apps/cli/bench/check.mjs (whole process): the same histories as files.
  const lines = (h: readonly Op[]): string => h.map(formatOpJson).join('\n') + '\n';
  writeFileSync(join(write, `sequential-register-${seqOps}.jsonl`), lines(sequentialRegister(seqOps)));
  writeFileSync(join(write, `lin-kv-${kvOps}.jsonl`), lines(linKvHistory({ ops: kvOps, keys: 8, processes: 10, seed: '1' })));
  process.exit(0);
}

const rows: string[] = [];
const load0 = loadavg();
const started = performance.now();

function bench(name: string, history: Op[], model: () => Model<any, any>, expected: boolean | 'unknown', runs: number, target?: string): void {
  const baseline = runs > 1 ? jsonBaseline(history) : NaN;
  const times: Timed[] = [];
  let steps = 0;
  let entries = 0;
  let verdict: unknown;
  for (let i = 0; i < runs; i++) {
    const [r, t] = timed(() => linearizable(history, { model: model(), explain: false }));
    times.push(t);
    verdict = r.valid;
    steps = r.partitions.reduce((a, p) => a + p.steps, 0);
    entries = r.partitions.reduce((a, p) => a + p.cacheEntries, 0);
    if (r.valid !== expected) throw new Error(`${name}: expected ${String(expected)}, got ${String(r.valid)} (${r.cause ?? ''})`);
  }
  const first = times[0]!;
  const warm = times.length > 1 ? { wall: median(times.slice(1).map((t) => t.wall)), cpu: median(times.slice(1).map((t) => t.cpu)) } : undefined;
  const ops = history.filter((o) => o.type === 'invoke').length;
  rows.push(
    `| ${name} | ${ops.toLocaleString('en-US')} | ${String(verdict)} | ${steps.toLocaleString('en-US')} | ${entries.toLocaleString('en-US')} | ${fmt(first.wall)} (CPU ${fmt(first.cpu)}) | ${warm ? `${fmt(warm.wall)} (CPU ${fmt(warm.cpu)})` : '—'} | ${Number.isNaN(baseline) ? '—' : fmt(baseline)} | ${warm && !Number.isNaN(baseline) ? `${(warm.wall / baseline).toFixed(1)}×` : '—'} | ${target ?? ''} |`,
  );
  console.error(rows[rows.length - 1]);
}

if (seqOps > 0) bench(`sequential register, ${seqOps.toLocaleString('en-US')} ops`, sequentialRegister(seqOps), register, true, reps, '< 2 s');
if (kvOps > 0) bench(`lin-kv, 8 keys, 10 processes, seed 1`, linKvHistory({ ops: kvOps, keys: 8, processes: 10, seed: '1' }), linKv, true, reps, '< 0.3 s');
/** The register without the pruning of unreachable reads: the search the crashed-write cases were written to stress. */
const plainRegister = (): Model<any, any> => ({ ...register(), unreachable: undefined, revives: undefined });
for (const n of hard) {
  const full = n * 2 ** (n - 1);
  bench(`crashed writes N=${n}, read of an unwritten value, no pruning (≈${full.toLocaleString('en-US')} configurations)`, crashedWrites(n), plainRegister, full > 4_000_000 ? 'unknown' : false, 1);
  bench(`crashed writes N=${n}, read of an unwritten value (pruned: nobody writes it)`, crashedWrites(n), register, false, 1);
  bench(`crashed writes N=${n}, read of the first write`, crashedWrites(n, true), register, true, 1);
}
const load1 = loadavg();

console.log(
  `Node ${process.version}, ${cpus().length} vCPU (${cpus()[0]?.model ?? '?'}); load average ${load0.map((x) => x.toFixed(1)).join(' ')} → ${load1.map((x) => x.toFixed(1)).join(' ')}; ${((performance.now() - started) / 1000).toFixed(1)} s in all; ${reps} runs of each long history, 1 of each crashed-write case.`,
);
console.log('');
console.log('| history | ops | verdict | steps | memo entries | first check | warmed (median) | JSON.parse of it (baseline) | warmed / baseline | target |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
