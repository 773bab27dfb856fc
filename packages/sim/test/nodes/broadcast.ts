/**
 * Broadcast with acknowledged gossip along the topology: every message a node learns is queued for
 * each neighbour (except the one it came from) and re-sent every 200 ms until that neighbour acks.
 * Survives partitions (messages wait in the queues) and works with any topology.
 */
import type { Node } from '@gyre/node';

export default function broadcastNode(node: Node): void {
  const seen = new Set<unknown>();
  const messages: unknown[] = [];
  let neighbours: string[] = [];
  const pending = new Map<string, Set<unknown>>();
  const learn = (m: unknown, from: string | undefined) => {
    if (seen.has(m)) return;
    seen.add(m);
    messages.push(m);
    for (const n of neighbours) if (n !== from) pending.get(n)!.add(m);
  };
  node.on('topology', (msg) => {
    const topo = msg.body['topology'] as Record<string, string[]>;
    neighbours = topo[node.id] ?? node.peers.slice();
    for (const n of neighbours) pending.set(n, new Set());
    return {};
  });
  node.on('broadcast', (msg) => {
    learn(msg.body['message'], undefined);
    return {};
  });
  node.on('read', () => ({ messages }));
  node.on('gossip', (msg) => {
    for (const m of msg.body['messages'] as unknown[]) learn(m, msg.src);
    return {};
  });
  node.every(200, async () => {
    await Promise.all(
      [...pending].map(async ([n, set]) => {
        if (set.size === 0) return;
        const batch = [...set];
        try {
          await node.rpc(n, { type: 'gossip', messages: batch }, { timeout: 1000 });
          for (const m of batch) set.delete(m);
        } catch {
          // retried on the next round
        }
      }),
    );
  });
}
