/**
 * A counter that forgets, for tests that expect an invalid verdict under `--nemesis kill`:
 *
 *   gyre test -w g-counter --bin examples/dist/counter-amnesiac.js --node-count 3 --time-limit 5 --rate 20 --nemesis kill --nemesis-interval 1
 *
 * Each node keeps its own total in memory and gossips it every 100 ms; the others keep the
 * last total they heard from each node. A killed node comes back with a total of 0, gossips
 * it, and everyone replaces what they knew: the adds it had acknowledged are gone for good, so
 * the final reads fall short of the acknowledged sum. Correct as long as no node restarts.
 */
import { createNode, WORKLOAD_RPCS, type Node } from '@gyre/node';
import { isMain } from '../lib/main';

const [add, read] = WORKLOAD_RPCS['pn-counter'];

/** Installs the amnesiac counter on `node`. */
export function counterAmnesiacNode(node: Node = createNode()): Node {
  let mine = 0;
  const theirs = new Map<string, number>();
  node.handle(add, (req) => {
    mine += Number(req.delta);
    return {};
  });
  node.handle(read, () => ({ value: [...theirs.values()].reduce((a, b) => a + b, mine) }));
  node.on('total', (msg) => {
    theirs.set(msg.src, Number(msg.body['total']));
  });
  node.every(100, () => {
    if (!node.initialized) return;
    for (const peer of node.peers) node.send(peer, { type: 'total', total: mine });
  });
  return node;
}

if (isMain(import.meta.url)) await counterAmnesiacNode().run();
