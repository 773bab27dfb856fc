import type { Clock, TimerHandle } from '@gyre/history';

/**
 * A Clock on real time: `now()` is nanoseconds since the clock was created (from
 * `performance.now()`, so microsecond resolution, and no BigInt on the hot path). A timer of 0 ms
 * or less runs with `setImmediate`, on the same turn of the event loop, rather than a 1 ms timer:
 * the router delivers zero-latency messages that way.
 */
export function realClock(): Clock & { startedAt: Date } {
  const origin = performance.now();
  return {
    startedAt: new Date(),
    now: () => Math.round((performance.now() - origin) * 1e6),
    setTimeout: (fn, ms) => (ms > 0 ? setTimeout(fn, ms) : { imm: setImmediate(fn) }) as unknown as TimerHandle,
    clearTimeout: (h) => {
      const x = h as unknown as NodeJS.Timeout | { imm: NodeJS.Immediate };
      if (x && typeof x === 'object' && 'imm' in x) clearImmediate(x.imm);
      else clearTimeout(x as NodeJS.Timeout);
    },
  };
}
