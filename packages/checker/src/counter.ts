import { stringifyJson, type Op } from '@gyre/history';
import type { CheckResult, Validity } from './validity';
import { fields, type WireForm } from './wire';

/** An inclusive integer range `[lo, hi]`. */
export type IntRange = [number, number];

/** Result of {@link counter}: Maelstrom's g-counter / pn-counter checker. */
export interface CounterResult extends CheckResult {
  /**
   * Every ok final read lies in the acceptable set. `'unknown'` when a final read is not an
   * integer, or falls where the set had to be approximated (see `maxRanges`).
   */
  valid: Validity;
  /** The final reads outside the acceptable set (whole ops), or null when there are none. */
  errors: Op[] | null;
  /** Values of the ok reads flagged `final`, in history order. */
  finalReads: unknown[];
  /** The acceptable set as sorted, disjoint, non-adjacent inclusive ranges. */
  acceptable: IntRange[];
  /** Present (true) only when the set grew past `maxRanges` and was approximated. */
  approximate?: true;
  /** Final reads that fell where the approximation cannot decide; only when approximate. */
  undecidedReads?: Op[];
  /** Why the verdict is unknown, when a final read is not an integer. */
  error?: string;
}

/** How a {@link CounterResult} is written: Maelstrom's `valid?`, `errors`, `final-reads`, `acceptable`, and Gyre's `approximate?`, `undecided-reads`, `error`. */
export const counterWire: WireForm = fields<CounterResult>({
  valid: 'valid?',
  errors: 'errors',
  finalReads: 'final-reads',
  acceptable: 'acceptable',
  approximate: 'approximate?',
  undecidedReads: 'undecided-reads',
  error: 'error',
});

/** Options of {@link counter}. */
export interface CounterOptions {
  /**
   * The function that adds its value (an integer delta).
   * @defaultValue `'add'`
   */
  addF?: string;
  /**
   * The function that reads the counter.
   * @defaultValue `'read'`
   */
  readF?: string;
  /**
   * The most ranges the acceptable set may hold. Each indeterminate add can double the number of
   * ranges (S ∪ (S+d)); past this cap Gyre keeps two bounds instead of the exact set, an inner
   * set (some ranges dropped) and an outer one (the smallest gaps filled), and a read between the
   * two makes the verdict `'unknown'` rather than guessing. Small deltas, as Maelstrom's workloads
   * generate (−5…4), merge into a single range and never reach the cap.
   * @defaultValue 1000
   */
  maxRanges?: number;
}

function toInt(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/** Sorted, disjoint, non-adjacent inclusive integer ranges, stored flat. */
interface Ranges {
  lo: Float64Array;
  hi: Float64Array;
  n: number;
}

function single(x: number): Ranges {
  return { lo: Float64Array.of(x), hi: Float64Array.of(x), n: 1 };
}

/** S ∪ (S+d), merging overlapping and adjacent ranges. */
function unionShift(s: Ranges, d: number): Ranges {
  if (d === 0) return s;
  const lo = new Float64Array(2 * s.n);
  const hi = new Float64Array(2 * s.n);
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < s.n || j < s.n) {
    let a: number;
    let b: number;
    if (j >= s.n || (i < s.n && s.lo[i]! <= s.lo[j]! + d)) {
      a = s.lo[i]!;
      b = s.hi[i++]!;
    } else {
      a = s.lo[j]! + d;
      b = s.hi[j++]! + d;
    }
    if (n > 0 && a <= hi[n - 1]! + 1) {
      if (b > hi[n - 1]!) hi[n - 1] = b;
    } else {
      lo[n] = a;
      hi[n++] = b;
    }
  }
  return { lo, hi, n };
}

/** The k-th smallest (0-based) of xs. */
function kth(xs: Float64Array, k: number): number {
  return Float64Array.from(xs).sort()[k]!;
}

/** Fills the smallest gaps (leftmost first among equals) until at most `max` ranges remain. */
function fillGaps(s: Ranges, max: number): Ranges {
  if (s.n <= max) return s;
  const gaps = new Float64Array(s.n - 1);
  for (let i = 1; i < s.n; i++) gaps[i - 1] = s.lo[i]! - s.hi[i - 1]!;
  let toFill = s.n - max;
  const t = kth(gaps, toFill - 1);
  let below = 0;
  for (const g of gaps) if (g < t) below++;
  let ties = toFill - below;
  const lo = new Float64Array(max);
  const hi = new Float64Array(max);
  let n = 0;
  lo[0] = s.lo[0]!;
  hi[0] = s.hi[0]!;
  n = 1;
  for (let i = 1; i < s.n; i++) {
    const g = gaps[i - 1]!;
    const fill = toFill > 0 && (g < t || (g === t && ties > 0));
    if (fill) {
      if (g === t) ties--;
      toFill--;
      hi[n - 1] = s.hi[i]!;
    } else {
      lo[n] = s.lo[i]!;
      hi[n++] = s.hi[i]!;
    }
  }
  return { lo, hi, n };
}

/** Drops the smallest ranges (rightmost first among equals) until at most `max` remain. */
function dropSmallest(s: Ranges, max: number): Ranges {
  if (s.n <= max) return s;
  const sizes = new Float64Array(s.n);
  for (let i = 0; i < s.n; i++) sizes[i] = s.hi[i]! - s.lo[i]!;
  const t = kth(sizes, s.n - max);
  let above = 0;
  for (const z of sizes) if (z > t) above++;
  let ties = max - above;
  const lo = new Float64Array(max);
  const hi = new Float64Array(max);
  let n = 0;
  for (let i = 0; i < s.n; i++) {
    const z = sizes[i]!;
    if (z > t || (z === t && ties-- > 0)) {
      lo[n] = s.lo[i]!;
      hi[n++] = s.hi[i]!;
    }
  }
  return { lo, hi, n };
}

function contains(s: Ranges, x: number): boolean {
  let lo = 0;
  let hi = s.n - 1;
  while (lo <= hi) {
    const m = (lo + hi) >> 1;
    if (x < s.lo[m]!) hi = m - 1;
    else if (x > s.hi[m]!) lo = m + 1;
    else return true;
  }
  return false;
}

/**
 * Maelstrom's counter checker (g-counter and pn-counter). `definite` is the sum of the deltas of
 * ok adds; the acceptable set starts as `{definite}` and every `info` add with delta d replaces
 * it with S ∪ (S+d) (in history order; fail adds are ignored). Every ok read flagged `final`
 * must lie in the set; other reads are not checked. With no operations the set is `[[0, 0]]`.
 * The deltas are applied smallest first (the union does not depend on their order).
 * Integers are handled as doubles: exact up to 2^53.
 */
export function counter(history: readonly Op[], opts: CounterOptions = {}): CounterResult {
  const addF = opts.addF ?? 'add';
  const readF = opts.readF ?? 'read';
  const max = Math.max(1, opts.maxRanges ?? 1000);
  let definite = 0;
  const infoDeltas: number[] = [];
  const finals: Op[] = [];
  let error: string | undefined;
  for (const op of history) {
    if (op.f === addF) {
      if (op.type !== 'ok' && op.type !== 'info') continue;
      const d = toInt(op.value);
      if (d === undefined) {
        error ??= `add delta ${stringifyJson(op.value)} is not an integer`;
        continue;
      }
      if (op.type === 'ok') definite += d;
      else infoDeltas.push(d);
    } else if (op.f === readF && op.type === 'ok' && op.final) {
      finals.push(op);
    }
  }
  // S ∪ (S+d) commutes, so the order of the deltas does not change the set; small ones first
  // keep it in few ranges for longer.
  infoDeltas.sort((a, b) => Math.abs(a) - Math.abs(b));
  let outer = single(definite);
  let inner = outer;
  let approximate = false;
  for (const d of infoDeltas) {
    if (!approximate) {
      const s = unionShift(outer, d);
      if (s.n <= max) {
        outer = inner = s;
        continue;
      }
      approximate = true;
      outer = fillGaps(s, max);
      inner = dropSmallest(s, max);
    } else {
      outer = fillGaps(unionShift(outer, d), max);
      inner = dropSmallest(unionShift(inner, d), max);
    }
  }

  const errors: Op[] = [];
  const undecided: Op[] = [];
  for (const r of finals) {
    const x = toInt(r.value);
    if (x === undefined) {
      error ??= `final read ${stringifyJson(r.value)} is not an integer`;
      continue;
    }
    if (!contains(outer, x)) errors.push(r);
    else if (approximate && !contains(inner, x)) undecided.push(r);
  }
  const valid: Validity = errors.length > 0 ? false : error !== undefined || undecided.length > 0 ? 'unknown' : true;
  const out: CounterResult = {
    valid,
    errors: errors.length > 0 ? errors : null,
    finalReads: finals.map((r) => r.value),
    acceptable: Array.from({ length: outer.n }, (_, i): IntRange => [outer.lo[i]!, outer.hi[i]!]),
  };
  if (approximate) {
    out.approximate = true;
    out.undecidedReads = undecided;
  }
  if (error !== undefined) out.error = error;
  return out;
}
