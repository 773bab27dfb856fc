/**
 * A totally available register store (txn-rw-register): every node applies a transaction to its
 * own copy at once and answers, then sends the transaction's writes to the other nodes, again
 * and again until each acknowledges. No node ever waits for another, so partitions don't stop it,
 * and no one ever sees half a transaction. But two nodes can disagree for a while.
 */
import { createNode } from '@gyre/node';

const node = createNode();
const registers = new Map<string, unknown>();

type MicroOp = [f: 'r' | 'w', key: unknown, value: unknown];

node.on('txn', (req) => {
  const writes: [unknown, unknown][] = [];
  const txn = (req.body.txn as MicroOp[]).map(([f, key, value]): MicroOp => {
    if (f === 'r') return [f, key, registers.get(JSON.stringify(key)) ?? null];
    registers.set(JSON.stringify(key), value);
    writes.push([key, value]);
    return [f, key, value];
  });
  if (writes.length > 0) for (const peer of node.peers) void replicate(peer, writes);
  return { type: 'txn_ok', txn };
});

async function replicate(peer: string, writes: [unknown, unknown][]): Promise<void> {
  for (;;) {
    try {
      await node.rpc(peer, { type: 'replicate', writes }, { timeout: 1000 });
      return;
    } catch {
      await node.sleep(200);
    }
  }
}

node.on('replicate', (req) => {
  for (const [key, value] of req.body.writes as [unknown, unknown][]) registers.set(JSON.stringify(key), value);
  return { type: 'replicate_ok' };
});

await node.run();
