import type { Clock, TimerHandle } from '@gyre/history';

/** Options of {@link VirtualClock}. */
export interface VirtualClockOptions {
  /** The clock's initial reading, in nanoseconds. @defaultValue 0 */
  start?: number;
  /**
   * Run timers by themselves: whenever timers are pending and nothing holds the clock (see
   * {@link VirtualClock.hold}), jump to the earliest one and run it, one timer per macrotask so
   * that the promise continuations it triggers settle before the next one runs. Without it, time
   * moves only through {@link VirtualClock.advance}, {@link VirtualClock.runNext} and
   * {@link VirtualClock.runAll}. @defaultValue false
   */
  autoAdvance?: boolean;
}

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  state: 'pending' | 'done' | 'cancelled';
}

type Schedule = (fn: () => void) => void;

const macrotask: Schedule = (() => {
  const g = globalThis as {
    setImmediate?: (fn: () => void) => unknown;
    setTimeout?: (fn: () => void, ms: number) => unknown;
  };
  if (typeof g.setImmediate === 'function') return (fn) => void g.setImmediate!(fn);
  if (typeof g.setTimeout === 'function') return (fn) => void g.setTimeout!(fn, 0);
  return (fn) => void Promise.resolve().then(fn);
})();

/**
 * A {@link Clock} whose time moves only when timers run: simulated time for tests and for
 * Gyre's simulation mode. Timers run in order of their due time; timers due at the same time run
 * in the order they were set (FIFO), so a run is a deterministic function of what was scheduled.
 * `now()` is the due time of the timer running (or last run), never less than before.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock();
 * clock.setTimeout(() => console.log(clock.now()), 5); // logs 5000000 (ns)
 * clock.advance(10);
 * ```
 */
export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly heap: Timer[] = [];
  private live = 0;
  private holds = 0;
  private ticking = false;
  private readonly auto: boolean;

  constructor(opts: VirtualClockOptions = {}) {
    this.time = opts.start ?? 0;
    this.auto = opts.autoAdvance ?? false;
  }

  /** Nanoseconds since the origin. */
  now(): number {
    return this.time;
  }

  /** Runs `fn` once the clock reaches now + `ms` milliseconds (negative or NaN delays mean 0). */
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const delay = ms > 0 ? Math.round(ms * 1e6) : 0;
    const t: Timer = { at: this.time + delay, seq: this.seq++, fn, state: 'pending' };
    this.push(t);
    this.live++;
    this.tick();
    return t;
  }

  /** Cancels a pending timer; a no-op for one that ran, was cancelled, or came from elsewhere. */
  clearTimeout(handle: TimerHandle): void {
    const t = handle as Timer;
    if (t && t.state === 'pending' && typeof t.seq === 'number') {
      t.state = 'cancelled';
      this.live--;
    }
  }

  /** Timers set and not yet run or cancelled. */
  get pending(): number {
    return this.live;
  }

  /** When the earliest pending timer is due (ns), or `undefined` when there is none. */
  nextAt(): number | undefined {
    this.prune();
    return this.heap[0]?.at;
  }

  /** Runs the earliest pending timer, moving the clock to its due time. False when there is none. */
  runNext(): boolean {
    this.prune();
    const t = this.pop();
    if (!t) return false;
    this.live--;
    t.state = 'done';
    if (t.at > this.time) this.time = t.at;
    t.fn();
    return true;
  }

  /**
   * Moves the clock forward `ms` milliseconds, running every timer that falls due on the way,
   * including timers those timers set, in order. Synchronous: promise continuations of a timer run
   * only after `advance` returns (use `autoAdvance` when they matter).
   */
  advance(ms: number): void {
    this.advanceTo(this.time + Math.max(0, Math.round(ms * 1e6)));
  }

  /** Like {@link advance}, to an absolute time in nanoseconds (never backwards). */
  advanceTo(ns: number): void {
    for (;;) {
      const at = this.nextAt();
      if (at === undefined || at > ns) break;
      this.runNext();
    }
    if (ns > this.time) this.time = ns;
  }

  /**
   * Runs timers until none is left, synchronously; throws after `maxTimers` (a guard against a
   * timer that keeps re-arming itself). Returns how many ran. @param maxTimers - default 1e7
   */
  runAll(maxTimers = 1e7): number {
    let n = 0;
    while (this.runNext()) {
      if (++n >= maxTimers) throw new Error(`VirtualClock.runAll: more than ${maxTimers} timers`);
    }
    return n;
  }

  /**
   * Holds an auto-advancing clock still (for example while real work, outside virtual time, is
   * under way) until the returned function is called. Holds nest; releasing twice is harmless.
   */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.tick();
    };
  }

  private tick(): void {
    if (!this.auto || this.ticking || this.holds > 0 || this.live === 0) return;
    this.ticking = true;
    macrotask(() => {
      this.ticking = false;
      try {
        if (this.holds === 0) this.runNext();
      } finally {
        this.tick();
      }
    });
  }

  private prune(): void {
    while (this.heap.length > 0 && this.heap[0]!.state === 'cancelled') this.pop();
  }

  private static before(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  // A binary heap, sifted by moving a hole rather than by swapping.
  private push(t: Timer): void {
    const h = this.heap;
    let i = h.length;
    h.push(t);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p]!;
      if (!VirtualClock.before(t, parent)) break;
      h[i] = parent;
      i = p;
    }
    h[i] = t;
  }

  private pop(): Timer | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    const n = h.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && VirtualClock.before(h[r]!, h[l]!) ? r : l;
        const child = h[c]!;
        if (!VirtualClock.before(child, last)) break;
        h[i] = child;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
