/**
 * End to end: the broadcast workload with real node processes. Gossip Glomers 3a-3e on their
 * published command lines (shorter where only the time limit or the recovery wait changes), the
 * Python node, and a naive node that partitions must break.
 */
import { describe, expect, it } from 'vitest';
import { OUTCOME } from '../src/outcome';
import { at, describeRun, num, expectNemesisOps, historyOf, runGlomers } from './glomers';
import { example, gyre, python } from './helpers';

type SetFull = { 'valid?': unknown; 'attempt-count': number; 'stable-count': number; 'lost-count': number; 'stable-latencies'?: Record<string, number> };

/** Every element broadcast became stable; none lost. */
function expectAllStable(w: SetFull, why: string) {
  expect(w['valid?'], why).toBe(true);
  expect(w['attempt-count'], why).toBeGreaterThan(0);
  expect(w['lost-count'], why).toBe(0);
  expect(w['stable-count'], why).toBe(w['attempt-count']);
}

describe('Gossip Glomers 3: broadcast', () => {
  it('3a, single node', async () => {
    const r = await runGlomers('3a', { bin: example('broadcast'), timeLimit: 3, recoveryTime: 0 });
    const why = describeRun(r);
    expect(r.code, why).toBe(0);
    expect(r.stdout).toContain(OUTCOME.valid);
    expectAllStable(r.results()['workload'] as SetFull, why);
  });

  it('3b, five nodes', async () => {
    const r = await runGlomers('3b', { bin: example('broadcast'), timeLimit: 4, recoveryTime: 1 });
    const why = describeRun(r);
    expect(r.code, why).toBe(0);
    expectAllStable(r.results()['workload'] as SetFull, why);
  });

  it('3c, five nodes with partitions: valid, and the nemesis is in the history', async () => {
    const r = await runGlomers('3c', { bin: example('broadcast'), timeLimit: 5, recoveryTime: 2, extra: ['--nemesis-interval', '1'] });
    const why = describeRun(r);
    expect(r.code, why).toBe(0);
    expectAllStable(r.results()['workload'] as SetFull, why);
    const nem = expectNemesisOps(historyOf(r), ['start-partition', 'stop-partition']);
    const starts = nem.filter((o) => o.f === 'start-partition');
    // Each start appears twice, invocation (the shape) and completion (the grudge it produced).
    expect(starts.length).toBeGreaterThanOrEqual(2);
    for (const [i, o] of starts.entries()) {
      if (i % 2 === 0) expect(['one', 'minority-third', 'majority', 'majorities-ring']).toContain(o.value);
      else expect(o.value).toEqual(['isolated', expect.any(Object)]);
    }
    // The final phase heals before the final reads.
    expect(nem.at(-1)).toMatchObject({ f: 'stop-partition', value: 'network-healed' });
  });

  it('3d and 3e (the same line): 25 nodes, 100 ms latency, rate 100, within both sets of targets', async () => {
    const r = await runGlomers('3d', { bin: example('broadcast'), recoveryTime: 1 }, 170_000);
    const why = describeRun(r);
    expect(r.code, why).toBe(0);
    const res = r.results();
    expectAllStable(res['workload'] as SetFull, why);
    const msgsPerOp = num(at(res, 'net', 'servers', 'msgs-per-op'));
    const lat = at(res, 'workload', 'stable-latencies') as Record<string, number>;
    // 3d: msgs-per-op < 30, median < 400 ms, max < 600 ms. 3e: msgs-per-op < 20, median < 1 s, max < 2 s.
    expect(msgsPerOp, why).toBeLessThan(20);
    expect(num(lat['0.5']), why).toBeLessThan(400);
    expect(num(lat['1']), why).toBeLessThan(600);
    console.log(`3d/3e: msgs-per-op ${msgsPerOp.toFixed(2)}, stable latency median ${num(lat['0.5'])} ms, max ${num(lat['1'])} ms`);
  });

  it('3d re-checked with partitions: still valid', async () => {
    const r = await runGlomers('3d', { bin: example('broadcast'), timeLimit: 5, recoveryTime: 3, extra: ['--nemesis', 'partition', '--nemesis-interval', '1'] }, 120_000);
    const why = describeRun(r);
    expect(r.code, why).toBe(0);
    expectAllStable(r.results()['workload'] as SetFull, why);
  });
});

describe('gyre test -w broadcast, other nodes', () => {
  it('the Python node is valid with five nodes and partitions', async () => {
    const r = await gyre(['test', '-w', 'broadcast', '--bin', python('broadcast'), '--node-count', '5', '--time-limit', '5', '--rate', '10', '--nemesis', 'partition', '--nemesis-interval', '1', '--recovery-time', '2']);
    const why = describeRun(r);
    expect(r.code, why).toBe(0);
    expectAllStable(r.results()['workload'] as SetFull, why);
  });

  it('a node that never retries loses values under partitions: invalid, with lost elements', async () => {
    const r = await gyre(['test', '-w', 'broadcast', '--bin', example('broadcast-naive'), '--node-count', '5', '--time-limit', '5', '--rate', '20', '--nemesis', 'partition', '--nemesis-interval', '1', '--recovery-time', '1']);
    const why = describeRun(r);
    expect(r.code, why).toBe(1);
    expect(r.stdout).toContain(OUTCOME.invalid);
    const w = r.results()['workload'] as SetFull & { lost: unknown[] };
    expect(w['valid?'], why).toBe(false);
    expect(w['lost-count'], why).toBeGreaterThan(0);
    expect(w.lost.length).toBe(w['lost-count']);
  });

  it('the naive node is valid without faults (the invalid verdict above is the partitions\' doing)', async () => {
    const r = await gyre(['test', '-w', 'broadcast', '--bin', example('broadcast-naive'), '--node-count', '5', '--time-limit', '3', '--rate', '20', '--recovery-time', '1']);
    const why = describeRun(r);
    expect(r.code, why).toBe(0);
    expectAllStable(r.results()['workload'] as SetFull, why);
  });
});
