import { JsonFloat, valueKey, valuesEqual, stringifyJson } from '@gyre/history';
import { RpcError, type Body, type Message } from '@gyre/protocol';
import { describe, expect, it } from 'vitest';
import { KV, TSO, linKv, linTso, lwwKv, seqKv } from './kv';
import { createNode, type Node } from './node';
import { memoryTransport, type MemoryTransport } from './memory';

/** A fake lin-kv and lin-tso: answers in arrival order, after a macrotask, as a service would. */
function fakeServices(t: MemoryTransport) {
  const store = new Map<string, unknown>();
  const calls: Body[] = [];
  let tsNext = 0;
  const answer = (m: Message, body: Body) =>
    setImmediate(() => t.push({ src: m.dest, dest: m.src, body: { ...body, in_reply_to: m.body.msg_id } }));
  t.onMessage((m) => {
    if (m.dest === 'lin-tso') {
      calls.push(m.body);
      answer(m, { type: 'ts_ok', ts: tsNext++ });
      return;
    }
    if (!m.dest.endsWith('-kv')) return;
    calls.push(m.body);
    const { type, key } = m.body;
    const k = valueKey(key);
    const missing = () => answer(m, { type: 'error', code: 20, text: 'key does not exist' });
    if (type === 'read') {
      if (!store.has(k)) return missing();
      return answer(m, { type: 'read_ok', value: store.get(k) });
    }
    if (type === 'write') {
      store.set(k, m.body['value']);
      return answer(m, { type: 'write_ok' });
    }
    if (type === 'cas') {
      if (!store.has(k)) {
        if (m.body['create_if_not_exists'] !== true) return missing();
        store.set(k, m.body['to']);
        return answer(m, { type: 'cas_ok' });
      }
      if (!valuesEqual(store.get(k), m.body['from'])) {
        return answer(m, { type: 'error', code: 22, text: `current value ${stringifyJson(store.get(k))} is not ${stringifyJson(m.body['from'])}` });
      }
      store.set(k, m.body['to']);
      return answer(m, { type: 'cas_ok' });
    }
    return undefined;
  });
  return { store, calls };
}

async function setup(): Promise<{ node: Node; t: MemoryTransport; store: Map<string, unknown>; calls: Body[] }> {
  const t = memoryTransport();
  const node = createNode({ input: t.input, output: t.output, log: () => {} });
  void node.run();
  const { store, calls } = fakeServices(t);
  t.push({ src: 'c0', dest: 'n1', body: { type: 'init', node_id: 'n1', node_ids: ['n1'], msg_id: 1 } });
  await t.next();
  return { node, t, store, calls };
}

describe('KV', () => {
  it('reads, writes and cas-es with the wire format of the services', async () => {
    const { node, calls } = await setup();
    const kv = node.kv('lin-kv');
    await kv.write(1, [1, 2]);
    expect(await kv.read(1)).toEqual([1, 2]);
    await kv.cas(1, [1, 2], 'x');
    await kv.cas('new', null, 5, { createIfNotExists: true });
    expect(await kv.readInt('new')).toBe(5);
    expect(calls).toEqual([
      { type: 'write', key: 1, value: [1, 2], msg_id: 1 },
      { type: 'read', key: 1, msg_id: 2 },
      { type: 'cas', key: 1, from: [1, 2], to: 'x', msg_id: 3 },
      { type: 'cas', key: 'new', from: null, to: 5, create_if_not_exists: true, msg_id: 4 },
      { type: 'read', key: 'new', msg_id: 5 },
    ]);
  });

  it('surfaces service errors as definite RpcErrors, and honours read defaults', async () => {
    const { node } = await setup();
    const kv = new KV(node, 'lin-kv');
    const missing = await kv.read('nope').catch((e: unknown) => e);
    expect(RpcError.is(missing)).toBe(true);
    expect(missing).toMatchObject({ code: 20, definite: true });
    expect(await kv.read('nope', { default: null })).toBe(null);
    expect(await kv.readInt('nope', { default: 0 })).toBe(0);
    await kv.write('k', 1);
    const failed = await kv.cas('k', 2, 3).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 22, definite: true, text: 'current value 1 is not 2' });
    await expect(kv.cas('absent', 1, 2)).rejects.toMatchObject({ code: 20 });
  });

  it('keeps value fidelity: 1.0 is not 1, big integers stay exact', async () => {
    const { node } = await setup();
    const kv = linKv(node);
    await kv.write('f', new JsonFloat(1));
    await expect(kv.cas('f', 1, 2)).rejects.toMatchObject({ code: 22 });
    await kv.cas('f', new JsonFloat(1), 2n ** 70n);
    expect(await kv.read('f')).toBe(2n ** 70n);
    await expect(kv.readInt('f')).rejects.toThrow(TypeError);
    await kv.write('g', new JsonFloat(2));
    await expect(kv.readInt('g')).rejects.toThrow(/not a safe integer: 2\.0/);
  });

  it('update() retries lost cas races until every increment lands', async () => {
    const { node, calls } = await setup();
    const kv = node.kv();
    const results = await Promise.all(Array.from({ length: 5 }, () => kv.update('c', (v: number) => v + 1, { default: 0 })));
    expect(await kv.readInt('c')).toBe(5);
    expect([...results].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(calls.filter((c) => c['type'] === 'cas' && c['create_if_not_exists'] === true).length).toBeGreaterThan(0);
    expect(calls.filter((c) => c['type'] === 'cas').length).toBeGreaterThan(5);
  });

  it('update() gives up after `retries` and throws the last error', async () => {
    const { node, store } = await setup();
    const kv = node.kv();
    await kv.write('k', 0);
    let n = 0;
    const err = await kv
      .update(
        'k',
        (v: number) => {
          store.set(valueKey('k'), 100 + n++);
          return v + 1;
        },
        { retries: 2 },
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 22 });
    expect(n).toBe(3);
  });

  it('update() without a default throws 20 for a missing key', async () => {
    const { node } = await setup();
    await expect(node.kv().update('none', (v: number) => v + 1)).rejects.toMatchObject({ code: 20 });
  });

  it('targets the named service', async () => {
    const { node, t } = await setup();
    await seqKv(node).write(1, 1);
    await lwwKv(node).write(1, 1);
    expect(t.messages().slice(1).filter((m) => m.body['type'] === 'write').map((m) => m.dest)).toEqual(['seq-kv', 'lww-kv']);
  });

  it('times out like any rpc', async () => {
    const t = memoryTransport();
    const node = createNode({ input: t.input, output: t.output, log: () => {} });
    void node.run();
    t.push({ src: 'c0', dest: 'n1', body: { type: 'init', node_id: 'n1', node_ids: ['n1'], msg_id: 1 } });
    await t.next();
    await expect(node.kv('lin-kv').read(1, { timeout: 5 })).rejects.toMatchObject({ code: 0, definite: false });
    expect(node.pendingRpcCount).toBe(0);
  });
});

describe('TSO', () => {
  it('hands out increasing timestamps', async () => {
    const { node, calls } = await setup();
    const tso = linTso(node);
    expect(await tso.ts()).toBe(0);
    expect(await new TSO(node).ts()).toBe(1);
    expect(await node.tso().ts()).toBe(2);
    expect(calls).toEqual([
      { type: 'ts', msg_id: 1 },
      { type: 'ts', msg_id: 2 },
      { type: 'ts', msg_id: 3 },
    ]);
  });
});
