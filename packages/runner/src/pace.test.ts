import { stagger } from '@gyre/generator';
import { simulate } from '@gyre/generator/testing';
import { seededRandom, type Op } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import { LagMeter, pacedStagger } from './pace';

const test = { nodes: ['n0'], concurrency: 3 };
const work = () => ({ f: 'write', value: 1 });

describe('pacedStagger', () => {
  it('gives exactly the operations stagger gives, for the same seed', () => {
    for (const latency of [0, 0.003, 0.05]) {
      const a = simulate(stagger(0.01, work), { test, random: seededRandom('s'), latency, maxOps: 300 });
      const b = simulate(pacedStagger(0.01, work, () => {}), { test, random: seededRandom('s'), latency, maxOps: 300 });
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
    const lags: number[] = [];
    // One thread, operations taking 50 ms, scheduled every 10 ms on average: the schedule slips.
    const h: Op[] = simulate(pacedStagger(0.01, work, (ns) => lags.push(ns)), { test: { nodes: ['n0'], concurrency: 1 }, random: seededRandom(2), latency: 0.05, maxOps: 50 });
    expect(lags.length).toBe(h.filter((o) => o.type === 'invoke').length);
    expect(lags.filter((l) => l > 0).length).toBeGreaterThan(40);
    expect(Math.max(...lags)).toBeLessThanOrEqual(50e6);
  });

  it('rejects a bad dt', () => {
    expect(() => pacedStagger(-1, work, () => {})).toThrow(RangeError);
  });
});

describe('LagMeter', () => {
  it('summarises in ms with quantiles', () => {
    const m = new LagMeter();
    expect(m.summary()).toEqual({ count: 0, mean: 0, quantiles: { '0.5': 0, '0.95': 0, '0.99': 0, '1': 0 } });
    for (let i = 1; i <= 2000; i++) m.record(i * 1e6);
    const s = m.summary();
    expect(s.count).toBe(2000);
    expect(s.mean).toBe(1000.5);
    expect(s.quantiles).toEqual({ '0.5': 1000, '0.95': 1900, '0.99': 1980, '1': 2000 });
  });
});
