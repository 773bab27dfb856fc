/**
 * A grow-only counter as a state-based CRDT: each node counts its own adds in its own slot,
 * gossips every slot, and merges by taking the larger count per slot. The value is the sum.
 */
import { createNode } from '@gyre/node';

const node = createNode();
/** node id → the total that node has added (only that node ever raises its own slot). */
const counts: Record<string, number> = {};

node.on('add', (req) => {
  counts[node.id] = (counts[node.id] ?? 0) + (req.body.delta as number);
  return { type: 'add_ok' };
});

node.on('read', () => ({ type: 'read_ok', value: Object.values(counts).reduce((a, b) => a + b, 0) }));

node.every(500, () => {
  for (const peer of node.peers) node.send(peer, { type: 'merge', counts });
});

node.on('merge', (msg) => {
  for (const [id, n] of Object.entries(msg.body.counts as Record<string, number>)) {
    counts[id] = Math.max(counts[id] ?? 0, n);
  }
});

await node.run();
