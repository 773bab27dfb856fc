import type { Clock, TimerHandle } from '@gyre/history';

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  live: boolean;
}

/**
 * A tiny virtual clock for tests: time moves only when told, timers run in (time, creation) order.
 * Times are nanoseconds; setTimeout takes milliseconds.
 */
export class VirtualClock implements Clock {
  private t = 0;
  private seq = 0;
  private timers: Timer[] = [];

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: Timer = { at: this.t + Math.max(0, ms) * 1e6, seq: this.seq++, fn, live: true };
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const x = this.timers[mid]!;
      if (x.at < timer.at || (x.at === timer.at && x.seq < timer.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.timers.splice(lo, 0, timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    (handle as Timer).live = false;
  }

  /** Live timers. */
  get pendingTimers(): number {
    return this.timers.filter((t) => t.live).length;
  }

  /** Runs every timer due within `ms` from now, then sets the time to now + ms. */
  advance(ms: number): void {
    const end = this.t + ms * 1e6;
    for (;;) {
      const next = this.timers[0];
      if (next === undefined || next.at > end) break;
      this.timers.shift();
      if (!next.live) continue;
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
    this.t = end;
  }

  /** Runs timers until none is left; throws after `limit` timers (a livelock). Returns the timers run. */
  runAll(limit = 1_000_000): number {
    let n = 0;
    for (;;) {
      const next = this.timers.shift();
      if (next === undefined) return n;
      if (!next.live) continue;
      if (++n > limit) throw new Error(`VirtualClock.runAll: more than ${limit} timers`);
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
  }
}
