/**
 * Seeded randomness and injected time: the two ports that make Gyre's runs reproducible.
 * Nothing in Gyre calls `Math.random` or reads the wall clock directly; it asks a {@link Random}
 * and a {@link Clock} it was given.
 */

/** A seeded source of randomness. Same seed, same sequence of calls → same values. */
export interface Random {
  /** The seed this source started from (forks derive theirs from it). */
  readonly seed: string;
  /** A double uniform in [0, 1). */
  next(): number;
  /** An integer uniform in [0, n). `n` must be a positive integer. */
  int(n: number): number;
  /** An integer uniform in [lo, hi] (both included). */
  between(lo: number, hi: number): number;
  /** A double uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** An exponentially distributed double with the given mean. */
  exponential(mean: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** A uniformly chosen element; throws on an empty array. */
  pick<T>(xs: readonly T[]): T;
  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(xs: readonly T[]): T[];
  /**
   * An independent source derived from this one's seed and a label, without consuming values
   * from this one: `fork('net')` gives the same stream whatever else happened before.
   */
  fork(label: string): Random;
}

// cyrb128-style string hash to 4 x 32-bit seed words.
function hashSeed(s: string): [number, number, number, number] {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < s.length; i++) {
    const k = s.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

class Sfc32 implements Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(readonly seed: string) {
    [this.a, this.b, this.c, this.d] = hashSeed(seed);
    for (let i = 0; i < 12; i++) this.u32();
  }
  private u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  next(): number {
    // 53 random bits.
    return ((this.u32() >>> 5) * 67108864 + (this.u32() >>> 6)) / 9007199254740992;
  }
  int(n: number): number {
    if (!(n > 0) || !Number.isInteger(n)) throw new RangeError(`Random.int needs a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  uniform(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new RangeError('Random.pick on an empty array');
    return xs[this.int(xs.length)]!;
  }
  shuffle<T>(xs: readonly T[]): T[] {
    const out = xs.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = out[i]!;
      out[i] = out[j]!;
      out[j] = t;
    }
    return out;
  }
  fork(label: string): Random {
    return new Sfc32(`${this.seed}/${label}`);
  }
}

/** A {@link Random} from a seed (any string or number). */
export function seededRandom(seed: string | number | bigint): Random {
  return new Sfc32(String(seed));
}

/** A handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = { readonly __timer: unique symbol } | object;

/**
 * Time, injected. The runner gives every component the same clock: real time for `gyre test`,
 * virtual time for `gyre sim`.
 */
export interface Clock {
  /** Nanoseconds since the clock's origin (the start of the test for the runner's clock). */
  now(): number;
  /** Runs `fn` once, `ms` milliseconds from now. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a pending {@link setTimeout}; a no-op for one that ran or was cancelled. */
  clearTimeout(handle: TimerHandle): void;
}
