import { type Op, pairs, seededRandom, type TestInfo } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import {
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
  onThreads,
  phases,
  repeat,
  sequence,
  sleep,
  stagger,
  synchronize,
  andThen,
  timeLimit,
  untilOk,
} from './combinators';
import { lift } from './lift';
import { simulate, type SimulateOptions } from './testing';
import type { Context, GenLike, Generator } from './types';

const S = 1e9;
const test3: TestInfo = { nodes: ['n1', 'n2', 'n3'], concurrency: 3 };

function sim(gen: GenLike, o: Partial<SimulateOptions> & { seed?: number } = {}): Op[] {
  return simulate(gen, { test: test3, random: seededRandom(o.seed ?? 1), ...o });
}
const invokes = (h: Op[]) => h.filter((op) => op.type === 'invoke');
const fs = (h: Op[]) => invokes(h).map((op) => op.f);

describe('lift', () => {
  it('turns a template into exactly one op on a free thread at ctx.time', () => {
    const h = sim({ f: 'read' });
    expect(h).toHaveLength(2);
    expect(h[0]).toMatchObject({ index: 0, type: 'invoke', f: 'read', value: null, time: 0 });
    expect([0, 1, 2, 'nemesis']).toContain(h[0]!.process);
    expect(h[1]).toMatchObject({ index: 1, type: 'ok', f: 'read', process: h[0]!.process });
  });

  it('keeps extra template fields and a given value', () => {
    const h = sim({ f: 'write', value: [1, 2], final: true });
    expect(h[0]).toMatchObject({ f: 'write', value: [1, 2], final: true });
  });

  it('runs arrays in order and functions repeatedly', () => {
    expect(fs(sim([{ f: 'a' }, [{ f: 'b' }, null, { f: 'c' }], [], { f: 'd' }]))).toEqual(['a', 'b', 'c', 'd']);
    let n = 0;
    const h = sim(limit(7, () => ({ f: 'w', value: n++ })));
    expect(invokes(h).map((op) => op.value)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('ends a function generator when it returns null or an empty generator', () => {
    let n = 0;
    expect(fs(sim(() => (n++ < 3 ? { f: 'x' } : null)))).toEqual(['x', 'x', 'x']);
    expect(sim(() => [])).toEqual([]);
    expect(sim(null)).toEqual([]);
  });

  it('rejects what is not a generator', () => {
    expect(() => lift({ nope: 1 } as never)).toThrow(TypeError);
    expect(() => lift({ f: 'x', type: 'ok' })).toThrow(/type/);
    expect(() => lift(42 as never)).toThrow(TypeError);
  });

  it('pins a given process, waiting while its thread is busy', () => {
    const h = sim([{ f: 'a', process: 1 }, { f: 'b', process: 1 }], { latency: 1 });
    expect(invokes(h).map((op) => `${op.f}:${op.process}@${op.time / S}`)).toEqual(['a:1@0', 'b:1@1']);
  });

  it('yields pending when no thread is free', () => {
    const g = lift({ f: 'read' });
    const ctx: Context = {
      time: 0,
      freeThreads: [],
      workers: new Map([[0, 0]]),
      random: seededRandom(1),
      test: test3,
    };
    expect(g.op(ctx)).toMatchObject({ op: 'pending' });
  });
});

describe('sequence', () => {
  it('makes f(0), f(1), ... lazily, without gaps however often it is asked', () => {
    const h = sim(limit(20, stagger(0.01, sequence((i) => ({ f: 'broadcast', value: i })))), { latency: 0.05 });
    expect(invokes(h).map((op) => op.value)).toEqual([...Array(20).keys()]);
  });
  it('stops at count or when f returns null', () => {
    expect(invokes(sim(sequence((i) => [{ f: 'a', value: i }, { f: 'b', value: i }], 2))).map((op) => `${op.f}${op.value}`)).toEqual([
      'a0',
      'b0',
      'a1',
      'b1',
    ]);
    expect(invokes(sim(sequence((i) => (i < 3 ? { f: 'x' } : null))))).toHaveLength(3);
  });
});

describe('limit, once, repeat', () => {
  it('limit caps the number of ops', () => {
    expect(invokes(sim(limit(5, repeat({ f: 'r' }))))).toHaveLength(5);
    expect(invokes(sim(limit(5, [{ f: 'a' }, { f: 'b' }])))).toHaveLength(2);
    expect(sim(limit(0, repeat({ f: 'r' })))).toEqual([]);
  });
  it('once takes the first op', () => {
    expect(fs(sim(once([{ f: 'a' }, { f: 'b' }])))).toEqual(['a']);
  });
  it('repeat repeats the first op, n times or forever', () => {
    expect(fs(sim(repeat({ f: 'a' }, 3)))).toEqual(['a', 'a', 'a']);
    expect(fs(sim(repeat([{ f: 'a' }, { f: 'b' }], 2)))).toEqual(['a', 'a']);
    expect(invokes(sim(repeat({ f: 'a' }), { maxOps: 50 }))).toHaveLength(50);
  });
  it('validates counts', () => {
    expect(() => limit(-1, null)).toThrow(RangeError);
    expect(() => repeat(null, 1.5)).toThrow(RangeError);
  });
});

describe('mix', () => {
  it('draws roughly uniformly among its generators', () => {
    const h = sim(limit(3000, mix([repeat({ f: 'a' }), repeat({ f: 'b' }), repeat({ f: 'c' })])));
    const counts: Record<string, number> = {};
    for (const f of fs(h)) counts[f] = (counts[f] ?? 0) + 1;
    for (const f of ['a', 'b', 'c']) expect(Math.abs(counts[f]! - 1000)).toBeLessThan(120);
  });
  it('drops exhausted generators and ends with the last', () => {
    const h = sim(mix([repeat({ f: 'a' }, 2), repeat({ f: 'b' }, 3), null]));
    expect(fs(h).sort()).toEqual(['a', 'a', 'b', 'b', 'b']);
    expect(sim(mix([]))).toEqual([]);
  });
});

describe('timeLimit', () => {
  it('counts from the first op it emits, not from the start', () => {
    const h = sim(phases(sleep(5), timeLimit(10, delay(1, repeat({ f: 'r' })))));
    const times = invokes(h).map((op) => op.time / S);
    expect(times[0]).toBe(5);
    expect(times).toHaveLength(10);
    expect(times.at(-1)).toBe(14);
  });
  it('ends a pending generator once the cutoff has passed', () => {
    // One client thread, every op takes 3 s: the generator is pending while it runs.
    const h = sim(clients(timeLimit(4, repeat({ f: 'r' }))), {
      threads: [0],
      latency: 3,
    });
    expect(invokes(h).map((op) => op.time / S)).toEqual([0, 3]);
    expect(h.at(-1)!.time / S).toBe(6);
  });
  it('gives nothing for a zero limit and rejects negative ones', () => {
    expect(sim(timeLimit(0, { f: 'r' }))).toEqual([]);
    expect(() => timeLimit(-1, null)).toThrow(RangeError);
  });
});

describe('stagger', () => {
  it('sends the first op at once and spaces the rest by uniform gaps in [0, 2dt), mean dt', () => {
    const dt = 0.1;
    const h = sim(limit(10_000, stagger(dt, repeat({ f: 'r' }))), { seed: 5 });
    const times = invokes(h).map((op) => op.time);
    expect(times[0]).toBe(0);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    for (const g of gaps) {
      expect(g).toBeGreaterThanOrEqual(0);
      expect(g).toBeLessThan(2 * dt * S);
    }
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length / S;
    expect(Math.abs(mean - dt) / dt).toBeLessThan(0.03);
    // Both halves of the range are used (not a constant gap).
    expect(gaps.filter((g) => g < dt * S).length / gaps.length).toBeGreaterThan(0.45);
    expect(gaps.filter((g) => g < dt * S).length / gaps.length).toBeLessThan(0.55);
  });

  it('is an aggregate rate across threads, capped by busy threads', () => {
    // 2 threads, each op takes 1 s, rate 100/s: at most 2 ops per second can run.
    const h = sim(clients(timeLimit(10, stagger(0.01, repeat({ f: 'r' })))), { threads: [0, 1], latency: 1 });
    const n = invokes(h).length;
    expect(n).toBeGreaterThanOrEqual(18);
    expect(n).toBeLessThanOrEqual(22);
  });
});

describe('delay', () => {
  it('spaces ops exactly dt apart', () => {
    const h = sim(limit(4, delay(0.5, repeat({ f: 'r' }))));
    expect(invokes(h).map((op) => op.time / S)).toEqual([0, 0.5, 1, 1.5]);
  });
});

describe('stagger and delay, given an op timed before the question', () => {
  const ctx: Context = { time: 2 * S, freeThreads: [0], workers: new Map([[0, 0]]), random: seededRandom(1), test: test3 };
  const early = { f: 'r', time: S };
  it('stagger sends the first no earlier than the time it is asked', () => {
    expect(stagger(0.5, early).op(ctx)).toMatchObject({ op: { f: 'r', time: 2 * S } });
  });
  it('delay keeps the first at its own time, and spaces the next from there', () => {
    const r = delay(0.5, [early, early]).op(ctx)!;
    expect(r).toMatchObject({ op: { f: 'r', time: S } });
    expect(r.op !== 'pending' && r.gen.op(ctx)).toMatchObject({ op: { time: 1.5 * S } });
  });
});

describe('synchronize, phases, then, concat', () => {
  it('phases start only after every op of the previous phase completed', () => {
    let i = 0;
    const lat = (op: Op) => (op.f === 'slow' ? 1 + i++ : 0.1);
    const h = sim(phases(limit(3, repeat({ f: 'slow' })), { f: 'next' }), { latency: lat });
    const next = invokes(h).find((op) => op.f === 'next')!;
    const lastSlow = Math.max(...h.filter((op) => op.f === 'slow' && op.type === 'ok').map((op) => op.time));
    expect(lastSlow).toBe(3 * S);
    expect(next.time).toBe(lastSlow);
  });

  it('andThen waits, concat does not', () => {
    const slow = { latency: (op: Op) => (op.f === 'a' ? 1 : 0) };
    expect(invokes(sim(andThen({ f: 'a' }, { f: 'b' }), slow)).map((op) => op.time / S)).toEqual([0, 1]);
    expect(invokes(sim(concat({ f: 'a' }, { f: 'b' }), slow)).map((op) => op.time / S)).toEqual([0, 0]);
  });

  it('synchronize waits for threads busy with other generators', () => {
    const h = sim(any(clients({ f: 'long' }), [nemesis(sleep(0.1)), synchronize(nemesis({ f: 'after' }))]), {
      latency: (op) => (op.f === 'long' ? 2 : 0),
    });
    expect(invokes(h).find((op) => op.f === 'after')!.time / S).toBe(2);
  });

  it('synchronize only sees the threads of its context', () => {
    const h = sim(any(clients({ f: 'long' }), nemesis([sleep(0.1), synchronize({ f: 'after' })])), {
      latency: (op) => (op.f === 'long' ? 2 : 0),
    });
    expect(invokes(h).find((op) => op.f === 'after')!.time / S).toBe(0.1);
  });
});

describe('threads', () => {
  it('clients and nemesis route to their threads', () => {
    const h = sim(clients(limit(20, repeat({ f: 'c' })), limit(5, repeat({ f: 'n' }))));
    for (const op of invokes(h)) {
      if (op.f === 'c') expect(typeof op.process).toBe('number');
      else expect(op.process).toBe('nemesis');
    }
    expect(fs(h).filter((f) => f === 'n')).toHaveLength(5);
    expect(fs(nemesisOnly())).toEqual(['n', 'n']);
    function nemesisOnly() {
      return sim(nemesis(repeat({ f: 'n' }, 2)));
    }
  });

  it('onThreads restricts to matching threads', () => {
    const h = sim(onThreads((t) => t === 1, limit(10, repeat({ f: 'r' }))));
    expect(new Set(invokes(h).map((op) => op.process))).toEqual(new Set([1]));
  });

  it('a generator restricted to no thread is pending, not busy elsewhere', () => {
    const h = sim(onThreads(() => false, { f: 'r' }), { maxTime: 1 });
    expect(h).toEqual([]);
  });

  it('eachThread gives one op per thread', () => {
    const test5: TestInfo = { nodes: ['n1'], concurrency: 5 };
    const h = simulate(clients(eachThread({ f: 'read', final: true })), { test: test5, random: seededRandom(3) });
    expect(invokes(h).map((op) => op.process).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(invokes(h).every((op) => op.final === true)).toBe(true);
    const all = simulate(eachThread({ f: 'read' }), { test: test5, random: seededRandom(3) });
    expect(invokes(all)).toHaveLength(6);
  });

  it('eachThread runs each copy through its own sequence', () => {
    const h = sim(clients(eachThread([{ f: 'a' }, { f: 'b' }])), { latency: 1 });
    for (const p of [0, 1, 2]) {
      expect(invokes(h).filter((op) => op.process === p).map((op) => op.f)).toEqual(['a', 'b']);
    }
  });

  it('eachProcess starts over when a thread crashes into a new process', () => {
    const h = sim(clients(eachProcess({ f: 'r' })), {
      complete: (op) => ({ type: (op.process as number) < 3 ? 'info' : 'ok' }),
    });
    expect(invokes(h).map((op) => op.process).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('eachThread keeps a crashed thread on its copy', () => {
    const h = sim(clients(eachThread({ f: 'r' })), { complete: () => ({ type: 'info' }) });
    expect(invokes(h)).toHaveLength(3);
  });
});

describe('any', () => {
  it('takes whichever op is soonest', () => {
    const h = sim(any(delay(1, repeat({ f: 'slow' }, 3)), delay(0.4, repeat({ f: 'fast' }, 5))), { threads: [0] });
    expect(invokes(h).map((op) => `${op.f}@${op.time / S}`)).toEqual([
      expect.stringMatching(/@0$/),
      expect.stringMatching(/@0$/),
      'fast@0.4',
      'fast@0.8',
      'slow@1',
      'fast@1.2',
      'fast@1.6',
      'slow@2',
    ]);
  });
  it('ends when all have ended', () => {
    expect(fs(sim(any({ f: 'a' }, null, { f: 'b' }))).sort()).toEqual(['a', 'b']);
    expect(sim(any())).toEqual([]);
  });
});

describe('untilOk, flipFlop', () => {
  it('untilOk repeats until an ok', () => {
    let n = 0;
    const h = sim(untilOk(repeat({ f: 'r' })), { threads: [0], complete: () => ({ type: n++ < 3 ? 'fail' : 'ok' }) });
    expect(invokes(h)).toHaveLength(4);
    expect(h.at(-1)!.type).toBe('ok');
  });
  it('untilOk counts only its own ops', () => {
    const h = sim(any(untilOk(clients(repeat({ f: 'r' }))), nemesis(once({ f: 'n' }))), {
      threads: [0, 'nemesis'],
      latency: 1,
      complete: (op) => ({ type: op.f === 'n' ? 'ok' : 'fail' }),
      maxOps: 5,
    });
    expect(fs(h).filter((f) => f === 'r')).toHaveLength(4);
  });
  it('flipFlop alternates and stops with the first exhausted side', () => {
    expect(fs(sim(flipFlop(repeat({ f: 'a' }), repeat({ f: 'b' }, 2))))).toEqual(['a', 'b', 'a', 'b', 'a']);
  });
});

describe('map, filter', () => {
  it('map rewrites invocations', () => {
    let n = 0;
    const h = sim(map((op) => ({ ...op, value: n++ }), limit(3, repeat({ f: 'w' }))));
    expect(invokes(h).map((op) => op.value)).toEqual([0, 1, 2]);
  });
  it('filter skips invocations', () => {
    let n = 0;
    const h = sim(filter((op) => (op.value as number) % 2 === 0, limit(6, () => ({ f: 'w', value: n++ }))));
    expect(invokes(h).map((op) => op.value)).toEqual([0, 2, 4]);
  });
});

describe('log and sleep', () => {
  it('log reaches the port in sequence and is not recorded', () => {
    const seen: string[] = [];
    const h = sim(phases({ f: 'a' }, log('hello'), { f: 'b' }), {
      latency: 1,
      log: (m) => seen.push(`${m}`),
    });
    expect(fs(h)).toEqual(['a', 'b']);
    expect(seen).toEqual(['hello']);
    expect(h.every((op) => op.type !== ('log' as never))).toBe(true);
  });
  it('sleep holds a thread so the next phase starts later, and is not recorded', () => {
    const h = sim(phases({ f: 'a' }, sleep(10), { f: 'b' }), { latency: 1 });
    expect(invokes(h).map((op) => `${op.f}@${op.time / S}`)).toEqual(['a@0', 'b@11']);
    expect(h).toHaveLength(4);
  });
  it('sleep validates its duration', () => {
    expect(() => sleep(-1)).toThrow(RangeError);
    expect(() => sleep(Number.NaN)).toThrow(RangeError);
  });
});

describe('the interpreter rules simulate shares', () => {
  it('moves a client thread to process + C after an info, keeps the nemesis', () => {
    const h = sim(any(clients(limit(9, repeat({ f: 'r' }))), nemesis(repeat({ f: 'n' }, 2))), {
      complete: (op) => ({ type: 'info' }),
      latency: 1,
    });
    const procs = invokes(h).map((op) => op.process);
    expect(procs.filter((p) => p === 'nemesis')).toHaveLength(2);
    expect(procs.filter((p) => p !== 'nemesis').sort((a, b) => Number(a) - Number(b))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8,
    ]);
  });

  it('pairs every invocation with one completion, in index order', () => {
    const h = sim(clients(limit(50, stagger(0.01, repeat({ f: 'r' })))), { latency: (op) => (op.index % 7) * 0.01 });
    expect(h.map((op) => op.index)).toEqual(h.map((_, i) => i));
    for (const p of pairs(h)) expect(p.completion).toBeDefined();
    for (let i = 1; i < h.length; i++) expect(h[i]!.time).toBeGreaterThanOrEqual(h[i - 1]!.time);
  });

  it('rejects thread lists the crash rule cannot number', () => {
    expect(() => sim({ f: 'r' }, { threads: [0, 2] })).toThrow(/0\.\.1/);
    expect(() => sim({ f: 'r' }, { threads: [0, 0] })).toThrow(/duplicate/);
  });

  it('reports a generator that emits for a busy process', () => {
    const bad: Generator = {
      op: (ctx) => ({ op: { type: 'invoke', f: 'x', value: null, process: 0, time: ctx.time }, gen: bad }),
      update: () => bad,
    };
    expect(() => sim(bad)).toThrow(/not a free thread/);
  });

  it('polls a generator that is pending with nothing in flight', () => {
    const until1s: Generator = {
      op: (ctx) => (ctx.time >= S ? lift({ f: 'late' }).op(ctx) : { op: 'pending', gen: until1s }),
      update: () => until1s,
    };
    const h = sim(until1s, { pendingPollMs: 250 });
    expect(invokes(h).map((op) => op.time / S)).toEqual([1]);
  });
});
