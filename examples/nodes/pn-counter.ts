/**
 * PN-counter as a state-based CRDT, for both counter workloads:
 *
 *   gyre test -w pn-counter --bin examples/dist/pn-counter.js --node-count 3 --time-limit 5 --rate 10 --nemesis partition
 *   gyre test -w g-counter --bin examples/dist/pn-counter.js --node-count 3 --time-limit 5 --rate 10 --nemesis partition
 *
 * Each node keeps, for every node, the sum of the positive deltas it accepted (P) and of the
 * negated negative ones (N); only the owner raises its own entries. The value is ΣP − ΣN. Every
 * `--gossip-ms` milliseconds (default 200, or env GYRE_GOSSIP_MS) each node sends its whole
 * state to every other node, which keeps the larger of each entry: entries only grow, so stale,
 * repeated or lost gossip is harmless and every node converges once the network heals. Not
 * restart-safe: see counter-resync.ts for `--nemesis kill`.
 */
import { createNode, WORKLOAD_RPCS, type Node } from '@gyre/node';
import { isMain } from '../lib/main';
import { intOption } from '../lib/outbox';
import { addPn, mergePn, pnValue, type PnState } from '../lib/pn';

const [add, read] = WORKLOAD_RPCS['pn-counter'];

/** Installs the gossiping PN-counter on `node`. */
export function pnCounterNode(node: Node = createNode(), gossipMs = 200): Node {
  const state: PnState = {};
  node.handle(add, (req) => {
    addPn(state, node.id, Number(req.delta));
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

if (isMain(import.meta.url)) await pnCounterNode(createNode(), intOption('gossip-ms', 'GYRE_GOSSIP_MS', 200)).run();
