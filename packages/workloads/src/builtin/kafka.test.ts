import { limit, phases, type Context, type GenResult, type Generator } from '@gyre/generator';
import { simulate } from '@gyre/generator/testing';
import { formatOpEdn, seededRandom, type Op } from '@gyre/history';
import { RpcError, type Body, type RpcDef } from '@gyre/protocol';
import { describe, expect, it } from 'vitest';
import { defaultWorkloadOptions, type ClientConn, type ClientState, type WorkloadOptions } from '../types';
import { kafka } from './kafka';

const options = (over: Partial<WorkloadOptions> = {}): WorkloadOptions => defaultWorkloadOptions({ nodes: ['n0'], concurrency: 2, rate: 100, timeLimit: 5, maxTxnLength: 1, ...over });

/** A connection that records requests and answers them from `answer`. */
function fakeConn(answer: (type: string, body: Record<string, unknown>) => Body) {
  const calls: { type: string; body: Record<string, unknown> }[] = [];
  const conn: ClientConn = {
    node: 'n0',
    id: 'c9',
    async call(rpc: RpcDef, body: Record<string, unknown>) {
      calls.push({ type: rpc.name, body });
      return { type: `${rpc.name}_ok`, in_reply_to: calls.length, ...answer(rpc.name, body) };
    },
  };
  return { conn, calls };
}

const invoke = (op: Partial<Op>, conn: ClientConn, state: ClientState) =>
  kafka.client.invoke({ type: 'invoke', process: 0, time: 0, value: null, f: 'poll', ...op } as Op, conn, state);

describe('kafka client', () => {
  it('sends with the key as a string and completes with [offset, msg]', async () => {
    const { conn, calls } = fakeConn(() => ({ offset: 7 }));
    const r = await invoke({ f: 'send', value: [['send', 3, 42]] }, conn, {});
    expect(calls).toEqual([{ type: 'send', body: { key: '3', msg: 42 } }]);
    expect(r).toEqual({ type: 'ok', value: [['send', 3, [7, 42]]] });
  });

  it('a fresh client polls with no offsets', async () => {
    const { conn, calls } = fakeConn(() => ({ msgs: {} }));
    const r = await invoke({ f: 'poll', value: [['poll']] }, conn, {});
    expect(calls).toEqual([{ type: 'poll', body: { offsets: {} } }]);
    expect(r).toEqual({ type: 'ok', value: [['poll', {}]] });
  });

  it('polls from its offsets, advances past what it got, and commits the highest offset polled (inclusive)', async () => {
    const state: ClientState = {};
    const replies: Body[] = [{ msgs: { '1': [[0, 10], [1, 11]], '2': [] } }, { msgs: { '1': [[2, 12]] } }];
    const { conn, calls } = fakeConn((type) => (type === 'commit_offsets' ? {} : replies.shift()!));
    expect(await invoke({ f: 'assign', value: [1, 2], 'seek-to-beginning?': true }, conn, state)).toEqual({ type: 'ok', value: [1, 2] });
    const r = await invoke({ f: 'poll', value: [['poll']] }, conn, state);
    expect(r).toEqual({ type: 'ok', value: [['poll', { '1': [[0, 10], [1, 11]], '2': [] }]] });
    await invoke({ f: 'poll', value: [['poll']] }, conn, state);
    expect(calls).toEqual([
      { type: 'poll', body: { offsets: { '1': 0, '2': 0 } } },
      { type: 'commit_offsets', body: { offsets: { '1': 1 } } },
      { type: 'poll', body: { offsets: { '1': 2, '2': 0 } } },
      { type: 'commit_offsets', body: { offsets: { '1': 2 } } },
    ]);
  });

  it('an assign without seek keeps local offsets, takes committed ones for new keys (else 0), and drops unlisted keys', async () => {
    const state: ClientState = {};
    const { conn, calls } = fakeConn((type) => {
      if (type === 'poll') return { msgs: { '1': [[4, 'x']], '5': [[0, 'y']] } };
      if (type === 'list_committed_offsets') return { offsets: { '1': 2, '2': 3 } };
      return {};
    });
    await invoke({ f: 'assign', value: [1, 5], 'seek-to-beginning?': true }, conn, state);
    await invoke({ f: 'poll', value: [['poll']] }, conn, state); // local offsets now 1 → 5, 5 → 1
    await invoke({ f: 'assign', value: [1, 2, 3] }, conn, state);
    expect(calls.at(-1)).toEqual({ type: 'list_committed_offsets', body: { keys: ['1', '2', '3'] } });
    await invoke({ f: 'poll', value: [['poll']] }, conn, state);
    expect(calls.at(-2)).toEqual({ type: 'poll', body: { offsets: { '1': 5, '2': 3, '3': 0 } } });
  });

  it('a failed commit fails the poll (the harness then records it as info)', async () => {
    const conn: ClientConn = {
      node: 'n0',
      id: 'c9',
      async call(rpc) {
        if (rpc.name === 'commit_offsets') throw RpcError.crash('boom');
        return { type: 'poll_ok', in_reply_to: 1, msgs: { '1': [[0, 1]] } };
      },
    };
    await expect(invoke({ f: 'poll', value: [['poll']] }, conn, {})).rejects.toMatchObject({ code: 13 });
  });

  it('crash completes as info at once, without a request', async () => {
    const { conn, calls } = fakeConn(() => ({}));
    expect(await invoke({ f: 'crash', value: null }, conn, {})).toEqual({ type: 'info', error: 'crash' });
    expect(calls).toEqual([]);
  });
});

/** A correct single-node log, answering synchronously the way the real client would record it. */
function model() {
  const logs = new Map<number, unknown[]>();
  const offsets = new Map<number | string, Map<number, number>>();
  return (op: Op): Partial<Op> => {
    const mine = offsets.get(op.process) ?? new Map<number, number>();
    offsets.set(op.process, mine);
    switch (op.f) {
      case 'crash':
        return { type: 'info', error: 'crash' };
      case 'send': {
        const [, k, v] = (op.value as [string, number, unknown][])[0]!;
        const log = logs.get(k) ?? [];
        logs.set(k, log);
        log.push(v);
        return { value: [['send', k, [log.length - 1, v]]] };
      }
      case 'assign':
        for (const k of [...mine.keys()]) if (!(op.value as number[]).includes(k)) mine.delete(k);
        for (const k of op.value as number[]) if (op['seek-to-beginning?'] || !mine.has(k)) mine.set(k, 0);
        return {};
      default: {
        const out: Record<string, [number, unknown][]> = {};
        for (const [k, from] of mine) {
          const pairs = (logs.get(k) ?? []).slice(from).map((m, i) => [from + i, m] as [number, unknown]);
          out[String(k)] = pairs;
          if (pairs.length) mine.set(k, pairs.at(-1)![0] + 1);
        }
        return { value: [['poll', out]] };
      }
    }
  };
}

const ctxOf = (time: number): Context => ({
  time,
  freeThreads: [0, 1],
  workers: new Map([
    [0, 0],
    [1, 1],
  ]),
  random: seededRandom(1),
  test: { nodes: ['n0'], concurrency: 2 },
});

describe('kafka generators', () => {
  it('the main phase draws each transaction once: asking twice offers the same operation', () => {
    let sends = 0;
    for (let seed = 0; seed < 20; seed++) {
      const gen = kafka.generator(options(), seededRandom(seed)) as Generator;
      const a = gen.op(ctxOf(0)) as Exclude<GenResult, null>;
      const b = gen.op(ctxOf(0)) as Exclude<GenResult, null>;
      expect(b.op).toEqual(a.op);
      if ((a.op as Op).f === 'send') sends++;
    }
    expect(sends).toBeGreaterThan(3);
  });

  it('main sends carry values 1, 2, 3, ... per key, and the final phase crashes, assigns from the beginning and polls every key to its end', () => {
    const opts = options();
    const complete = model();
    const history = simulate(phases(limit(300, kafka.generator(opts, seededRandom(5))), kafka.final!(opts)), {
      test: { nodes: ['n0'], concurrency: 2 },
      random: seededRandom(6),
      latency: 0.001,
      complete,
    });
    const sends = history.filter((o) => o.type === 'invoke' && o.f === 'send').map((o) => (o.value as [string, number, number][])[0]!);
    const byKey = new Map<number, number[]>();
    for (const [, k, v] of sends) byKey.set(k, [...(byKey.get(k) ?? []), v]);
    for (const vs of byKey.values()) expect(vs).toEqual(vs.map((_, i) => i + 1));

    // The final phase starts with the last two crashes, one per worker.
    const crashes = history.flatMap((o, i) => (o.type === 'invoke' && o.f === 'crash' ? [i] : []));
    const mainEnd = crashes.at(-2)!;
    const final = history.slice(mainEnd);
    const finalInvokes = final.filter((o) => o.type === 'invoke');
    for (const thread of [0, 1]) {
      const mine = finalInvokes.filter((o) => Number(o.process) % 2 === thread);
      expect(mine[0]!.f).toBe('crash');
      expect(mine[1]).toMatchObject({ f: 'assign', 'seek-to-beginning?': true });
      expect(new Set(mine[1]!.value as number[])).toEqual(new Set(byKey.keys()));
      expect(mine.slice(2).every((o) => o.f === 'poll')).toBe(true);
      // The process's polls together reach the last offset of every key.
      const polled = new Map<string, number>();
      for (const o of final) {
        if (o.type !== 'ok' || o.f !== 'poll' || Number(o.process) % 2 !== thread) continue;
        for (const [k, pairs] of Object.entries((o.value as [string, Record<string, [number, unknown][]>][])[0]![1])) {
          for (const [off] of pairs) polled.set(k, Math.max(polled.get(k) ?? -1, off));
        }
      }
      for (const [k, vs] of byKey) expect(polled.get(String(k))).toBe(vs.length - 1);
    }
    // It stopped once caught up: far fewer polls than ten seconds of them would be.
    expect(finalInvokes.length).toBeLessThan(20);
  });

  it('starts afresh for every run given the same options (--test-count)', () => {
    const opts = options();
    const run = (seed: number, n: number) =>
      simulate(phases(limit(n, kafka.generator(opts, seededRandom(seed))), kafka.final!(opts)), {
        test: { nodes: ['n0'], concurrency: 2 },
        random: seededRandom(seed),
        complete: model(),
      });
    run(1, 300);
    const second = run(2, 2);
    const finalAssigns = second.filter((o) => o.type === 'invoke' && o.f === 'assign' && o['seek-to-beginning?']);
    const sent = new Set(second.filter((o) => o.type === 'invoke' && o.f === 'send').map((o) => (o.value as [string, number][])[0]![1]));
    for (const a of finalAssigns) expect(new Set(a.value as number[])).toEqual(sent);
  });
});

describe('kafka history.edn', () => {
  it('prints micro-op names as keywords and poll keys as integers', () => {
    const poll: Op = { index: 3, time: 5, type: 'ok', process: 0, f: 'poll', value: [['poll', { '1': [[0, 10]] }]] };
    expect(formatOpEdn(poll, kafka.valueToEdn)).toBe('{:index 3, :time 5, :type :ok, :process 0, :f :poll, :value [[:poll {1 [[0 10]]}]]}');
    const send: Op = { index: 4, time: 6, type: 'invoke', process: 1, f: 'send', value: [['send', 2, 7]] };
    expect(formatOpEdn(send, kafka.valueToEdn)).toBe('{:index 4, :time 6, :type :invoke, :process 1, :f :send, :value [[:send 2 7]]}');
  });
});
