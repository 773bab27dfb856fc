/**
 * The KV and TSO clients against Gyre's real service state machines (@gyre/services), in-process:
 * what a node sees under `gyre test`, minus the network latency.
 */
import { seededRandom } from '@gyre/history';
import { ServiceHost, createServices } from '@gyre/services';
import { describe, expect, it } from 'vitest';
import { createNode, memoryTransport, type Node } from '../src/index';

async function withServices(seed: number): Promise<Node> {
  const random = seededRandom(seed);
  const hosts = new Map(createServices().map((s) => [s.id as string, new ServiceHost(s, random.fork(s.id))]));
  const t = memoryTransport();
  const node = createNode({ input: t.input, output: t.output, log: () => {} });
  t.onMessage((m) => {
    const host = hosts.get(m.dest);
    if (!host) return;
    const reply = host.handle({ src: m.src, body: m.body });
    setImmediate(() => t.push({ src: m.dest, dest: m.src, body: reply }));
  });
  void node.run();
  t.push({ src: 'c0', dest: 'n1', body: { type: 'init', node_id: 'n1', node_ids: ['n1'], msg_id: 1 } });
  await t.next();
  return node;
}

describe('clients against the real services', () => {
  it('lin-kv: read/write/cas and their errors', async () => {
    const kv = (await withServices(1)).kv('lin-kv');
    await expect(kv.read('a')).rejects.toMatchObject({ code: 20, definite: true });
    await kv.write('a', 1);
    expect(await kv.readInt('a')).toBe(1);
    await expect(kv.cas('a', 2, 3)).rejects.toMatchObject({ code: 22 });
    await kv.cas('a', 1, 3);
    await kv.cas('b', null, 'x', { createIfNotExists: true });
    expect(await kv.read('b')).toBe('x');
  });

  it('seq-kv: concurrent update() increments all land despite stale reads', async () => {
    for (const seed of [1, 2, 3]) {
      const node = await withServices(seed);
      const kv = node.kv('seq-kv');
      await Promise.all(Array.from({ length: 20 }, () => kv.update('n', (v: number) => v + 1, { default: 0 })));
      // A read may be stale, but a cas that changes the value applies to the newest state only.
      expect(await kv.update('n', (v: number) => v + 1)).toBe(21);
    }
  });

  it('lin-tso: timestamps 0, 1, 2…', async () => {
    const node = await withServices(1);
    expect([await node.tso().ts(), await node.tso().ts(), await node.tso().ts()]).toEqual([0, 1, 2]);
  });
});
