/**
 * A replicated log in the simplest correct way: the first node keeps every log and every
 * committed offset; the others forward each request to it and relay its answer.
 */
import type { Body, Node } from '@gyre/node';

export default function kafkaNode(node: Node): void {
  const logs = new Map<string, unknown[]>();
  const committed = new Map<string, number>();
  const leader = () => node.nodeIds[0]!;
  const local: Record<string, (b: Body) => Body> = {
    send: (b) => {
      const key = String(b['key']);
      let log = logs.get(key);
      if (!log) logs.set(key, (log = []));
      log.push(b['msg']);
      return { offset: log.length - 1 };
    },
    poll: (b) => {
      const msgs: Record<string, [number, unknown][]> = {};
      for (const [key, from] of Object.entries(b['offsets'] as Record<string, number>)) {
        const log = logs.get(key) ?? [];
        msgs[key] = log.slice(from, from + 10).map((m, i) => [from + i, m]);
      }
      return { msgs };
    },
    commit_offsets: (b) => {
      for (const [key, off] of Object.entries(b['offsets'] as Record<string, number>)) committed.set(key, Math.max(committed.get(key) ?? -1, off));
      return {};
    },
    list_committed_offsets: (b) => {
      const offsets: Record<string, number> = {};
      for (const key of b['keys'] as string[]) if (committed.has(key)) offsets[key] = committed.get(key)!;
      return { offsets };
    },
  };
  for (const [type, fn] of Object.entries(local)) {
    node.on(type, async (msg) => {
      if (node.id === leader() || msg.src === leader()) return fn(msg.body);
      // A timeout rejects with error 0, indefinite: the leader may have applied the request.
      const { msg_id: _m, ...body } = msg.body;
      const { in_reply_to: _i, msg_id: _n, ...reply } = await node.rpc(leader(), body, { timeout: 1000 });
      return reply;
    });
  }
}
