/**
 * Virtual time, driven: runs a {@link VirtualClock}'s timers one after another, letting every
 * promise continuation a timer triggers settle before the next timer runs, without waiting for
 * the event loop between them.
 */
import type { VirtualClock } from '@gyre/generator';

/** Options of {@link drive}. */
export interface DriveOptions {
  /**
   * Timers to run between two turns of the real event loop (which let file writes, worker
   * messages and signals through; they do not touch virtual time). @defaultValue 4096
   */
  yieldEvery?: number;
  /** Stops driving: `drive` rejects with the signal's reason at the next yield. */
  signal?: AbortSignal;
  /**
   * Turns of the real event loop to wait, when no timer is pending and `done` has not settled,
   * before giving up (something waits on real I/O, outside virtual time). @defaultValue 1000
   */
  stallTurns?: number;
}

/** Thrown when a simulation waits for something no timer will ever bring. */
export class SimulationStalled extends Error {
  override name = 'SimulationStalled';
}

/**
 * Runs `clock`'s timers in order until `done` settles, and settles like it.
 *
 * Each timer runs in its own step; the next step is queued behind a microtask that runs after the
 * ones the timer queued, and then as a `process.nextTick`, which Node runs only once the whole
 * microtask queue has drained (continuations of continuations included). So each timer sees the
 * consequences of the previous ones, exactly as with a macrotask per timer, at a fraction of the
 * cost. The order of everything is a function of what was scheduled: a run is deterministic.
 */
export function drive<T>(clock: VirtualClock, done: Promise<T>, opts: DriveOptions = {}): Promise<T> {
  const yieldEvery = opts.yieldEvery ?? 4096;
  const stallTurns = opts.stallTurns ?? 1000;
  const signal = opts.signal;
  let settled = false;
  done.then(
    () => (settled = true),
    () => (settled = true),
  );
  return new Promise<T>((resolve, reject) => {
    let n = 0;
    let idle = 0;
    const finish = () => done.then(resolve, reject);
    const step = (): void => {
      if (settled) return void finish();
      if (clock.runNext()) {
        idle = 0;
        if (++n % yieldEvery === 0) setImmediate(yieldStep);
        else queueMicrotask(next);
        return;
      }
      if (++idle > stallTurns) {
        reject(new SimulationStalled(`the simulation stalled at ${clock.now() / 1e9} s of virtual time: nothing is scheduled, yet the run has not finished (does a node wait on real I/O or on a real timer?)`));
        return;
      }
      setImmediate(yieldStep);
    };
    const next = (): void => void process.nextTick(step);
    const yieldStep = (): void => {
      if (signal?.aborted) return reject(signal.reason);
      queueMicrotask(next);
    };
    queueMicrotask(next);
  });
}
