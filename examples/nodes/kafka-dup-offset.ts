/**
 * A broken Kafka-style log, for tests that expect an invalid verdict:
 *
 *   gyre test -w kafka --bin examples/dist/kafka-dup-offset.js --node-count 1 --concurrency 2n --time-limit 5 --rate 100
 *
 * The in-memory log of kafka.ts, except that every fifth send to a key is written over the
 * previous message of that key and acknowledged with its offset: two acknowledged sends share
 * an offset (inconsistent offsets), and the overwritten message is never polled again.
 */
import { createNode, WORKLOAD_RPCS, type Node } from '@gyre/node';
import { isMain } from '../lib/main';

const [send, poll, commitOffsets, listCommittedOffsets] = WORKLOAD_RPCS.kafka;

/** Installs the offset-reusing log on `node`. */
export function kafkaDupOffsetNode(node: Node = createNode()): Node {
  const logs = new Map<string, unknown[]>();
  const sends = new Map<string, number>();
  const committed = new Map<string, number>();
  node.handle(send, (req) => {
    let log = logs.get(req.key);
    if (!log) logs.set(req.key, (log = []));
    const n = (sends.get(req.key) ?? 0) + 1;
    sends.set(req.key, n);
    if (n % 5 === 0 && log.length > 0) log[log.length - 1] = req.msg;
    else log.push(req.msg);
    return { offset: log.length - 1 };
  });
  node.handle(poll, (req) => {
    const msgs: Record<string, [number, unknown][]> = {};
    for (const [key, from] of Object.entries(req.offsets)) {
      const start = Math.max(0, Number(from));
      msgs[key] = (logs.get(key) ?? []).slice(start).map((m, i) => [start + i, m]);
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

if (isMain(import.meta.url)) await kafkaDupOffsetNode().run();
