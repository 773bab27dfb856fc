/**
 * Laws every built-in generator obeys, checked on a catalogue of compositions:
 * - once exhausted, always exhausted (whatever the later context);
 * - the same seed gives the same history, and simulate equals interpret on a virtual clock.
 */
import { type Op, type ProcessId, seededRandom, type TestInfo } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import {
  andThen,
  any,
  clients,
  concat,
  delay,
  eachProcess,
  eachThread,
  filter,
  flipFlop,
  limit,
  log,
  map,
  mix,
  nemesis,
  once,
  phases,
  repeat,
  sequence,
  sleep,
  stagger,
  synchronize,
  timeLimit,
  untilOk,
} from './combinators';
import { interpret } from './interpret';
import { lift } from './lift';
import { simulate } from './testing';
import type { Context, Generator, GenLike, Thread } from './types';
import { VirtualClock } from './virtual-clock';

const test: TestInfo = { nodes: ['n1', 'n2'], concurrency: 3 };
const threads: Thread[] = [0, 1, 2, 'nemesis'];
const rw = (ctx: Context) =>
  ctx.random.chance(0.5) ? { f: 'read' } : { f: 'write', value: ctx.random.int(5) };

/** Finite compositions, each using randomness somewhere. */
const catalogue: Record<string, () => GenLike> = {
  template: () => ({ f: 'read' }),
  array: () => [{ f: 'a' }, { f: 'b' }, [{ f: 'c' }]],
  fn: () => limit(10, rw),
  sequence: () => sequence((i) => ({ f: 'w', value: i }), 7),
  mix: () => limit(20, mix([repeat(rw), repeat({ f: 'x' })])),
  once: () => once(rw),
  repeat: () => repeat(rw, 6),
  timeLimit: () => timeLimit(2, stagger(0.1, rw)),
  stagger: () => limit(15, stagger(0.05, rw)),
  delay: () => limit(5, delay(0.3, rw)),
  phases: () => phases(limit(4, rw), log('x'), sleep(0.5), once({ f: 'z' })),
  andThen: () => andThen(limit(3, rw), once({ f: 'z' })),
  concat: () => concat(limit(3, rw), once({ f: 'z' })),
  synchronize: () => synchronize(limit(3, rw)),
  clientsNemesis: () => clients(limit(10, rw), repeat({ f: 'n' }, 3)),
  eachThread: () => clients(eachThread([{ f: 'a' }, { f: 'b' }])),
  eachProcess: () => clients(eachProcess(once(rw))),
  any: () => any(limit(5, stagger(0.2, rw)), nemesis(limit(3, delay(0.25, { f: 'n' })))),
  untilOk: () => untilOk(repeat(rw)),
  flipFlop: () => flipFlop(repeat({ f: 'a' }), limit(4, repeat(rw))),
  map: () => map((op) => ({ ...op, tagged: true }), limit(5, rw)),
  filter: () => filter((op) => op.f === 'read', limit(10, rw)),
  maelstrom: () =>
    phases(
      timeLimit(3, any(clients(stagger(0.05, rw)), nemesis(stagger(0.5, flipFlop(repeat({ f: 'start' }), repeat({ f: 'stop' })))))),
      nemesis(once({ f: 'stop' })),
      log('Waiting for recovery...'),
      sleep(1),
      clients(eachThread(untilOk({ f: 'read', final: true }))),
    ),
};

/** Completions: some fail, some crash, latencies vary, all from the op's own index (deterministic). */
const complete = (op: Op) => ({
  type: (op.index % 5 === 1 ? 'fail' : op.index % 7 === 3 ? 'info' : 'ok') as Op['type'],
});
const latency = (op: Op) => ((op.index * 37) % 11) / 100;

/** Drives a generator by hand, sequentially, until it says null; returns the final generator. */
function exhaust(gen: Generator): { gen: Generator; time: number } {
  const random = seededRandom(9);
  const workers = new Map<Thread, ProcessId>(threads.map((t) => [t, t]));
  let time = 0;
  let index = 0;
  const ctx = (free: readonly Thread[]): Context => ({ time, freeThreads: free, workers, random, test });
  for (let steps = 0; steps < 10_000; steps++) {
    const r = gen.op(ctx(threads));
    if (r === null) return { gen, time };
    if (r.op === 'pending') throw new Error('pending with every thread free');
    time = Math.max(time, r.op.time);
    if (r.op.type !== 'invoke') {
      gen = r.gen;
      continue;
    }
    const thread = threads.find((t) => workers.get(t) === (r.op as Op).process)!;
    const inv = { ...r.op, index: index++, time } as Op;
    gen = r.gen.update(ctx(threads.filter((t) => t !== thread)), inv);
    gen = gen.update(ctx(threads), { ...inv, index: index++, type: 'ok' });
  }
  throw new Error('did not exhaust');
}

describe('law: once exhausted, always exhausted', () => {
  for (const [name, make] of Object.entries(catalogue)) {
    it(name, () => {
      const { gen, time } = exhaust(lift(make()));
      const random = seededRandom(2);
      // eachProcess starts over for a new process, by design: only later times apply to it.
      const perProcess = name === 'eachProcess';
      const later: [number, readonly Thread[]][] = [
        [0, threads],
        [1e9, threads],
        [1e12, perProcess ? threads : [0]],
        [5e12, perProcess ? threads : []],
        [9e12, perProcess ? threads : ['nemesis']],
      ];
      for (const [dt, free] of later) {
        const shift = perProcess ? 0 : 3;
        const workers = new Map<Thread, ProcessId>(threads.map((t) => [t, t === 'nemesis' ? t : t + shift]));
        expect(gen.op({ time: time + dt, freeThreads: free, workers, random, test })).toBeNull();
      }
    });
  }
});

describe('law: same seed, same history', () => {
  for (const [name, make] of Object.entries(catalogue)) {
    it(name, () => {
      const run = (seed: number) => simulate(make(), { test, threads, random: seededRandom(seed), complete, latency });
      const a = run(11);
      expect(a.length).toBeGreaterThan(0);
      expect(run(11)).toEqual(a);
    });
  }

  it('different seeds give different histories for random generators', () => {
    const run = (seed: number) => simulate(catalogue['maelstrom']!(), { test, threads, random: seededRandom(seed), latency });
    expect(run(1)).not.toEqual(run(2));
  });
});

describe('law: simulate and interpret on a virtual clock agree', () => {
  for (const name of ['maelstrom', 'any', 'phases', 'eachProcess', 'untilOk', 'timeLimit']) {
    it(name, async () => {
      const expected = simulate(catalogue[name]!(), { test, threads, random: seededRandom(5), complete, latency });
      const clock = new VirtualClock({ autoAdvance: true });
      const recorded: Op[] = [];
      const logs: string[] = [];
      const { history, aborted } = await interpret({
        generator: catalogue[name]!(),
        clock,
        random: seededRandom(5),
        test,
        threads,
        record: (op) => recorded.push(op),
        log: (m) => logs.push(m),
        invoke: (_thread, op) =>
          new Promise((resolve) => {
            const c = { ...op, ...complete(op) };
            clock.setTimeout(() => resolve(c), latency(op) * 1000);
          }),
      });
      expect(aborted).toBe(false);
      expect(history).toEqual(expected);
      expect(recorded).toEqual(expected);
    });
  }
});
