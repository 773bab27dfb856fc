/**
 * Grudges: network partitions as plain data.
 *
 * A grudge maps each receiving node to the set of senders whose messages it drops (`dest → srcs`),
 * the way Maelstrom's network stores and applies it, on receive. Nodes absent from the map, or
 * mapped to an empty set, hear everyone. All shapes here are built from a seeded Random.
 */
import type { Random } from '@gyre/history';

/** Receiver → the senders it drops. */
export type Grudge = ReadonlyMap<string, ReadonlySet<string>>;

/** The partition shapes of Maelstrom's `--nemesis partition` (its `:targets`). */
export const PARTITION_SHAPES = ['one', 'minority-third', 'majority', 'majorities-ring'] as const;

/** One of {@link PARTITION_SHAPES}. */
export type PartitionShape = (typeof PARTITION_SHAPES)[number];

/**
 * A grudge in which no node hears from any node outside its own component. Every node of every
 * component gets an entry (an empty set when nothing is cut).
 *
 * @example completeGrudge([['n1'], ['n2', 'n3']]) // n1 drops n2, n3; n2 and n3 drop n1
 */
export function completeGrudge(components: readonly (readonly string[])[]): Map<string, Set<string>> {
  const all = components.flat();
  const out = new Map<string, Set<string>>();
  for (const c of components) {
    const inside = new Set(c);
    for (const node of c) out.set(node, new Set(all.filter((n) => !inside.has(n))));
  }
  return out;
}

/** Cuts a list in two: the first `⌊n/2⌋` elements (the smaller half), then the rest. */
export function bisect<T>(xs: readonly T[]): [T[], T[]] {
  const k = Math.floor(xs.length / 2);
  return [xs.slice(0, k), xs.slice(k)];
}

/** One node chosen at random (or `loner`), and the others: `[[loner], rest]`. */
export function splitOne(nodes: readonly string[], random: Random, loner?: string): [string[], string[]] {
  if (nodes.length === 0) return [[], []];
  const one = loner ?? random.pick(nodes);
  return [[one], nodes.filter((n) => n !== one)];
}

/**
 * Two halves (as {@link bisect}) that cannot hear each other, except through a bridge: the first
 * node of the second half, which hears and is heard by everyone (and has no entry).
 */
export function bridge(nodes: readonly string[]): Map<string, Set<string>> {
  const halves = bisect(nodes);
  const b = halves[1][0];
  const g = completeGrudge(halves);
  if (b === undefined) return g;
  g.delete(b);
  for (const srcs of g.values()) srcs.delete(b);
  return g;
}

/**
 * From "who hears whom" to a grudge: each node drops every node of `nodes` it is not connected to
 * in `conns` (a node never drops itself). Keys in the order of `nodes`.
 */
export function invertGrudge(
  nodes: readonly string[],
  conns: ReadonlyMap<string, Iterable<string>>,
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const n of nodes) {
    const hears = new Set(conns.get(n) ?? []);
    out.set(n, new Set(nodes.filter((m) => m !== n && !hears.has(m))));
  }
  return out;
}

/** The nodes `node` still hears under `grudge` (itself included). */
export function visibleFrom(grudge: Grudge, nodes: readonly string[], node: string): string[] {
  const drops = grudge.get(node);
  return nodes.filter((n) => n === node || !drops?.has(n));
}

/** True when every cut goes both ways: `a` drops `b` exactly when `b` drops `a`. */
export function isSymmetric(grudge: Grudge): boolean {
  for (const [dest, srcs] of grudge) {
    for (const src of srcs) if (!grudge.get(src)?.has(dest)) return false;
  }
  return true;
}

/**
 * A grudge in which every node still hears a majority (`⌊N/2⌋ + 1` nodes, itself included) but no
 * two nodes hear the same majority.
 *
 * - N ≤ 5: Maelstrom's exact ring. Shuffle the nodes into a ring, take the `N` windows of
 *   `⌊N/2⌋ + 1` consecutive nodes; the middle node of each window hears only its window. Symmetric
 *   except for N = 3, where each node hears itself and its predecessor only (a one-way ring: no
 *   symmetric cut of 3 nodes has the property). N ≤ 2 cuts nothing.
 * - N ≥ 6: a randomised ring. Shuffle the nodes into a ring, connect each to its `k` nearest on each
 *   side (`2k + 1 ≤ ⌊N/2⌋ + 1`); when that leaves each node one short of a majority, add random
 *   chords between distant nodes until each has one, keeping the tightest of several attempts in
 *   which all heard sets differ (falling back to `k + 1` neighbours a side, which always works).
 *   Always symmetric; every node hears a majority or one node more.
 */
export function majoritiesRing(nodes: readonly string[], random: Random): Map<string, Set<string>> {
  const n = nodes.length;
  const m = Math.floor(n / 2) + 1;
  const ring = random.shuffle(nodes);
  if (n <= 5) {
    const conns = new Map<string, string[]>();
    for (let j = 0; j < n; j++) {
      const window = Array.from({ length: m }, (_, k) => ring[(j + k) % n]!);
      conns.set(window[Math.floor(m / 2)]!, window);
    }
    return invertGrudge(nodes, conns);
  }
  const k = Math.floor((m - 1) / 2);
  if (2 * k + 1 < m) {
    // Each node is one short. Chords pair nodes up; with N odd one node must take two. Keep the
    // tightest valid attempt (largest heard set smallest).
    const tightest = m + (n % 2);
    let best: Set<number>[] | undefined;
    let bestMax = Infinity;
    for (let attempt = 0; attempt < 20 && bestMax > tightest; attempt++) {
      const adj = ringAdjacency(n, k);
      addChords(adj, n, k, random);
      const max = Math.max(...adj.map((s) => s.size));
      if (max < bestMax && distinctNeighbourhoods(adj)) {
        best = adj;
        bestMax = max;
      }
    }
    return fromAdjacency(nodes, ring, best ?? ringAdjacency(n, k + 1));
  }
  return fromAdjacency(nodes, ring, ringAdjacency(n, k));
}

/** Closed neighbourhoods of the circulant ring where position i hears i-k .. i+k. */
function ringAdjacency(n: number, k: number): Set<number>[] {
  return Array.from({ length: n }, (_, i) => {
    const s = new Set<number>();
    for (let d = -k; d <= k; d++) s.add((((i + d) % n) + n) % n);
    return s;
  });
}

/** Gives every position one extra neighbour outside its ring window, pairing them at random. */
function addChords(adj: Set<number>[], n: number, k: number, random: Random): void {
  const far = (u: number, v: number) => {
    const d = Math.abs(u - v);
    return Math.min(d, n - d) > k;
  };
  const chords = new Array<number>(n).fill(0);
  for (const u of random.shuffle([...adj.keys()])) {
    if (chords[u]! > 0) continue;
    const candidates = [...adj.keys()].filter((v) => v !== u && !adj[u]!.has(v) && far(u, v));
    if (candidates.length === 0) continue;
    // Prefer partners without a chord yet, then those with the fewest.
    const fewest = Math.min(...candidates.map((v) => chords[v]!));
    const v = random.pick(candidates.filter((c) => chords[c] === fewest));
    adj[u]!.add(v);
    adj[v]!.add(u);
    chords[u]!++;
    chords[v]!++;
  }
}

function distinctNeighbourhoods(adj: readonly Set<number>[]): boolean {
  const keys = new Set(adj.map((s) => [...s].sort((a, b) => a - b).join(',')));
  return keys.size === adj.length;
}

function fromAdjacency(nodes: readonly string[], ring: readonly string[], adj: readonly Set<number>[]) {
  const conns = new Map<string, string[]>();
  adj.forEach((s, i) => conns.set(ring[i]!, [...s].map((j) => ring[j]!)));
  return invertGrudge(nodes, conns);
}

/**
 * The grudge for one of Maelstrom's partition shapes (maelstrom.md §5.3):
 * - `one`: a random node cut off from all others;
 * - `minority-third`: a random `⌊(N−1)/3⌋` nodes cut off from the rest (nothing for N ≤ 3);
 * - `majority`: the shuffled nodes split `⌊N/2⌋` / rest;
 * - `majorities-ring`: {@link majoritiesRing}.
 */
export function partitionGrudge(
  shape: PartitionShape,
  nodes: readonly string[],
  random: Random,
): Map<string, Set<string>> {
  switch (shape) {
    case 'one':
      return completeGrudge(splitOne(nodes, random));
    case 'minority-third': {
      const k = Math.max(0, Math.floor((nodes.length - 1) / 3));
      const shuffled = random.shuffle(nodes);
      return completeGrudge([shuffled.slice(0, k), shuffled.slice(k)]);
    }
    case 'majority':
      return completeGrudge(bisect(random.shuffle(nodes)));
    case 'majorities-ring':
      return majoritiesRing(nodes, random);
    default:
      throw new RangeError(`unknown partition shape ${String(shape)} (expected one of ${PARTITION_SHAPES.join(', ')})`);
  }
}

/**
 * A grudge as plain data for a history: `{ node: [dropped senders] }`, nodes and senders in the
 * order of `nodes` (when given). The value of a `start-partition` completion is
 * `['isolated', grudgeValue(grudge, nodes)]`.
 */
export function grudgeValue(grudge: Grudge, nodes?: readonly string[]): Record<string, string[]> {
  const order = nodes ?? [...grudge.keys()];
  const rank = new Map(order.map((n, i) => [n, i]));
  const byRank = (a: string, b: string) =>
    (rank.get(a) ?? order.length) - (rank.get(b) ?? order.length) || (a < b ? -1 : a > b ? 1 : 0);
  const out: Record<string, string[]> = {};
  for (const dest of [...grudge.keys()].sort(byRank)) out[dest] = [...grudge.get(dest)!].sort(byRank);
  return out;
}
