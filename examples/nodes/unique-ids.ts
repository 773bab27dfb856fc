/**
 * Unique ids (`gyre test -w unique-ids --bin examples/dist/unique-ids.js --nemesis partition`):
 * each id is `<node id>-<counter>`. No coordination, so it stays available under any partition;
 * ids are unique because node ids are. (A node restarted with its memory wiped would reuse its
 * counter: survive that by adding a per-incarnation part, e.g. a `lin-tso` timestamp taken at init.)
 */
import { createNode, WORKLOAD_RPCS, type Node } from '@gyre/node';
import { isMain } from '../lib/main';

const [generate] = WORKLOAD_RPCS['unique-ids'];

/** Installs the id generator on `node`. */
export function uniqueIdsNode(node: Node = createNode()): Node {
  let next = 0;
  node.handle(generate, () => ({ id: `${node.id}-${next++}` }));
  return node;
}

if (isMain(import.meta.url)) await uniqueIdsNode().run();
