import { type Clock, type Op, pairs, seededRandom, type TestInfo } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import { clients, limit, log, nemesis, phases, repeat, sleep, stagger } from './combinators';
import { interpret, type InterpretOptions } from './interpret';
import { lift } from './lift';
import type { Context, GenLike, Generator, GenResult } from './types';
import { VirtualClock } from './virtual-clock';

const test: TestInfo = { nodes: ['n1', 'n2'], concurrency: 2 };

/** Wall-clock time, for the tests that need it. */
function realClock(): Clock {
  const t0 = performance.now();
  return {
    now: () => Math.round((performance.now() - t0) * 1e6),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
}

/** Counts how often the interpreter asks. */
function counting(gen: GenLike): { gen: Generator; asks: () => number } {
  let n = 0;
  const wrap = (g: Generator): Generator => ({
    op(ctx: Context): GenResult {
      n++;
      const r = g.op(ctx);
      return r && { op: r.op, gen: wrap(r.gen) };
    },
    update: (ctx, e) => wrap(g.update(ctx, e)),
  });
  return { gen: wrap(lift(gen)), asks: () => n };
}

function run(generator: GenLike, o: Partial<InterpretOptions> = {}) {
  const recorded: Op[] = [];
  return interpret({
    generator,
    clock: realClock(),
    random: seededRandom(1),
    test,
    threads: [0, 1, 'nemesis'],
    record: (op) => recorded.push(op),
    invoke: (_t, op) => new Promise((resolve) => setTimeout(() => resolve({ ...op, type: 'ok' }), 2)),
    ...o,
  }).then((r) => ({ ...r, recorded }));
}

function wellFormed(h: Op[]) {
  expect(h.map((op) => op.index)).toEqual(h.map((_, i) => i));
  for (let i = 1; i < h.length; i++) expect(h[i]!.time).toBeGreaterThanOrEqual(h[i - 1]!.time);
  for (const p of pairs(h)) {
    expect(p.completion).toBeDefined();
    expect(p.completion!.process).toBe(p.invoke.process);
    expect(p.completion!.f).toBe(p.invoke.f);
  }
}

describe('interpret on a real clock', () => {
  it('runs a short staggered workload to its end without busy-waiting', async () => {
    const c = counting(clients(limit(6, stagger(0.02, repeat({ f: 'read' })))));
    const { history, recorded, aborted } = await run(c.gen);
    expect(aborted).toBe(false);
    expect(history).toHaveLength(12);
    expect(recorded).toEqual(history);
    wellFormed(history);
    expect(history.every((op) => op.process === 0 || op.process === 1)).toBe(true);
    // Each ask is caused by an event or a due time: a few per operation, never a spin.
    expect(c.asks()).toBeLessThan(60);
  });

  it('honours future times: a sleep and staggered ops take real time', async () => {
    const clock = realClock();
    const { history } = await run(phases(sleep(0.05), clients({ f: 'read' })), { clock });
    expect(history[0]!.time).toBeGreaterThanOrEqual(0.045e9);
  });

  it('records a rejected invoke as an info crash and moves the thread to a new process', async () => {
    const { history } = await run(clients(limit(3, repeat({ f: 'w', value: 1 }))), {
      threads: [0],
      invoke: (_t, op) => (op.index === 0 ? Promise.reject(new Error('boom')) : Promise.resolve({ ...op, type: 'ok' })),
    });
    expect(history[1]).toMatchObject({ type: 'info', process: 0, f: 'w', value: 1, error: 'indeterminate: boom' });
    expect(history[1]!['exception']).toEqual({ name: 'Error', message: 'boom' });
    expect(history.filter((op) => op.type === 'invoke').map((op) => op.process)).toEqual([0, 1, 1]);
  });

  it('routes ops to the thread that owns the process', async () => {
    const seen: [unknown, unknown][] = [];
    await run(clients(limit(4, repeat({ f: 'r' })), limit(2, repeat({ f: 'n' }))), {
      invoke: async (thread, op) => {
        seen.push([thread, op.process]);
        return { ...op, type: op.process === 'nemesis' ? 'info' : 'ok' };
      },
    });
    for (const [t, p] of seen) expect(t).toBe(p);
    expect(seen.filter(([t]) => t === 'nemesis')).toHaveLength(2);
  });

  it('passes log messages to the port and keeps them out of the history', async () => {
    const logs: string[] = [];
    const { history } = await run(phases(clients({ f: 'a' }), log('Waiting for recovery...'), clients({ f: 'b' })), {
      log: (m) => logs.push(m),
    });
    expect(logs).toEqual(['Waiting for recovery...']);
    expect(history.map((op) => op.f)).toEqual(['a', 'a', 'b', 'b']);
  });

  it('keepHistory: false returns no history but records everything', async () => {
    const { history, recorded } = await run(clients(limit(4, repeat({ f: 'r' }))), { keepHistory: false });
    expect(history).toEqual([]);
    expect(recorded).toHaveLength(8);
    wellFormed(recorded);
  });

  it('abort stops emitting, waits for operations in flight, and resolves', async () => {
    const ac = new AbortController();
    const invokedAfterAbort: Op[] = [];
    let abortedAt = Infinity;
    const clock = realClock();
    const p = run(clients(repeat({ f: 'r' }), stagger(0.01, repeat({ f: 'n' }))), {
      clock,
      signal: ac.signal,
      invoke: (_t, op) => {
        if (clock.now() > abortedAt) invokedAfterAbort.push(op);
        return new Promise((resolve) => setTimeout(() => resolve({ ...op, type: 'ok' }), 5));
      },
    });
    setTimeout(() => {
      abortedAt = clock.now();
      ac.abort();
    }, 40);
    const { history, aborted } = await p;
    expect(aborted).toBe(true);
    expect(invokedAfterAbort).toEqual([]);
    expect(history.length).toBeGreaterThan(4);
    wellFormed(history);
    expect(history.at(-1)!.type).toBe('ok');
  });

  it('abort cuts a sleep short', async () => {
    const ac = new AbortController();
    const clock = realClock();
    setTimeout(() => ac.abort(), 20);
    const { aborted } = await run(phases(clients({ f: 'a' }), sleep(3600), clients({ f: 'b' })), {
      signal: ac.signal,
      clock,
    });
    expect(aborted).toBe(true);
    expect(clock.now()).toBeLessThan(10e9);
  });

  it('an already-aborted signal runs nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    const { history, aborted } = await run(clients(repeat({ f: 'r' })), { signal: ac.signal });
    expect(aborted).toBe(true);
    expect(history).toEqual([]);
  });

  it('rejects when the generator throws, after draining operations in flight', async () => {
    let asks = 0;
    const flaky: Generator = {
      op: (ctx) => {
        if (++asks > 3) throw new Error('generator bug');
        const r = lift({ f: 'r' }).op(ctx);
        return r && { op: r.op, gen: flaky };
      },
      update: () => flaky,
    };
    const recorded: Op[] = [];
    await expect(run(clients(flaky), { record: (op) => recorded.push(op) })).rejects.toThrow('generator bug');
    wellFormed(recorded);
  });
});

describe('interpret on a virtual clock', () => {
  it('runs hours of virtual time in an instant, with exact times', async () => {
    const clock = new VirtualClock({ autoAdvance: true });
    const { history } = await interpret({
      generator: phases(clients(limit(3, stagger(600, repeat({ f: 'r' })))), sleep(3600), nemesis({ f: 'heal' })),
      clock,
      random: seededRandom(4),
      test,
      threads: [0, 1, 'nemesis'],
      record: () => {},
      invoke: (_t, op) => new Promise((resolve) => clock.setTimeout(() => resolve({ ...op, type: 'ok' }), 250)),
    });
    wellFormed(history);
    const heal = history.find((op) => op.f === 'heal')!;
    const lastRead = history.filter((op) => op.f === 'r').at(-1)!;
    expect(heal.time - lastRead.time).toBe(3600e9);
    for (const p of pairs(history)) expect(p.completion!.time - p.invoke.time).toBe(250e6);
  });

  it('polls on the clock when pending with nothing in flight', async () => {
    const clock = new VirtualClock({ autoAdvance: true });
    const at2s: Generator = {
      op: (ctx) => (ctx.time >= 2e9 ? lift({ f: 'go' }).op(ctx) : { op: 'pending', gen: at2s }),
      update: () => at2s,
    };
    const { history } = await interpret({
      generator: at2s,
      clock,
      random: seededRandom(1),
      test,
      threads: [0],
      record: () => {},
      pendingPollMs: 500,
      invoke: async (_t, op) => ({ ...op, type: 'ok' }),
    });
    expect(history[0]!.time).toBe(2e9);
  });
});
