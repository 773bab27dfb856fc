/**
 * The benchmark's broadcast node, examples/nodes/broadcast.ts, run as a program: `createNode()` at
 * the top level, as the guide writes nodes. The same code as the install-function scenario, so
 * the two figures compare the ways gyre sim runs a module (a program's own files run afresh for
 * every node and restart).
 */
import { createNode } from '@gyre/node';
import { broadcastNode } from '../../../examples/nodes/broadcast';

await broadcastNode(createNode()).run();
