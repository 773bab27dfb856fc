/**
 * A counter that is *not* a CRDT: each node tells the others about every add, once. A message
 * lost to a partition is an increment lost for good, and the final reads disagree.
 */
import { createNode } from '@gyre/node';

const node = createNode();
let value = 0;

node.on('add', (req) => {
  const delta = req.body.delta as number;
  value += delta;
  for (const peer of node.peers) node.send(peer, { type: 'delta', delta });
  return { type: 'add_ok' };
});

node.on('delta', (msg) => {
  value += msg.body.delta as number;
});

node.on('read', () => ({ type: 'read_ok', value }));

await node.run();
