/**
 * The simplest linearizable key-value store: don't build one. Forward every request to Gyre's
 * lin-kv service, which is linearizable, and pass its answer (or error) back.
 */
import { createNode } from '@gyre/node';

const node = createNode();
const kv = node.kv('lin-kv');

node.on('read', async (req) => ({ type: 'read_ok', value: await kv.read(req.body.key) }));

node.on('write', async (req) => {
  await kv.write(req.body.key, req.body.value);
  return { type: 'write_ok' };
});

node.on('cas', async (req) => {
  await kv.cas(req.body.key, req.body.from, req.body.to);
  return { type: 'cas_ok' };
});

await node.run();
