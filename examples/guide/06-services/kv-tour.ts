/** The key-value client of @gyre/node, call by call (chapter 6 shows the region below). */
import { ErrorCodes, RpcError, type Node } from '@gyre/node';

export async function tour(node: Node): Promise<void> {
  // #region tour
  const kv = node.kv('seq-kv'); // or 'lin-kv', 'lww-kv'
  await kv.write('k', 1);
  const v = await kv.read<number>('k'); // error 20 if 'k' does not exist…
  const w = await kv.read<number>('x', { default: 0 }); // …unless a default is given
  await kv.cas('k', 1, 2, { createIfNotExists: true }); // error 22 if 'k' is not 1
  await kv.update<number>('k', (n) => n + 1, { default: 0 }); // read, apply, cas; again on a lost race
  const ts = await node.tso().ts(); // lin-tso: 0, 1, 2, …
  // #endregion
  try {
    await kv.cas('k', 0, 1);
  } catch (e) {
    if (RpcError.is(e) && e.code === ErrorCodes.PreconditionFailed) node.log('lost the race', v, w, ts);
  }
}
