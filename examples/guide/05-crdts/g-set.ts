/**
 * A grow-only set as a state-based CRDT: every node keeps the whole set and, twice a second,
 * sends all of it to every other node. Merging is set union, so a lost or repeated message
 * changes nothing: the next one carries everything again.
 */
import { createNode } from '@gyre/node';

const node = createNode();
const elements = new Set<unknown>();

node.on('add', (req) => {
  elements.add(req.body.element);
  return { type: 'add_ok' };
});

node.on('read', () => ({ type: 'read_ok', value: [...elements] }));

// #region gossip
node.every(500, () => {
  for (const peer of node.peers) node.send(peer, { type: 'merge', elements: [...elements] });
});

node.on('merge', (msg) => {
  for (const e of msg.body.elements as unknown[]) elements.add(e);
});
// #endregion

await node.run();
