/**
 * Efficient broadcast: a star (every node talks only to the first node, the hub) and batches
 * (every 50 ms each node sends a peer, in one RPC, the messages that peer has not acknowledged
 * and that are not already on their way). Few messages per operation, and at most two hops.
 *
 *   gyre test -w broadcast --bin examples/dist/guide/04-broadcast/batched.js -- 200   (a 200 ms batch)
 */
// #region state
import { createNode } from '@gyre/node';

const node = createNode();
const interval = Number(process.argv[2] ?? 50); // ms between batches
const RESEND_AFTER = 1000; // ms: a batch not acknowledged within a second is sent again
const messages = new Set<unknown>();
/** For each peer, the messages it has not acknowledged yet, each with when we last sent it (ms; -Infinity: never). */
const unacked = new Map<string, Map<unknown, number>>();
// #endregion

// #region star
node.on('init', () => {
  const hub = node.nodeIds[0]!;
  const peers = node.id === hub ? node.peers : [hub];
  for (const peer of peers) {
    const pending = new Map<unknown, number>();
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
    for (const [peer, pending] of unacked) if (peer !== from) pending.set(message, -Infinity);
  }
}

function flush(peer: string, pending: Map<unknown, number>): void {
  const now = node.clock.nowMs(); // milliseconds, like RESEND_AFTER (clock.now() counts nanoseconds)
  const batch = [...pending].filter(([, sent]) => now - sent > RESEND_AFTER).map(([message]) => message);
  if (batch.length === 0) return;
  for (const message of batch) pending.set(message, now);
  // Don't wait for the answer: the next batch may leave before this one is acknowledged.
  node.rpc(peer, { type: 'gossip', messages: batch }, { timeout: 1000 }).then(
    () => batch.forEach((message) => pending.delete(message)),
    () => {}, // not acknowledged: still pending, so it goes out again after RESEND_AFTER
  );
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

// #region read
node.on('read', () => ({ type: 'read_ok', messages: [...messages] }));

await node.run();
// #endregion
