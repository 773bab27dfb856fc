/**
 * A deliberately unreliable broadcast, like Maelstrom's demo broadcast.rb, for tests that expect
 * an invalid verdict under partitions:
 *
 *   gyre test -w broadcast --bin examples/dist/broadcast-naive.js --node-count 5 --time-limit 5 --rate 10 --nemesis partition
 *
 * A value a client broadcasts is sent once to every other node, fire and forget. Without faults
 * every node gets every value; a message a partition drops is never sent again, so the nodes on
 * the other side never learn that value and the checker reports it lost.
 */
import { createNode, WORKLOAD_RPCS, type Node } from '@gyre/node';
import { stringifyJson } from '@gyre/history';
import { isMain } from '../lib/main';

const [topology, , read] = WORKLOAD_RPCS.broadcast;

/** Installs the naive broadcast on `node`. */
export function broadcastNaiveNode(node: Node = createNode()): Node {
  const seen = new Map<string, unknown>();
  node.handle(topology, () => ({}));
  node.handle(read, () => ({ messages: [...seen.values()] }));
  node.on('broadcast', (msg) => {
    const value = msg.body['message'];
    const k = stringifyJson(value);
    if (!seen.has(k)) {
      seen.set(k, value);
      if (!node.nodeIds.includes(msg.src)) for (const peer of node.peers) node.send(peer, { type: 'broadcast', message: value });
    }
    return msg.body.msg_id === undefined ? undefined : {};
  });
  return node;
}

if (isMain(import.meta.url)) await broadcastNaiveNode().run();
