/**
 * A grow-only counter kept in the seq-kv service, first try: read the total, add, write it back.
 * Two nodes doing this at once both read 10, both write 10 + their delta: one add is lost.
 */
import { createNode } from '@gyre/node';

const node = createNode();
const kv = node.kv('seq-kv');

node.on('add', async (req) => {
  const total = await kv.read<number>('total', { default: 0 });
  await kv.write('total', total + (req.body.delta as number));
  return { type: 'add_ok' };
});

node.on('read', async () => ({ type: 'read_ok', value: await kv.read('total', { default: 0 }) }));

await node.run();
