/**
 * A counter that also goes down: two grow-only counters, one for increments (P) and one for
 * decrements (N). The value is sum(P) - sum(N); each half merges by max, as before.
 */
import { createNode } from '@gyre/node';

const node = createNode();
const p: Record<string, number> = {};
const n: Record<string, number> = {};
const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);

node.on('add', (req) => {
  const delta = req.body.delta as number;
  const half = delta >= 0 ? p : n;
  half[node.id] = (half[node.id] ?? 0) + Math.abs(delta);
  return { type: 'add_ok' };
});

node.on('read', () => ({ type: 'read_ok', value: sum(p) - sum(n) }));

node.every(500, () => {
  for (const peer of node.peers) node.send(peer, { type: 'merge', p, n });
});

node.on('merge', (msg) => {
  for (const [mine, theirs] of [[p, msg.body.p], [n, msg.body.n]] as const) {
    for (const [id, count] of Object.entries(theirs as Record<string, number>)) {
      mine[id] = Math.max(mine[id] ?? 0, count);
    }
  }
});

await node.run();
