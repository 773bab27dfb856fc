import type { Clock, Op, Random, TestInfo, TimerHandle } from '@gyre/history';
import { Core } from './core';
import type { GenLike, Thread } from './types';

/** What {@link interpret} needs: the generator, the ports to the world, and a few knobs. */
export interface InterpretOptions {
  /** The generator to run (anything {@link lift} accepts). */
  generator: GenLike;
  /** Time: a real clock for `gyre test`, a {@link VirtualClock} for simulation. */
  clock: Clock;
  /** The seeded randomness generators draw from (`ctx.random`). */
  random: Random;
  /** Facts about the test, passed to generators as `ctx.test`. */
  test: TestInfo;
  /**
   * The worker threads, in order: client threads `0..C-1` and usually `'nemesis'`. Client thread
   * `i` starts as process `i`; after an `info` completion its process becomes `process + C`.
   */
  threads: readonly Thread[];
  /**
   * Runs one invocation on a thread (the runner's client or nemesis) and resolves with its
   * completion: type `ok`, `fail` or `info`, with `value` (the invocation's when omitted) and
   * `error`. `index`, `time` and `process` are filled in by the interpreter. A rejection is
   * recorded as an `info` completion with `error: 'indeterminate: <message>'` and `exception`.
   * Never called concurrently for the same thread.
   */
  invoke(thread: Thread, op: Op): Promise<Op>;
  /**
   * Receives every invocation and completion as it happens, in history order, with `index`
   * counted from 0 and `time` read from `clock.now()` when the event happened.
   */
  record(op: Op): void;
  /** Receives the messages of {@link log} directives. @defaultValue ignore them */
  log?(message: string): void;
  /**
   * Stops the run: no further operations are started, sleeps are cut short, operations in flight
   * are awaited, then `interpret` resolves with `aborted: true`.
   */
  signal?: AbortSignal;
  /**
   * Keep the history in memory and return it. Turn off for long runs whose `record` port already
   * writes the history out; `history` is then empty. @defaultValue true
   */
  keepHistory?: boolean;
  /**
   * How long to wait before asking again when the generator is pending while nothing at all is in
   * flight (no completion can come to change its mind; only time can). @defaultValue 100
   */
  pendingPollMs?: number;
}

/** What {@link interpret} resolves with. */
export interface InterpretResult {
  /** Every invocation and completion (empty with `keepHistory: false`). */
  history: Op[];
  /** True when the run was stopped by the signal rather than by the generator's end. */
  aborted: boolean;
}

/**
 * Runs a generator to its end: asks it for operations, waits until each one's time, hands it to
 * `invoke`, records invocations and completions, and feeds both back to the generator. Never
 * busy-waits: when the generator is pending or its next operation lies in the future, it sleeps on
 * the clock or until the next completion, whichever comes first. Resolves once the generator is
 * exhausted (or the signal fired) and every operation in flight has completed.
 *
 * Rejects if the generator throws or emits an operation for a busy or unknown process, after
 * letting operations in flight complete.
 */
export async function interpret(opts: InterpretOptions): Promise<InterpretResult> {
  const { clock, signal } = opts;
  const pollMs = opts.pendingPollMs ?? 100;
  if (!(pollMs > 0)) throw new RangeError(`pendingPollMs must be > 0, got ${pollMs}`);
  const core = new Core({
    generator: opts.generator,
    random: opts.random,
    test: opts.test,
    threads: opts.threads,
    record: (op) => opts.record(op),
    ...(opts.log ? { log: (m: string) => opts.log!(m) } : {}),
    keepHistory: opts.keepHistory ?? true,
  });

  const queue: (() => void)[] = [];
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const sleeps = new Map<Thread, TimerHandle>();
  let aborted = signal?.aborted ?? false;
  let stopped = false;
  let failure: { error: unknown } | null = null;
  const onAbort = () => {
    aborted = true;
    notify();
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  const stop = () => {
    stopped = true;
    core.stop();
    for (const [thread, h] of sleeps) {
      clock.clearTimeout(h);
      core.wake(thread);
    }
    sleeps.clear();
  };

  const waitFor = (until: number | null): Promise<void> | undefined => {
    if (queue.length > 0 || (aborted && !stopped)) return undefined;
    return new Promise<void>((resolve) => {
      let h: TimerHandle | undefined;
      wake = () => {
        if (h !== undefined) clock.clearTimeout(h);
        resolve();
      };
      if (until !== null) {
        h = clock.setTimeout(() => {
          wake = null;
          resolve();
        }, Math.max(0, (until - clock.now()) / 1e6));
      }
    });
  };

  try {
    for (;;) {
      try {
        while (queue.length > 0) queue.shift()!();
        if ((aborted || core.failure) && !stopped) stop();
        const action = core.step(clock.now());
        if (action.kind === 'done') break;
        if (action.kind === 'invoke') {
          const { thread, op } = action;
          const done = (c: Op) => {
            const t = clock.now();
            queue.push(() => core.complete(thread, c, t));
            notify();
          };
          let p: Promise<Op>;
          try {
            p = Promise.resolve(opts.invoke(thread, op));
          } catch (err) {
            p = Promise.reject(err);
          }
          p.then(done, (err: unknown) => done(crashed(op, err)));
        } else if (action.kind === 'sleep') {
          const { thread } = action;
          const h = clock.setTimeout(() => {
            sleeps.delete(thread);
            queue.push(() => core.wake(thread));
            notify();
          }, Math.max(0, (action.until - clock.now()) / 1e6));
          sleeps.set(thread, h);
        } else {
          const until = action.until ?? (action.idle ? clock.now() + pollMs * 1e6 : null);
          const w = waitFor(until);
          if (w) await w;
        }
      } catch (error) {
        // A port (record, log, clock) threw: stop, let operations in flight drain, then reject.
        // A second error while draining gives up on the drain.
        if (failure) break;
        failure = { error };
        if (!stopped) stop();
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (failure) throw failure.error;
  if (core.failure) throw core.failure.error;
  return { history: core.history, aborted };
}

function crashed(op: Op, err: unknown): Op {
  const e = err instanceof Error ? err : new Error(String(err));
  return {
    ...op,
    type: 'info',
    error: `indeterminate: ${e.message}`,
    exception: { name: e.name, message: e.message },
  };
}
