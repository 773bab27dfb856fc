/**
 * Gossip Glomers 6a-6c: a totally available transactional key-value store (txn-rw-register).
 * Every node applies each transaction atomically to its own copy of the data, answers at once (so
 * it stays available under partitions), and replicates the transaction's final writes to every
 * peer, retrying until acknowledged. Readers never see another transaction's intermediate or
 * aborted writes, so this is read committed (and read uncommitted).
 *
 *   gyre test -w txn-rw-register --bin examples/dist/txn-rw-register.js --node-count 2 --concurrency 2n --time-limit 20 --rate 1000 --consistency-models read-committed --availability total --nemesis partition
 *
 * Extra arguments are ignored (the published 6c command line passes two stray words to the node).
 */
import { createNode, WORKLOAD_RPCS, type Node } from '@gyre/node';
import { isMain } from '../lib/main';
import { applyTxn, sendUntilAcked, type Mop } from '../lib/txn';

const [txn] = WORKLOAD_RPCS['txn-rw-register'];

/** Installs the store on `node`. */
export function txnRwRegister(node: Node = createNode()): Node {
  const state = new Map<string, unknown>();
  node.handle(txn, (req) => {
    const { done, writes } = applyTxn(state, (req.txn ?? []) as Mop[]);
    if (writes.length) for (const peer of node.peers) void sendUntilAcked(node, peer, { type: 'replicate', writes }).catch(() => {});
    return { txn: done as never };
  });
  node.on('replicate', (msg) => {
    for (const [k, v] of msg.body['writes'] as [string, unknown][]) state.set(k, v);
    return {};
  });
  return node;
}

if (isMain(import.meta.url)) await txnRwRegister().run();
