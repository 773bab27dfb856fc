/**
 * Unit tests of the Gossip Glomers example nodes, in-process: several nodes on in-memory
 * transports joined by a tiny router that can drop messages (a partition) and replace a node by
 * a fresh one (a restart). No build, no processes; end-to-end runs are in apps/cli/test.
 */
import { createNode, memoryTransport, type Message, type Node } from '@gyre/node';
import { describe, expect, it } from 'vitest';
import { broadcastNode } from '../nodes/broadcast';
import { counterResyncNode } from '../nodes/counter-resync';
import { kafkaNode } from '../nodes/kafka';

type Install = (node: Node) => Node;

/** A cluster of in-process nodes; messages between nodes go through `route` (drop by returning false). */
function cluster(install: Install, ids: string[]) {
  const live = new Map<string, ReturnType<typeof memoryTransport>>();
  const done: Promise<void>[] = [];
  const waiting = new Map<number, (m: Message) => void>();
  let allow: (m: Message) => boolean = () => true;
  let msgId = 100;

  const boot = async (id: string) => {
    const t = memoryTransport();
    live.set(id, t);
    t.onMessage((m) => {
      if (m.dest.startsWith('c')) {
        const w = waiting.get(Number(m.body.in_reply_to));
        if (w) {
          waiting.delete(Number(m.body.in_reply_to));
          w(m);
        }
        return;
      }
      if (!allow(m)) return;
      queueMicrotask(() => live.get(m.dest)?.push(m));
    });
    done.push(install(createNode({ input: t.input, output: t.output, log: () => {} })).run());
    t.push({ src: 'c0', dest: id, body: { type: 'init', node_id: id, node_ids: ids, msg_id: 1 } });
    await t.waitFor((m) => m.body.type === 'init_ok');
  };

  return {
    start: () => Promise.all(ids.map(boot)),
    /** Sends a client request to `id` and resolves with the reply body. */
    request(id: string, body: Record<string, unknown>) {
      const mid = ++msgId;
      return new Promise<Message['body']>((resolve) => {
        waiting.set(mid, (m) => resolve(m.body));
        live.get(id)!.push({ src: 'c1', dest: id, body: { ...body, msg_id: mid } });
      });
    },
    /** Drops node-to-node messages for which `pred` is false. */
    filter(pred: (m: Message) => boolean) {
      allow = pred;
    },
    /** Ends `id`'s process (its memory is gone) and boots a fresh one under the same id. */
    async restart(id: string) {
      live.get(id)!.end();
      await boot(id);
    },
    async stop() {
      for (const t of live.values()) t.end();
      await Promise.all(done);
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `f` until it returns true, for at most `ms`. */
async function eventually(f: () => Promise<boolean>, ms = 3000) {
  const until = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await sleep(20);
  }
}

describe('broadcast (star gossip)', () => {
  const ids = ['n0', 'n1', 'n2', 'n3'];
  const install: Install = (n) => broadcastNode(n, { batchMs: 10, timeoutMs: 100 });

  it('a value given to a leaf reaches every node, through the hub', async () => {
    const c = cluster(install, ids);
    const seen: Message[] = [];
    c.filter((m) => (seen.push(m), true));
    await c.start();
    expect(await c.request('n2', { type: 'broadcast', message: 7 })).toMatchObject({ type: 'broadcast_ok' });
    await eventually(async () => (await Promise.all(ids.map((n) => c.request(n, { type: 'read' })))).every((b) => JSON.stringify(b['messages']) === '[7]'));
    const gossip = seen.filter((m) => m.body.type === 'gossip');
    expect(gossip.map((m) => `${m.src}>${m.dest}`).sort()).toEqual(['n0>n1', 'n0>n3', 'n2>n0']);
    await c.stop();
  });

  it('keeps sending until acknowledged, so values cross a partition once it heals', async () => {
    const c = cluster(install, ids);
    await c.start();
    c.filter((m) => m.dest !== 'n3' && m.src !== 'n3');
    await c.request('n1', { type: 'broadcast', message: 1 });
    await c.request('n3', { type: 'broadcast', message: 2 });
    await sleep(300);
    expect((await c.request('n3', { type: 'read' }))['messages']).toEqual([2]);
    expect((await c.request('n0', { type: 'read' }))['messages']).toEqual([1]);
    c.filter(() => true);
    await eventually(async () => (await Promise.all(ids.map((n) => c.request(n, { type: 'read' })))).every((b) => (b['messages'] as number[]).length === 2));
    await c.stop();
  });
});

describe('kafka (one node, in memory)', () => {
  it('hands out consecutive offsets per key, polls from an offset, keeps committed offsets monotonic', async () => {
    const c = cluster(kafkaNode, ['n0']);
    await c.start();
    const offsets = [];
    for (const [key, msg] of [['a', 10], ['a', 11], ['b', 20], ['a', 12]] as const) offsets.push((await c.request('n0', { type: 'send', key, msg }))['offset']);
    expect(offsets).toEqual([0, 1, 0, 2]);
    expect(await c.request('n0', { type: 'poll', offsets: { a: 1, b: 0, z: 0 } })).toMatchObject({ msgs: { a: [[1, 11], [2, 12]], b: [[0, 20]], z: [] } });
    await c.request('n0', { type: 'commit_offsets', offsets: { a: 2 } });
    await c.request('n0', { type: 'commit_offsets', offsets: { a: 1 } });
    expect(await c.request('n0', { type: 'list_committed_offsets', keys: ['a', 'b'] })).toMatchObject({ offsets: { a: 2 } });
    await c.stop();
  });
});

describe('counter-resync', () => {
  it('acknowledges an add once a majority holds it, and a restarted node re-syncs before it answers reads', async () => {
    const ids = ['n0', 'n1', 'n2'];
    const c = cluster(counterResyncNode, ids);
    await c.start();
    await c.request('n0', { type: 'add', delta: 5 });
    await c.request('n1', { type: 'add', delta: -2 });
    for (const n of ids) expect((await c.request(n, { type: 'read' }))['value']).toBe(3);

    // n0 restarts while cut off from its peers: it cannot re-sync, so it refuses reads.
    c.filter((m) => m.dest !== 'n0' && m.src !== 'n0');
    await c.restart('n0');
    expect(await c.request('n0', { type: 'read' })).toMatchObject({ type: 'error', code: 11 });
    c.filter(() => true);
    await eventually(async () => (await c.request('n0', { type: 'read' }))['value'] === 3);
    await c.request('n0', { type: 'add', delta: 1 });
    await eventually(async () => (await Promise.all(ids.map((n) => c.request(n, { type: 'read' })))).every((b) => b['value'] === 4));

    // With n2 cut off, adds still complete: n0 and n1 are a majority.
    c.filter((m) => m.dest !== 'n2' && m.src !== 'n2');
    await c.request('n1', { type: 'add', delta: 10 });
    expect((await c.request('n0', { type: 'read' }))['value']).toBe(14);
    c.filter(() => true);
    await eventually(async () => (await c.request('n2', { type: 'read' }))['value'] === 14);
    await c.stop();
  });
});
