/**
 * A broken counter, for tests that expect an invalid verdict:
 *
 *   gyre test -w pn-counter --bin examples/dist/counter-double.js --node-count 3 --time-limit 5 --rate 10
 *
 * The PN-counter of pn-counter.ts, except that every third add a node accepts is applied twice,
 * so the final reads exceed every total the acknowledged adds allow.
 */
import { createNode, WORKLOAD_RPCS, type Node } from '@gyre/node';
import { isMain } from '../lib/main';
import { addPn, mergePn, pnValue, type PnState } from '../lib/pn';

const [add, read] = WORKLOAD_RPCS['pn-counter'];

/** Installs the double-counting counter on `node`. */
export function counterDoubleNode(node: Node = createNode(), gossipMs = 200): Node {
  const state: PnState = {};
  let adds = 0;
  node.handle(add, (req) => {
    addPn(state, node.id, adds++ % 3 === 0 ? 2 * Number(req.delta) : Number(req.delta));
    return {};
  });
  node.handle(read, () => ({ value: pnValue(state) }));
  node.on('gossip', (msg) => mergePn(state, msg.body['counts']));
  node.every(gossipMs, () => {
    if (!node.initialized) return;
    for (const peer of node.peers) node.send(peer, { type: 'gossip', counts: state });
  });
  return node;
}

if (isMain(import.meta.url)) await counterDoubleNode().run();
