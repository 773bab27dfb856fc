/**
 * Broadcast topologies: the neighbour map the broadcast workload sends, whole, to every node in
 * its `topology` message. Computed exactly as Maelstrom computes them.
 */

/** The names `--topology` accepts; `tree` is `tree2`. */
export const TOPOLOGY_NAMES = ['grid', 'line', 'total', 'tree', 'tree2', 'tree3', 'tree4'] as const;

/** One of {@link TOPOLOGY_NAMES}. */
export type TopologyName = (typeof TOPOLOGY_NAMES)[number];

/** Node id → its neighbours, in the order the topology lists them. */
export type Topology = Record<string, string[]>;

/** True for a name {@link topology} accepts. */
export function isTopologyName(name: string): name is TopologyName {
  return (TOPOLOGY_NAMES as readonly string[]).includes(name);
}

/**
 * The neighbour map for `nodes` (in test order) under the named topology:
 * - `grid`: nodes fill rows of side ⌈√N⌉ (node i·side+j at row i, column j); neighbours in the
 *   order down, up, right, left, skipping cells that don't exist.
 * - `line`: each node's left and right neighbours (`[left, right]`); the ends have one. With fewer
 *   than two nodes the map is empty: a single node gets no entry.
 * - `total`: every other node, in node order.
 * - `tree2` (also `tree`), `tree3`, `tree4`: nodes fill a tree breadth-first with at most 2, 3 or
 *   4 children per parent; neighbours are `[parent, children...]`.
 *
 * Throws a `RangeError` for an unknown name.
 */
export function topology(name: string, nodes: readonly string[]): Topology {
  const out: Topology = {};
  const put = (n: string, ns: string[]) => {
    if (n === '__proto__') Object.defineProperty(out, n, { value: ns, enumerable: true, writable: true, configurable: true });
    else out[n] = ns;
  };
  const n = nodes.length;
  switch (name) {
    case 'grid': {
      const side = Math.ceil(Math.sqrt(n));
      const at = (i: number, j: number): string | undefined => (i >= 0 && j >= 0 && j < side && i * side + j < n ? nodes[i * side + j] : undefined);
      for (let idx = 0; idx < n; idx++) {
        const i = Math.floor(idx / side);
        const j = idx % side;
        put(
          nodes[idx]!,
          [at(i + 1, j), at(i - 1, j), at(i, j + 1), at(i, j - 1)].filter((x): x is string => x !== undefined),
        );
      }
      return out;
    }
    case 'line':
      if (n < 2) return out;
      nodes.forEach((node, i) => put(node, [nodes[i - 1], nodes[i + 1]].filter((x): x is string => x !== undefined)));
      return out;
    case 'total':
      nodes.forEach((node, i) => put(node, nodes.filter((_, j) => j !== i)));
      return out;
    case 'tree':
    case 'tree2':
    case 'tree3':
    case 'tree4': {
      const b = name === 'tree' ? 2 : Number(name.slice(4));
      nodes.forEach((node, i) => {
        const ns: string[] = [];
        if (i > 0) ns.push(nodes[Math.floor((i - 1) / b)]!);
        for (let c = b * i + 1; c <= b * i + b && c < n; c++) ns.push(nodes[c]!);
        put(node, ns);
      });
      return out;
    }
    default:
      throw new RangeError(`unknown topology ${JSON.stringify(name)}; expected one of ${TOPOLOGY_NAMES.join(', ')}`);
  }
}
