/**
 * Fault-tolerant broadcast: every message is sent to each neighbour as an RPC, and sent again
 * until that neighbour acknowledges it. A partition only delays it.
 */
import { createNode } from '@gyre/node';

const node = createNode();
const messages = new Set<unknown>();
let neighbours: string[] = [];

node.on('topology', (req) => {
  const topology = req.body.topology as Record<string, string[]>;
  neighbours = topology[node.id] ?? [];
  return { type: 'topology_ok' };
});

// #region retry
async function deliver(peer: string, message: unknown): Promise<void> {
  for (;;) {
    try {
      await node.rpc(peer, { type: 'gossip', message }, { timeout: 1000 });
      return; // acknowledged
    } catch {
      await node.sleep(500); // no answer (a partition?): wait, then try again
    }
  }
}

function spread(message: unknown, from: string): void {
  if (messages.has(message)) return;
  messages.add(message);
  for (const peer of neighbours) {
    if (peer !== from) void deliver(peer, message);
  }
}

node.on('broadcast', (req) => {
  spread(req.body.message, req.src);
  return { type: 'broadcast_ok' };
});

node.on('gossip', (req) => {
  spread(req.body.message, req.src);
  return { type: 'gossip_ok' };
});
// #endregion

node.on('read', () => ({ type: 'read_ok', messages: [...messages] }));

await node.run();
