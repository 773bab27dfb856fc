import { stagger } from '@gyre/generator';
import { simulate } from '@gyre/generator/testing';
import { seededRandom, type Op } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import { LagMeter, pacedStagger } from './pace';

const test = { nodes: ['n0'], concurrency: 3 };
const work = () => ({ f: 'write', value: 1 });

describe('pacedStagger', () => {
  it('gives exactly the operations stagger gives, for the same seed (slop 0, or threads free)', () => {
    const free = simulate(stagger(0.01, work), { test, random: seededRandom('t'), maxOps: 300 });
    expect(simulate(pacedStagger(0.01, work, () => {}), { test, random: seededRandom('t'), maxOps: 300 })).toEqual(free);
    for (const latency of [0, 0.003, 0.05]) {
      const a = simulate(stagger(0.01, work), { test, random: seededRandom('s'), latency, maxOps: 300 });
      const b = simulate(pacedStagger(0.01, work, () => {}, 0), { test, random: seededRandom('s'), latency, maxOps: 300 });
      expect(b).toEqual(a);
    }
  });

  it('reports no lag when threads are free and time is exact', () => {
    const lags: number[] = [];
    const h = simulate(pacedStagger(0.01, work, (ns) => lags.push(ns)), { test, random: seededRandom(1), latency: 0.001, maxOps: 200 });
    expect(lags.length).toBe(h.filter((o) => o.type === 'invoke').length);
    expect(Math.max(...lags)).toBe(0);
  });

  it('reports how late operations go out when every thread is busy', () => {
    // One thread, operations taking 50 ms, scheduled every 10 ms on average: the schedule slips.
    const opts = { test: { nodes: ['n0'], concurrency: 1 }, latency: 0.05, maxOps: 100 };
    const jepsen: number[] = [];
    const h: Op[] = simulate(pacedStagger(0.01, work, (ns) => jepsen.push(ns), 0), { ...opts, random: seededRandom(2) });
    expect(jepsen.length).toBe(h.filter((o) => o.type === 'invoke').length);
    expect(jepsen.filter((l) => l > 0).length).toBeGreaterThan(80);
    expect(Math.max(...jepsen)).toBeLessThanOrEqual(50e6);
    // With the default slop the debt grows up to a second, then the schedule moves.
    const caught: number[] = [];
    simulate(pacedStagger(0.01, work, (ns) => caught.push(ns)), { ...opts, random: seededRandom(2) });
    expect(Math.max(...caught)).toBeGreaterThan(900e6);
    expect(Math.max(...caught)).toBeLessThanOrEqual(1050e6);
  });

  it('rejects a bad dt', () => {
    expect(() => pacedStagger(-1, work, () => {})).toThrow(RangeError);
  });
});

describe('LagMeter', () => {
  it('summarises in ms with quantiles', () => {
    const m = new LagMeter();
    expect(m.summary()).toEqual({ count: 0, mean: 0, quantiles: { '0.5': 0, '0.95': 0, '0.99': 0, '1': 0 }, achievedRate: 0 });
    for (let i = 1; i <= 2000; i++) m.record(i * 1e6, i * 2e6);
    const s = m.summary();
    expect(s.count).toBe(2000);
    expect(s.mean).toBe(1000.5);
    expect(s.quantiles).toEqual({ '0.5': 1000, '0.95': 1900, '0.99': 1980, '1': 2000 });
    expect(s.achievedRate).toBe(500);
  });
});

describe('pacedStagger in real time', () => {
  /** Drives the generator by hand, with a timer that fires on the next whole millisecond plus `lateNs`. */
  function drive(slop: number, lateNs: number, n: number): number[] {
    let gen = pacedStagger(0.001, work, () => {}, slop);
    const random = seededRandom(9);
    const times: number[] = [];
    let now = 0;
    for (let i = 0; i < n; i++) {
      const ctx = { time: now, freeThreads: [0], workers: new Map([[0, 0]]), random, test };
      const r = gen.op(ctx)!;
      const op = r.op as Op;
      now = Math.max(now, Math.ceil(op.time / 1e6) * 1e6 + lateNs);
      times.push(now);
      gen = r.gen.update({ ...ctx, time: now }, { ...op, type: 'invoke', time: now, index: i } as Op);
      gen = gen.update({ ...ctx, time: now }, { ...op, type: 'ok', time: now, index: i } as Op);
    }
    return times;
  }

  it('keeps the rate when every operation goes out a little late (within slop)', () => {
    // 1 ms mean gap, ops out on the next millisecond tick plus 0.3 ms: 2000 ops span about 2 s.
    const times = drive(0.01, 0.3e6, 2000);
    expect(times.at(-1)! / 1e9).toBeLessThan(2.1);
    // Counting from the late times instead loses more than a tenth of the rate.
    const shifted = drive(0, 0.3e6, 2000);
    expect(shifted.at(-1)! / 1e9).toBeGreaterThan(2.3);
  });
});
