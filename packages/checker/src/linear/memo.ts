/**
 * The memo of visited search configurations (linearized set, state), and the linearized set itself.
 *
 * A configuration's linearized set is kept in two forms: a bitset over all ops (`full`), and two
 * windows, one over the determinate ops and one over the indeterminate ones, each numbered in
 * invocation order. Every op below a window's `low` is linearized and none at or above its `high`
 * is, so a window's words from `low` to `high` describe its part of the set exactly. The
 * determinate window is no wider than the ops that overlap the earliest pending determinate op, so
 * for a long history at bounded concurrency a memo entry costs a few words, not a bit per op. For a
 * partition of up to 256 ops the whole bitset is as small, and cheaper to keep (see {@link createMemo}).
 */

/** The linearized set of the current configuration, updated as ops are linearized and undone. */
export class LinSet {
  /** Bit per op (op ids). */
  readonly full: Uint32Array;
  /** Bit per determinate op, then per indeterminate op, each in invocation order. */
  readonly parts: [Window, Window];
  private readonly slot: Int32Array;
  private readonly part: Uint8Array;
  /** The op of each indeterminate slot. */
  readonly indeterminate: Int32Array;

  /**
   * @param ret - for each of the `n` ops, its return position, or -1 when it has none (indeterminate)
   * @param windows - keep the windows up to date (for a {@link WindowMemo}); else only `full`
   */
  constructor(
    n: number,
    ret: ArrayLike<number>,
    readonly windows = true,
  ) {
    this.full = new Uint32Array(Math.max(1, (n + 31) >>> 5));
    this.slot = new Int32Array(n);
    this.part = new Uint8Array(n);
    let d = 0;
    let i = 0;
    for (let op = 0; op < n; op++) {
      if (ret[op]! >= 0) this.slot[op] = d++;
      else {
        this.slot[op] = i++;
        this.part[op] = 1;
      }
    }
    this.parts = [new Window(d), new Window(i)];
    this.indeterminate = new Int32Array(i);
    for (let op = 0; op < n; op++) if (this.part[op] === 1) this.indeterminate[this.slot[op]!] = op;
  }

  add(op: number): void {
    this.full[op >>> 5]! |= 1 << (op & 31);
    if (this.windows) this.addToWindow(op);
  }

  remove(op: number): void {
    this.full[op >>> 5]! &= ~(1 << (op & 31));
    if (this.windows) this.removeFromWindow(op);
  }

  /** The windows' half of {@link add} (the search calls it directly, after setting the bit itself). */
  addToWindow(op: number): void {
    this.parts[this.part[op]!]!.add(this.slot[op]!);
  }

  /** The windows' half of {@link remove}. */
  removeFromWindow(op: number): void {
    this.parts[this.part[op]!]!.remove(this.slot[op]!);
  }

  clear(): void {
    this.full.fill(0);
    this.parts[0].clear();
    this.parts[1].clear();
  }
}

/** A set of small integers with every member below `low` and none at or above `high`. */
export class Window {
  readonly bits: Uint32Array;
  /** The smallest non-member. */
  low = 0;
  /** One past the largest member, or `low` when there is none above it. */
  high = 0;
  constructor(size: number) {
    this.bits = new Uint32Array(Math.max(1, (size + 31) >>> 5));
  }

  add(i: number): void {
    const bits = this.bits;
    bits[i >>> 5]! |= 1 << (i & 31);
    if (i >= this.high) this.high = i + 1;
    if (i === this.low) {
      const high = this.high;
      let low = i + 1;
      while (low < high) {
        const word = bits[low >>> 5]!;
        if ((low & 31) === 0 && word === 0xffffffff) low += 32;
        else if ((word & (1 << (low & 31))) !== 0) low++;
        else break;
      }
      this.low = low;
    }
  }

  remove(i: number): void {
    const bits = this.bits;
    bits[i >>> 5]! &= ~(1 << (i & 31));
    if (i < this.low) this.low = i;
    if (i + 1 === this.high) {
      const low = this.low;
      let high = i;
      while (high > low) {
        const word = bits[(high - 1) >>> 5]!;
        if ((high & 31) === 0 && word === 0) high -= 32;
        else if ((word & (1 << ((high - 1) & 31))) === 0) high--;
        else break;
      }
      this.high = high;
    }
  }

  clear(): void {
    this.bits.fill(0);
    this.low = 0;
    this.high = 0;
  }
}

/** A memo of configurations: adds (set, state) unless present. */
export interface Memo {
  /** Entries added. */
  readonly count: number;
  /** Bytes held (an estimate for reference memos). */
  readonly bytes: number;
  /** True when the memo keys a configuration by `LinSet.full` alone (the set's windows are not needed). */
  readonly whole: boolean;
  /**
   * Adds the configuration; returns its entry (>= 0) if it was new, -1 if it was already there,
   * -2 if the memo is full.
   * @param hash - a hash of (set, state), equal for equal configurations
   */
  add(set: LinSet, state: number, hash: number): number;
  /** The entry of the configuration, or -1. */
  find(set: LinSet, state: number, hash: number): number;
  /** Forgets an entry: it will never match again. */
  kill(entry: number): void;
}

/** Sets of at most this many words are stored whole; larger ones by their two windows. */
const WHOLE_WORDS = 8;

/** The memo for a search over `n` ops: whole bitsets up to 256 ops, windows beyond. */
export function createMemo(n: number, maxEntries: number, maxBytes: number): Memo {
  return (n + 31) >>> 5 <= WHOLE_WORDS ? new WholeMemo(n, maxEntries, maxBytes) : new WindowMemo(n, maxEntries, maxBytes);
}

/**
 * Open addressing over entries in flat pools, each a hash, a state and the whole bitset: the memo of
 * small partitions (as Porcupine's, without its copies of the op list).
 */
export class WholeMemo implements Memo {
  count = 0;
  readonly whole = true;
  private mask = 255;
  /** Slot i: the entry + 1, or 0 when empty. */
  private table = new Int32Array(256);
  private hashes = new Int32Array(128);
  private stateOf = new Int32Array(128);
  private bits: Uint32Array;
  private readonly W: number;

  constructor(
    n: number,
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {
    this.W = Math.max(1, (n + 31) >>> 5);
    this.bits = new Uint32Array(128 * this.W);
  }

  get bytes(): number {
    return this.table.length * 4 + this.hashes.length * 8 + this.bits.length * 4;
  }

  find(set: LinSet, state: number, h: number): number {
    const r = this.probe(set.full, state, h);
    return r >= 0 ? r : -1;
  }

  add(set: LinSet, state: number, h: number): number {
    const r = this.probe(set.full, state, h);
    return r >= 0 ? -1 : this.insert(set.full, state, h, -r - 1);
  }

  /** Adds (full, state) at the empty table slot `slot` (kept apart from {@link add}: seldom taken to the end). */
  private insert(full: Uint32Array, state: number, h: number, slot: number): number {
    const e = this.count;
    const W = this.W;
    if (e >= this.maxEntries || (e + 1) * (12 + 4 * W) > this.maxBytes) return -2;
    if (e >= this.hashes.length) this.grow();
    this.hashes[e] = h;
    this.stateOf[e] = state;
    const bits = this.bits;
    for (let w = 0, base = e * W; w < W; w++) bits[base + w] = full[w]!;
    this.table[slot] = e + 1;
    this.count = e + 1;
    if (this.count * 2 > this.mask) this.rehash();
    return e;
  }

  kill(e: number): void {
    this.stateOf[e] = -1;
  }

  /** The entry of (set, state), or -(slot + 1) for the empty slot where it belongs. */
  private probe(full: Uint32Array, state: number, h: number): number {
    const W = this.W;
    const table = this.table;
    const mask = this.mask;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const e1 = table[slot]!;
      if (e1 === 0) return -slot - 1;
      const e = e1 - 1;
      if (this.hashes[e] !== h || this.stateOf[e] !== state) continue;
      const bits = this.bits;
      const base = e * W;
      let w = 0;
      while (w < W && bits[base + w] === full[w]) w++;
      if (w === W) return e;
    }
  }

  private grow(): void {
    const cap = this.hashes.length * 2;
    const h = new Int32Array(cap);
    h.set(this.hashes);
    this.hashes = h;
    const s = new Int32Array(cap);
    s.set(this.stateOf);
    this.stateOf = s;
    const b = new Uint32Array(cap * this.W);
    b.set(this.bits);
    this.bits = b;
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    const mask = size - 1;
    const t = new Int32Array(size);
    for (let e = 0; e < this.count; e++) {
      let i = this.hashes[e]! & mask;
      while (t[i] !== 0) i = (i + 1) & mask;
      t[i] = e + 1;
    }
    this.table = t;
    this.mask = mask;
  }
}

/**
 * Open addressing over entries that are appended to flat pools: per entry its hash, state and the
 * offset of its key, `[lowWordD, lenD, lowWordI, wordsD..., wordsI...]` (the windows from the word
 * holding `low` to the word holding `high - 1`). The key is a function of the set, and the set of
 * the key, so equal keys mean equal sets. The set must keep its windows (`LinSet.windows`).
 */
export class WindowMemo implements Memo {
  count = 0;
  private mask = 255;
  /** Slot i: `table[2i]` the entry's hash, `table[2i + 1]` the entry + 1 (0 when empty). */
  private table = new Int32Array(512);
  private stateOf = new Int32Array(128);
  /** Key of entry e: pool[off[e] .. off[e + 1]). */
  private off = new Int32Array(129);
  private pool: Uint32Array;
  private key: Uint32Array;
  readonly whole = false;

  constructor(
    n: number,
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {
    const W = Math.max(1, (n + 31) >>> 5);
    this.key = new Uint32Array(3 + 2 * W + 2);
    this.pool = new Uint32Array(128 * Math.min(W, 8));
  }

  get bytes(): number {
    return this.table.length * 4 + this.stateOf.length * 8 + this.pool.length * 4;
  }

  find(set: LinSet, state: number, h: number): number {
    const r = this.probe(set, state, h);
    return r >= 0 ? r : -1;
  }

  add(set: LinSet, state: number, h: number): number {
    const r = this.probe(set, state, h);
    if (r >= 0) return -1;
    const slot = -r - 1;
    const K = this.keyLength;
    const key = this.key;
    const e = this.count;
    const end = this.off[e]!;
    if (e >= this.maxEntries || this.bytes + 32 + K * 4 > this.maxBytes) return -2;
    if (e + 1 >= this.stateOf.length) this.growEntries();
    if (end + K > this.pool.length) this.growPool(end + K);
    this.stateOf[e] = state;
    const p = this.pool;
    for (let w = 0; w < K; w++) p[end + w] = key[w]!;
    this.off[e + 1] = end + K;
    this.table[2 * slot] = h;
    this.table[2 * slot + 1] = e + 1;
    this.count = e + 1;
    if (this.count * 2 > this.mask) this.rehash();
    return e;
  }

  /** Length of the key built by the last {@link probe}. */
  private keyLength = 0;

  /** Builds the key of (set, state) and looks it up: its entry, or -(slot + 1) for the empty slot where it belongs. */
  private probe(set: LinSet, state: number, h: number): number {
    const K = (this.keyLength = this.keyOf(set));
    const key = this.key;
    const table = this.table;
    const mask = this.mask;
    const pool = this.pool;
    const off = this.off;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const e1 = table[2 * slot + 1]!;
      if (e1 === 0) return -slot - 1;
      if (table[2 * slot] !== h) continue;
      const e = e1 - 1;
      const base = off[e]!;
      if (this.stateOf[e] === state && off[e + 1]! - base === K) {
        let w = 0;
        while (w < K && pool[base + w] === key[w]) w++;
        if (w === K) return e;
      }
    }
  }

  /** Writes the window key of `set` into `key`; returns its length. */
  private keyOf(set: LinSet): number {
    const key = this.key;
    const [d, i] = set.parts;
    const d0 = d.low >>> 5;
    const dn = ((d.high + 31) >>> 5) - d0;
    const i0 = i.low >>> 5;
    const iN = ((i.high + 31) >>> 5) - i0;
    key[0] = d0;
    key[1] = dn;
    key[2] = i0;
    let k = 3;
    for (let w = 0; w < dn; w++) key[k++] = d.bits[d0 + w]!;
    for (let w = 0; w < iN; w++) key[k++] = i.bits[i0 + w]!;
    return k;
  }

  kill(e: number): void {
    this.stateOf[e] = -1;
  }

  private growEntries(): void {
    const cap = this.stateOf.length * 2;
    const s = new Int32Array(cap);
    s.set(this.stateOf);
    this.stateOf = s;
    const o = new Int32Array(cap + 1);
    o.set(this.off);
    this.off = o;
  }

  private growPool(need: number): void {
    const p = new Uint32Array(Math.max(need, this.pool.length * 2));
    p.set(this.pool);
    this.pool = p;
  }

  private rehash(): void {
    const old = this.table;
    const size = (this.mask + 1) * 2;
    const mask = size - 1;
    const t = new Int32Array(2 * size);
    for (let j = 0; j < old.length; j += 2) {
      const e1 = old[j + 1]!;
      if (e1 === 0) continue;
      const h = old[j]!;
      let i = h & mask;
      while (t[2 * i + 1] !== 0) i = (i + 1) & mask;
      t[2 * i] = h;
      t[2 * i + 1] = e1;
    }
    this.table = t;
    this.mask = mask;
  }
}
