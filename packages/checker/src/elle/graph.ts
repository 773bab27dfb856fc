/**
 * Dependency graphs over transactions, stored column-wise: an edge list while building, then a
 * compressed sparse row graph whose edges carry a bit set of relations.
 */
import { type Alloc, HEAP, IntList } from './values';

/** Relation bits. Their order is also the preference used to name an edge with several relations. */
export const WW = 1;
export const WR = 2;
export const RW = 4;
export const PROCESS = 8;
export const REALTIME = 16;
export const DATA = WW | WR | RW;

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

/**
 * A graph in compressed sparse row form, by destination: the edges into `v` are
 * `start[v] .. start[v+1]`, from `src[e]`. (Edges are produced grouped by their destination, so
 * this order fills memory sequentially; strongly connected components are the same either way.)
 */
export interface Graph {
  n: number;
  start: Int32Array;
  src: Int32Array;
  /** The relations of each edge (a bit set). */
  rel: Uint8Array;
}

/** Something that produces edges by calling `emit`; it must produce the same edges every time. */
export type EdgeSource = (emit: (a: number, b: number, rel: number) => void) => void;

/** The edges of an {@link EdgeList} as an {@link EdgeSource}. */
export function listSource(edges: EdgeList): EdgeSource {
  return (emit) => {
    const src = edges.src.data;
    const dst = edges.dst.data;
    for (let i = 0; i < edges.length; i++) emit(src[i]!, dst[i]!, edges.rel[i]!);
  };
}

/**
 * Builds a graph from edge sources, each run twice (once to count in-degrees, once to place the
 * edges), merging parallel edges (their relations are or-ed) and dropping self-loops.
 */
export function buildGraph(n: number, sources: readonly EdgeSource[], alloc: Alloc = HEAP): Graph {
  const start = alloc.i32(n + 1);
  let m = 0;
  const count = (a: number, b: number) => {
    if (a !== b) {
      start[b + 1]!++;
      m++;
    }
  };
  for (const s of sources) s(count);
  for (let v = 0; v < n; v++) start[v + 1]! += start[v]!;
  const fill = alloc.i32(n);
  fill.set(start.subarray(0, n));
  const src = alloc.i32(m);
  const rel = alloc.u8(m);
  const place = (a: number, b: number, r: number) => {
    if (a !== b) {
      const p = fill[b]!++;
      src[p] = a;
      rel[p] = r;
    }
  };
  for (const s of sources) s(place);
  // Merge parallel edges in place; `fill` is reused to remember where each source went.
  fill.fill(-1);
  const where = fill;
  let out = 0;
  let from = 0;
  for (let v = 0; v < n; v++) {
    const to = start[v + 1]!;
    start[v] = out;
    for (let e = from; e < to; e++) {
      const u = src[e]!;
      const at = where[u]!;
      if (at >= start[v]! && at < out && src[at] === u) {
        rel[at]! |= rel[e]!;
      } else {
        where[u] = out;
        src[out] = u;
        rel[out] = rel[e]!;
        out++;
      }
    }
    from = to;
  }
  start[n] = out;
  return { n, start, src: src.subarray(0, out), rel: rel.subarray(0, out) };
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
  alloc: Alloc = HEAP,
): Components {
  const index = alloc.i32(n).fill(-1);
  const low = alloc.i32(n);
  const onStack = alloc.u8(n);
  const stack = alloc.i32(n);
  const callV = alloc.i32(n);
  const callE = alloc.i32(n);
  const comp = alloc.i32(n).fill(-1);
  const sizes = alloc.i32(n);
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
          sizes[count] = size;
          count++;
        }
        if (csp > 0) {
          const u = callV[csp - 1]!;
          if (low[v]! < low[u]!) low[u] = low[v]!;
        }
      }
    }
  }
  return { comp, count, size: sizes.subarray(0, count) };
}
