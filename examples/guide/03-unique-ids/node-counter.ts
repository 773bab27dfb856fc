/**
 * Unique ids without talking to anyone: node ids are unique, so `<node id>-<counter>` is too.
 * Every node answers on its own, so partitions cannot make it unavailable.
 */
import { createNode } from '@gyre/node';

const node = createNode();
let next = 0;

node.on('generate', () => ({ type: 'generate_ok', id: `${node.id}-${next++}` }));

await node.run();
