/**
 * A PN-counter CRDT (also a g-counter): each node counts its own increments and decrements; every
 * 250 ms it sends its view of every node's counts to its peers, which keep the maximum of each.
 */
import type { Node } from '@gyre/node';

export default function counterNode(node: Node): void {
  const counts = new Map<string, [number, number]>();
  const mine = () => {
    let c = counts.get(node.id);
    if (!c) counts.set(node.id, (c = [0, 0]));
    return c;
  };
  node.on('add', (msg) => {
    const d = Number(msg.body['delta']);
    if (d >= 0) mine()[0] += d;
    else mine()[1] -= d;
    return {};
  });
  node.on('read', () => {
    let v = 0;
    for (const [inc, dec] of counts.values()) v += inc - dec;
    return { value: v };
  });
  node.on('replicate', (msg) => {
    for (const [n, [inc, dec]] of Object.entries(msg.body['counts'] as Record<string, [number, number]>)) {
      const c = counts.get(n) ?? [0, 0];
      counts.set(n, [Math.max(c[0], inc), Math.max(c[1], dec)]);
    }
  });
  node.every(250, () => {
    const body = { type: 'replicate', counts: Object.fromEntries(counts) };
    for (const p of node.peers) node.send(p, body);
  });
}
