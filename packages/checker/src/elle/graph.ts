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

/**
 * The edges of an {@link EdgeList} as an {@link EdgeSource}, in ascending order of destination
 * (and in the order they were found within one), so that {@link buildGraph} streams them in once.
 */
export function listSource(edges: EdgeList): EdgeSource {
  let order: Int32Array | undefined;
  return (emit) => {
    const src = edges.src.data;
    const dst = edges.dst.data;
    const m = edges.length;
    if (!order) {
      // A stable counting sort by destination.
      let n = 0;
      for (let i = 0; i < m; i++) if (dst[i]! >= n) n = dst[i]! + 1;
      const at = new Int32Array(n + 1);
      for (let i = 0; i < m; i++) at[dst[i]! + 1]!++;
      for (let v = 0; v < n; v++) at[v + 1]! += at[v]!;
      order = new Int32Array(m);
      for (let i = 0; i < m; i++) order[at[dst[i]!]!++] = i;
    }
    for (let j = 0; j < m; j++) {
      const i = order[j]!;
      emit(src[i]!, dst[i]!, edges.rel[i]!);
    }
  };
}

/**
 * The edges of one run of a source, kept as it emitted them. A source that emits all the edges
 * into a vertex together (the usual case: the data edges go transaction by transaction, each
 * real-time group at an invocation) is `grouped`: each vertex's edges are then one run of the list.
 */
class Run {
  src: Int32Array;
  /** The relation of each edge; none while they all have the same one, `only`. */
  rel: Uint8Array | undefined;
  only = 0;
  length = 0;
  /** Where each vertex's edges start in the list (-1: none), and how many there are. */
  readonly first: Int32Array;
  readonly count: Int32Array;
  private last = -1;
  grouped = true;
  constructor(
    n: number,
    capacity: number,
    private readonly alloc: Alloc,
  ) {
    this.first = alloc.i32(n).fill(-1);
    this.count = alloc.i32(n);
    this.src = alloc.i32(Math.max(16, capacity));
  }
  add(a: number, b: number, r: number): void {
    if (a === b || !this.grouped) return;
    if (b !== this.last) {
      if (this.first[b] !== -1) {
        this.grouped = false;
        return;
      }
      this.first[b] = this.length;
      this.last = b;
    }
    if (r !== this.only) this.mixed(r);
    this.count[b]!++;
    const i = this.length++;
    if (i === this.src.length) this.grow();
    this.src[i] = a;
    if (this.rel) this.rel[i] = r;
  }
  private mixed(r: number): void {
    if (this.length === 0) this.only = r;
    else if (!this.rel) {
      this.rel = this.alloc.u8(this.src.length);
      this.rel.fill(this.only, 0, this.length);
    }
  }
  private grow(): void {
    // Beyond the capacity asked for, plain memory (an arena cannot free what it handed out).
    const src = new Int32Array(this.src.length * 2);
    src.set(this.src);
    this.src = src;
    if (this.rel) {
      const rel = new Uint8Array(this.rel.length * 2);
      rel.set(this.rel);
      this.rel = rel;
    }
  }
}

/**
 * Builds a graph from edge sources, merging parallel edges (their relations are or-ed, the first
 * one's place is kept) and dropping self-loops. Each source runs once: the others are kept as
 * {@link Run}s, then the first is streamed straight into the graph, its edges into each vertex
 * followed by the others'. That needs the first source to emit its edges in ascending order of
 * destination (the data edges do, transaction by transaction) and the others to emit each
 * vertex's edges together; when one does not, the graph is built from two runs of every source
 * (count, then place). `dataEdges`: how many edges of the first source to allow for before
 * growing; `runEdges`: the same for each of the others.
 */
export function buildGraph(n: number, sources: readonly EdgeSource[], alloc: Alloc = HEAP, dataEdges = 1024, runEdges = 1024): Graph {
  if (sources.length === 0) return { n, start: alloc.i32(n + 1), src: new Int32Array(0), rel: new Uint8Array(0) };
  const runs: Run[] = [];
  let cap = dataEdges;
  for (let i = 1; i < sources.length; i++) {
    const run = new Run(n, runEdges, alloc);
    sources[i]!((a, b, r) => run.add(a, b, r));
    if (!run.grouped) return buildTwice(n, sources, alloc);
    runs.push(run);
    cap += run.length;
  }
  const g = new Stream(n, runs, Math.max(16, cap), alloc);
  sources[0]!((a, b, r) => g.add(a, b, r));
  if (!g.ascending) return buildTwice(n, sources, alloc);
  return g.end();
}

/** The graph as {@link buildGraph} writes it, vertex by vertex. */
class Stream {
  readonly start: Int32Array;
  src: Int32Array;
  rel: Uint8Array;
  /** Where each source vertex's edge into the current vertex went, for merging parallel edges. */
  private readonly where: Int32Array;
  private out = 0;
  /** The vertex being written: its edges start at `start[v]`. */
  private v = -1;
  ascending = true;
  constructor(
    readonly n: number,
    private readonly runs: readonly Run[],
    capacity: number,
    alloc: Alloc,
  ) {
    this.start = alloc.i32(n + 1);
    this.src = alloc.i32(capacity);
    this.rel = alloc.u8(capacity);
    this.where = alloc.i32(n).fill(-1);
  }
  add(a: number, b: number, r: number): void {
    if (a === b || !this.ascending) return;
    if (b !== this.v) {
      if (b < this.v) {
        this.ascending = false;
        return;
      }
      this.to(b);
    }
    this.put(a, r);
  }
  /** Closes the current vertex (adding the runs' edges into it) and those before b; opens b. */
  private to(b: number): void {
    while (this.v < b) {
      if (this.v >= 0) this.fromRuns(this.v);
      this.start[++this.v] = this.out;
    }
  }
  private fromRuns(v: number): void {
    const { runs } = this;
    for (let i = 0; i < runs.length; i++) {
      const run = runs[i]!;
      const f = run.first[v]!;
      if (f < 0) continue;
      const rs = run.src;
      const rr = run.rel;
      const to = f + run.count[v]!;
      if (rr) for (let e = f; e < to; e++) this.put(rs[e]!, rr[e]!);
      else for (let e = f; e < to; e++) this.put(rs[e]!, run.only);
    }
  }
  private put(u: number, r: number): void {
    const at = this.where[u]!;
    if (at >= this.start[this.v]! && at < this.out && this.src[at] === u) {
      this.rel[at]! |= r;
      return;
    }
    if (this.out === this.src.length) this.grow();
    const i = this.out++;
    this.where[u] = i;
    this.src[i] = u;
    this.rel[i] = r;
  }
  private grow(): void {
    // Beyond the capacity asked for, plain memory.
    const src = new Int32Array(this.src.length * 2);
    src.set(this.src);
    const rel = new Uint8Array(this.rel.length * 2);
    rel.set(this.rel);
    this.src = src;
    this.rel = rel;
  }
  end(): Graph {
    const { n } = this;
    if (n > 0) {
      this.to(n - 1);
      this.fromRuns(n - 1);
    }
    this.start[n] = this.out;
    return { n, start: this.start, src: this.src.subarray(0, this.out), rel: this.rel.subarray(0, this.out) };
  }
}

/** {@link buildGraph} from two runs of each source: once to count in-degrees, once to place the edges. */
function buildTwice(n: number, sources: readonly EdgeSource[], alloc: Alloc): Graph {
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
