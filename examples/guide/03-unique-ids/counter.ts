/** Unique ids, first try: each node counts 0, 1, 2, ... Unique on one node, not across nodes. */
import { createNode } from '@gyre/node';

const node = createNode();
let next = 0;

node.on('generate', () => ({ type: 'generate_ok', id: next++ }));

await node.run();
