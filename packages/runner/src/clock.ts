import type { Clock, TimerHandle } from '@gyre/history';

/** A Clock on real time: `now()` is nanoseconds since the clock was created. */
export function realClock(): Clock & { startedAt: Date } {
  const origin = process.hrtime.bigint();
  return {
    startedAt: new Date(),
    now: () => Number(process.hrtime.bigint() - origin),
    setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms)) as unknown as TimerHandle,
    clearTimeout: (h) => clearTimeout(h as unknown as NodeJS.Timeout),
  };
}
