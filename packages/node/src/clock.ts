import type { Clock, TimerHandle } from '@gyre/history';

/**
 * A node's clock ({@link Node.clock}): a {@link Clock} whose `now()` counts **nanoseconds**, plus
 * {@link NodeClock.nowMs} in milliseconds, the unit of every duration the node takes (`every`,
 * `sleep`, `setTimeout`, RPC timeouts). Compare times with `nowMs()` against durations in ms.
 */
export interface NodeClock extends Clock {
  /** Nanoseconds since the clock's origin (monotonic; under `gyre sim`, virtual). */
  now(): number;
  /**
   * Milliseconds since the clock's origin: `now() / 1e6`, fractional. The same unit as
   * `every`, `sleep`, `setTimeout` and RPC timeouts, so `clock.nowMs() - sentAt > 1000` means
   * "more than a second ago".
   */
  nowMs(): number;
}

/** `clock` with {@link NodeClock.nowMs}; a clock that already has it is returned as is. */
export function nodeClock(clock: Clock): NodeClock {
  if (typeof (clock as Partial<NodeClock>).nowMs === 'function') return clock as NodeClock;
  return {
    now: () => clock.now(),
    nowMs: () => clock.now() / 1e6,
    setTimeout: (fn, ms) => clock.setTimeout(fn, ms),
    clearTimeout: (handle) => clock.clearTimeout(handle),
  };
}

/**
 * The default {@link NodeClock} of a node: real time. `now()` counts nanoseconds from the moment
 * the clock was made (monotonic, from `performance.now()`), `nowMs()` milliseconds; timers are the
 * platform's `setTimeout`.
 */
export function realClock(): NodeClock {
  const origin = performance.now();
  return {
    now: () => Math.round((performance.now() - origin) * 1e6),
    nowMs: () => performance.now() - origin,
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms) as unknown as TimerHandle,
    clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
  };
}
