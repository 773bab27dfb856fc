/**
 * A broken echo node, for tests that expect an invalid verdict: the 1st, 6th, 11th... echo it
 * answers (every fifth, counting from the first) comes back with a different payload.
 */
import { createNode, WORKLOAD_RPCS, type Node } from '@gyre/node';
import { isMain } from '../lib/main';

const [echo] = WORKLOAD_RPCS.echo;

/** Installs the wrong echo handler on `node`. */
export function echoWrongNode(node: Node = createNode()): Node {
  let count = 0;
  node.handle(echo, (req) => (count++ % 5 === 0 ? { echo: `not what you sent: ${String(req.echo)}` } : { echo: req.echo }));
  return node;
}

if (isMain(import.meta.url)) await echoWrongNode().run();
