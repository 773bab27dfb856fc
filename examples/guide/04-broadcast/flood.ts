/**
 * Broadcast by flooding: a node that hears of a message for the first time passes it on to its
 * neighbours in the topology. Fire and forget: a message that is dropped is gone.
 */
// #region topology
import { createNode } from '@gyre/node';

const node = createNode();
const messages = new Set<unknown>();
let neighbours: string[] = [];

node.on('topology', (req) => {
  const topology = req.body.topology as Record<string, string[]>;
  neighbours = topology[node.id] ?? [];
  return { type: 'topology_ok' };
});
// #endregion

// #region spread
function spread(message: unknown, from: string): void {
  if (messages.has(message)) return; // seen it: stop here, or it circles forever
  messages.add(message);
  for (const peer of neighbours) {
    if (peer !== from) node.send(peer, { type: 'gossip', message });
  }
}

node.on('broadcast', (req) => {
  spread(req.body.message, req.src);
  return { type: 'broadcast_ok' };
});

node.on('gossip', (msg) => spread(msg.body.message, msg.src)); // no reply
// #endregion

// #region read
node.on('read', () => ({ type: 'read_ok', messages: [...messages] }));

await node.run();
// #endregion
