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
  // Ids + 1 of small non-negative integers, the usual keys, without hashing.
  private small = new Int32Array(1024);
  /** The original value of each id (the first one seen). */
  readonly values: unknown[] = [];
  /** The id of `x`, allocating one if needed. */
  id(x: unknown): number {
    if (typeof x === 'number' && (x & 0xfffff) === x) {
      if (x < this.small.length) {
        const s = this.small[x]!;
        if (s !== 0) return s - 1;
      }
      const i = this.slow(x);
      if (x >= this.small.length) {
        let len = this.small.length;
        while (len <= x) len *= 2;
        const grown = new Int32Array(len);
        grown.set(this.small);
        this.small = grown;
      }
      this.small[x] = i + 1;
      return i;
    }
    return this.slow(x);
  }
  private slow(x: unknown): number {
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

/**
 * A hash table from (key id, value) to an integer, for integer values that fit in 32 bits (open
 * addressing over typed arrays, no garbage); other values go to a `Map`.
 */
export class PairTable {
  // Entries of three ints side by side (key id, value, stored integer) so a probe touches one cache line.
  private t: Int32Array;
  private mask: number;
  private count = 0;
  private readonly other = new Map<string, number>();
  constructor(expected = 1024) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.t = PairTable.table(cap);
    this.mask = cap - 1;
  }
  private static table(cap: number): Int32Array {
    return new Int32Array(cap * 3);
  }
  private static hash(a: number, b: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b ^ (b >>> 16), 0x85ebca77);
    h ^= h >>> 15;
    return Math.imul(h, 0x2c1b3c6d) ^ (h >>> 13);
  }
  /** The integer stored for (a, value), or -1. */
  get(a: number, value: unknown): number {
    if (typeof value === 'bigint' && value >= -2147483648n && value <= 2147483647n) value = Number(value);
    if (typeof value === 'number' && (value | 0) === value) {
      const { t, mask } = this;
      for (let i = PairTable.hash(a, value) & mask; ; i = (i + 1) & mask) {
        const p = i * 3;
        const v = t[p + 2]!;
        if (v === 0) return -1;
        if (t[p] === a && t[p + 1] === value) return v - 1;
      }
    }
    return this.other.get(PairTable.otherKey(a, value)) ?? -1;
  }
  /** Stores x (≥ 0) for (a, value); returns the previous integer or -1. */
  set(a: number, value: unknown, x: number): number {
    if (typeof value === 'bigint' && value >= -2147483648n && value <= 2147483647n) value = Number(value);
    if (typeof value === 'number' && (value | 0) === value) {
      if ((this.count + 1) * 2 > this.mask + 1) this.grow();
      const { t, mask } = this;
      for (let i = PairTable.hash(a, value) & mask; ; i = (i + 1) & mask) {
        const p = i * 3;
        const v = t[p + 2]!;
        if (v === 0) {
          t[p] = a;
          t[p + 1] = value;
          t[p + 2] = x + 1;
          this.count++;
          return -1;
        }
        if (t[p] === a && t[p + 1] === value) {
          t[p + 2] = x + 1;
          return v - 1;
        }
      }
    }
    const k = PairTable.otherKey(a, value);
    const prev = this.other.get(k) ?? -1;
    this.other.set(k, x);
    return prev;
  }
  private static otherKey(a: number, value: unknown): string {
    const c = canon(value);
    return a + (typeof c === 'number' ? '#' : '$') + c;
  }
  private grow(): void {
    const old = this.t;
    const cap = (this.mask + 1) * 2;
    this.t = PairTable.table(cap);
    this.mask = cap - 1;
    this.count = 0;
    for (let p = 0; p < old.length; p += 3) if (old[p + 2]! !== 0) this.set(old[p]!, old[p + 1]!, old[p + 2]! - 1);
  }
}
