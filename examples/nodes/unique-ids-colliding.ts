/**
 * A broken unique-ids node, for tests that expect an invalid verdict: every node counts 0, 1,
 * 2... on its own, so with two nodes or more the same ids come from several nodes.
 */
import { createNode, WORKLOAD_RPCS, type Node } from '@gyre/node';
import { isMain } from '../lib/main';

const [generate] = WORKLOAD_RPCS['unique-ids'];

/** Installs the colliding id generator on `node`. */
export function uniqueIdsCollidingNode(node: Node = createNode()): Node {
  let next = 0;
  node.handle(generate, () => ({ id: next++ }));
  return node;
}

if (isMain(import.meta.url)) await uniqueIdsCollidingNode().run();
