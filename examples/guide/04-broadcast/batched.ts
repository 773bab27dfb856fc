/**
 * Efficient broadcast: a star (every node talks only to the first node, the hub) and batches
 * (every 100 ms each node sends a peer, in one RPC, all the messages that peer has not
 * acknowledged yet). Few messages per operation, and at most two hops.
 *
 *   gyre test -w broadcast --bin examples/dist/guide/04-broadcast/batched.js -- 200   (a 200 ms batch)
 */
import { createNode } from '@gyre/node';

const node = createNode();
const interval = Number(process.argv[2] ?? 100);
const messages = new Set<unknown>();
/** For each peer, the messages it has not acknowledged yet. */
const unacked = new Map<string, Set<unknown>>();

// #region star
node.on('init', () => {
  const hub = node.nodeIds[0]!;
  const peers = node.id === hub ? node.peers : [hub];
  for (const peer of peers) {
    const pending = new Set<unknown>();
    unacked.set(peer, pending);
    node.every(interval, () => flush(peer, pending)); // one schedule per peer
  }
});

node.on('topology', () => ({ type: 'topology_ok' })); // we use our own
// #endregion

// #region batch
function learn(batch: unknown[], from: string): void {
  for (const message of batch) {
    if (messages.has(message)) continue;
    messages.add(message);
    for (const [peer, pending] of unacked) if (peer !== from) pending.add(message);
  }
}

async function flush(peer: string, pending: Set<unknown>): Promise<void> {
  if (pending.size === 0) return;
  const batch = [...pending];
  try {
    await node.rpc(peer, { type: 'gossip', messages: batch }, { timeout: 1000 });
    for (const m of batch) pending.delete(m);
  } catch {
    // not acknowledged: still pending, so the next round sends it again
  }
}

node.on('gossip', (req) => {
  learn(req.body.messages as unknown[], req.src);
  return { type: 'gossip_ok' };
});

node.on('broadcast', (req) => {
  learn([req.body.message], req.src);
  return { type: 'broadcast_ok' };
});
// #endregion

node.on('read', () => ({ type: 'read_ok', messages: [...messages] }));

await node.run();
