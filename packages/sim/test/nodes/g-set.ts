/** A grow-only set: every 250 ms each node sends its whole set to every peer, which merges it. */
import type { Node } from '@gyre/node';

export default function gSetNode(node: Node): void {
  const seen = new Set<string>();
  const elements: unknown[] = [];
  const add = (e: unknown) => {
    const k = JSON.stringify(e);
    if (seen.has(k)) return;
    seen.add(k);
    elements.push(e);
  };
  node.on('add', (msg) => {
    add(msg.body['element']);
    return {};
  });
  node.on('read', () => ({ value: elements }));
  node.on('replicate', (msg) => {
    for (const e of msg.body['value'] as unknown[]) add(e);
  });
  node.every(250, () => {
    for (const p of node.peers) node.send(p, { type: 'replicate', value: elements });
  });
}
