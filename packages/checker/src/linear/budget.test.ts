import type { Op } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedData } from '../../../../scripts/shared-data.mjs';
import { parseJepsenLog } from '@gyre/history';
import { casRegister, linearizable, linKv, register } from './index';


/**
 * A history that is expensive to refute: `n` writes of distinct values that never complete (each
 * may or may not have happened, in any order), then a read of a value nobody wrote. The search must
 * try every subset of the writes before it can say no.
 */
function hard(n: number): Op[] {
  const h: Op[] = [];
  for (let p = 0; p < n; p++) h.push({ index: h.length, time: h.length, type: 'invoke', process: p, f: 'write', value: p });
  h.push({ index: h.length, time: h.length, type: 'invoke', process: n, f: 'read', value: null });
  h.push({ index: h.length, time: h.length, type: 'ok', process: n, f: 'read', value: -1 });
  return h;
}

/**
 * The register without the pruning of unreachable reads, which refutes {@link hard} at once (nobody
 * writes the value read): these tests need a search that takes long.
 */
const plainRegister = (): ReturnType<typeof register> => ({ ...register(), unreachable: undefined, revives: undefined });

describe('pruning', () => {
  it('refutes a read of a value nobody writes without trying the subsets of the pending writes', () => {
    const r = linearizable(hard(40), { model: register() });
    expect(r.valid).toBe(false);
    expect(r.partitions[0]!.steps).toBeLessThan(100);
  });
});

describe('time budget', () => {
  it('says unknown (never true or false) when the budget runs out (how soon it stops: the injected clock, below)', () => {
    const r = linearizable(hard(40), { model: plainRegister(), timeLimit: 100, maxCacheEntries: 1e9 });
    expect(r.valid).toBe('unknown');
    expect(r.cause).toBe('timeout');
    expect(r.partitions[0]).toMatchObject({ valid: 'unknown', cause: 'timeout' });
    expect(r.partitions[0]!.longestPrefix!.length).toBeGreaterThan(0);
  });

  it('reads time only from the injected clock', () => {
    let t = 0;
    const now = (): number => t++;
    const r = linearizable(hard(30), { model: plainRegister(), timeLimit: 20, now, maxCacheEntries: 1e9 });
    expect(r.valid).toBe('unknown');
    expect(r.cause).toBe('timeout');
    expect(t).toBeGreaterThan(20);
    expect(t).toBeLessThan(200);
  });

  it('never says true for a linearizable history it had no time to finish', () => {
    // etcd_002 is linearizable, and the hardest of the etcd logs: hundreds of thousands of steps.
    const data = sharedData();
    expect(data).toBeDefined();
    const history = parseJepsenLog(readFileSync(join(data!, 'etcd', 'etcd_002.log'), 'utf8'));
    for (const budget of [0, 5, 50]) {
      let t = 0;
      const r = linearizable(history, { model: casRegister(), timeLimit: budget, now: () => t++ });
      expect(r.valid).toBe('unknown');
    }
    expect(linearizable(history, { model: casRegister() }).valid).toBe(true);
  });

  it('marks partitions it had no time for', () => {
    const h: Op[] = [];
    for (const key of [1, 2]) {
      for (let p = 0; p < 30; p++) h.push({ index: h.length, time: 0, type: 'invoke', process: key * 100 + p, f: 'write', value: [key, p] });
      h.push({ index: h.length, time: 0, type: 'invoke', process: key * 100 + 99, f: 'read', value: [key, null] });
      h.push({ index: h.length, time: 0, type: 'ok', process: key * 100 + 99, f: 'read', value: [key, -1] });
    }
    let t = 0;
    const r = linearizable(h, { model: linKv(), timeLimit: 10, now: () => t++, maxCacheEntries: 1e9 });
    expect(r.valid).toBe('unknown');
    expect(r.partitions.map((p) => p.cause)).toEqual(['timeout', 'timeout']);
  });
});

describe('memory bound', () => {
  it('says unknown with cause cache-limit instead of growing without bound', () => {
    const r = linearizable(hard(30), { model: plainRegister(), maxCacheEntries: 1000 });
    expect(r.valid).toBe('unknown');
    expect(r.cause).toBe('cache-limit');
    expect(r.partitions[0]!.cacheEntries).toBeLessThanOrEqual(1000);
  });

  it('decides the same history with enough room', () => {
    expect(linearizable(hard(12), { model: plainRegister() }).valid).toBe(false);
    const valid = hard(12);
    valid[valid.length - 1]!.value = 7;
    expect(linearizable(valid, { model: register() }).valid).toBe(true);
  });
});
