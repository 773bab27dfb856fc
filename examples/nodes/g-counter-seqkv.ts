/**
 * Grow-only counter on the seq-kv service (Gossip Glomers 4):
 *
 *   gyre test -w g-counter --bin examples/dist/g-counter-seqkv.js --node-count 3 --rate 100 --time-limit 20 --nemesis partition
 *
 * Each node owns one key in seq-kv, `counter-<node id>`, and adds to it with a read-cas loop
 * (only its owner writes a key, but a seq-kv read may be stale, and then the cas fails and the
 * loop reads again). Nodes never talk to each other, so partitions, which never cut services
 * off, change nothing. A read sums every node's key. seq-kv may serve stale states, but never
 * older than the last state the same requester saw or made: so a read first writes a value
 * never written before to its own scratch key (`sync-<node id>`), which makes the newest state
 * its own, and only then reads the counters, each at least as new as that state.
 */
import { randomUUID } from 'node:crypto';
import { createNode, WORKLOAD_RPCS, type Node } from '@gyre/node';
import { isMain } from '../lib/main';

const [add, read] = WORKLOAD_RPCS['g-counter'];

/** Installs the seq-kv counter on `node`. */
export function gCounterSeqKvNode(node: Node = createNode()): Node {
  const kv = node.kv('seq-kv');
  const incarnation = randomUUID();
  let syncs = 0;
  node.handle(add, async (req) => {
    if (Number(req.delta) !== 0) await kv.update<number>(`counter-${node.id}`, (v) => Number(v) + Number(req.delta), { default: 0 });
    return {};
  });
  node.handle(read, async () => {
    await kv.write(`sync-${node.id}`, `${incarnation}-${syncs++}`);
    const values = await Promise.all(node.nodeIds.map((n) => kv.readInt(`counter-${n}`, { default: 0 })));
    return { value: values.reduce((a, b) => a + b, 0) };
  });
  return node;
}

if (isMain(import.meta.url)) await gCounterSeqKvNode().run();
