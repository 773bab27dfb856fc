/**
 * A lin-kv node that forwards every request to a key-value service (`lin-kv` by default).
 *
 *   gyre test -w lin-kv --bin examples/dist/lin-kv-proxy.js --node-count 3 --concurrency 2n --time-limit 10
 *
 * Pointed at a weaker service (`--bin examples/dist/lin-kv-proxy.js seq-kv`, or `lww-kv`), the same
 * proxy is not linearizable, and the checker says so: the pair is the test that services and checker
 * agree.
 */
import { createNode, KV, RpcError, WORKLOAD_RPCS, type Node } from '@gyre/node';
import { isMain } from '../lib/main';

const [read, write, cas] = WORKLOAD_RPCS['lin-kv'];

/** Installs the proxy on `node`, forwarding to `service`. */
export function linKvProxy(node: Node = createNode(), service: 'lin-kv' | 'seq-kv' | 'lww-kv' = 'lin-kv'): Node {
  const kv = new KV(node, service);
  node.handle(read, async (req) => ({ value: await kv.read(req.key) }));
  node.handle(write, async (req) => {
    await kv.write(req.key, req.value);
    return {};
  });
  node.handle(cas, async (req) => {
    await kv.cas(req.key, req.from, req.to);
    return {};
  });
  return node;
}

if (isMain(import.meta.url)) {
  const service = process.argv[2] ?? 'lin-kv';
  if (service !== 'lin-kv' && service !== 'seq-kv' && service !== 'lww-kv') throw RpcError.malformedRequest(`unknown service ${service}`);
  await linKvProxy(createNode(), service).run();
}
