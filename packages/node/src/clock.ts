import type { Clock, TimerHandle } from '@gyre/history';

/**
 * The default {@link Clock} of a node: real time. `now()` counts nanoseconds from the moment the
 * clock was made (monotonic, from `performance.now()`); timers are the platform's `setTimeout`.
 */
export function realClock(): Clock {
  const origin = performance.now();
  return {
    now: () => Math.round((performance.now() - origin) * 1e6),
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms) as unknown as TimerHandle,
    clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
  };
}
