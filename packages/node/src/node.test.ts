import { Readable } from 'node:stream';
import { JsonFloat, type Clock, type TimerHandle } from '@gyre/history';
import { RpcError, WORKLOAD_RPCS } from '@gyre/protocol';
import { describe, expect, it } from 'vitest';
import { createNode, NODE_HOST, type Node, type NodeHost, type NodeOptions } from './node';
import { memoryTransport, type MemoryTransport } from './memory';

/** A clock that moves only when told to. */
class ManualClock implements Clock {
  private t = 0;
  private readonly timers = new Map<object, { at: number; fn: () => void }>();
  now(): number {
    return this.t * 1e6;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const h = {};
    this.timers.set(h, { at: this.t + ms, fn });
    return h;
  }
  clearTimeout(h: TimerHandle): void {
    this.timers.delete(h);
  }
  get pending(): number {
    return this.timers.size;
  }
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      let next: [object, { at: number; fn: () => void }] | undefined;
      for (const e of this.timers) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
      await settle();
    }
    this.t = end;
    await settle();
  }
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

interface Harness {
  node: Node;
  t: MemoryTransport;
  logs: string[];
  done: Promise<void>;
  clock: ManualClock;
}

function start(setup: (node: Node) => void = () => {}, options: NodeOptions = {}): Harness {
  const t = memoryTransport();
  const logs: string[] = [];
  const clock = new ManualClock();
  const node = createNode({ input: t.input, output: t.output, clock, log: (l) => logs.push(l), ...options });
  setup(node);
  const done = node.run();
  return { node, t, logs, done, clock };
}

const init = (t: MemoryTransport, id = 'n1', ids = ['n1', 'n2', 'n3']): void =>
  t.push({ id: 0, src: 'c0', dest: id, body: { type: 'init', node_id: id, node_ids: ids, msg_id: 1 } });

async function started(setup?: (node: Node) => void, options?: NodeOptions): Promise<Harness> {
  const h = start(setup, options);
  init(h.t);
  expect((await h.t.next()).body.type).toBe('init_ok');
  return h;
}

describe('init', () => {
  it('answers init with init_ok and learns its id and the cluster', async () => {
    const { node, t, done } = start();
    expect(node.id).toBe('');
    init(t);
    await t.next();
    expect(t.lines).toEqual(['{"src":"n1","dest":"c0","body":{"type":"init_ok","in_reply_to":1}}']);
    expect(node.id).toBe('n1');
    expect(node.nodeIds).toEqual(['n1', 'n2', 'n3']);
    expect(node.peers).toEqual(['n2', 'n3']);
    t.end();
    await done;
  });

  it('runs a user init handler first, even an async one, then sends init_ok once', async () => {
    const order: string[] = [];
    let release!: () => void;
    const { t } = start((node) =>
      node.on('init', async () => {
        order.push(`init handler sees ${node.id}`);
        await new Promise<void>((r) => (release = r));
        order.push('handler done');
      }),
    );
    init(t);
    await settle();
    expect(t.lines).toEqual([]);
    release();
    const ok = await t.next();
    expect(ok.body).toEqual({ type: 'init_ok', in_reply_to: 1 });
    expect(order).toEqual(['init handler sees n1', 'handler done']);
    await settle();
    expect(t.lines).toHaveLength(1);
  });

  it('replies with the error when the init handler throws, and no init_ok', async () => {
    const { t } = start((node) =>
      node.on('init', () => {
        throw RpcError.temporarilyUnavailable('not today');
      }),
    );
    init(t);
    expect((await t.next()).body).toEqual({ type: 'error', code: 11, text: 'not today', in_reply_to: 1 });
    await settle();
    expect(t.lines).toHaveLength(1);
  });

  it('refuses to send before init', () => {
    const { node } = start();
    expect(() => node.send('n2', { type: 'x' })).toThrow(/before init/);
  });
});

describe('handlers and replies', () => {
  it('replies with the handler\'s return value, in_reply_to and a default type', async () => {
    const { t } = await started((node) => node.on('echo', (msg) => ({ echo: msg.body['echo'] })));
    t.push({ src: 'c1', dest: 'n1', body: { type: 'echo', echo: 'hi', msg_id: 7 } });
    expect(await t.next()).toEqual({ src: 'n1', dest: 'c1', body: { type: 'echo_ok', echo: 'hi', in_reply_to: 7 } });
  });

  it('node.reply works from async code, and a returned body after it is not sent twice', async () => {
    const { t } = await started((node) =>
      node.on('read', async (msg) => {
        await settle();
        node.reply(msg, { type: 'read_ok', value: 3 });
        return { value: 4 };
      }),
    );
    t.push({ src: 'c1', dest: 'n1', body: { type: 'read', msg_id: 2 } });
    expect((await t.next()).body).toEqual({ type: 'read_ok', value: 3, in_reply_to: 2 });
    await settle();
    expect(t.lines).toHaveLength(2);
  });

  it('answers unknown types with not-supported (10) and keeps running', async () => {
    const { t, logs } = await started((node) => node.on('echo', (msg) => ({ echo: msg.body['echo'] })));
    t.push({ src: 'c1', dest: 'n1', body: { type: 'frobnicate', msg_id: 3 } });
    const err = await t.next();
    expect(err.body).toMatchObject({ type: 'error', code: 10, in_reply_to: 3 });
    t.push({ src: 'c1', dest: 'n1', body: { type: 'echo', echo: 1, msg_id: 4 } });
    expect((await t.next()).body).toEqual({ type: 'echo_ok', echo: 1, in_reply_to: 4 });
    expect(logs.some((l) => l.includes('frobnicate'))).toBe(true);
  });

  it('does not answer unknown messages that carry no msg_id, nor stray replies and errors', async () => {
    const { t } = await started();
    t.push({ src: 'n2', dest: 'n1', body: { type: 'gossip', xs: [1] } });
    t.push({ src: 'n2', dest: 'n1', body: { type: 'read_ok', in_reply_to: 99 } });
    t.push({ src: 'n2', dest: 'n1', body: { type: 'error', code: 10, in_reply_to: 98 } });
    t.push({ src: 'n2', dest: 'n1', body: { type: 'error', code: 10, msg_id: 5 } });
    await settle();
    expect(t.lines).toHaveLength(1);
  });

  it('replies with the RpcError a handler throws, and crash (13) for any other throw', async () => {
    const { t, logs } = await started((node) => {
      node.on('cas', () => {
        throw new RpcError(22, 'expected 1, had 2', { current: 2 });
      });
      node.on('txn', async () => {
        await settle();
        throw new TypeError('oops');
      });
      node.on('boom', () => {
        throw new Error('sync boom');
      });
    });
    t.push({ src: 'c1', dest: 'n1', body: { type: 'cas', msg_id: 1 } });
    expect((await t.next()).body).toEqual({ type: 'error', code: 22, text: 'expected 1, had 2', current: 2, in_reply_to: 1 });
    t.push({ src: 'c1', dest: 'n1', body: { type: 'txn', msg_id: 2 } });
    expect((await t.next()).body).toEqual({ type: 'error', code: 13, text: 'oops', in_reply_to: 2 });
    t.push({ src: 'c1', dest: 'n1', body: { type: 'boom', msg_id: 3 } });
    expect((await t.next()).body).toEqual({ type: 'error', code: 13, text: 'sync boom', in_reply_to: 3 });
    expect(logs.some((l) => l.includes('TypeError: oops'))).toBe(true);
  });

  it('refuses a second handler for the same type', () => {
    const { node } = start();
    node.on('x', () => {});
    expect(() => node.on('x', () => {})).toThrow(/already registered/);
  });

  it('starts handlers in arrival order', async () => {
    const seen: unknown[] = [];
    const { t } = await started((node) =>
      node.on('add', async (msg) => {
        seen.push(msg.body['x']);
        await settle();
      }),
    );
    for (let i = 0; i < 5; i++) t.push({ src: 'c1', dest: 'n1', body: { type: 'add', x: i } });
    await settle();
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('typed handlers', () => {
  const [echo] = WORKLOAD_RPCS.echo;
  const [, , kafkaCommit] = WORKLOAD_RPCS.kafka;

  it('validates the request and replies with <name>_ok', async () => {
    const { t } = await started((node) => {
      node.handle(echo, (req) => ({ echo: req.echo }));
      node.handle(kafkaCommit, async () => ({}));
    });
    t.push({ src: 'c1', dest: 'n1', body: { type: 'echo', echo: [1, 'x'], msg_id: 1 } });
    expect((await t.next()).body).toEqual({ type: 'echo_ok', echo: [1, 'x'], in_reply_to: 1 });
    t.push({ src: 'c1', dest: 'n1', body: { type: 'commit_offsets', offsets: { k: 1.5 }, msg_id: 2 } });
    const bad = await t.next();
    expect(bad.body).toMatchObject({ type: 'error', code: 12, in_reply_to: 2 });
    expect(String(bad.body['text'])).toMatch(/offsets\.k/);
    t.push({ src: 'c1', dest: 'n1', body: { type: 'commit_offsets', offsets: { k: 12345678901234567890n }, msg_id: 3 } });
    expect((await t.next()).body).toEqual({ type: 'commit_offsets_ok', in_reply_to: 3 });
  });

  it('logs a reply that breaks the closed reply schema', async () => {
    const { t, logs } = await started((node) => node.handle(echo, (req) => ({ echo: req.echo, ...({ extra: 1 } as object) }) as { echo: unknown }));
    t.push({ src: 'c1', dest: 'n1', body: { type: 'echo', echo: 1, msg_id: 1 } });
    await t.next();
    expect(logs.some((l) => l.includes('"extra"'))).toBe(true);
  });
});

describe('rpc', () => {
  it('numbers requests from 1 and resolves with the reply body', async () => {
    const { node, t } = await started();
    const a = node.rpc('n2', { type: 'ping' });
    const b = node.syncRpc('n3', { type: 'ping' });
    const [ma, mb] = [await t.next(), await t.next()];
    expect(ma.body).toEqual({ type: 'ping', msg_id: 1 });
    expect(mb.body).toEqual({ type: 'ping', msg_id: 2 });
    t.push({ src: 'n3', dest: 'n1', body: { type: 'ping_ok', in_reply_to: 2, x: 1 } });
    t.push({ src: 'n2', dest: 'n1', body: { type: 'ping_ok', in_reply_to: 1, x: 0 } });
    expect(await a).toEqual({ type: 'ping_ok', in_reply_to: 1, x: 0 });
    expect(await b).toEqual({ type: 'ping_ok', in_reply_to: 2, x: 1 });
    expect(node.pendingRpcCount).toBe(0);
  });

  it('rejects with an RpcError on an error reply, code 0 included', async () => {
    const { node, t } = await started();
    const a = node.rpc('lin-kv', { type: 'read', key: 1 });
    const b = node.rpc('n2', { type: 'x' });
    await t.next();
    await t.next();
    t.push({ src: 'lin-kv', dest: 'n1', body: { type: 'error', code: 20, text: 'key does not exist', in_reply_to: 1 } });
    t.push({ src: 'n2', dest: 'n1', body: { type: 'error', code: 0, in_reply_to: 2, extra: true } });
    const ea = await a.catch((e: unknown) => e);
    expect(RpcError.is(ea)).toBe(true);
    expect(ea).toMatchObject({ code: 20, text: 'key does not exist', definite: true });
    const eb = await b.catch((e: unknown) => e);
    expect(eb).toMatchObject({ code: 0, definite: false, extra: { extra: true } });
    expect(node.pendingRpcCount).toBe(0);
  });

  it('times out on the node clock, leaves nothing pending, and ignores the late reply', async () => {
    const { node, t, clock, logs } = await started(undefined, { rpcTimeout: 1000 });
    const p = node.rpc('n2', { type: 'ping' });
    const q = node.rpc('n2', { type: 'ping' }, { timeout: 50 });
    const rq = q.catch((e: unknown) => e);
    await clock.advance(49);
    expect(node.pendingRpcCount).toBe(2);
    await clock.advance(1);
    expect(await rq).toMatchObject({ code: 0, definite: false });
    expect(node.pendingRpcCount).toBe(1);
    const rp = p.catch((e: unknown) => e);
    await clock.advance(950);
    expect(RpcError.is(await rp)).toBe(true);
    expect(node.pendingRpcCount).toBe(0);
    expect(clock.pending).toBe(0);
    const before = t.lines.length;
    t.push({ src: 'n2', dest: 'n1', body: { type: 'ping_ok', in_reply_to: 1 } });
    t.push({ src: 'n2', dest: 'n1', body: { type: 'ping_ok', in_reply_to: 2 } });
    await settle();
    expect(t.lines.length).toBe(before);
    expect(logs.filter((l) => l.includes('no RPC is waiting'))).toHaveLength(2);
  });

  it('cancels the timer when the reply comes', async () => {
    const { node, t, clock } = await started();
    const p = node.rpc('n2', { type: 'ping' });
    await t.next();
    expect(clock.pending).toBe(1);
    t.push({ src: 'n2', dest: 'n1', body: { type: 'ping_ok', in_reply_to: 1 } });
    await p;
    expect(clock.pending).toBe(0);
  });

  it('is cancelled by an AbortSignal', async () => {
    const { node } = await started();
    const ac = new AbortController();
    const p = node.rpc('n2', { type: 'ping' }, { signal: ac.signal }).catch((e: unknown) => e);
    ac.abort(new Error('changed my mind'));
    expect(await p).toMatchObject({ message: 'changed my mind' });
    expect(node.pendingRpcCount).toBe(0);
  });

  it('rejects pending calls when the input ends, and run() then resolves', async () => {
    const { node, t, done } = await started(undefined, { rpcTimeout: Infinity });
    const p = node.rpc('n2', { type: 'ping' }).catch((e: unknown) => e);
    t.end();
    await done;
    expect(await p).toMatchObject({ code: 0 });
    expect(node.pendingRpcCount).toBe(0);
  });

  it('call() sends a typed request', async () => {
    const { node, t } = await started();
    const [, , read] = WORKLOAD_RPCS.broadcast;
    const p = node.call(read, 'n2', {});
    expect((await t.next()).body).toEqual({ type: 'read', msg_id: 1 });
    t.push({ src: 'n2', dest: 'n1', body: { type: 'read_ok', messages: [1, 2], in_reply_to: 1 } });
    expect((await p).messages).toEqual([1, 2]);
  });
});

describe('wire fidelity and framing', () => {
  it('keeps big integers and 1.0 both ways', async () => {
    const { t } = await started((node) => node.on('echo', (msg) => ({ echo: msg.body['echo'] })));
    t.write('{"id":5,"src":"c1","dest":"n1","body":{"type":"echo","echo":[18446744073709551616,1.0,-0.5e3,2],"msg_id":2}}\n');
    await t.next();
    expect(t.lines[1]).toBe('{"src":"n1","dest":"c1","body":{"type":"echo_ok","echo":[18446744073709551616,1.0,-500.0,2],"in_reply_to":2}}');
  });

  it('reads a last line that has no trailing newline', async () => {
    const { t, done } = await started((node) => node.on('echo', (msg) => ({ echo: msg.body['echo'] })));
    t.write('{"src":"c1","dest":"n1","body":{"type":"echo","echo":"last","msg_id":2}}');
    t.end();
    await done;
    expect(t.messages()[1]?.body).toEqual({ type: 'echo_ok', echo: 'last', in_reply_to: 2 });
  });

  it('skips malformed lines and messages without a type, and logs them', async () => {
    const { t, logs } = await started((node) => node.on('echo', (msg) => ({ echo: msg.body['echo'] })));
    t.write('this is not json\n[1,2]\n{"src":"c1","dest":"n1"}\n{"src":"c1","dest":"n1","body":{"msg_id":9}}\n\n{"src":"c1","dest":"n1","body":{"type":7}}\n');
    t.write('{"dest":"n1","body":{"type":"echo","echo":1,"msg_id":11}}\n');
    t.push({ src: 'c1', dest: 'n1', body: { type: 'echo', echo: 'still here', msg_id: 10 } });
    expect((await t.next()).body).toEqual({ type: 'echo_ok', echo: 'still here', in_reply_to: 10 });
    expect(logs.filter((l) => l.startsWith('skipping'))).toHaveLength(6);
    expect(t.lines).toHaveLength(2);
  });

  it('handles a 50 MB message arriving in small chunks', async () => {
    const t = memoryTransport();
    const node = createNode({ input: t.input, output: t.output, log: () => {} });
    node.on('echo', (msg) => ({ echo: msg.body['echo'] }));
    const done = node.run();
    init(t);
    const payload = 'é'.repeat(25 * 1024 * 1024);
    const line = `{"src":"c1","dest":"n1","body":{"type":"echo","msg_id":2,"echo":"${payload}"}}\n`;
    for (let i = 0; i < line.length; i += 65536) t.write(line.slice(i, i + 65536));
    t.end();
    await done;
    const reply = t.messages()[1]!;
    expect(reply.body['in_reply_to']).toBe(2);
    expect(reply.body['echo']).toBe(payload);
  });

  it('decodes UTF-8 split across byte chunks of a Readable', async () => {
    const text = Buffer.from('{"src":"c0","dest":"n1","body":{"type":"init","node_id":"n1","node_ids":["n1"],"msg_id":1}}\r\n{"src":"c1","dest":"n1","body":{"type":"echo","echo":"→ü","msg_id":2}}\n');
    const chunks: Buffer[] = [];
    for (let i = 0; i < text.length; i += 3) chunks.push(text.subarray(i, i + 3));
    const lines: string[] = [];
    const node = createNode({ input: Readable.from(chunks), output: (l) => lines.push(l), log: () => {} });
    node.on('echo', (msg) => ({ echo: msg.body['echo'] }));
    await node.run();
    expect(lines).toEqual([
      '{"src":"n1","dest":"c0","body":{"type":"init_ok","in_reply_to":1}}',
      '{"src":"n1","dest":"c1","body":{"type":"echo_ok","echo":"→ü","in_reply_to":2}}',
    ]);
  });

  it('writes to a stream in order, holding lines back while it is full', async () => {
    const written: string[] = [];
    let drain: (() => void) | undefined;
    let full = false;
    const stream = {
      write(chunk: string) {
        written.push(chunk);
        return !full;
      },
      once(_e: 'drain', l: () => void) {
        drain = l;
      },
      on() {},
    };
    const t = memoryTransport();
    const node = createNode({ input: t.input, output: stream, log: () => {} });
    const done = node.run();
    init(t);
    await settle();
    full = true;
    node.send('n2', { type: 'a' });
    node.send('n2', { type: 'b' });
    node.send('n2', { type: 'c' });
    expect(written).toHaveLength(2);
    full = false;
    t.end();
    let finished = false;
    void done.then(() => (finished = true));
    await settle();
    expect(finished).toBe(false);
    drain!();
    await done;
    expect(written.join('')).toBe(
      '{"src":"n1","dest":"c0","body":{"type":"init_ok","in_reply_to":1}}\n' +
        '{"src":"n1","dest":"n2","body":{"type":"a"}}\n{"src":"n1","dest":"n2","body":{"type":"b"}}\n{"src":"n1","dest":"n2","body":{"type":"c"}}\n',
    );
    expect(written).toHaveLength(3);
  });
});

describe('run and timers', () => {
  it('resolves run() only after in-flight handlers finish', async () => {
    let release!: () => void;
    const { t, done } = await started((node) =>
      node.on('slow', async () => {
        await new Promise<void>((r) => (release = r));
        return { ok: true };
      }),
    );
    t.push({ src: 'c1', dest: 'n1', body: { type: 'slow', msg_id: 2 } });
    t.end();
    let finished = false;
    void done.then(() => (finished = true));
    await settle();
    expect(finished).toBe(false);
    release();
    await done;
    expect(t.messages()[1]?.body).toEqual({ type: 'slow_ok', ok: true, in_reply_to: 2 });
  });

  it('every() runs on the node clock without overlap, and stops', async () => {
    const runs: number[] = [];
    const { node, clock, t, done } = await started();
    const stop = node.every(100, async () => {
      runs.push(clock.now() / 1e6);
      await node.sleep(30);
    });
    await clock.advance(350);
    expect(runs).toEqual([100, 230]);
    stop();
    await clock.advance(1000);
    expect(runs).toEqual([100, 230]);
    node.every(10, () => {
      throw new Error('tick failed');
    });
    await clock.advance(25);
    t.end();
    await done;
    expect(clock.pending).toBe(0);
  });

  it('every() with overlap starts a run every period while earlier runs still await', async () => {
    // A gossip tick that awaits answers taking 250 ms: by default it runs every 100 + 250 ms, with
    // overlap every 100 ms.
    const ticks = async (overlap?: boolean) => {
      const runs: number[] = [];
      const { node, clock, t, done } = await started();
      node.every(
        100,
        async () => {
          runs.push(clock.now() / 1e6);
          await node.sleep(250);
        },
        overlap === undefined ? undefined : { overlap },
      );
      await clock.advance(1000);
      t.end();
      await done;
      expect(clock.pending).toBe(0);
      return runs;
    };
    expect(await ticks()).toEqual([100, 450, 800]);
    expect(await ticks(false)).toEqual([100, 450, 800]);
    expect(await ticks(true)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });

  it('every() with overlap keeps its schedule when a run throws, and stops', async () => {
    const runs: number[] = [];
    const { node, clock, logs } = await started();
    const stop = node.every(
      50,
      () => {
        runs.push(clock.now() / 1e6);
        throw new Error('tick failed');
      },
      { overlap: true },
    );
    await clock.advance(160);
    stop();
    await clock.advance(500);
    expect(runs).toEqual([50, 100, 150]);
    expect(logs.filter((l) => l.includes('tick failed'))).toHaveLength(3);
  });

  it('clock.nowMs() is clock.now() in milliseconds, the unit of every, sleep and timeouts', async () => {
    const { node, clock } = await started();
    expect(node.clock.nowMs()).toBe(0);
    let at = -1;
    node.setTimeout(() => (at = node.clock.nowMs()), 1500);
    await clock.advance(2000);
    expect(at).toBe(1500);
    expect(node.clock.now()).toBe(2000 * 1e6);
    expect(node.clock.nowMs()).toBe(2000);
    const real = createNode({ output: () => {}, log: () => {} }).clock;
    const [ns, ms] = [real.now(), real.nowMs()];
    expect(ms).toBeGreaterThanOrEqual(ns / 1e6);
    expect(ms - ns / 1e6).toBeLessThan(60_000);
  });

  it('setTimeout fires on the node clock and can be cleared; close() cancels the rest', async () => {
    const fired: string[] = [];
    const { node, clock, t, done } = await started();
    node.setTimeout(() => fired.push('a'), 10);
    const b = node.setTimeout(() => fired.push('b'), 20);
    node.setTimeout(() => fired.push('c'), 1000);
    node.clearTimeout(b);
    await clock.advance(50);
    expect(fired).toEqual(['a']);
    t.end();
    await done;
    expect(clock.pending).toBe(0);
  });

  it('logs to the log sink only, never to the output', async () => {
    const { node, t, logs } = await started();
    node.log('hello', { a: 1n }, 2);
    expect(logs).toContain('hello {"a":1} 2');
    expect(t.lines).toHaveLength(1);
  });
});

describe('lossless bodies from handlers', () => {
  it('sends JsonFloat and bigint values as written', async () => {
    const { t } = await started((node) => node.on('gen', () => ({ id: 2n ** 64n, f: new JsonFloat(3) })));
    t.push({ src: 'c1', dest: 'n1', body: { type: 'gen', msg_id: 1 } });
    await t.next();
    expect(t.lines[1]).toBe('{"src":"n1","dest":"c1","body":{"type":"gen_ok","id":18446744073709551616,"f":3.0,"in_reply_to":1}}');
  });
});

describe('node.random and node.dir', () => {
  const quiet = { output: () => {}, log: () => {} };
  it('draws the same values from the same seed, and different values from different seeds', () => {
    const draw = (seed: string) => {
      const node = createNode({ ...quiet, random: seed });
      return Array.from({ length: 5 }, () => node.random.int(1_000_000));
    };
    expect(draw('s1/n1')).toEqual(draw('s1/n1'));
    expect(draw('s1/n1')).not.toEqual(draw('s1/n2'));
  });

  it('is seeded from GYRE_NODE_SEED when no random is given', () => {
    const old = process.env['GYRE_NODE_SEED'];
    process.env['GYRE_NODE_SEED'] = '42/node/n3';
    try {
      const a = createNode(quiet).random.next();
      const b = createNode(quiet).random.next();
      expect(a).toBe(b);
      expect(a).toBe(createNode({ ...quiet, random: '42/node/n3' }).random.next());
    } finally {
      if (old === undefined) delete process.env['GYRE_NODE_SEED'];
      else process.env['GYRE_NODE_SEED'] = old;
    }
  });

  it('dir defaults to the working directory and can be given', () => {
    expect(createNode(quiet).dir).toBe(process.cwd());
    expect(createNode({ ...quiet, dir: '/tmp/n1' }).dir).toBe('/tmp/n1');
  });
});

describe('a host (gyre sim) makes the nodes createNode() creates', () => {
  it('hands createNode()\'s options to the host, which builds the node with its own I/O', () => {
    expect(NODE_HOST).toBe(Symbol.for('gyre.node.host'));
    const lines: string[] = [];
    const seen: NodeOptions[] = [];
    const host: NodeHost = {
      createNode: (options, make) => {
        seen.push(options);
        return make({ ...options, input: [], output: (l) => lines.push(l), log: () => {} });
      },
    };
    const g = globalThis as { [NODE_HOST]?: NodeHost };
    g[NODE_HOST] = host;
    let node: Node;
    try {
      node = createNode({ rpcTimeout: 123 });
    } finally {
      delete g[NODE_HOST];
    }
    expect(seen).toEqual([{ rpcTimeout: 123 }]);
    node.on('echo', (m) => ({ echo: m.body.echo }));
    node.receive(JSON.stringify({ src: 'c0', dest: 'n1', body: { type: 'init', node_id: 'n1', node_ids: ['n1'], msg_id: 1 } }));
    node.receive(JSON.stringify({ src: 'c1', dest: 'n1', body: { type: 'echo', echo: 'hi', msg_id: 2 } }));
    expect(lines.map((l) => JSON.parse(l).body.type)).toEqual(['init_ok', 'echo_ok']);
  });

  it('lets a host refuse: createNode() throws its error', () => {
    const g = globalThis as { [NODE_HOST]?: NodeHost };
    g[NODE_HOST] = {
      createNode: () => {
        throw new Error('not now');
      },
    };
    try {
      expect(() => createNode()).toThrow('not now');
    } finally {
      delete g[NODE_HOST];
    }
  });
});
