/**
 * Summaries of seed sweeps: what ran, what failed, the smallest failing seed. Shards write one
 * each; {@link mergeSummaries} joins them.
 */
import type { SeedResult, SimSpec } from './spec';
import { failed, type SweepOutcome } from './sweep';

/** One failing seed in a summary. */
export interface FailingSeed {
  seed: string;
  valid: true | false | 'unknown';
  exitCode: 0 | 1 | 2 | 255;
  crash?: string;
  /** The checkers that failed (`workload`, `stats`, …). */
  failures: string[];
  ops: number;
  faults: number;
  simSeconds: number;
}

/** A sweep's summary (summary.json). */
export interface SweepSummary {
  format: 'gyre-sim-summary';
  version: 1;
  spec: SimSpec;
  /** The seed ranges this summary covers (one per shard merged). */
  ranges: { first: number; count: number; shard?: string }[];
  /** Seeds run. */
  ran: number;
  passed: number;
  /** Runs found invalid. */
  invalid: number;
  /** Runs whose validity was unknown. */
  unknown: number;
  /** Runs that crashed. */
  crashed: number;
  /** Every seed that did not pass, by seed (numerically). */
  failing: FailingSeed[];
  /** The smallest failing seed, or null when every seed passed. */
  smallestFailing: string | null;
  /** True when seeds of the ranges were left unrun (early stop). */
  stopped: boolean;
  /** Virtual seconds simulated, over all seeds. */
  simSeconds: number;
  /** Real seconds of the sweep (for merged summaries: the sum over shards). */
  wallSeconds: number;
  /** Worker threads (for merged summaries: the sum over shards). */
  workers: number;
}

const bySeed = (a: { seed: string }, b: { seed: string }) => {
  const x = Number(a.seed);
  const y = Number(b.seed);
  if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
  return a.seed < b.seed ? -1 : a.seed > b.seed ? 1 : 0;
};

/** The summary of one sweep over `range`. */
export function summarize(spec: SimSpec, range: { first: number; count: number; shard?: string }, outcome: SweepOutcome): SweepSummary {
  const rs = outcome.results;
  const failing = rs.filter(failed).map(failingSeed).sort(bySeed);
  return {
    format: 'gyre-sim-summary',
    version: 1,
    spec,
    ranges: [range],
    ran: rs.length,
    passed: rs.filter((r) => r.exitCode === 0).length,
    invalid: rs.filter((r) => r.exitCode === 1).length,
    unknown: rs.filter((r) => r.exitCode === 2).length,
    crashed: rs.filter((r) => r.exitCode === 255).length,
    failing,
    smallestFailing: failing[0]?.seed ?? null,
    stopped: outcome.stopped,
    simSeconds: rs.reduce((a, r) => a + r.simSeconds, 0),
    wallSeconds: outcome.wallSeconds,
    workers: outcome.workers,
  };
}

function failingSeed(r: SeedResult): FailingSeed {
  return { seed: r.seed, valid: r.valid, exitCode: r.exitCode, ...(r.crash ? { crash: r.crash } : {}), failures: r.failures, ops: r.size.ops, faults: r.size.faults, simSeconds: r.simSeconds };
}

/**
 * Joins the summaries of shards (or of any sweeps of the same spec): counts add up, failing seeds
 * are united, the smallest failing seed is the smallest of all. Throws when the summaries are of
 * different workloads, node modules or options, or when their seed ranges overlap.
 */
export function mergeSummaries(summaries: readonly SweepSummary[]): SweepSummary {
  if (summaries.length === 0) throw new RangeError('nothing to merge');
  for (const s of summaries) {
    if (s?.format !== 'gyre-sim-summary') throw new TypeError('not a gyre sim summary (expected "format": "gyre-sim-summary")');
  }
  const first = summaries[0]!;
  const key = (s: SweepSummary) => JSON.stringify({ ...s.spec, options: { ...s.spec.options, seed: undefined } });
  for (const s of summaries.slice(1)) {
    if (key(s) !== key(first)) throw new RangeError('these summaries are of different simulations (workload, node module or options differ); merge only shards of one sweep');
  }
  const ranges = summaries.flatMap((s) => s.ranges).sort((a, b) => a.first - b.first);
  for (let i = 1; i < ranges.length; i++) {
    const a = ranges[i - 1]!;
    const b = ranges[i]!;
    if (b.first < a.first + a.count) throw new RangeError(`seed ranges overlap: ${a.first}..${a.first + a.count - 1} and ${b.first}..${b.first + b.count - 1}`);
  }
  const failing = summaries.flatMap((s) => s.failing).sort(bySeed);
  const sum = (f: (s: SweepSummary) => number) => summaries.reduce((a, s) => a + f(s), 0);
  return {
    format: 'gyre-sim-summary',
    version: 1,
    spec: first.spec,
    ranges,
    ran: sum((s) => s.ran),
    passed: sum((s) => s.passed),
    invalid: sum((s) => s.invalid),
    unknown: sum((s) => s.unknown),
    crashed: sum((s) => s.crashed),
    failing,
    smallestFailing: failing[0]?.seed ?? null,
    stopped: summaries.some((s) => s.stopped),
    simSeconds: sum((s) => s.simSeconds),
    wallSeconds: sum((s) => s.wallSeconds),
    workers: sum((s) => s.workers),
  };
}

/** A few lines for the console. */
export function formatSweepSummary(s: SweepSummary): string {
  const lines: string[] = [];
  const rate = s.wallSeconds > 0 ? s.simSeconds / s.wallSeconds : 0;
  lines.push(`seeds: ${s.ran} run${s.stopped ? ' (stopped early)' : ''}: ${s.passed} passed, ${s.invalid} invalid, ${s.unknown} unknown, ${s.crashed} crashed`);
  lines.push(`time: ${s.simSeconds.toFixed(0)} simulated s in ${s.wallSeconds.toFixed(1)} s (${rate.toFixed(0)} simulated s per second, ${s.workers} worker${s.workers === 1 ? '' : 's'})`);
  if (s.smallestFailing !== null) {
    const f = s.failing[0]!;
    lines.push(`smallest failing seed: ${f.seed} (${f.exitCode === 1 ? 'invalid' : f.exitCode === 2 ? 'unknown' : 'crashed'}${f.failures?.length ? `: ${f.failures.join(', ')}` : ''}; ${f.ops} ops, ${f.faults} faults)`);
    const kinds = new Map<string, number>();
    for (const x of s.failing) for (const k of x.failures ?? []) kinds.set(k, (kinds.get(k) ?? 0) + 1);
    if (kinds.size) lines.push(`failing checkers: ${[...kinds].map(([k, n]) => `${k} in ${n} seed${n === 1 ? '' : 's'}`).join(', ')}`);
    const more = s.failing.slice(1, 11).map((x) => x.seed);
    if (more.length) lines.push(`other failing seeds: ${more.join(', ')}${s.failing.length > 11 ? `, … (${s.failing.length - 11} more)` : ''}`);
  }
  return lines.join('\n');
}
