/**
 * Echo (`gyre test -w echo --bin examples/dist/echo.js`): answers every `echo` request with
 * the same payload.
 */
import { createNode, WORKLOAD_RPCS, type Node } from '@gyre/node';
import { isMain } from '../lib/main';

const [echo] = WORKLOAD_RPCS.echo;

/** Installs the echo handler on `node`. */
export function echoNode(node: Node = createNode()): Node {
  node.handle(echo, (req) => ({ echo: req.echo }));
  return node;
}

if (isMain(import.meta.url)) await echoNode().run();
