/**
 * The seed of a node's own randomness in a run with seed `seed`: `GYRE_NODE_SEED` for a node
 * process, `node.random` for a simulated node. The same in `gyre test`, `gyre replay` and
 * `gyre sim`, so a node that draws only from it does the same again when its run is replayed.
 */
export function nodeSeed(seed: string, node: string): string {
  return `${seed}/node/${node}`;
}
