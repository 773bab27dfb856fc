/**
 * @gyre/generator/testing: run generators without processes, in virtual time.
 *
 * {@link simulate} is Jepsen's `generator.test/simulate`: it drives a generator with the same
 * interpreter core as {@link interpret}, against a {@link VirtualClock}, with completions computed
 * by a function instead of a real client. It is synchronous and deterministic: the same generator,
 * seed and options give the same history.
 *
 * @example
 * ```ts
 * import { seededRandom } from '@gyre/history';
 * import { limit, stagger } from '@gyre/generator';
 * import { simulate } from '@gyre/generator/testing';
 *
 * const history = simulate(limit(10, stagger(0.1, () => ({ f: 'read' }))), {
 *   test: { nodes: ['n1'], concurrency: 2 },
 *   random: seededRandom(1),
 *   latency: 0.01,
 * });
 * ```
 */
import type { Op, Random, TestInfo } from '@gyre/history';
import { Core } from './core';
import type { Context, GenLike, Thread } from './types';
import { VirtualClock } from './virtual-clock';

export { VirtualClock } from './virtual-clock';
export type { VirtualClockOptions } from './virtual-clock';

/** Options of {@link simulate}. */
export interface SimulateOptions {
  /** Facts about the test (`ctx.test`); `concurrency` also sets the default threads. */
  test: TestInfo;
  /** The seeded randomness (`ctx.random`). */
  random: Random;
  /** The worker threads. @defaultValue `0 .. test.concurrency - 1`, then `'nemesis'` */
  threads?: readonly Thread[];
  /**
   * The completion of an invocation, computed when it is invoked (`ctx` is the context just after
   * the invocation). Return any completion fields: `type` (default `'ok'`), `value` (default the
   * invocation's), `error`, ..., and optionally `time`, the absolute completion time in ns, which
   * overrides `latency`. @defaultValue every operation completes `ok` with its own value
   */
  complete?: (op: Op, ctx: Context) => Partial<Op>;
  /** Seconds between an invocation and its completion, fixed or per operation. @defaultValue 0 */
  latency?: number | ((op: Op) => number);
  /** Receives the messages of `log` directives. @defaultValue ignore them */
  log?: (message: string) => void;
  /**
   * Stop starting operations after this many invocations (in-flight ones still complete): a guard
   * for infinite generators. @defaultValue 100000
   */
  maxOps?: number;
  /** Stop starting operations once this many virtual seconds have passed. @defaultValue 3600 */
  maxTime?: number;
  /** As in {@link InterpretOptions.pendingPollMs}. @defaultValue 100 */
  pendingPollMs?: number;
  /** The clock to run on (to start at another time, or to share it). @defaultValue a fresh one at 0 */
  clock?: VirtualClock;
}

/**
 * Runs `gen` to its end in virtual time and returns the history: every invocation and completion,
 * indexed from 0, with virtual times in ns. Zero latency means a completion at the same instant as
 * its invocation, delivered after the interpreter has started every operation ready at that
 * instant (as with a real client that answers at once).
 *
 * @throws the generator's error, if it throws or emits an operation for a busy process.
 */
export function simulate(gen: GenLike, opts: SimulateOptions): Op[] {
  const clock = opts.clock ?? new VirtualClock();
  const threads = opts.threads ?? defaultThreads(opts.test);
  const maxOps = opts.maxOps ?? 100_000;
  const deadline = clock.now() + (opts.maxTime ?? 3600) * 1e9;
  const pollNs = (opts.pendingPollMs ?? 100) * 1e6;
  const latency = opts.latency ?? 0;
  const core = new Core({
    generator: gen,
    random: opts.random,
    test: opts.test,
    threads,
    ...(opts.log ? { log: opts.log } : {}),
  });
  let stopped = false;
  for (;;) {
    const now = clock.now();
    if (!stopped && (core.invoked >= maxOps || now >= deadline)) {
      stopped = true;
      core.stop();
    }
    const a = core.step(now);
    if (a.kind === 'done') break;
    if (a.kind === 'invoke') {
      const { thread, op } = a;
      const c = opts.complete ? opts.complete(op, core.context(now)) : {};
      const lat = typeof latency === 'function' ? latency(op) : latency;
      const at = typeof c.time === 'number' ? c.time : now + Math.round(lat * 1e9);
      const completion: Op = { ...op, type: 'ok', ...c };
      clock.setTimeout(() => core.complete(thread, completion, clock.now()), (at - now) / 1e6);
    } else if (a.kind === 'sleep') {
      const { thread } = a;
      clock.setTimeout(() => core.wake(thread), (a.until - now) / 1e6);
    } else {
      const until = a.until ?? (a.idle ? now + pollNs : null);
      const h = until === null ? undefined : clock.setTimeout(() => {}, (until - now) / 1e6);
      if (!clock.runNext()) throw new Error('simulate: waiting with nothing scheduled');
      if (h !== undefined) clock.clearTimeout(h);
    }
  }
  if (core.failure) throw core.failure.error;
  return core.history;
}

/** Client threads `0 .. test.concurrency - 1`, then `'nemesis'`. */
export function defaultThreads(test: TestInfo): Thread[] {
  const out: Thread[] = [];
  for (let i = 0; i < test.concurrency; i++) out.push(i);
  out.push('nemesis');
  return out;
}
