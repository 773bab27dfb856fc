import { createNode } from '@gyre/node';

await Promise.resolve(); // gyre sim needs the node before the first await
const node = createNode();
await node.run();
