/**
 * A lin-kv node that is wrong on purpose: writes and cas go to the `lin-kv` service, but reads are
 * answered from a local cache of the last value this node saw, so a node reads stale values after
 * another node writes. The linearizability checker catches it and shows the stale read.
 *
 *   gyre test -w lin-kv --bin examples/dist/lin-kv-stale-cache.js --node-count 3 --concurrency 2n --time-limit 10
 */
import { valueKey as valueKeyOf } from '@gyre/history';
import { createNode, KV, RpcError, WORKLOAD_RPCS, type Node } from '@gyre/node';
import { isMain } from '../lib/main';

const [read, write, cas] = WORKLOAD_RPCS['lin-kv'];

/** Installs the stale-reading proxy on `node`. */
export function linKvStaleCache(node: Node = createNode()): Node {
  const kv = new KV(node, 'lin-kv');
  const cache = new Map<string, unknown>();
  node.handle(read, async (req) => {
    const k = valueKeyOf(req.key);
    if (cache.has(k)) return { value: cache.get(k) };
    const value = await kv.read(req.key);
    cache.set(k, value);
    return { value };
  });
  node.handle(write, async (req) => {
    await kv.write(req.key, req.value);
    cache.set(valueKeyOf(req.key), req.value);
    return {};
  });
  node.handle(cas, async (req) => {
    try {
      await kv.cas(req.key, req.from, req.to);
    } catch (e) {
      if (RpcError.is(e)) cache.delete(valueKeyOf(req.key));
      throw e;
    }
    cache.set(valueKeyOf(req.key), req.to);
    return {};
  });
  return node;
}

if (isMain(import.meta.url)) await linKvStaleCache().run();
