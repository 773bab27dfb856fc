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

/** Interns canonical keys as dense integers. */
export class Interner {
  private readonly ids = new Map<Canon, number>();
  // Ids of small non-negative integers (-1: none yet), the usual keys, looked up without hashing
  // (and never put in the map); a JS array, so that growing it allocates nothing outside the heap.
  private readonly small: number[] = [];
  /** The original value of each id (the first one seen). */
  readonly values: unknown[] = [];
  /** The id of `x`, allocating one if needed. */
  id(x: unknown): number {
    const c = typeof x === 'number' ? x : canon(x);
    if (typeof c === 'number' && (c & 0xfffff) === c) {
      const s = this.small[c];
      if (s !== undefined && s >= 0) return s;
      while (this.small.length < c) this.small.push(-1);
      const i = this.values.length;
      this.values.push(x);
      this.small[c] = i;
      return i;
    }
    const k = typeof x === 'number' ? canon(x) : c;
    let i = this.ids.get(k);
    if (i === undefined) {
      i = this.values.length;
      this.ids.set(k, i);
      this.values.push(x);
    }
    return i;
  }
  /** The id of `x`, or -1. */
  find(x: unknown): number {
    const c = canon(x);
    if (typeof c === 'number' && (c & 0xfffff) === c) return this.small[c] ?? -1;
    return this.ids.get(c) ?? -1;
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
 * A hash table from a pair of 32-bit integers (a key id and a value code) to a non-negative
 * integer: open addressing over one typed array, no garbage.
 */
export class PairTable {
  // Entries of three ints side by side (key id, value, stored integer + 1) so a probe touches one cache line.
  private t: Int32Array;
  private mask: number;
  private count = 0;
  constructor(
    expected = 1024,
    private readonly alloc: Alloc = HEAP,
  ) {
    this.t = alloc.i32(PairTable.capacity(expected) * 3);
    this.mask = this.t.length / 3 - 1;
  }
  /** The table size for `expected` entries (a power of two, at most three quarters full). */
  static capacity(expected: number): number {
    let cap = 1024;
    while (cap * 3 < expected * 4) cap *= 2;
    return cap;
  }
  // The key is mixed and the value added, so the small consecutive values of one key (the usual
  // case) sit side by side and a key's order is looked up within a cache line or two.
  private static hash(a: number, b: number): number {
    let h = Math.imul(a ^ (a >>> 16), 0x9e3779b1);
    h ^= h >>> 15;
    return (Math.imul(h, 0x2c1b3c6d) ^ (h >>> 13)) + (b ^ (b >> 31) ^ Math.imul(b >> 16, 0x85ebca77));
  }
  // Collisions are probed with a step of their own (odd, so every slot is reached): the runs of
  // consecutive slots that keys fill would otherwise merge into long linear probes.
  private static step(a: number, b: number): number {
    return (Math.imul(a ^ Math.imul(b, 0x27d4eb2d), 0x165667b1) >>> 7) | 1;
  }
  /** The integer stored for (a, b), or -1. */
  get(a: number, b: number): number {
    const { t, mask } = this;
    const step = PairTable.step(a, b);
    for (let i = PairTable.hash(a, b) & mask; ; i = (i + step) & mask) {
      const p = i * 3;
      const v = t[p + 2]!;
      if (v === 0) return -1;
      if (t[p] === a && t[p + 1] === b) return v - 1;
    }
  }
  /** Stores x (≥ 0) for (a, b); returns the previous integer or -1. */
  set(a: number, b: number, x: number): number {
    if ((this.count + 1) * 4 > (this.mask + 1) * 3) this.grow();
    const { t, mask } = this;
    const step = PairTable.step(a, b);
    for (let i = PairTable.hash(a, b) & mask; ; i = (i + step) & mask) {
      const p = i * 3;
      const v = t[p + 2]!;
      if (v === 0) {
        t[p] = a;
        t[p + 1] = b;
        t[p + 2] = x + 1;
        this.count++;
        return -1;
      }
      if (t[p] === a && t[p + 1] === b) {
        t[p + 2] = x + 1;
        return v - 1;
      }
    }
  }
  private grow(): void {
    const old = this.t;
    const cap = (this.mask + 1) * 2;
    this.t = this.alloc.i32(cap * 3);
    this.mask = cap - 1;
    this.count = 0;
    for (let p = 0; p < old.length; p += 3) if (old[p + 2]! !== 0) this.set(old[p]!, old[p + 1]!, old[p + 2]! - 1);
  }
}

/**
 * A map from (key id, value code) to a non-negative integer, for pairs announced beforehand
 * ({@link KeyValueTable.expect}, then {@link KeyValueTable.seal}). A key whose values are a narrow
 * range of small integers (the usual case: 1, 2, 3, ... appended to each key) gets a slice of one
 * dense array, indexed by value; the others share a {@link PairTable}. Lookups of the dense keys
 * touch one small array, not a table the size of the history.
 */
export class KeyValueTable {
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;
  private readonly count: Int32Array;
  private readonly base: Int32Array;
  private dense: Int32Array = new Int32Array(0);
  private sparse: PairTable | undefined;
  constructor(
    keys: number,
    private readonly alloc: Alloc = HEAP,
  ) {
    this.lo = alloc.i32(keys).fill(0x7fffffff);
    this.hi = alloc.i32(keys).fill(-1);
    this.count = alloc.i32(keys);
    this.base = alloc.i32(keys).fill(-1);
  }
  /** Announces a pair that {@link KeyValueTable.set} may store. */
  expect(k: number, v: number): void {
    if (v < 0) this.count[k] = -0x40000000;
    else {
      if (v < this.lo[k]!) this.lo[k] = v;
      if (v > this.hi[k]!) this.hi[k] = v;
    }
    this.count[k]!++;
  }
  /** Lays the table out; call once, after every {@link KeyValueTable.expect}. */
  seal(): void {
    const { lo, hi, count, base } = this;
    let dense = 0;
    let sparse = 0;
    for (let k = 0; k < count.length; k++) {
      const c = count[k]!;
      if (c === 0) continue;
      const width = hi[k]! - lo[k]! + 1;
      if (c > 0 && width <= 2 * c + 16) {
        base[k] = dense;
        dense += width;
      } else sparse += c > 0 ? c : c + 0x40000000;
    }
    this.dense = this.alloc.i32(dense);
    if (sparse > 0) this.sparse = new PairTable(sparse, this.alloc);
  }
  /** The integer stored for (k, v), or -1. */
  get(k: number, v: number): number {
    const b = this.base[k]!;
    if (b >= 0) {
      const lo = this.lo[k]!;
      return v < lo || v > this.hi[k]! ? -1 : this.dense[b + v - lo]! - 1;
    }
    return this.sparse ? this.sparse.get(k, v) : -1;
  }
  /** Stores x (≥ 0) for an announced (k, v); returns the previous integer or -1. */
  set(k: number, v: number, x: number): number {
    const b = this.base[k]!;
    if (b >= 0) {
      const i = b + v - this.lo[k]!;
      const prev = this.dense[i]! - 1;
      this.dense[i] = x + 1;
      return prev;
    }
    return this.sparse!.set(k, v, x);
  }
}

/** Where typed arrays come from: fresh allocations, or slices of one {@link Arena}. */
export interface Alloc {
  /** A zero-filled Int32Array. */
  i32(length: number): Int32Array;
  /** A zero-filled Uint8Array. */
  u8(length: number): Uint8Array;
}

/** Plain allocation. */
export const HEAP: Alloc = {
  i32: (n) => new Int32Array(n),
  u8: (n) => new Uint8Array(n),
};

/** A buffer of `bytes`, shared when the platform has shared buffers (see {@link Arena} for why). */
export function offHeap(bytes: number): ArrayBufferLike {
  const Shared = (globalThis as { SharedArrayBuffer?: new (n: number) => ArrayBufferLike }).SharedArrayBuffer;
  if (Shared) {
    try {
      return new Shared(bytes);
    } catch {
      // fall through to a plain buffer
    }
  }
  return new ArrayBuffer(bytes);
}

/**
 * One buffer handed out in slices. V8 starts a full garbage collection whenever memory outside
 * the heap grows by some tens of megabytes past its last collection, and with a large history on
 * the heap each one costs seconds; a `SharedArrayBuffer` is not counted that way, so the arena is
 * one when the platform has them (Node does; browsers only when cross-origin isolated), else one
 * plain `ArrayBuffer` taken in a single allocation. Requests beyond it fall back to plain
 * allocation.
 */
export class Arena implements Alloc {
  private readonly buf: ArrayBufferLike | undefined;
  private off = 0;
  constructor(bytes: number) {
    let buf: ArrayBufferLike | undefined;
    try {
      buf = offHeap(Math.max(0, Math.ceil(bytes / 8) * 8));
    } catch {
      buf = undefined;
    }
    this.buf = buf;
  }
  private take(bytes: number): number {
    if (!this.buf || this.off + bytes > this.buf.byteLength) return -1;
    const at = this.off;
    this.off += Math.ceil(bytes / 8) * 8;
    return at;
  }
  i32(n: number): Int32Array {
    const at = this.take(n * 4);
    return at < 0 ? new Int32Array(n) : new Int32Array(this.buf!, at, n);
  }
  u8(n: number): Uint8Array {
    const at = this.take(n);
    return at < 0 ? new Uint8Array(n) : new Uint8Array(this.buf!, at, n);
  }
}
