/**
 * A Kafka-style log shared by several nodes through the lin-kv service (Gossip Glomers 5b, 5c):
 *
 *   gyre test -w kafka --bin examples/dist/kafka-linkv.js --node-count 2 --concurrency 2n --time-limit 20 --rate 1000
 *
 * Nodes keep no state of their own. Each key's whole log is one lin-kv value, `log-<key>`, an
 * array of messages: `send` appends with a read-cas loop, and the message's offset is its index
 * in the array that the winning cas wrote. Because every append replaces the array atomically,
 * offsets are never reused and a log never has holes. A key's committed offset is
 * `committed-<key>`, raised with a read-cas loop so it never moves back. lin-kv is
 * linearizable, so every node sees every acknowledged send. (Whole-log values are fine for
 * Maelstrom's workload, whose keys take at most --max-writes-per-key messages, 16 by default.)
 */
import { createNode, WORKLOAD_RPCS, type Node } from '@gyre/node';
import { isMain } from '../lib/main';

const [send, poll, commitOffsets, listCommittedOffsets] = WORKLOAD_RPCS.kafka;

/** Installs the lin-kv backed log on `node`. */
export function kafkaLinKvNode(node: Node = createNode()): Node {
  const kv = node.kv('lin-kv');
  node.handle(send, async (req) => {
    const log = await kv.update<unknown[]>(`log-${req.key}`, (l) => [...(l as unknown[]), req.msg], { default: [] });
    return { offset: log.length - 1 };
  });
  node.handle(poll, async (req) => {
    const entries = await Promise.all(
      Object.entries(req.offsets).map(async ([key, from]) => {
        const log = await kv.read<unknown[]>(`log-${key}`, { default: [] });
        const start = Math.max(0, Number(from));
        return [key, log.slice(start).map((m, i) => [start + i, m])] as const;
      }),
    );
    return { msgs: Object.fromEntries(entries) as Record<string, [number, unknown][]> };
  });
  node.handle(commitOffsets, async (req) => {
    await Promise.all(
      Object.entries(req.offsets).map(async ([key, off]) => {
        const k = `committed-${key}`;
        const current = await kv.readInt(k, { default: -1 });
        if (current < Number(off)) await kv.update<number>(k, (v) => Math.max(Number(v), Number(off)), { default: -1 });
      }),
    );
    return {};
  });
  node.handle(listCommittedOffsets, async (req) => {
    const entries = await Promise.all((req.keys ?? []).map(async (key) => [key, await kv.readInt(`committed-${key}`, { default: -1 })] as const));
    return { offsets: Object.fromEntries(entries.filter(([, off]) => off >= 0)) };
  });
  return node;
}

if (isMain(import.meta.url)) await kafkaLinKvNode().run();
