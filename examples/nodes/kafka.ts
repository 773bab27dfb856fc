/**
 * A Kafka-style log on one node, in memory (Gossip Glomers 5a):
 *
 *   gyre test -w kafka --bin examples/dist/kafka.js --node-count 1 --concurrency 2n --time-limit 20 --rate 1000
 *
 * Each key's log is an array: a message's offset is its index. `poll` returns, for each key
 * asked, the messages from the given offset on (at most `POLL_LIMIT`); committed offsets are
 * kept per key and only move forward.
 */
import { createNode, WORKLOAD_RPCS, type Node } from '@gyre/node';
import { isMain } from '../lib/main';

const [send, poll, commitOffsets, listCommittedOffsets] = WORKLOAD_RPCS.kafka;

/** The most messages one poll returns per key. */
export const POLL_LIMIT = 32;

/** Installs the in-memory log on `node`. */
export function kafkaNode(node: Node = createNode()): Node {
  const logs = new Map<string, unknown[]>();
  const committed = new Map<string, number>();
  node.handle(send, (req) => {
    let log = logs.get(req.key);
    if (!log) logs.set(req.key, (log = []));
    log.push(req.msg);
    return { offset: log.length - 1 };
  });
  node.handle(poll, (req) => {
    const msgs: Record<string, [number, unknown][]> = {};
    for (const [key, from] of Object.entries(req.offsets)) {
      const log = logs.get(key) ?? [];
      const start = Math.max(0, Number(from));
      msgs[key] = log.slice(start, start + POLL_LIMIT).map((m, i) => [start + i, m]);
    }
    return { msgs };
  });
  node.handle(commitOffsets, (req) => {
    for (const [key, off] of Object.entries(req.offsets)) committed.set(key, Math.max(committed.get(key) ?? -1, Number(off)));
    return {};
  });
  node.handle(listCommittedOffsets, (req) => {
    const offsets: Record<string, number> = {};
    for (const key of req.keys ?? []) {
      const off = committed.get(key);
      if (off !== undefined) offsets[key] = off;
    }
    return { offsets };
  });
  return node;
}

if (isMain(import.meta.url)) await kafkaNode().run();
