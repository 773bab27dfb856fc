import { stringifyJson, valueKey, type Op } from '@gyre/history';
import type { CheckResult, Validity } from './validity';
import { clojureCompare } from './order';
import { fields, type WireForm } from './wire';

/** Result of {@link uniqueIds}: the unique-ids workload's checker. */
export interface UniqueIdsResult extends CheckResult {
  /** No id acknowledged twice; `'unknown'` when ids could not be ordered (see `error`). */
  valid: Validity;
  /** Invocations of `generate`. */
  attemptedCount: number;
  /** Ok completions of `generate`. */
  acknowledgedCount: number;
  /** Distinct ids acknowledged more than once. */
  duplicatedCount: number;
  /**
   * The (at most 48) most frequently duplicated ids with their counts, as `[id, count]` pairs in
   * id order. Maelstrom prints a map `{id count}`; pairs keep ids of every type exact (`1`,
   * `1.0`, `"1"` and big integers stay distinct). Absent when `valid` is `'unknown'`.
   */
  duplicated?: [unknown, number][];
  /** `[lowest, highest]` acknowledged id, `[null, null]` when none. Absent when unknown. */
  range?: [unknown, unknown];
  /** Why the ids could not be ordered: names the two ids. Only when `valid` is `'unknown'`. */
  error?: string;
}

/** How a {@link UniqueIdsResult} is written: `valid?`, `attempted-count`, …, as Maelstrom does. */
export const uniqueIdsWire: WireForm = fields<UniqueIdsResult>({
  valid: 'valid?',
  attemptedCount: 'attempted-count',
  acknowledgedCount: 'acknowledged-count',
  duplicatedCount: 'duplicated-count',
  duplicated: 'duplicated',
  range: 'range',
  error: 'error',
});

/** Options of {@link uniqueIds}. */
export interface UniqueIdsOptions {
  /**
   * The function whose ok values are the ids.
   * @defaultValue `'generate'`
   */
  f?: string;
  /**
   * How many duplicated ids to list.
   * @defaultValue 48
   */
  maxDuplicated?: number;
}

class Incomparable extends Error {
  constructor(
    readonly a: unknown,
    readonly b: unknown,
  ) {
    super(`IDs ${stringifyJson(a)} and ${stringifyJson(b)} cannot be compared: IDs must be mutually comparable (numbers with numbers, strings with strings, arrays of comparable items)`);
  }
}

function cmp(a: unknown, b: unknown): number {
  try {
    return clojureCompare(a, b);
  } catch {
    throw new Incomparable(a, b);
  }
}

/**
 * Jepsen's unique-ids checker. Ids are told apart with Clojure equality ({@link valueKey}): `1`,
 * `1.0` and `"1"` are three ids, big integers are exact. The range uses Clojure's `compare`;
 * when two ids are not comparable (objects, or a mix of kinds) Maelstrom's checker throws and
 * its result is unknown: here `valid` is `'unknown'` with an `error` naming the two ids.
 */
export function uniqueIds(history: readonly Op[], opts: UniqueIdsOptions = {}): UniqueIdsResult {
  const f = opts.f ?? 'generate';
  const max = opts.maxDuplicated ?? 48;
  let attempted = 0;
  let acknowledged = 0;
  const freqs = new Map<string, { id: unknown; count: number }>();
  const ids: unknown[] = [];
  for (const op of history) {
    if (op.f !== f) continue;
    if (op.type === 'invoke') attempted++;
    else if (op.type === 'ok') {
      acknowledged++;
      const id = op.value ?? null;
      const k = valueKey(id);
      const e = freqs.get(k);
      if (e) e.count++;
      else {
        freqs.set(k, { id, count: 1 });
        ids.push(id);
      }
    }
  }
  const dups = [...freqs.values()].filter((e) => e.count > 1);
  const counts = { attemptedCount: attempted, acknowledgedCount: acknowledged, duplicatedCount: dups.length };
  try {
    let lo: unknown = null;
    let hi: unknown = null;
    ids.forEach((id, i) => {
      if (i === 0) lo = hi = id;
      else {
        if (cmp(id, lo) < 0) lo = id;
        if (cmp(id, hi) > 0) hi = id;
      }
    });
    // Jepsen: dups in id order, stably by count, reversed, first `max`, back in id order.
    const byId = dups.sort((a, b) => cmp(a.id, b.id));
    const top = byId
      .map((e, i) => ({ e, i }))
      .sort((a, b) => b.e.count - a.e.count || b.i - a.i)
      .slice(0, max)
      .map(({ e }) => e)
      .sort((a, b) => cmp(a.id, b.id));
    return {
      valid: dups.length === 0,
      ...counts,
      duplicated: top.map((e) => [e.id, e.count]),
      range: [lo, hi],
    };
  } catch (e) {
    if (!(e instanceof Incomparable)) throw e;
    return { valid: 'unknown', ...counts, error: e.message };
  }
}
