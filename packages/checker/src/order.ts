/**
 * Orderings and small helpers shared by the simple checkers. Internal: not exported from the
 * package entry point.
 */
import { JsonFloat, compareValues, valueKey } from '@gyre/history';

/**
 * Clojure's `compare` for history values: `null` sorts before everything, otherwise
 * {@link compareValues} (throws a `TypeError` for values of different kinds, objects, ...).
 */
export function clojureCompare(a: unknown, b: unknown): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an && bn ? 0 : an ? -1 : 1;
  return compareValues(a, b);
}

function kindRank(v: unknown): number {
  if (v === null || v === undefined) return 0;
  switch (typeof v) {
    case 'boolean':
      return 1;
    case 'number':
    case 'bigint':
      return 2;
    case 'string':
      return 3;
  }
  if (v instanceof JsonFloat) return 2;
  if (Array.isArray(v)) return 5;
  return 6;
}

/**
 * A total order on any values: {@link clojureCompare} where it is defined, otherwise by kind
 * (nil, booleans, numbers, strings, arrays, objects) and then by printed value. Used where
 * Maelstrom sorts for display only, so a history with odd values still gets a result.
 */
export function totalCompare(a: unknown, b: unknown): number {
  try {
    return clojureCompare(a, b);
  } catch {
    const ra = kindRank(a);
    const rb = kindRank(b);
    if (ra !== rb) return ra - rb;
    const ka = valueKey(a);
    const kb = valueKey(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  }
}

/** A sorted copy, by {@link totalCompare}. */
export function sortValues<T>(xs: Iterable<T>): T[] {
  return [...xs].sort(totalCompare);
}

/**
 * A plain object from entries, safe for any key (a key `__proto__` becomes an own property).
 */
export function toRecord<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [k, v] of entries) {
    if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}
