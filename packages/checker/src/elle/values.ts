/**
 * Keys and values of micro-ops, compared with Clojure-style equality (as `valueKey` from
 * `@gyre/history` does) but without building a string for the common cases: safe integers stay
 * numbers, strings stay strings, and everything else becomes a tagged `valueKey` string.
 */
import { valueKey } from '@gyre/history';

/** A value usable as a `Map` key whose identity is Clojure-style equality of the original. */
export type Canon = number | string;

/** The canonical form of a key or value. */
export function canon(x: unknown): Canon {
  if (typeof x === 'number') return Number.isInteger(x) ? x : '\u0000' + valueKey(x);
  if (typeof x === 'string') return x.charCodeAt(0) === 0 ? '\u0000\u0000' + x : x;
  if (typeof x === 'bigint' && x >= -9007199254740991n && x <= 9007199254740991n) return Number(x);
  return '\u0000' + valueKey(x);
}

/** Clojure-style equality, fast for numbers and strings. */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const ta = typeof a;
  if (ta === typeof b && (ta === 'number' || ta === 'string')) return false;
  return canon(a) === canon(b);
}

/** Interns canonical keys as dense integers. */
export class Interner {
  private readonly ids = new Map<Canon, number>();
  /** The original value of each id (the first one seen). */
  readonly values: unknown[] = [];
  /** The id of `x`, allocating one if needed. */
  id(x: unknown): number {
    const c = canon(x);
    let i = this.ids.get(c);
    if (i === undefined) {
      i = this.values.length;
      this.ids.set(c, i);
      this.values.push(x);
    }
    return i;
  }
  /** The id of `x`, or -1. */
  find(x: unknown): number {
    return this.ids.get(canon(x)) ?? -1;
  }
  get size(): number {
    return this.values.length;
  }
}

/** A growable Int32Array. */
export class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity = 16) {
    this.data = new Int32Array(Math.max(4, capacity));
  }
  push(x: number): number {
    if (this.length === this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length] = x;
    return this.length++;
  }
  /** The used part (a view, not a copy). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}
