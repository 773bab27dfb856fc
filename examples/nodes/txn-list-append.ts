/**
 * A strict-serializable list-append store: every node forwards each transaction to the first node,
 * which applies transactions one at a time. Valid under `--consistency-models strict-serializable`
 * (without partitions: the first node is a single point of failure).
 *
 *   gyre test -w txn-list-append --bin examples/dist/txn-list-append.js --node-count 3 --time-limit 10
 */
import { createNode, RpcError, WORKLOAD_RPCS, type Node } from '@gyre/node';
import { isMain } from '../lib/main';
import { applyTxn, type Mop } from '../lib/txn';

const [txn] = WORKLOAD_RPCS['txn-list-append'];

/** Installs the store on `node`. */
export function txnListAppend(node: Node = createNode()): Node {
  const state = new Map<string, unknown>();
  node.handle(txn, async (req) => {
    const leader = node.nodeIds[0]!;
    if (node.id === leader) return { txn: applyTxn(state, (req.txn ?? []) as Mop[]).done as never };
    try {
      const reply = await node.rpc(leader, { type: 'apply', txn: req.txn });
      return { txn: reply['txn'] as never };
    } catch (e) {
      // The leader may or may not have applied it: indefinite.
      throw RpcError.is(e) && e.definite ? e : RpcError.crash(`leader ${leader} did not answer`);
    }
  });
  node.on('apply', (msg) => ({ txn: applyTxn(state, (msg.body['txn'] ?? []) as Mop[]).done }));
  return node;
}

if (isMain(import.meta.url)) await txnListAppend().run();
