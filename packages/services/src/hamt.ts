/**
 * A persistent hash map from strings to values (a hash array mapped trie). Every update copies
 * only the path from the root to the changed leaf (at most 7 nodes of at most 32 slots), so old
 * versions stay valid and unchanged subtrees are shared between versions. `merge` exploits that
 * sharing: identical subtrees are skipped, so merging two versions costs in proportion to how
 * much they differ, not to their size.
 *
 * Internal to @gyre/services: keys are the canonical texts from `valueKey` (or node ids).
 */

class Leaf<V> {
  constructor(
    readonly h: number,
    readonly k: string,
    readonly v: V,
  ) {}
}

class Collision<V> {
  constructor(
    readonly h: number,
    readonly leaves: readonly Leaf<V>[],
  ) {}
}

class Branch<V> {
  constructor(
    readonly bitmap: number,
    readonly children: readonly Node<V>[],
  ) {}
}

type Node<V> = Leaf<V> | Collision<V> | Branch<V>;

/** A persistent string-keyed map. Treat as opaque; use the functions below. */
export type PMap<V> = Node<V>;

const EMPTY: Branch<never> = new Branch(0, []);

/** The empty map. */
export function emptyMap<V>(): PMap<V> {
  return EMPTY;
}

/** FNV-1a over UTF-16 code units, then a final avalanche so low bits are well mixed. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** The value under `k`, or `undefined`. `h` must be `hashString(k)`. */
export function mapGet<V>(map: PMap<V>, k: string, h: number = hashString(k)): V | undefined {
  let node: Node<V> = map;
  let shift = 0;
  for (;;) {
    if (node instanceof Branch) {
      const bit = 1 << ((h >>> shift) & 31);
      if ((node.bitmap & bit) === 0) return undefined;
      node = node.children[popcount(node.bitmap & (bit - 1))]!;
      shift += 5;
    } else if (node instanceof Leaf) {
      return node.k === k ? node.v : undefined;
    } else {
      if (node.h !== h) return undefined;
      for (const l of node.leaves) if (l.k === k) return l.v;
      return undefined;
    }
  }
}

/**
 * A map with `k` bound to `v`. Returns `map` itself when `k` is already bound to the very same
 * value (`===`), so callers can detect "no change" by identity.
 */
export function mapSet<V>(map: PMap<V>, k: string, v: V, h: number = hashString(k)): PMap<V> {
  return setIn(map, 0, new Leaf(h, k, v));
}

function setIn<V>(node: Node<V>, shift: number, leaf: Leaf<V>): Node<V> {
  if (node instanceof Branch) {
    const bit = 1 << ((leaf.h >>> shift) & 31);
    const idx = popcount(node.bitmap & (bit - 1));
    if ((node.bitmap & bit) === 0) {
      const children = node.children.slice();
      children.splice(idx, 0, leaf);
      return new Branch(node.bitmap | bit, children);
    }
    const child = node.children[idx]!;
    const next = setIn(child, shift + 5, leaf);
    if (next === child) return node;
    const children = node.children.slice();
    children[idx] = next;
    return new Branch(node.bitmap, children);
  }
  if (node instanceof Leaf) {
    if (node.k === leaf.k) return node.v === leaf.v ? node : leaf;
    return join(node, leaf, shift);
  }
  if (node.h === leaf.h) {
    const i = node.leaves.findIndex((l) => l.k === leaf.k);
    if (i >= 0 && node.leaves[i]!.v === leaf.v) return node;
    const leaves = node.leaves.slice();
    if (i >= 0) leaves[i] = leaf;
    else leaves.push(leaf);
    return new Collision(node.h, leaves);
  }
  return join(node, leaf, shift);
}

/** A node holding both `a` and `b`, whose hashes differ or which are distinct keys. */
function join<V>(a: Leaf<V> | Collision<V>, b: Leaf<V>, shift: number): Node<V> {
  if (a.h === b.h) return new Collision(a.h, a instanceof Leaf ? [a, b] : [...a.leaves, b]);
  const ia = (a.h >>> shift) & 31;
  const ib = (b.h >>> shift) & 31;
  if (ia === ib) return new Branch(1 << ia, [join(a, b, shift + 5)]);
  return new Branch((1 << ia) | (1 << ib), ia < ib ? [a, b] : [b, a]);
}

/** Calls `f` on every entry, in no particular order. */
export function mapForEach<V>(map: PMap<V>, f: (v: V, k: string) => void): void {
  if (map instanceof Branch) for (const c of map.children) mapForEach(c, f);
  else if (map instanceof Leaf) f(map.v, map.k);
  else for (const l of map.leaves) f(l.v, l.k);
}

/** The number of entries (walks the whole map: for tests and diagnostics). */
export function mapSize<V>(map: PMap<V>): number {
  let n = 0;
  mapForEach(map, () => n++);
  return n;
}

/**
 * Merges `src` into `dst`: keys present in one map keep their value; for keys in both,
 * `winner(srcValue, dstValue)` decides, and must return one of its two arguments. Subtrees the
 * two maps share are not visited, and the result reuses `dst` (or `src`) itself, or any of their
 * subtrees, wherever it equals them, so repeated merges of converging maps stay cheap.
 */
export function mapMerge<V>(src: PMap<V>, dst: PMap<V>, winner: (s: V, d: V) => V): PMap<V> {
  return mergeIn(src, dst, 0, winner);
}

function mergeIn<V>(src: Node<V>, dst: Node<V>, shift: number, winner: (s: V, d: V) => V): Node<V> {
  if (src === dst || src === EMPTY) return dst;
  if (dst === EMPTY) return src;
  if (src instanceof Branch && dst instanceof Branch) {
    if (src.bitmap === dst.bitmap) {
      // Same slots: build a new child array only once a child differs from dst's.
      const sc = src.children;
      const dc = dst.children;
      let out: Node<V>[] | undefined;
      let sameSrc = true;
      for (let i = 0; i < dc.length; i++) {
        const s = sc[i]!;
        const d = dc[i]!;
        const r = s === d ? d : mergeIn(s, d, shift + 5, winner);
        if (r !== s) sameSrc = false;
        if (out) out.push(r);
        else if (r !== d) {
          out = dc.slice(0, i);
          out.push(r);
        }
      }
      if (!out) return dst;
      return sameSrc ? src : new Branch(dst.bitmap, out);
    }
    const bitmap = src.bitmap | dst.bitmap;
    let sameSrc = bitmap === src.bitmap;
    let sameDst = bitmap === dst.bitmap;
    const children: Node<V>[] = [];
    for (let rest = bitmap; rest !== 0; rest &= rest - 1) {
      const bit = rest & -rest;
      const sc = (src.bitmap & bit) !== 0 ? src.children[popcount(src.bitmap & (bit - 1))] : undefined;
      const dc = (dst.bitmap & bit) !== 0 ? dst.children[popcount(dst.bitmap & (bit - 1))] : undefined;
      const r = sc === undefined ? dc! : dc === undefined ? sc : mergeIn(sc, dc, shift + 5, winner);
      if (r !== sc) sameSrc = false;
      if (r !== dc) sameDst = false;
      children.push(r);
    }
    if (sameDst) return dst;
    if (sameSrc) return src;
    return new Branch(bitmap, children);
  }
  // One side is a leaf or a collision: fold its few entries into the other side.
  if (!(src instanceof Branch)) {
    let out = dst;
    for (const l of leavesOf(src)) {
      const d = getAt(out, shift, l);
      if (d === undefined || (d !== l.v && winner(l.v, d) === l.v)) out = setIn(out, shift, l);
    }
    return out;
  }
  let out: Node<V> = src;
  for (const l of leavesOf(dst as Leaf<V> | Collision<V>)) {
    const s = getAt(out, shift, l);
    if (s === undefined || (s !== l.v && winner(s, l.v) === l.v)) out = setIn(out, shift, l);
  }
  return out;
}

function leavesOf<V>(n: Leaf<V> | Collision<V>): readonly Leaf<V>[] {
  return n instanceof Leaf ? [n] : n.leaves;
}

function getAt<V>(node: Node<V>, shift: number, leaf: Leaf<V>): V | undefined {
  let n: Node<V> = node;
  let s = shift;
  while (n instanceof Branch) {
    const bit = 1 << ((leaf.h >>> s) & 31);
    if ((n.bitmap & bit) === 0) return undefined;
    n = n.children[popcount(n.bitmap & (bit - 1))]!;
    s += 5;
  }
  if (n instanceof Leaf) return n.k === leaf.k ? n.v : undefined;
  if (n.h !== leaf.h) return undefined;
  for (const l of n.leaves) if (l.k === leaf.k) return l.v;
  return undefined;
}
