/**
 * Transactions on one node: a map from keys to lists. JavaScript runs one handler at a time and
 * this one never awaits, so each transaction happens all at once: strict serializability for free.
 */
import { createNode } from '@gyre/node';

const node = createNode();
const lists = new Map<string, unknown[]>();

type MicroOp = [f: 'r' | 'append', key: unknown, value: unknown];

node.on('txn', (req) => {
  const txn = (req.body.txn as MicroOp[]).map(([f, key, value]): MicroOp => {
    const k = JSON.stringify(key);
    if (f === 'r') return [f, key, lists.has(k) ? [...lists.get(k)!] : null];
    lists.set(k, [...(lists.get(k) ?? []), value]);
    return [f, key, value];
  });
  return { type: 'txn_ok', txn };
});

await node.run();
