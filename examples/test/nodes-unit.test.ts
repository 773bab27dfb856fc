/**
 * Unit tests of the example nodes' logic, run in-process on the in-memory transport (no build,
 * no processes). End-to-end tests through the runner live beside this file.
 */
import { createNode, memoryTransport, type Message, type Node } from '@gyre/node';
import { describe, expect, it } from 'vitest';
import { echoNode } from '../nodes/echo';
import { echoWrongNode } from '../nodes/echo-wrong';
import { uniqueIdsNode } from '../nodes/unique-ids';
import { uniqueIdsCollidingNode } from '../nodes/unique-ids-colliding';

/** Boots one node per id, each on its own in-memory transport, and inits them. */
async function cluster(install: (node: Node) => Node, ids: string[]) {
  const nodes = ids.map((id) => {
    const t = memoryTransport();
    const node = install(createNode({ input: t.input, output: t.output, log: () => {} }));
    const done = node.run();
    t.push({ src: 'c0', dest: id, body: { type: 'init', node_id: id, node_ids: ids, msg_id: 1 } });
    return { id, t, done };
  });
  for (const n of nodes) expect((await n.t.next()).body).toEqual({ type: 'init_ok', in_reply_to: 1 });
  let msgId = 1;
  const request = async (i: number, body: Record<string, unknown>): Promise<Message> => {
    const n = nodes[i]!;
    const id = ++msgId;
    n.t.push({ src: 'c9', dest: n.id, body: { ...body, msg_id: id } });
    return n.t.waitFor((m) => m.body.in_reply_to === id);
  };
  const stop = async () => {
    for (const n of nodes) n.t.end();
    await Promise.all(nodes.map((n) => n.done));
  };
  return { request, stop };
}

describe('echo', () => {
  it('echoes any payload, exactly', async () => {
    const c = await cluster(echoNode, ['n1']);
    for (const payload of ['Please echo 42', 7, null, { a: [1, 2] }, 2n ** 64n]) {
      expect((await c.request(0, { type: 'echo', echo: payload })).body).toEqual({ type: 'echo_ok', echo: payload, in_reply_to: expect.any(Number) });
    }
    expect((await c.request(0, { type: 'other' })).body).toMatchObject({ type: 'error', code: 10 });
    await c.stop();
  });
});

describe('echo-wrong', () => {
  it('answers the first echo and every fifth after it wrongly, the others right', async () => {
    const c = await cluster(echoWrongNode, ['n1']);
    const right: boolean[] = [];
    for (let i = 0; i < 11; i++) {
      const r = await c.request(0, { type: 'echo', echo: `Please echo ${i}` });
      right.push(r.body['echo'] === `Please echo ${i}`);
    }
    expect(right).toEqual([false, true, true, true, true, false, true, true, true, true, false]);
    await c.stop();
  });
});

describe('unique-ids', () => {
  it('hands out ids unique across nodes', async () => {
    const c = await cluster(uniqueIdsNode, ['n0', 'n1', 'n2']);
    const ids: unknown[] = [];
    for (let i = 0; i < 30; i++) ids.push((await c.request(i % 3, { type: 'generate' })).body['id']);
    expect(new Set(ids).size).toBe(30);
    expect(ids.slice(0, 3)).toEqual(['n0-0', 'n1-0', 'n2-0']);
    await c.stop();
  });
});

describe('unique-ids-colliding', () => {
  it('hands out the same ids on different nodes', async () => {
    const c = await cluster(uniqueIdsCollidingNode, ['n0', 'n1']);
    const a = (await c.request(0, { type: 'generate' })).body['id'];
    const b = (await c.request(1, { type: 'generate' })).body['id'];
    expect(a).toBe(0);
    expect(b).toBe(0);
    await c.stop();
  });
});
