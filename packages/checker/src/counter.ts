import { stringifyJson, type Op } from '@gyre/history';
import type { Validity } from './validity';

/** An inclusive integer range `[lo, hi]`. */
export type IntRange = [number, number];

/** Result of {@link counter}: Maelstrom's g-counter / pn-counter checker. */
export interface CounterResult {
  /**
   * Every ok final read lies in the acceptable set. `'unknown'` when a final read is not an
   * integer, or falls where the set had to be approximated (see `maxRanges`).
   */
  'valid?': Validity;
  /** The final reads outside the acceptable set (whole ops), or null when there are none. */
  errors: Op[] | null;
  /** Values of the ok reads flagged `final`, in history order. */
  'final-reads': unknown[];
  /** The acceptable set as sorted, disjoint, non-adjacent inclusive ranges. */
  acceptable: IntRange[];
  /** Present (true) only when the set grew past `maxRanges` and was approximated. */
  'approximate?'?: true;
  /** Final reads that fell where the approximation cannot decide; only when approximate. */
  'undecided-reads'?: Op[];
  /** Why the verdict is unknown, when a final read is not an integer. */
  error?: string;
}

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

/** S ∪ (S+d) over sorted disjoint non-adjacent ranges, merging overlapping and adjacent ones. */
function unionShift(s: IntRange[], d: number): IntRange[] {
  if (d === 0) return s;
  const shifted = s.map(([lo, hi]): IntRange => [lo + d, hi + d]);
  const out: IntRange[] = [];
  let i = 0;
  let j = 0;
  while (i < s.length || j < shifted.length) {
    const r = j >= shifted.length || (i < s.length && s[i]![0] <= shifted[j]![0]) ? s[i++]! : shifted[j++]!;
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) {
      if (r[1] > last[1]) last[1] = r[1];
    } else out.push([r[0], r[1]]);
  }
  return out;
}

/** Fills the smallest gaps until at most `max` ranges remain (a superset). */
function fillGaps(s: IntRange[], max: number): IntRange[] {
  if (s.length <= max) return s;
  const gaps = s.slice(1).map((r, i) => ({ i, size: r[0] - s[i]![1] }));
  gaps.sort((a, b) => a.size - b.size || a.i - b.i);
  const fill = new Set(gaps.slice(0, s.length - max).map((g) => g.i));
  const out: IntRange[] = [[s[0]![0], s[0]![1]]];
  for (let k = 1; k < s.length; k++) {
    if (fill.has(k - 1)) out[out.length - 1]![1] = s[k]![1];
    else out.push([s[k]![0], s[k]![1]]);
  }
  return out;
}

/** Drops the smallest ranges until at most `max` remain (a subset). */
function dropSmallest(s: IntRange[], max: number): IntRange[] {
  if (s.length <= max) return s;
  const keep = s
    .map((r, i) => ({ i, size: r[1] - r[0] }))
    .sort((a, b) => b.size - a.size || a.i - b.i)
    .slice(0, max)
    .map((x) => x.i)
    .sort((a, b) => a - b);
  return keep.map((i) => s[i]!);
}

function contains(s: IntRange[], x: number): boolean {
  let lo = 0;
  let hi = s.length - 1;
  while (lo <= hi) {
    const m = (lo + hi) >> 1;
    const r = s[m]!;
    if (x < r[0]) hi = m - 1;
    else if (x > r[1]) lo = m + 1;
    else return true;
  }
  return false;
}

/**
 * Maelstrom's counter checker (g-counter and pn-counter). `definite` is the sum of the deltas of
 * ok adds; the acceptable set starts as `{definite}` and every `info` add with delta d replaces
 * it with S ∪ (S+d) (in history order; fail adds are ignored). Every ok read flagged `final`
 * must lie in the set; other reads are not checked. With no operations the set is `[[0, 0]]`.
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
  let outer: IntRange[] = [[definite, definite]];
  let inner = outer;
  let approximate = false;
  for (const d of infoDeltas) {
    if (!approximate) {
      const s = unionShift(outer, d);
      if (s.length <= max) {
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
    'valid?': valid,
    errors: errors.length > 0 ? errors : null,
    'final-reads': finals.map((r) => r.value),
    acceptable: outer.map(([lo, hi]) => [lo, hi]),
  };
  if (approximate) {
    out['approximate?'] = true;
    out['undecided-reads'] = undecided;
  }
  if (error !== undefined) out.error = error;
  return out;
}
