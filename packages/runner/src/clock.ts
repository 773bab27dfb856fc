import type { Clock, TimerHandle } from '@gyre/history';
import type { RunClock } from './ports/types';

/**
 * A Clock on real time: `now()` is nanoseconds since the clock was created (from
 * `performance.now()`, so microsecond resolution, and no BigInt on the hot path). A timer of 0 ms
 * or less runs with `setImmediate`, on the same turn of the event loop, rather than a 1 ms timer:
 * the router delivers zero-latency messages that way.
 */
function realClock(): Clock & { startedAt: Date } {
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

/** The clock port of a run on real time (`gyre test`): {@link realClock}, gyre.log stamped with the local wall time. */
export function realTime(): RunClock {
  const clock = realClock();
  return {
    kind: 'real',
    clock,
    startedAt: clock.startedAt,
    stamp: () => wallStamp(new Date()),
    run: (live) => live(),
  };
}

/** `YYYY-MM-DD HH:MM:SS,mmm` in local time, as Jepsen's logs. */
function wallStamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${d.toTimeString().slice(0, 8)},${p(d.getMilliseconds(), 3)}`;
}
