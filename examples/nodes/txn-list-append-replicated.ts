/**
 * A list-append store that is wrong on purpose: each node applies transactions to its own copy at
 * once and replicates the appends to its peers later. Nodes see appends in different orders, so
 * the history is not serializable, and the Elle-style checker reports the anomalies.
 *
 *   gyre test -w txn-list-append --bin examples/dist/txn-list-append-replicated.js --node-count 3 --time-limit 10 --consistency-models serializable
 */
import { valueKey } from '@gyre/history';
import { createNode, WORKLOAD_RPCS, type Node } from '@gyre/node';
import { isMain } from '../lib/main';
import { applyTxn, sendUntilAcked, type Mop } from '../lib/txn';

const [txn] = WORKLOAD_RPCS['txn-list-append'];

/** Installs the store on `node`. */
export function txnListAppendReplicated(node: Node = createNode()): Node {
  const state = new Map<string, unknown>();
  node.handle(txn, (req) => {
    const mops = (req.txn ?? []) as Mop[];
    const { done } = applyTxn(state, mops);
    const appends = mops.filter(([f]) => f === 'append').map(([, k, v]) => [k, v]);
    if (appends.length) for (const peer of node.peers) void sendUntilAcked(node, peer, { type: 'appends', appends }).catch(() => {});
    return { txn: done as never };
  });
  node.on('appends', (msg) => {
    for (const [k, v] of msg.body['appends'] as [unknown, unknown][]) {
      const key = valueKey(k);
      state.set(key, [...((state.get(key) as unknown[] | undefined) ?? []), v]);
    }
    return {};
  });
  return node;
}

if (isMain(import.meta.url)) await txnListAppendReplicated().run();
