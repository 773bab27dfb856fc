/**
 * The proxy with a "small optimisation": each node remembers the last value it saw for each key
 * and answers reads from that memory. Fast, and wrong: after another node writes, this node
 * still answers with the old value, a read the checker cannot place anywhere in time.
 */
import { createNode } from '@gyre/node';

const node = createNode();
const kv = node.kv('lin-kv');
const cache = new Map<string, unknown>();
const k = (key: unknown) => JSON.stringify(key);

node.on('read', async (req) => {
  if (cache.has(k(req.body.key))) return { type: 'read_ok', value: cache.get(k(req.body.key)) };
  const value = await kv.read(req.body.key);
  cache.set(k(req.body.key), value);
  return { type: 'read_ok', value };
});

node.on('write', async (req) => {
  await kv.write(req.body.key, req.body.value);
  cache.set(k(req.body.key), req.body.value);
  return { type: 'write_ok' };
});

node.on('cas', async (req) => {
  cache.delete(k(req.body.key)); // whatever happens, we no longer know the value
  await kv.cas(req.body.key, req.body.from, req.body.to);
  cache.set(k(req.body.key), req.body.to);
  return { type: 'cas_ok' };
});

await node.run();
