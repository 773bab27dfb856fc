/**
 * Grow-only set as a state-based CRDT:
 *
 *   gyre test -w g-set --bin examples/dist/g-set.js --node-count 3 --time-limit 5 --rate 10 --nemesis partition
 *
 * `add` inserts locally and answers at once; every `--gossip-ms` milliseconds (default 200, or
 * env GYRE_GOSSIP_MS) each node sends its whole set to every other node, fire and forget, and a
 * node merges what it receives by union. Union is idempotent, commutative and associative, so
 * lost, repeated and reordered gossip do no harm: once a partition heals, the next round brings
 * every node up to date. Survives `--nemesis pause` too (gossip resumes); not `--nemesis kill`,
 * since an element added on a node that dies before its next round is gone.
 */
import { createNode, WORKLOAD_RPCS, type Node } from '@gyre/node';
import { stringifyJson } from '@gyre/history';
import { isMain } from '../lib/main';
import { intOption } from '../lib/outbox';

const [add, read] = WORKLOAD_RPCS['g-set'];

/** Installs the gossiping g-set on `node`. */
export function gSetNode(node: Node = createNode(), gossipMs = 200): Node {
  const elements = new Map<string, unknown>();
  const merge = (values: unknown) => {
    if (!Array.isArray(values)) return;
    for (const v of values) elements.set(stringifyJson(v), v);
  };
  node.handle(add, (req) => {
    merge([req.element]);
    return {};
  });
  node.handle(read, () => ({ value: [...elements.values()] }));
  node.on('gossip', (msg) => merge(msg.body['elements']));
  node.every(gossipMs, () => {
    if (!node.initialized || elements.size === 0) return;
    const all = [...elements.values()];
    for (const peer of node.peers) node.send(peer, { type: 'gossip', elements: all });
  });
  return node;
}

if (isMain(import.meta.url)) await gSetNode(createNode(), intOption('gossip-ms', 'GYRE_GOSSIP_MS', 200)).run();
