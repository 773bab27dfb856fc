/**
 * A Kafka-style log on lin-kv: each key's log is one lin-kv value (an array of messages),
 * appended to with compare-and-set, so every node agrees on each message's offset. Committed
 * offsets are lin-kv values too. Any node can serve any request.
 */
import { createNode } from '@gyre/node';

const node = createNode();
const kv = node.kv('lin-kv');

node.on('send', async (req) => {
  const { key, msg } = req.body;
  // read, append, cas; on a lost race, read again (kv.update retries for us)
  const log = await kv.update<unknown[]>(`log-${key}`, (old) => [...old, msg], { default: [] });
  return { type: 'send_ok', offset: log.length - 1 };
});

node.on('poll', async (req) => {
  const msgs: Record<string, [number, unknown][]> = {};
  for (const [key, from] of Object.entries(req.body.offsets as Record<string, number>)) {
    const log = await kv.read<unknown[]>(`log-${key}`, { default: [] });
    msgs[key] = log.slice(from, from + 20).map((m, i) => [from + i, m]);
  }
  return { type: 'poll_ok', msgs };
});

node.on('commit_offsets', async (req) => {
  for (const [key, offset] of Object.entries(req.body.offsets as Record<string, number>)) {
    await kv.update<number>(`committed-${key}`, (old) => Math.max(old, offset), { default: -1 });
  }
  return { type: 'commit_offsets_ok' };
});

node.on('list_committed_offsets', async (req) => {
  const offsets: Record<string, number> = {};
  for (const key of req.body.keys as string[]) {
    const offset = await kv.read<number>(`committed-${key}`, { default: -1 });
    if (offset >= 0) offsets[key] = offset;
  }
  return { type: 'list_committed_offsets_ok', offsets };
});

await node.run();
