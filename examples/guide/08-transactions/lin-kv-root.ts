/**
 * Transactions across nodes: the whole database is one value in lin-kv, under the key "root".
 * A transaction reads it, runs against that copy, and installs the result with compare-and-set.
 * If another transaction got in first, the cas fails and we start over on the newer database.
 * Every transaction sees one consistent state and commits in one atomic step.
 */
import { createNode, ErrorCodes, RpcError } from '@gyre/node';

const node = createNode();
const kv = node.kv('lin-kv');

type MicroOp = [f: 'r' | 'append', key: unknown, value: unknown];
type Database = Record<string, unknown[]>;

node.on('txn', async (req) => {
  for (;;) {
    const before = await kv.read<Database>('root', { default: {} });
    const db: Database = { ...before };
    const txn = (req.body.txn as MicroOp[]).map(([f, key, value]): MicroOp => {
      const k = JSON.stringify(key);
      if (f === 'r') return [f, key, db[k] ?? null];
      db[k] = [...(db[k] ?? []), value];
      return [f, key, value];
    });
    try {
      await kv.cas('root', before, db, { createIfNotExists: true });
      return { type: 'txn_ok', txn };
    } catch (e) {
      if (!(RpcError.is(e) && e.code === ErrorCodes.PreconditionFailed)) throw e;
    }
  }
});

await node.run();
