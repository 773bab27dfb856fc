/**
 * Dependency graphs over transactions, stored column-wise: an edge list while building, then a
 * compressed sparse row graph whose edges carry a bit set of relations.
 */
import { IntList } from './values';

/** Relation bits. Their order is also the preference used to name an edge with several relations. */
export const WW = 1;
export const WR = 2;
export const RW = 4;
export const PROCESS = 8;
export const REALTIME = 16;
export const DATA = WW | WR | RW;
export const ALL = WW | WR | RW | PROCESS | REALTIME;

/** The names of the relation bits, as Elle prints them. */
export type RelName = 'ww' | 'wr' | 'rw' | 'process' | 'realtime';

/** The name of a single relation bit. */
export function relName(bit: number): RelName {
  switch (bit) {
    case WW:
      return 'ww';
    case WR:
      return 'wr';
    case RW:
      return 'rw';
    case PROCESS:
      return 'process';
    default:
      return 'realtime';
  }
}

/**
 * The relation an edge is named by when it has several: the lowest bit, so data relations win
 * over process and real-time ones, and ww over wr over rw (a cycle read that way is the most
 * severe reading of it, and each cycle gets exactly one name).
 */
export function label(rels: number): number {
  return rels & -rels;
}

/** Edges as they are found: parallel growable columns. */
export class EdgeList {
  src: IntList;
  dst: IntList;
  rel: Uint8Array;
  constructor(capacity = 1024) {
    this.src = new IntList(capacity);
    this.dst = new IntList(capacity);
    this.rel = new Uint8Array(Math.max(4, capacity));
  }
  get length(): number {
    return this.src.length;
  }
  add(a: number, b: number, rel: number): void {
    if (a === b) return;
    const i = this.src.push(a);
    this.dst.push(b);
    if (i >= this.rel.length) {
      const r = new Uint8Array(this.rel.length * 2);
      r.set(this.rel);
      this.rel = r;
    }
    this.rel[i] = rel;
  }
}

/** A graph in compressed sparse row form: the out-edges of `v` are `start[v] .. start[v+1]`. */
export interface Graph {
  n: number;
  start: Int32Array;
  dst: Int32Array;
  /** The relations of each edge (a bit set). */
  rel: Uint8Array;
}

/** Builds a graph from an edge list, merging parallel edges (their relations are or-ed). */
export function buildGraph(n: number, edges: EdgeList): Graph {
  const m = edges.length;
  const src = edges.src.data;
  const dstIn = edges.dst.data;
  const relIn = edges.rel;
  const count = new Int32Array(n + 1);
  for (let i = 0; i < m; i++) count[src[i]! + 1]!++;
  for (let v = 0; v < n; v++) count[v + 1]! += count[v]!;
  const fill = count.slice(0, n);
  const dst = new Int32Array(m);
  const rel = new Uint8Array(m);
  for (let i = 0; i < m; i++) {
    const p = fill[src[i]!]!++;
    dst[p] = dstIn[i]!;
    rel[p] = relIn[i]!;
  }
  // Merge duplicates in place.
  const where = new Int32Array(n).fill(-1);
  const start = new Int32Array(n + 1);
  let out = 0;
  for (let v = 0; v < n; v++) {
    start[v] = out;
    const from = count[v]!;
    const to = count[v + 1]!;
    for (let e = from; e < to; e++) {
      const w = dst[e]!;
      const at = where[w]!;
      if (at >= start[v]! && at < out && dst[at] === w) {
        rel[at]! |= rel[e]!;
      } else {
        where[w] = out;
        dst[out] = w;
        rel[out] = rel[e]!;
        out++;
      }
    }
  }
  start[n] = out;
  return { n, start, dst: out === m ? dst : dst.slice(0, out), rel: out === m ? rel : rel.slice(0, out) };
}

/** Strongly connected components: `comp[v]` is v's component, numbered in reverse topological order. */
export interface Components {
  comp: Int32Array;
  count: number;
  /** Number of vertices in each component. */
  size: Int32Array;
}

/**
 * Tarjan's algorithm, iterative. Only edges `e` with `(bits[e] & mask) !== 0` are followed; a
 * vertex with `skip[v] !== 0` (when given) is left out (its component is -1).
 */
export function tarjan(
  n: number,
  start: Int32Array,
  dst: Int32Array,
  bits: Uint8Array,
  mask: number,
  skip?: Uint8Array,
): Components {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  const callV = new Int32Array(n);
  const callE = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  const sizes = new IntList(64);
  let sp = 0;
  let counter = 0;
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (index[s] !== -1 || (skip && skip[s])) continue;
    let csp = 0;
    index[s] = low[s] = counter++;
    stack[sp++] = s;
    onStack[s] = 1;
    callV[csp] = s;
    callE[csp] = start[s]!;
    csp++;
    while (csp > 0) {
      const v = callV[csp - 1]!;
      const e = callE[csp - 1]!;
      if (e < start[v + 1]!) {
        callE[csp - 1] = e + 1;
        if ((bits[e]! & mask) === 0) continue;
        const w = dst[e]!;
        if (skip && skip[w]) continue;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          callV[csp] = w;
          callE[csp] = start[w]!;
          csp++;
        } else if (onStack[w] && index[w]! < low[v]!) {
          low[v] = index[w]!;
        }
      } else {
        csp--;
        if (low[v] === index[v]) {
          let size = 0;
          let x: number;
          do {
            x = stack[--sp]!;
            onStack[x] = 0;
            comp[x] = count;
            size++;
          } while (x !== v);
          sizes.push(size);
          count++;
        }
        if (csp > 0) {
          const u = callV[csp - 1]!;
          if (low[v]! < low[u]!) low[u] = low[v]!;
        }
      }
    }
  }
  return { comp, count, size: sizes.view() };
}
