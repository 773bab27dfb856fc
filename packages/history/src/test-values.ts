/**
 * Test helper: strict equality of decoded values. Not exported from the package.
 */
import { JsonFloat } from './json';

/** Equal as decoded values: same types (bigint, JsonFloat, -0 apart from 0), same own keys in the same order, same prototypes. */
export function sameDecoded(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b) return false;
  if (typeof a === 'number') return Object.is(a, b);
  if (a === null || typeof a !== 'object') return a === b;
  if (b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof JsonFloat) return Object.is(a.value, (b as JsonFloat).value);
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => sameDecoded(x, (b as unknown[])[i]));
  const ka = Object.getOwnPropertyNames(a);
  const kb = Object.getOwnPropertyNames(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameDecoded((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
