/**
 * Latency draws (Maelstrom §5.1): whole milliseconds from a seeded {@link Random}.
 */
import type { Random } from '@gyre/history';

/** How node-to-node latency is distributed (`--latency-dist`). */
export type LatencyDist = 'constant' | 'uniform' | 'exponential';

/** The network's latency: `--latency` (mean, ms) and `--latency-dist`. */
export interface LatencyOptions {
  /**
   * The mean latency in milliseconds; a finite number ≥ 0.
   * @defaultValue 0
   */
  mean: number;
  /**
   * The distribution.
   * - `constant`: exactly `trunc(mean)`.
   * - `uniform`: an integer uniform in `[0, 2·mean)`.
   * - `exponential`: exponential with rate `1/mean`, truncated to an integer.
   *
   * With `mean` 0 every distribution gives 0 (Maelstrom hangs or crashes on `uniform` and `exponential` with 0).
   * @defaultValue 'constant'
   */
  dist: LatencyDist;
}

/** A function drawing one node-to-node latency in whole milliseconds. */
export type LatencyDraw = () => number;

/**
 * Makes the draw for `opts`. Throws a `RangeError` for a negative or non-finite mean or an unknown
 * distribution: that is a configuration error, caught before the test starts.
 */
export function latencyDraw(opts: LatencyOptions, random: Random): LatencyDraw {
  const { mean, dist } = opts;
  if (typeof mean !== 'number' || !Number.isFinite(mean) || mean < 0) {
    throw new RangeError(`latency mean must be a finite number of milliseconds ≥ 0, got ${String(mean)}`);
  }
  if (dist !== 'constant' && dist !== 'uniform' && dist !== 'exponential') {
    throw new RangeError(`latency distribution must be constant, uniform or exponential, got ${String(dist)}`);
  }
  if (mean === 0) return () => 0;
  switch (dist) {
    case 'constant': {
      const ms = Math.trunc(mean);
      return () => ms;
    }
    case 'uniform': {
      const span = 2 * mean;
      return () => Math.floor(random.next() * span);
    }
    case 'exponential':
      return () => Math.trunc(random.exponential(mean));
  }
}
