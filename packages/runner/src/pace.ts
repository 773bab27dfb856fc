/**
 * The `--rate` throttle with a lag meter: the schedule of `@gyre/generator`'s `stagger` (same
 * gaps, same draws from `ctx.random`, so a seed gives the same operations), and for every
 * invocation it reports how late it was issued relative to the time the schedule gave it. The
 * lag is what the machine adds: a busy event loop, late timers, or every client thread busy.
 *
 * One difference from `stagger`, which only shows in real time: when an operation goes out late
 * by at most `slop` (1 s), the next one is still due a gap after the *scheduled* time, not after
 * the late one, so the schedule catches up. Jepsen's stagger counts from the actual time, but
 * its timers are exact to the microsecond; Node's timers fire a millisecond or more late, and
 * garbage collection or a busy machine stalls the event loop for tens of milliseconds. At
 * `--rate 1000` (a gap of 1 ms on average) counting from the late time loses half the
 * operations or more. Lateness beyond `slop` (a long stall, or every client thread busy for
 * long) moves the schedule, as in Jepsen.
 */
import { lift, type Context, type GenLike, type GenResult, type Generator } from '@gyre/generator';
import type { Op, ProcessId } from '@gyre/history';

/** Receives the lateness of one invocation, in nanoseconds (never negative), and the time it went out. */
export type LagSink = (lateNs: number, at: number) => void;

class Paced implements Generator {
  constructor(
    private readonly range: number,
    private readonly next: number | null,
    private readonly gen: Generator,
    private readonly sink: LagSink,
    private readonly slop: number,
    private readonly scheduled: number | undefined,
    private readonly process: ProcessId | undefined,
  ) {}

  op(ctx: Context): GenResult {
    const r = this.gen.op(ctx);
    if (!r) return null;
    if (r.op === 'pending') return { op: 'pending', gen: new Paced(this.range, this.next, r.gen, this.sink, this.slop, undefined, undefined) };
    const due = this.next ?? ctx.time;
    const t = Math.max(r.op.time, due);
    const gap = this.range === 0 ? 0 : Math.floor(ctx.random.next() * this.range);
    const op = t === r.op.time ? r.op : { ...r.op, time: t };
    // An operation its generator placed in the future is due then; otherwise when the schedule said.
    const scheduled = r.op.time > ctx.time ? t : due;
    const from = t - scheduled <= this.slop ? scheduled : t;
    return { op, gen: new Paced(this.range, from + gap, r.gen, this.sink, this.slop, scheduled, op.process) };
  }

  update(ctx: Context, event: Op): Generator {
    const gen = this.gen.update(ctx, event);
    if (this.scheduled !== undefined && event.type === 'invoke' && event.process === this.process) {
      this.sink(Math.max(0, event.time - this.scheduled), event.time);
      return new Paced(this.range, this.next, gen, this.sink, this.slop, undefined, undefined);
    }
    return new Paced(this.range, this.next, gen, this.sink, this.slop, this.scheduled, this.process);
  }
}

/**
 * `stagger(dt, gen)` that also calls `sink` with each invocation's lateness: the first operation
 * is due at once, each later one a uniformly random gap in `[0, 2·dt)` seconds after the previous
 * one's scheduled time (its actual time when it went out more than `slop` seconds late).
 * Throws a `RangeError` for a negative or non-finite `dt` or `slop`.
 *
 * @param slop lateness, in seconds, that does not move the schedule. @defaultValue 1
 */
export function pacedStagger(dt: number, gen: GenLike, sink: LagSink, slop = 1): Generator {
  for (const [name, v] of [
    ['dt', dt],
    ['slop', slop],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`pacedStagger: ${name} must be a finite number of seconds >= 0, got ${String(v)}`);
  }
  return new Paced(2 * Math.round(dt * 1e9), null, lift(gen), sink, Math.round(slop * 1e9), undefined, undefined);
}

/** Summary of a set of lateness samples, in milliseconds, for `results.json` (`perf.generator-lag`, written with `achieved-rate`). */
export interface LagSummary {
  /** Invocations measured. */
  count: number;
  /** Mean lateness, ms. */
  mean: number;
  /** Quantiles of lateness in ms: median, 95th and 99th percentiles, and the maximum (`"1"`). */
  quantiles: { '0.5': number; '0.95': number; '0.99': number; '1': number };
  /** Invocations per second between the first and the last one measured (0 with fewer than two). */
  achievedRate: number;
}

/** Collects lateness samples (ns) and summarises them in ms. */
export class LagMeter {
  private samples: Float64Array = new Float64Array(1024);
  private n = 0;
  private sum = 0;
  private first = 0;
  private last = 0;

  readonly record: LagSink = (ns, at) => {
    if (this.n === 0) this.first = at;
    this.last = at;
    if (this.n === this.samples.length) {
      const bigger = new Float64Array(this.samples.length * 2);
      bigger.set(this.samples);
      this.samples = bigger;
    }
    this.samples[this.n++] = ns;
    this.sum += ns;
  };

  /** Samples so far. */
  get count(): number {
    return this.n;
  }

  summary(): LagSummary {
    const s = this.samples.slice(0, this.n).sort();
    const q = (p: number) => (this.n === 0 ? 0 : round(s[Math.min(this.n - 1, Math.ceil(p * this.n) - 1)]! / 1e6));
    return {
      count: this.n,
      mean: this.n === 0 ? 0 : round(this.sum / this.n / 1e6),
      quantiles: { '0.5': q(0.5), '0.95': q(0.95), '0.99': q(0.99), '1': this.n === 0 ? 0 : round(s[this.n - 1]! / 1e6) },
      achievedRate: this.n < 2 || this.last === this.first ? 0 : round(((this.n - 1) * 1e9) / (this.last - this.first)),
    };
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
