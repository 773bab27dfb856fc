/** Broadcast on one node: remember every message, return them all on read. */
import { createNode } from '@gyre/node';

const node = createNode();
const messages = new Set<unknown>();

node.on('topology', () => ({ type: 'topology_ok' }));

node.on('broadcast', (req) => {
  messages.add(req.body.message);
  return { type: 'broadcast_ok' };
});

node.on('read', () => ({ type: 'read_ok', messages: [...messages] }));

await node.run();
