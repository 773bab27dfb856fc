/**
 * The counter, done: seq-kv may answer a read from an old state, but never from one older than
 * this node's own last write. So before reading, write something new (a key of our own):
 * the read that follows sees at least that state, and so every add that came before it.
 */
import { createNode, ErrorCodes, RpcError } from '@gyre/node';

const node = createNode();
const kv = node.kv('seq-kv');

node.on('add', async (req) => {
  for (;;) {
    const total = await kv.read<number>('total', { default: 0 });
    try {
      await kv.cas('total', total, total + (req.body.delta as number), { createIfNotExists: true });
      return { type: 'add_ok' };
    } catch (e) {
      if (!(RpcError.is(e) && e.code === ErrorCodes.PreconditionFailed)) throw e;
    }
  }
});

// #region read
let syncs = 0;
node.on('read', async () => {
  await kv.write(`sync-${node.id}`, syncs++); // a new state, so the read below cannot be older
  return { type: 'read_ok', value: await kv.read('total', { default: 0 }) };
});
// #endregion

await node.run();
