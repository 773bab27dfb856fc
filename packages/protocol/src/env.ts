/**
 * Environment variables Gyre sets for every node process: the contract between the runner, which
 * spawns nodes, and the node SDK, which reads them.
 */

/**
 * The seed of a node's own randomness (`node.random` in `@gyre/node`): Gyre sets it for every
 * node process to `<run seed>/node/<node id>`, the same in `gyre test`, `gyre replay` and
 * `gyre sim`, so a node that draws only from it behaves the same when its run is replayed.
 */
export const NODE_SEED_VAR = 'GYRE_NODE_SEED';
