/**
 * Cycle search in a dependency graph, per strongly connected component.
 *
 * For each SCC: first the cheap "a cycle violating model M exists" projections (Tarjan on the
 * sub-graph of the relations M constrains); they rule whole families of anomalies out. Then, in
 * severity order, the shortest cycle of each remaining anomaly type that is not implied by one
 * already found:
 *
 * - G0 and G1c (and their -process / -realtime variants) are exact: a cycle exists iff an edge
 *   of the required relation (ww or the variant's relation / wr) joins two vertices of one SCC of
 *   the allowed relations; a breadth-first search closes it. G-single is exact too: an rw edge
 *   u → v such that v reaches u through ww / wr (and the variant's) edges, decided on the
 *   condensation of that sub-graph. A variant is only searched when its data-only base was
 *   searched and not found, so a cycle found with the variant's edges allowed necessarily uses one.
 * - G2-item is exact too: for each vertex m with an rw edge in and out, a multi-source search from
 *   m's rw successors, avoiding m, for one of its rw predecessors.
 * - G-nonadjacent uses a breadth-first search over (vertex, path state): rw edges seen (0, 1, 2+),
 *   whether the last edge was rw, whether a variant edge was seen. Its walks may repeat a vertex;
 *   those are split into simple cycles, and the search moves on when none has the wanted type.
 *
 * Each edge is read as one relation (see {@link label}), so every cycle has exactly one type.
 * The search of one SCC has a time budget; when it runs out the SCC reports
 * `cycle-search-timeout`, the cycle-exists cases and a fallback cycle, never a false "valid".
 */
import { DATA, label, PROCESS, REALTIME, RW, WR, WW, tarjan, type Graph } from './graph';
import { type Alloc, HEAP, IntList } from './values';
import { CYCLE_ANOMALY_TYPES, anomaliesProhibitedBy, impliedAnomalies, strongerModels } from './models';

/** A cycle: `verts[i] → verts[i+1]` (wrapping) is an edge read as relation `labs[i]`. */
export interface FoundCycle {
  type: string;
  verts: number[];
  labs: number[];
}

/** Evidence that a cycle violating `not` exists somewhere in these vertices. */
interface CycleExistsCase {
  type: string;
  /** The model ruled out. */
  not: string;
  /** The relations projected, in Elle's notation: `['union', 'ww', 'wr']`, `['extension', [...], 'rw']`. */
  subgraph: unknown[];
  sccSize: number;
  /** The vertices of the smallest SCC of that projection. */
  scc: number[];
}

/** The search of one SCC ran out of time. */
interface TimeoutCase {
  /** The anomaly type being searched for when time ran out. */
  anomalySpecType: string;
  /** Types searched for and not found before that. */
  doesNotContain: string[];
  sccSize: number;
}

/** What the search of one SCC found. */
export interface SccResult {
  cycles: FoundCycle[];
  exists: CycleExistsCase[];
  timeout?: TimeoutCase;
}

/** Options of {@link searchCycles}. */
export interface SearchOptions {
  /** Milliseconds of search per SCC. */
  timeout: number;
  /** A millisecond clock. */
  now: () => number;
}

interface ExistsSpec {
  model: string;
  type: string;
  a: number;
  ext: number;
  subgraph: unknown[];
}

const union = (...rels: string[]): unknown[] => ['union', ...rels];
const EXISTS_SPECS: readonly ExistsSpec[] = [
  { model: 'read-uncommitted', type: 'PL-1-cycle-exists', a: WW, ext: 0, subgraph: ['ww'] },
  { model: 'read-committed', type: 'PL-2-cycle-exists', a: WW | WR, ext: 0, subgraph: union('ww', 'wr') },
  { model: 'snapshot-isolation', type: 'PL-SI-cycle-exists', a: WW | WR, ext: RW, subgraph: ['extension', union('ww', 'wr'), 'rw'] },
  { model: 'serializable', type: 'PL-3-cycle-exists', a: DATA, ext: 0, subgraph: union('ww', 'wr', 'rw') },
  { model: 'strong-session-read-uncommitted', type: 'strong-session-PL-1-cycle-exists', a: WW | PROCESS, ext: 0, subgraph: union('ww', 'process') },
  { model: 'strong-session-read-committed', type: 'strong-session-PL-2-cycle-exists', a: WW | WR | PROCESS, ext: 0, subgraph: union('ww', 'wr', 'process') },
  {
    model: 'strong-session-snapshot-isolation',
    type: 'strong-session-snapshot-isolation-cycle-exists',
    a: WW | WR | PROCESS,
    ext: RW,
    subgraph: ['extension', union('ww', 'wr', 'process'), 'rw'],
  },
  { model: 'strong-session-serializable', type: 'strong-session-serializable-cycle-exists', a: DATA | PROCESS, ext: 0, subgraph: union('ww', 'wr', 'rw', 'process') },
  { model: 'strong-read-uncommitted', type: 'strong-PL-1-cycle-exists', a: WW | REALTIME, ext: 0, subgraph: union('ww', 'realtime') },
  { model: 'strong-read-committed', type: 'strong-PL-2-cycle-exists', a: WW | WR | REALTIME, ext: 0, subgraph: union('ww', 'wr', 'realtime') },
  {
    model: 'strong-snapshot-isolation',
    type: 'strong-snapshot-isolation-cycle-exists',
    a: WW | WR | REALTIME,
    ext: RW,
    subgraph: ['extension', union('ww', 'wr', 'realtime'), 'rw'],
  },
  { model: 'strict-serializable', type: 'PL-SS-cycle-exists', a: DATA | REALTIME, ext: 0, subgraph: union('ww', 'wr', 'rw', 'realtime') },
];

/** The `<model>-cycle-exists` anomaly types, each with the model it rules out. */
export const CYCLE_EXISTS_TYPES: ReadonlyMap<string, string> = new Map(EXISTS_SPECS.map((s) => [s.type, s.model]));

/**
 * Names a cycle from the relations of its edges (each a single bit): one rw edge is G-single,
 * several are G2-item when two are adjacent (the cycle wraps) and G-nonadjacent otherwise; no
 * rw with a wr is G1c, only ww is G0. A real-time edge adds `-realtime`, else a process edge
 * `-process`. Undefined for a cycle without data edges.
 */
function classifyCycle(labs: readonly number[]): string | undefined {
  const n = labs.length;
  let rw = 0;
  let wr = 0;
  let ww = 0;
  let rt = 0;
  let proc = 0;
  let adjacent = false;
  for (let i = 0; i < n; i++) {
    const l = labs[i]!;
    if (l === RW) {
      rw++;
      if (labs[(i + n - 1) % n] === RW && n > 1) adjacent = true;
    } else if (l === WR) wr++;
    else if (l === WW) ww++;
    else if (l === REALTIME) rt++;
    else if (l === PROCESS) proc++;
  }
  let base: string;
  if (rw === 1) base = 'G-single';
  else if (rw > 1) base = adjacent ? 'G2-item' : 'G-nonadjacent';
  else if (wr > 0) base = 'G1c';
  else if (ww > 0) base = 'G0';
  else return undefined;
  return rt > 0 ? base + '-realtime' : proc > 0 ? base + '-process' : base;
}

const TIMEOUT = Symbol('timeout');
type Found = { verts: number[]; labs: number[] } | null | typeof TIMEOUT;

class Budget {
  private steps = 0;
  expired = false;
  constructor(
    private readonly now: () => number,
    private readonly deadline: number,
  ) {}
  /** Counts a step; true when time is up (checked every 1024 steps). */
  tick(): boolean {
    if ((++this.steps & 1023) === 0 && this.now() > this.deadline) this.expired = true;
    return this.expired;
  }
}

/** An SCC as its own small graph, with local vertex numbers. */
class Local {
  readonly n: number;
  readonly start: Int32Array;
  readonly dst: Int32Array;
  readonly rel: Uint8Array;
  readonly lab: Uint8Array;
  readonly src: Int32Array;
  /** In-edges: edge indices `inEdge[inStart[v] .. inStart[v+1]]`. */
  readonly inStart: Int32Array;
  readonly inEdge: Int32Array;
  private readonly compCache = new Map<number, Int32Array>();
  // BFS scratch
  private readonly seen: Int32Array;
  private readonly parent: Int32Array;
  private stamp = 0;
  private queue: Int32Array;

  constructor(
    g: Graph,
    readonly verts: Int32Array,
    localOf: Int32Array,
  ) {
    const n = verts.length;
    this.n = n;
    // The global graph lists in-edges; count each local vertex's out-edges first.
    const start = new Int32Array(n + 1);
    let m = 0;
    for (let i = 0; i < n; i++) {
      const v = verts[i]!;
      for (let e = g.start[v]!; e < g.start[v + 1]!; e++) {
        const u = localOf[g.src[e]!]!;
        if (u < 0) continue;
        start[u + 1]!++;
        m++;
      }
    }
    for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
    const at = start.slice(0, n);
    const dst = new Int32Array(m);
    const rel = new Uint8Array(m);
    const src = new Int32Array(m);
    for (let i = 0; i < n; i++) {
      const v = verts[i]!;
      for (let e = g.start[v]!; e < g.start[v + 1]!; e++) {
        const u = localOf[g.src[e]!]!;
        if (u < 0) continue;
        const k = at[u]!++;
        dst[k] = i;
        rel[k] = g.rel[e]!;
        src[k] = u;
      }
    }
    const lab = new Uint8Array(m);
    for (let e = 0; e < m; e++) lab[e] = label(rel[e]!);
    const inStart = new Int32Array(n + 1);
    for (let e = 0; e < m; e++) inStart[dst[e]! + 1]!++;
    for (let v = 0; v < n; v++) inStart[v + 1]! += inStart[v]!;
    const fill = inStart.slice(0, n);
    const inEdge = new Int32Array(m);
    for (let e = 0; e < m; e++) inEdge[fill[dst[e]!]!++] = e;
    this.start = start;
    this.dst = dst;
    this.rel = rel;
    this.lab = lab;
    this.src = src;
    this.inStart = inStart;
    this.inEdge = inEdge;
    this.seen = new Int32Array(n);
    this.parent = new Int32Array(n);
    this.queue = new Int32Array(n);
  }

  /** Component ids of the projection onto edges whose label is in `mask`. */
  comps(mask: number): Int32Array {
    let c = this.compCache.get(mask);
    if (!c) {
      c = tarjan(this.n, this.start, this.dst, this.lab, mask).comp;
      this.compCache.set(mask, c);
    }
    return c;
  }

  /** True when some edge has exactly label `l`. */
  hasLabel(l: number): boolean {
    for (let e = 0; e < this.lab.length; e++) if (this.lab[e] === l) return true;
    return false;
  }

  /**
   * Breadth-first search from `sources` to the first vertex with `target[v] === targetStamp`,
   * over edges labelled in `mask` that stay in component `c` of `comp`, never entering `avoid`.
   * Returns the path's edges (from a source to the target), or null, or TIMEOUT.
   */
  bfs(
    sources: ArrayLike<number>,
    target: Int32Array,
    targetStamp: number,
    mask: number,
    comp: Int32Array | null,
    c: number,
    avoid: number,
    budget: Budget,
  ): number[] | null | typeof TIMEOUT {
    const s = ++this.stamp;
    const { seen, parent, queue, start, dst, lab } = this;
    let head = 0;
    let tail = 0;
    for (let i = 0; i < sources.length; i++) {
      const v = sources[i]!;
      if (seen[v] === s) continue;
      seen[v] = s;
      parent[v] = -1;
      if (target[v] === targetStamp) return [];
      queue[tail++] = v;
    }
    while (head < tail) {
      if (budget.tick()) return TIMEOUT;
      const v = queue[head++]!;
      for (let e = start[v]!; e < start[v + 1]!; e++) {
        if ((lab[e]! & mask) === 0) continue;
        const w = dst[e]!;
        if (seen[w] === s || w === avoid || (comp !== null && comp[w] !== c)) continue;
        seen[w] = s;
        parent[w] = e;
        if (target[w] === targetStamp) {
          const path: number[] = [];
          let x = w;
          while (parent[x] !== -1) {
            const pe = parent[x]!;
            path.push(pe);
            x = this.src[pe]!;
          }
          return path.reverse();
        }
        queue[tail++] = w;
      }
    }
    return null;
  }

  /** A cycle from a list of edges forming a closed walk. */
  cycleOf(edges: readonly number[]): { verts: number[]; labs: number[] } {
    return { verts: edges.map((e) => this.src[e]!), labs: edges.map((e) => this.lab[e]!) };
  }
}

const BASE_MASK: Record<string, number> = {
  G0: WW,
  G1c: WW | WR,
  'G-single': WW | WR,
  'G2-item': DATA,
  'G-nonadjacent': DATA,
};

function parseType(type: string): { base: string; variant: number } {
  if (type.endsWith('-process')) return { base: type.slice(0, -8), variant: PROCESS };
  if (type.endsWith('-realtime')) return { base: type.slice(0, -9), variant: REALTIME };
  return { base: type, variant: 0 };
}

/**
 * G0, G1c: an anchor edge labelled `anchor` inside one component of `mask`, closed by a
 * shortest path back. Within a strongly connected component that path always exists, so the first
 * anchor found gives a cycle; a few more anchors are tried for a shorter one.
 */
function searchAnchored(g: Local, mask: number, anchor: number, budget: Budget): Found {
  const comp = g.comps(mask);
  const target = new Int32Array(g.n);
  let best: number[] | null = null;
  let tries = 0;
  for (let e = 0; e < g.lab.length && tries < 8; e++) {
    if (g.lab[e] !== anchor) continue;
    const u = g.src[e]!;
    const v = g.dst[e]!;
    if (comp[u] !== comp[v]) continue;
    target[u] = e + 1;
    const path = g.bfs([v], target, e + 1, mask, comp, comp[u]!, -1, budget);
    if (path === TIMEOUT) break;
    if (path && (!best || path.length + 1 < best.length)) best = [e, ...path];
    if (best) tries++;
    if (best && best.length <= 2) break;
  }
  if (best) return g.cycleOf(best);
  return budget.expired ? TIMEOUT : null;
}

/**
 * G-single: one rw edge u → v closed by a path v ⇝ u of the other allowed relations. The path
 * need not stay in one component of those relations, so reachability is decided on their
 * condensation, 31 source components at a time with bit masks, before a search draws the path.
 */
function searchSingle(g: Local, mask: number, budget: Budget): Found {
  const comp = g.comps(mask);
  let count = 0;
  for (let v = 0; v < g.n; v++) if (comp[v]! >= count) count = comp[v]! + 1;
  const target = new Int32Array(g.n);
  const anchors: number[] = [];
  let best: number[] | null = null;
  const close = (e: number): boolean | typeof TIMEOUT => {
    const u = g.src[e]!;
    target[u] = e + 1;
    const path = g.bfs([g.dst[e]!], target, e + 1, mask, null, 0, -1, budget);
    if (path === TIMEOUT) return TIMEOUT;
    if (path && (!best || path.length + 1 < best.length)) best = [e, ...path];
    return path !== null;
  };
  let tries = 0;
  for (let e = 0; e < g.lab.length; e++) {
    if (g.lab[e] !== RW) continue;
    const cu = comp[g.src[e]!]!;
    const cv = comp[g.dst[e]!]!;
    if (cu === cv) {
      if (close(e) === TIMEOUT) break;
      if (best && ++tries >= 8) break;
    } else if (cv > cu) anchors.push(e);
  }
  if (best) return g.cycleOf(best);
  if (budget.expired) return TIMEOUT;
  if (anchors.length === 0) return null;
  // Condensation edges, grouped by source component.
  const dStart = new Int32Array(count + 1);
  for (let e = 0; e < g.lab.length; e++) {
    if ((g.lab[e]! & mask) === 0) continue;
    const a = comp[g.src[e]!]!;
    if (a !== comp[g.dst[e]!]) dStart[a + 1]!++;
  }
  for (let c = 0; c < count; c++) dStart[c + 1]! += dStart[c]!;
  const fill = dStart.slice(0, count);
  const dDst = new Int32Array(dStart[count]!);
  for (let e = 0; e < g.lab.length; e++) {
    if ((g.lab[e]! & mask) === 0) continue;
    const a = comp[g.src[e]!]!;
    const b = comp[g.dst[e]!]!;
    if (a !== b) dDst[fill[a]!++] = b;
  }
  anchors.sort((x, y) => comp[g.dst[y]!]! - comp[g.dst[x]!]!);
  const reach = new Int32Array(count);
  const bit = new Int32Array(count).fill(-1);
  for (let i = 0; i < anchors.length; ) {
    reach.fill(0);
    bit.fill(-1);
    let bits = 0;
    let j = i;
    while (j < anchors.length) {
      const cv = comp[g.dst[anchors[j]!]!]!;
      if (bit[cv] === -1) {
        if (bits === 31) break;
        bit[cv] = bits;
        reach[cv]! |= 1 << bits;
        bits++;
      }
      j++;
    }
    // Tarjan numbers components in reverse topological order: sources have the highest numbers.
    for (let c = count - 1; c >= 0; c--) {
      const r = reach[c]!;
      if (r === 0) continue;
      for (let x = dStart[c]!; x < dStart[c + 1]!; x++) reach[dDst[x]!]! |= r;
      if (budget.tick()) return TIMEOUT;
    }
    for (let x = i; x < j; x++) {
      const e = anchors[x]!;
      const cv = comp[g.dst[e]!]!;
      if (reach[comp[g.src[e]!]!]! & (1 << bit[cv]!)) {
        const r = close(e);
        if (r === TIMEOUT) return best ? g.cycleOf(best) : TIMEOUT;
        if (best) return g.cycleOf(best);
      }
    }
    i = j;
  }
  return null;
}

/** G2-item: two adjacent rw edges u → m → v, closed by a path v ⇝ u avoiding m. */
function searchAdjacentRw(g: Local, mask: number, budget: Budget): Found {
  const comp = g.comps(mask);
  const target = new Int32Array(g.n);
  const inRw = new Int32Array(g.n);
  let stamp = 0;
  for (let m = 0; m < g.n; m++) {
    const c = comp[m]!;
    stamp++;
    let any = false;
    for (let i = g.inStart[m]!; i < g.inStart[m + 1]!; i++) {
      const e = g.inEdge[i]!;
      const u = g.src[e]!;
      if (g.lab[e] === RW && comp[u] === c && target[u] !== stamp) {
        target[u] = stamp;
        inRw[u] = e;
        any = true;
      }
    }
    if (!any) continue;
    const sources: number[] = [];
    const outEdge = new Map<number, number>();
    for (let e = g.start[m]!; e < g.start[m + 1]!; e++) {
      const v = g.dst[e]!;
      if (g.lab[e] === RW && comp[v] === c && !outEdge.has(v)) {
        sources.push(v);
        outEdge.set(v, e);
      }
    }
    if (sources.length === 0) continue;
    const path = g.bfs(sources, target, stamp, mask, comp, c, m, budget);
    if (path === TIMEOUT) return TIMEOUT;
    if (!path) continue;
    const first = path.length > 0 ? g.src[path[0]!]! : -1;
    const last = path.length > 0 ? g.dst[path[path.length - 1]!]! : -1;
    // With an empty path the source itself is a target: u = v.
    const v = path.length > 0 ? first : sources.find((s) => target[s] === stamp)!;
    const u = path.length > 0 ? last : v;
    return g.cycleOf([inRw[u]!, outEdge.get(v)!, ...path]);
  }
  return null;
}

/** G-nonadjacent: a breadth-first search over (vertex, path state) from promising start vertices. */
function searchNonadjacent(g: Local, variant: number, budget: Budget): Found {
  const mask = DATA | variant;
  const a = WW | WR | variant;
  // Start vertices: those on a cycle of the extension graph (a-edges, each optionally followed by one rw edge).
  const ext = extensionGraph(g.n, g.start, g.dst, g.lab, a, RW);
  const extComp = tarjan(g.n, ext.start, ext.dst, ext.bits, 1);
  const candidates: number[] = ext.loops.map(([x]) => x);
  for (let v = 0; v < g.n; v++) if (extComp.size[extComp.comp[v]!]! > 1) candidates.push(v);
  if (candidates.length === 0) return null;
  const comp = g.comps(mask);
  const S = 12;
  const size = g.n * S;
  const seen = new Int32Array(size);
  const parentNode = new Int32Array(size);
  const parentEdge = new Int32Array(size);
  const queue = new Int32Array(size);
  let stamp = 0;
  for (const s0 of candidates) {
    stamp++;
    const c = comp[s0]!;
    let head = 0;
    let tail = 0;
    const startNode = s0 * S + (0 * 4 + 1 * 2 + 0);
    seen[startNode] = stamp;
    parentNode[startNode] = -1;
    queue[tail++] = startNode;
    while (head < tail) {
      if (budget.tick()) return TIMEOUT;
      const node = queue[head++]!;
      const v = (node / S) | 0;
      const st = node - v * S;
      const rwc = st >> 2;
      const lastRw = (st >> 1) & 1;
      const xs = st & 1;
      for (let e = g.start[v]!; e < g.start[v + 1]!; e++) {
        const l = g.lab[e]!;
        if ((l & mask) === 0) continue;
        const w = g.dst[e]!;
        if (comp[w] !== c) continue;
        let nrwc = rwc;
        let nlast = 0;
        let nxs = xs;
        if (l === RW) {
          if (lastRw) continue;
          nrwc = rwc < 2 ? rwc + 1 : 2;
          nlast = 1;
        } else if (l === variant) nxs = 1;
        if (w === s0) {
          if (nrwc === 2 && (variant === 0 || nxs === 1)) {
            const edges = [e];
            let x = node;
            while (parentNode[x] !== -1) {
              edges.push(parentEdge[x]!);
              x = parentNode[x]!;
            }
            edges.reverse();
            const found = simpleCycleOfType(g, edges, variant === 0 ? 'G-nonadjacent' : 'G-nonadjacent' + suffix(variant));
            if (found) return found;
          }
          continue;
        }
        const next = w * S + ((nrwc << 2) | (nlast << 1) | nxs);
        if (seen[next] === stamp) continue;
        seen[next] = stamp;
        parentNode[next] = node;
        parentEdge[next] = e;
        queue[tail++] = next;
      }
    }
  }
  return null;
}

function suffix(variant: number): string {
  return variant === PROCESS ? '-process' : variant === REALTIME ? '-realtime' : '';
}

/** The walk itself if it is a simple cycle of `type`, else a simple sub-cycle of that type, else null. */
function simpleCycleOfType(g: Local, edges: readonly number[], type: string): { verts: number[]; labs: number[] } | null {
  const whole = g.cycleOf(edges);
  const pos = new Map<number, number>();
  let simple = true;
  for (let i = 0; i < whole.verts.length; i++) {
    if (pos.has(whole.verts[i]!)) {
      simple = false;
      break;
    }
    pos.set(whole.verts[i]!, i);
  }
  if (simple) return classifyCycle(whole.labs) === type ? whole : null;
  // Split the closed walk into simple cycles.
  const stack: number[] = [];
  const at = new Map<number, number>();
  for (const e of edges) {
    const v = g.src[e]!;
    const i = at.get(v);
    if (i !== undefined) {
      const cyc = stack.splice(i);
      for (const ce of cyc) at.delete(g.src[ce]!);
      const c = g.cycleOf(cyc);
      if (classifyCycle(c.labs) === type) return c;
    }
    at.set(v, stack.length);
    stack.push(e);
  }
  if (stack.length > 0) {
    const c = g.cycleOf(stack);
    if (classifyCycle(c.labs) === type) return c;
  }
  return null;
}

/**
 * The extension graph: edge x → z when x -a-> z, or x -a-> y -b-> z. Duplicates are removed; a
 * walk x -a-> y -b-> x (a cycle of two) cannot be an edge, so it is listed in `loops` as [x, y].
 */
function extensionGraph(
  n: number,
  start: Int32Array,
  dst: Int32Array,
  bits: Uint8Array,
  a: number,
  b: number,
): { start: Int32Array; dst: Int32Array; bits: Uint8Array; loops: [number, number][] } {
  const out = new IntList(start[n]! * 2);
  const xStart = new Int32Array(n + 1);
  const mark = new Int32Array(n).fill(-1);
  const loops: [number, number][] = [];
  for (let x = 0; x < n; x++) {
    xStart[x] = out.length;
    mark[x] = x;
    for (let e = start[x]!; e < start[x + 1]!; e++) {
      if ((bits[e]! & a) === 0) continue;
      const y = dst[e]!;
      if (mark[y] !== x) {
        mark[y] = x;
        out.push(y);
      }
      for (let f = start[y]!; f < start[y + 1]!; f++) {
        if ((bits[f]! & b) === 0) continue;
        const z = dst[f]!;
        if (z === x) {
          if (loops.length < 16) loops.push([x, y]);
        } else if (mark[z] !== x) {
          mark[z] = x;
          out.push(z);
        }
      }
    }
  }
  xStart[n] = out.length;
  return { start: xStart, dst: out.view(), bits: new Uint8Array(out.length).fill(1), loops };
}

function cycleExistsCases(g: Local): { cases: CycleExistsCase[]; impossible: Set<string> } {
  const cases: CycleExistsCase[] = [];
  const redundant = new Set<string>();
  let anyProcess = false;
  let anyRealtime = false;
  for (let e = 0; e < g.rel.length; e++) {
    if (g.rel[e]! & PROCESS) anyProcess = true;
    if (g.rel[e]! & REALTIME) anyRealtime = true;
  }
  for (const spec of EXISTS_SPECS) {
    if (redundant.has(spec.model)) continue;
    if ((spec.a & PROCESS && !anyProcess) || (spec.a & REALTIME && !anyRealtime)) {
      // Same projection as the data-only model, which was found acyclic or is already ruled out.
      continue;
    }
    let comps;
    let loops: [number, number][] = [];
    if (spec.ext) {
      const x = extensionGraph(g.n, g.start, g.dst, g.rel, spec.a, spec.ext);
      comps = tarjan(g.n, x.start, x.dst, x.bits, 1);
      loops = x.loops;
    } else {
      comps = tarjan(g.n, g.start, g.dst, g.rel, spec.a);
    }
    let best = -1;
    for (let c = 0; c < comps.count; c++) {
      const s = comps.size[c]!;
      if (s > 1 && (best < 0 || s < comps.size[best]!)) best = c;
    }
    let scc: number[];
    if (loops.length > 0) scc = loops[0]!.map((v) => g.verts[v]!);
    else if (best >= 0) {
      scc = [];
      for (let v = 0; v < g.n; v++) if (comps.comp[v] === best) scc.push(g.verts[v]!);
    } else continue;
    cases.push({ type: spec.type, not: spec.model, subgraph: spec.subgraph, sccSize: scc.length, scc });
    for (const m of strongerModels([spec.model])) redundant.add(m);
  }
  const possible = EXISTS_SPECS.map((s) => s.model).filter((m) => !redundant.has(m));
  const prohibited = anomaliesProhibitedBy(possible);
  const impossible = new Set(CYCLE_ANOMALY_TYPES.filter((t) => prohibited.has(t)));
  return { cases, impossible };
}

function fallbackCycle(g: Local): { verts: number[]; labs: number[] } | null {
  const masks = [WW, WW | REALTIME | PROCESS, WW | WR, WW | WR | REALTIME | PROCESS, DATA, DATA | REALTIME | PROCESS];
  const never = new Budget(() => 0, 1);
  for (const mask of masks) {
    const target = new Int32Array(g.n);
    const comp = g.comps(mask);
    const sizes = new Map<number, number>();
    for (let v = 0; v < g.n; v++) sizes.set(comp[v]!, (sizes.get(comp[v]!) ?? 0) + 1);
    for (let s = 0; s < g.n; s++) {
      if (sizes.get(comp[s]!)! < 2) continue;
      // Shortest cycle through s: an in-edge u → s closed by a path s ⇝ u.
      const inEdgeOf = new Map<number, number>();
      for (let i = g.inStart[s]!; i < g.inStart[s + 1]!; i++) {
        const e = g.inEdge[i]!;
        const u = g.src[e]!;
        if ((g.lab[e]! & mask) && comp[u] === comp[s] && !inEdgeOf.has(u)) {
          inEdgeOf.set(u, e);
          target[u] = 1;
        }
      }
      const path = g.bfs([s], target, 1, mask, comp, comp[s]!, -1, never);
      if (path && path !== TIMEOUT) {
        const u = path.length > 0 ? g.dst[path[path.length - 1]!]! : s;
        return g.cycleOf([...path, inEdgeOf.get(u)!]);
      }
    }
  }
  return null;
}

/**
 * Searches each strongly connected component with more than one vertex for cycle anomalies.
 * Vertex numbers in the results are those of `graph`.
 */
export function searchCycles(graph: Graph, opts: SearchOptions, alloc: Alloc = HEAP): SccResult[] {
  const comps = tarjan(graph.n, graph.start, graph.src, graph.rel, 0xff, undefined, alloc);
  const members: number[][] = [];
  const index = new Int32Array(comps.count).fill(-1);
  for (let v = 0; v < graph.n; v++) {
    const c = comps.comp[v]!;
    if (comps.size[c]! < 2) continue;
    if (index[c] === -1) {
      index[c] = members.length;
      members.push([]);
    }
    members[index[c]!]!.push(v);
  }
  if (members.length === 0) return [];
  const localOf = alloc.i32(graph.n).fill(-1);
  const out: SccResult[] = [];
  for (const vs of members) {
    const verts = Int32Array.from(vs);
    for (let i = 0; i < verts.length; i++) localOf[verts[i]!] = i;
    const g = new Local(graph, verts, localOf);
    out.push(searchScc(g, opts));
    for (let i = 0; i < verts.length; i++) localOf[verts[i]!] = -1;
  }
  return out;
}

function searchScc(g: Local, opts: SearchOptions): SccResult {
  const { cases, impossible } = cycleExistsCases(g);
  const budget = new Budget(opts.now, opts.now() + opts.timeout);
  const cycles: FoundCycle[] = [];
  const skip = new Set(impossible);
  const searched: string[] = [];
  const hasProcess = g.hasLabel(PROCESS);
  const hasRealtime = g.hasLabel(REALTIME);
  for (const type of CYCLE_ANOMALY_TYPES) {
    if (skip.has(type)) continue;
    const { base, variant } = parseType(type);
    if ((variant === PROCESS && !hasProcess) || (variant === REALTIME && !hasRealtime)) continue;
    searched.push(type);
    const mask = BASE_MASK[base]! | variant;
    let found: Found;
    switch (base) {
      case 'G0':
        found = searchAnchored(g, mask, variant || WW, budget);
        break;
      case 'G1c':
        found = searchAnchored(g, mask, WR, budget);
        break;
      case 'G-single':
        found = searchSingle(g, mask, budget);
        break;
      case 'G2-item':
        found = searchAdjacentRw(g, mask, budget);
        break;
      default:
        found = searchNonadjacent(g, variant, budget);
    }
    if (found === TIMEOUT) {
      const timeout: TimeoutCase = {
        anomalySpecType: type,
        doesNotContain: searched.slice(0, -1).filter((t) => !cycles.some((c) => c.type === t)),
        sccSize: g.n,
      };
      const fb = fallbackCycle(g);
      if (fb) {
        const t = classifyCycle(fb.labs);
        if (t && !cycles.some((c) => c.type === t)) cycles.push(toGlobal(g, t, fb));
      }
      return { cycles, exists: cases, timeout };
    }
    if (found && classifyCycle(found.labs) === type) {
      cycles.push(toGlobal(g, type, found));
      for (const t of impliedAnomalies([type])) skip.add(t);
    }
  }
  return { cycles, exists: cases };
}

function toGlobal(g: Local, type: string, c: { verts: number[]; labs: number[] }): FoundCycle {
  return { type, verts: c.verts.map((v) => g.verts[v]!), labs: c.labs };
}
