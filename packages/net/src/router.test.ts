import { JsonFloat, seededRandom } from '@gyre/history';
import { decodeLine } from '@gyre/protocol';
import { describe, expect, it } from 'vitest';
import { harness } from '../test/harness';
import { VirtualClock } from '../test/virtual-clock';
import { latencyDraw } from './latency';
import { DOWN_QUEUE_LIMIT, createRouter } from './router';

const NODES = ['n0', 'n1', 'n2', 'n3', 'n4'];

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

describe('latency', () => {
  it('constant latency delays node-to-node messages by exactly the mean', () => {
    const h = harness(NODES, { latency: { mean: 10, dist: 'constant' } });
    h.send('n1', 'n2');
    h.clock.advance(3);
    h.send('n2', 'n3');
    h.clock.runAll();
    expect(h.box('n2').map((d) => d.at)).toEqual([10]);
    expect(h.box('n3').map((d) => d.at)).toEqual([13]);
  });

  it('truncates a fractional constant mean to whole milliseconds', () => {
    const h = harness(NODES, { latency: { mean: 7.9, dist: 'constant' } });
    h.send('n1', 'n2');
    h.clock.runAll();
    expect(h.box('n2')[0]!.at).toBe(7);
  });

  it('uniform latency is an integer in [0, 2·mean) with the mean of that range', () => {
    const h = harness(NODES, { latency: { mean: 10, dist: 'uniform' } });
    for (let i = 0; i < 4000; i++) h.send('n1', 'n2');
    h.clock.runAll();
    const at = h.box('n2').map((d) => d.at);
    expect(at).toHaveLength(4000);
    for (const x of at) {
      expect(Number.isInteger(x)).toBe(true);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(20);
    }
    expect(new Set(at).size).toBe(20);
    // The integers 0..19 average 9.5.
    expect(Math.abs(mean(at) - 9.5)).toBeLessThan(0.3);
  });

  it('exponential latency has the given mean before truncation', () => {
    const h = harness(NODES, { latency: { mean: 10, dist: 'exponential' } });
    for (let i = 0; i < 5000; i++) h.send('n3', 'n4');
    h.clock.runAll();
    const at = h.box('n4').map((d) => d.at);
    for (const x of at) expect(Number.isInteger(x) && x >= 0).toBe(true);
    // E[trunc(X)] for X ~ Exp(mean 10) is 1 / (e^0.1 - 1) ≈ 9.51; the untruncated mean is 10.
    expect(Math.abs(mean(at) - 1 / (Math.exp(0.1) - 1))).toBeLessThan(0.5);
    expect(Math.max(...at)).toBeGreaterThan(40);
  });

  it('gives zero latency when either end is a client, and to node-to-service traffic a latency', () => {
    const h = harness([...NODES, 'c0', 'lin-kv'], { latency: { mean: 50, dist: 'exponential' } });
    h.send('c0', 'n1');
    h.send('n1', 'c0');
    h.send('n1', 'lin-kv');
    h.clock.runAll();
    expect(h.box('n1')[0]!.at).toBe(0);
    expect(h.box('c0')[0]!.at).toBe(0);
    expect(h.box('lin-kv')[0]!.at).toBeGreaterThan(0);
  });

  it('treats mean 0 as zero latency for every distribution (where Maelstrom misbehaves)', () => {
    for (const dist of ['constant', 'uniform', 'exponential'] as const) {
      const draw = latencyDraw({ mean: 0, dist }, seededRandom(1));
      expect([draw(), draw(), draw()]).toEqual([0, 0, 0]);
      const h = harness(NODES, { latency: { mean: 0, dist } });
      h.send('n1', 'n2');
      h.clock.runAll();
      expect(h.box('n2')[0]!.at).toBe(0);
    }
  });

  it('refuses bad latency options', () => {
    const clock = new VirtualClock();
    const random = seededRandom(1);
    expect(() => createRouter({ clock, random, latency: { mean: -1 } })).toThrow(RangeError);
    expect(() => createRouter({ clock, random, latency: { mean: Number.NaN } })).toThrow(RangeError);
    expect(() => createRouter({ clock, random, latency: { mean: 5, dist: 'normal' as 'uniform' } })).toThrow(RangeError);
  });

  it('draws the same latencies from the same seed', () => {
    const run = () => {
      const h = harness(NODES, { latency: { mean: 20, dist: 'uniform' }, seed: 'same' });
      for (let i = 0; i < 50; i++) h.send('n1', 'n2', { type: 'x', i });
      h.clock.runAll();
      return h.box('n2').map((d) => [d.m.id, d.at]);
    };
    expect(run()).toEqual(run());
  });
});

describe('delivery order', () => {
  it('never delivers inside send; zero-latency messages arrive on a later turn in send order', () => {
    const h = harness(NODES);
    const ids = [h.send('n1', 'n2'), h.send('n3', 'n2'), h.send('n1', 'n2')];
    expect(h.box('n2')).toHaveLength(0);
    h.clock.runAll();
    expect(h.box('n2').map((d) => d.m.id)).toEqual(ids);
    expect(h.box('n2').every((d) => d.at === 0)).toBe(true);
  });

  it('does not re-enter a receiver: messages sent while delivering wait for the next turn', () => {
    const clock = new VirtualClock();
    const router = createRouter({ clock, random: seededRandom(1) });
    const log: string[] = [];
    let depth = 0;
    for (const id of ['a', 'b']) {
      router.register(id, (m) => {
        expect(depth).toBe(0);
        depth++;
        const n = m.body['n'] as number;
        log.push(`${id}:${n}`);
        if (n < 4) router.send({ src: id, dest: id === 'a' ? 'b' : 'a', body: { type: 'ping', n: n + 1 } });
        depth--;
      });
    }
    router.send({ src: 'a', dest: 'b', body: { type: 'ping', n: 0 } });
    clock.runAll();
    expect(log).toEqual(['b:0', 'a:1', 'b:2', 'a:3', 'b:4']);
  });

  it('keeps FIFO order per sender and receiver under constant latency', () => {
    const h = harness(NODES, { latency: { mean: 7, dist: 'constant' } });
    const random = seededRandom('fifo');
    const sent = new Map<string, number[]>();
    for (let i = 0; i < 500; i++) {
      const src = random.pick(NODES);
      const dest = random.pick(NODES);
      const id = h.send(src, dest);
      const k = `${src}>${dest}`;
      sent.set(k, [...(sent.get(k) ?? []), id]);
      if (random.chance(0.3)) h.clock.advance(random.int(5));
    }
    h.clock.runAll();
    const got = new Map<string, number[]>();
    for (const d of h.all) {
      const k = `${d.m.src}>${d.m.dest}`;
      got.set(k, [...(got.get(k) ?? []), d.m.id!]);
    }
    expect(got).toEqual(sent);
  });

  it('reorders messages under variable latency and delivers in deadline order', () => {
    const h = harness(NODES, { latency: { mean: 20, dist: 'uniform' } });
    const ids: number[] = [];
    for (let i = 0; i < 100; i++) ids.push(h.send('n1', 'n2'));
    h.clock.runAll();
    const box = h.box('n2');
    expect(box.map((d) => d.m.id)).not.toEqual(ids);
    expect([...box.map((d) => d.m.id!)].sort((a, b) => a - b)).toEqual(ids);
    for (let i = 1; i < box.length; i++) expect(box[i]!.at).toBeGreaterThanOrEqual(box[i - 1]!.at);
  });

  it('lets a later message with an earlier deadline overtake (no head-of-line blocking)', () => {
    const h = harness(['n1', 'n2', 'c0'], { latency: { mean: 100, dist: 'constant' } });
    h.send('n1', 'n2');
    h.clock.advance(10);
    h.send('c0', 'n2');
    h.clock.runAll();
    expect(h.box('n2').map((d) => [d.m.src, d.at])).toEqual([
      ['c0', 10],
      ['n1', 100],
    ]);
  });
});

describe('messages and lines', () => {
  it('numbers messages 0, 1, 2, … and encodes id, src, dest, body in that order', () => {
    const h = harness(['n1', 'c0']);
    h.send('c0', 'n1', { type: 'init', node_id: 'n1', node_ids: ['n1'], msg_id: 1 });
    h.send('n1', 'c0', { type: 'init_ok', in_reply_to: 1 });
    h.clock.runAll();
    expect(h.box('n1')[0]!.line).toBe('{"id":0,"src":"c0","dest":"n1","body":{"type":"init","node_id":"n1","node_ids":["n1"],"msg_id":1}}');
    expect(h.box('n1')[0]!.m).toEqual({ id: 0, src: 'c0', dest: 'n1', body: { type: 'init', node_id: 'n1', node_ids: ['n1'], msg_id: 1 } });
    expect(h.box('c0')[0]!.m.id).toBe(1);
  });

  it('splices the id onto the raw text a node printed, keeping its numbers verbatim', () => {
    const h = harness(['n1', 'n2']);
    const raw = '{"dest":"n2","src":"n1","body":{"type":"gossip","big":18446744073709551617,"f":1.0}}';
    const d = decodeLine(raw);
    if (!d.ok) throw new Error(d.reason);
    const r = h.router.send(d.message, raw);
    expect(r).toEqual({ ok: true, id: 0 });
    h.clock.runAll();
    const got = h.box('n2')[0]!;
    expect(got.line).toBe('{"id":0,"dest":"n2","src":"n1","body":{"type":"gossip","big":18446744073709551617,"f":1.0}}');
    expect(got.m.id).toBe(0);
    expect(got.m.body['big']).toBe(18446744073709551617n);
    expect(got.m.body['f']).toBeInstanceOf(JsonFloat);
  });

  it('gives a message that echoes an id a fresh one, re-encoded', () => {
    const h = harness(['n1', 'n2']);
    h.send('n1', 'n2');
    const raw = '{"id":0,"src":"n1","dest":"n2","body":{"type":"echo"}}';
    const d = decodeLine(raw);
    if (!d.ok) throw new Error(d.reason);
    expect(h.router.send(d.message, raw)).toEqual({ ok: true, id: 1 });
    h.clock.runAll();
    expect(h.box('n2')[1]!.line).toBe('{"id":1,"src":"n1","dest":"n2","body":{"type":"echo"}}');
  });

  it('refuses unknown src or dest without using an id, and counts the refusals', () => {
    const h = harness(['n1', 'n2']);
    const a = h.router.send({ src: 'n9', dest: 'n1', body: { type: 'x' } });
    expect(a).toMatchObject({ ok: false, kind: 'unknown-src' });
    if (!a.ok) expect(a.reason).toMatch(/^Invalid source "n9" for message \{"src":"n9"/);
    const b = h.router.send({ src: 'n1', dest: 'c7', body: { type: 'x' } });
    expect(b).toMatchObject({ ok: false, kind: 'unknown-dest' });
    if (!b.ok) expect(b.reason).toContain('Invalid dest "c7"');
    expect(h.send('n1', 'n2')).toBe(0);
    expect(h.router.stats().rejected).toEqual({ 'unknown-src': 1, 'unknown-dest': 1 });
    expect(h.router.stats().sent).toBe(1);
  });

  it('logs sends and receives when asked', () => {
    const seen: string[] = [];
    const h = harness(['n1', 'n2'], { log: (kind, m) => seen.push(`${kind} ${m.id} ${m.src}>${m.dest}`) });
    h.send('n1', 'n2');
    expect(seen).toEqual(['send 0 n1>n2']);
    h.clock.runAll();
    expect(seen).toEqual(['send 0 n1>n2', 'recv 0 n1>n2']);
  });

  it('re-registering an id (a restarted node) replaces its deliver and keeps its queue', () => {
    const h = harness(['n1', 'n2'], { latency: { mean: 5, dist: 'constant' } });
    h.send('n1', 'n2');
    const fresh: number[] = [];
    h.router.register('n2', (m) => fresh.push(m.id!));
    h.clock.runAll();
    expect(h.box('n2')).toHaveLength(0);
    expect(fresh).toEqual([0]);
  });
});

describe('partitions', () => {
  const cut = (pairs: Record<string, string[]>) => new Map(Object.entries(pairs).map(([k, v]) => [k, new Set(v)]));

  it('drops messages from grudged senders, counted as sent but not received', () => {
    const h = harness(NODES);
    h.router.partition(cut({ n2: ['n1'] }));
    h.send('n1', 'n2');
    h.send('n2', 'n1');
    h.send('n3', 'n2');
    h.clock.runAll();
    expect(h.box('n2').map((d) => d.m.src)).toEqual(['n3']);
    expect(h.box('n1').map((d) => d.m.src)).toEqual(['n2']);
    const s = h.router.stats();
    expect(s).toMatchObject({ sent: 3, delivered: 2, dropped: { partition: 1, down: 0, unregistered: 0 }, pending: 0 });
    expect(h.router.netResult(1).servers).toEqual({ sendCount: 3, recvCount: 2, msgCount: 3, msgsPerOp: 3 });
  });

  it('checks the grudge when the deadline comes, not when the message is sent', () => {
    const h = harness(NODES, { latency: { mean: 10, dist: 'constant' } });
    h.send('n1', 'n2'); // due at 10, partition starts at 5: dropped
    h.clock.advance(5);
    h.router.partition(cut({ n2: ['n1'] }));
    h.send('n1', 'n2'); // due at 15, healed at 12: delivered
    h.clock.advance(7);
    h.router.heal();
    h.clock.runAll();
    expect(h.box('n2').map((d) => [d.m.id, d.at])).toEqual([[1, 15]]);
    expect(h.router.stats().dropped.partition).toBe(1);
  });

  it('heals: traffic flows again', () => {
    const h = harness(NODES);
    h.router.partition(cut({ n1: ['n0', 'n2'], n0: ['n1'], n2: ['n1'] }));
    h.send('n0', 'n1');
    h.send('n1', 'n2');
    h.clock.runAll();
    expect(h.all).toHaveLength(0);
    h.router.heal();
    h.send('n0', 'n1');
    h.send('n1', 'n2');
    h.clock.runAll();
    expect(h.all.map((d) => d.m.id)).toEqual([2, 3]);
    h.router.partition(new Map());
    h.send('n0', 'n1');
    h.clock.runAll();
    expect(h.all).toHaveLength(3);
  });

  it('never cuts clients off, even when a grudge names one', () => {
    const h = harness(['n1', 'c0']);
    h.router.partition(cut({ n1: ['c0'], c0: ['n1'] }));
    h.send('c0', 'n1');
    h.send('n1', 'c0');
    h.clock.runAll();
    expect(h.all).toHaveLength(2);
  });

  it('replaces the grudge instead of adding to it', () => {
    const h = harness(NODES);
    h.router.partition(cut({ n1: ['n0'] }));
    h.router.partition(cut({ n2: ['n0'] }));
    h.send('n0', 'n1');
    h.send('n0', 'n2');
    h.clock.runAll();
    expect(h.all.map((d) => d.m.dest)).toEqual(['n1']);
  });
});

describe('down nodes (kill / pause)', () => {
  it(`holds at most ${DOWN_QUEUE_LIMIT} messages for a down node and drops the rest`, () => {
    const h = harness([...NODES, 'c0']);
    h.router.setDown('n2', true);
    const ids: number[] = [];
    for (let i = 0; i < 15; i++) ids.push(h.send('n1', 'n2'));
    h.clock.runAll();
    expect(h.box('n2')).toHaveLength(0);
    expect(h.router.pending()).toBe(10);
    expect(h.router.stats().dropped.down).toBe(5);
    // Restart: up again, then a fresh init in the same turn; the init comes first, then the held ones.
    h.router.setDown('n2', false);
    const init = h.send('c0', 'n2', { type: 'init' });
    h.clock.runAll();
    expect(h.box('n2').map((d) => d.m.id)).toEqual([init, ...ids.slice(0, 10)]);
    expect(h.router.stats()).toMatchObject({ sent: 16, delivered: 11, dropped: { down: 5 }, pending: 0 });
  });

  it('puts the init first even when a delivery turn was already scheduled', () => {
    const h = harness([...NODES, 'c0']);
    h.router.setDown('n2', true);
    h.send('n1', 'n2');
    h.clock.runAll();
    h.send('n3', 'n4'); // arms a delivery turn before the restart
    h.router.setDown('n2', false);
    h.send('c0', 'n2', { type: 'init' });
    h.clock.runAll();
    expect(h.box('n2').map((d) => d.m.body['type'])).toEqual(['init', 'x']);
  });

  it('keeps holding when the node goes down again before the release', () => {
    const h = harness(NODES);
    h.router.setDown('n2', true);
    h.send('n1', 'n2');
    h.clock.runAll();
    h.router.setDown('n2', false);
    h.router.setDown('n2', true);
    h.clock.runAll();
    expect(h.box('n2')).toHaveLength(0);
    expect(h.router.pending()).toBe(1);
    h.router.setDown('n2', false);
    h.clock.runAll();
    expect(h.box('n2')).toHaveLength(1);
  });

  it('holds messages whose deadline comes while the node is down, not those that arrived before', () => {
    const h = harness(NODES, { latency: { mean: 10, dist: 'constant' } });
    h.send('n1', 'n2');
    h.clock.advance(10);
    h.router.setDown('n2', true);
    h.send('n1', 'n2');
    h.clock.advance(10);
    expect(h.box('n2').map((d) => d.m.id)).toEqual([0]);
    h.router.setDown('n2', false);
    h.clock.runAll();
    expect(h.box('n2').map((d) => [d.m.id, d.at])).toEqual([
      [0, 10],
      [1, 20],
    ]);
  });
});

describe('unregister', () => {
  it('drops and counts messages queued to a closed client, and refuses later sends to it', () => {
    const h = harness(['n1', 'c3'], { latency: { mean: 10, dist: 'constant' } });
    h.send('c3', 'n1');
    h.send('n1', 'c3');
    expect(h.router.has('c3')).toBe(true);
    h.router.unregister('c3');
    expect(h.router.has('c3')).toBe(false);
    h.clock.runAll();
    expect(h.box('c3')).toHaveLength(0);
    expect(h.box('n1')).toHaveLength(1);
    expect(h.router.stats()).toMatchObject({ sent: 2, delivered: 1, dropped: { unregistered: 1 }, pending: 0 });
    expect(h.router.send({ src: 'n1', dest: 'c3', body: {} })).toMatchObject({ ok: false, kind: 'unknown-dest' });
    h.router.unregister('c3');
    h.router.unregister('nobody');
  });

  it('drops messages held for a down node when it is unregistered, and those in the current turn', () => {
    const h = harness(['n1', 'n2', 'n3']);
    h.router.setDown('n2', true);
    h.send('n1', 'n2');
    h.clock.runAll();
    h.router.register('n3', () => h.router.unregister('n2'));
    h.send('n1', 'n3');
    h.send('n1', 'n2'); // same turn, after the unregistering delivery
    h.clock.runAll();
    expect(h.router.stats()).toMatchObject({ sent: 3, delivered: 1, dropped: { unregistered: 2 }, pending: 0 });
  });
});

describe('net result', () => {
  it('has Maelstrom’s exact shape and counts on a scripted exchange', () => {
    const h = harness(['n1', 'n2']);
    // init of two nodes through c0 and c1, one broadcast from worker c2 with gossip, one read
    h.join('c0');
    h.join('c1');
    h.send('c0', 'n1', { type: 'init', msg_id: 1 });
    h.send('c1', 'n2', { type: 'init', msg_id: 1 });
    h.send('n1', 'c0', { type: 'init_ok', in_reply_to: 1 });
    h.send('n2', 'c1', { type: 'init_ok', in_reply_to: 1 });
    h.router.unregister('c0');
    h.router.unregister('c1');
    h.join('c2');
    h.send('c2', 'n1', { type: 'broadcast', message: 1, msg_id: 1 });
    h.send('n1', 'n2', { type: 'gossip', message: 1 });
    h.send('n1', 'c2', { type: 'broadcast_ok', in_reply_to: 1 });
    h.send('c2', 'n2', { type: 'read', msg_id: 2 });
    h.send('n2', 'c2', { type: 'read_ok', messages: [1], in_reply_to: 2 });
    h.router.partition(new Map([['n1', new Set(['n2'])]]));
    h.send('n2', 'n1', { type: 'gossip', message: 1 });
    h.clock.runAll();
    const net = h.router.netResult(2);
    expect(net).toEqual({
      all: { sendCount: 10, recvCount: 7, msgCount: 10, msgsPerOp: 5 },
      clients: { sendCount: 8, recvCount: 6, msgCount: 8 },
      servers: { sendCount: 2, recvCount: 1, msgCount: 2, msgsPerOp: 1 },
      valid: true,
    });
    // c0 and c1 closed before their init_ok arrived: those two were dropped, as were n2 → n1 (partition).
    expect(h.router.stats().dropped).toEqual({ partition: 1, down: 0, unregistered: 2 });
    expect(Object.keys(net.all)).toEqual(['sendCount', 'recvCount', 'msgCount', 'msgsPerOp']);
    expect(Object.keys(net)).toEqual(['all', 'clients', 'servers', 'valid']);
  });

  it('gives msgsPerOp as a fraction, and omits it with no invocations', () => {
    const h = harness(['n1', 'n2']);
    for (let i = 0; i < 7; i++) h.send('n1', 'n2');
    h.clock.runAll();
    expect(h.router.netResult(2).all.msgsPerOp).toBe(3.5);
    const none = h.router.netResult(0);
    expect('msgsPerOp' in none.all).toBe(false);
    expect('msgsPerOp' in none.servers).toBe(false);
    expect('msgsPerOp' in none.clients).toBe(false);
  });
});

describe('a receiver that throws', () => {
  it('gets the exception out of the timer and loses nothing: the rest of the turn is delivered next', () => {
    const clock = new VirtualClock();
    const router = createRouter({ clock, random: seededRandom(1) });
    const got: number[] = [];
    let armed = true;
    router.register('n1', () => {});
    router.register('n2', (m) => {
      if (armed && m.id === 1) {
        armed = false;
        throw new Error('boom');
      }
      got.push(m.id!);
    });
    for (let i = 0; i < 4; i++) router.send({ src: 'n1', dest: 'n2', body: { type: 'x' } });
    expect(() => clock.runAll()).toThrow('boom');
    clock.runAll();
    expect(got).toEqual([0, 2, 3]);
    expect(router.stats()).toMatchObject({ sent: 4, delivered: 4, pending: 0 });
  });
});

describe('close', () => {
  it('stops every timer, delivers nothing more and keeps late sends pending', () => {
    const h = harness(NODES, { latency: { mean: 10, dist: 'constant' } });
    h.send('n1', 'n2');
    h.router.setDown('n3', true);
    h.send('n1', 'n3');
    h.clock.advance(20);
    h.router.setDown('n3', false);
    h.router.close();
    expect(h.clock.pendingTimers).toBe(0);
    h.send('n1', 'n2');
    h.clock.runAll();
    expect(h.box('n2')).toHaveLength(1);
    expect(h.router.stats()).toMatchObject({ sent: 3, delivered: 1, pending: 2 });
  });
});
