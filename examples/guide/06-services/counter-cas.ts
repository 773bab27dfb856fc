/**
 * The counter with compare-and-set: write the new total only if the total is still what we
 * read; if someone else got there first (error 22), read again and retry. No add is lost now.
 */
// #region import
import { createNode, ErrorCodes, RpcError } from '@gyre/node';
// #endregion

const node = createNode();
const kv = node.kv('seq-kv');

// #region cas
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
// #endregion

node.on('read', async () => ({ type: 'read_ok', value: await kv.read('total', { default: 0 }) }));

await node.run();
