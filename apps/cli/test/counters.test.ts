/**
 * End to end: g-counter and pn-counter with real node processes. Gossip Glomers 4 on its
 * published command line (time limit and recovery wait shortened), the CRDT counter under
 * partitions, a counter that double-counts, and node restarts (`--nemesis kill`) and pauses.
 */
import { describe, expect, it } from 'vitest';
import { OUTCOME } from '../src/outcome';
import { describeRun, expectNemesisOps, historyOf, runGlomers } from './glomers';
import { example, gyre } from './helpers';

type CounterResult = { 'valid?': unknown; 'final-reads': number[]; acceptable: [number, number][] };

const counterArgs = (workload: string, bin: string, ...extra: string[]) => ['test', '-w', workload, '--bin', example(bin), '--node-count', '3', '--time-limit', '4', '--rate', '20', '--recovery-time', '1', ...extra];

/** Valid, and every final read (one per node, or at least `minReads` of them) lies in one of the acceptable ranges. */
function expectExact(w: CounterResult, why: string, minReads = 3) {
  expect(w['valid?'], why).toBe(true);
  expect(w['final-reads'].length, why).toBeGreaterThanOrEqual(minReads);
  for (const v of w['final-reads']) expect(w.acceptable.some(([lo, hi]) => Number(v) >= Number(lo) && Number(v) <= Number(hi)), why).toBe(true);
}

describe('Gossip Glomers 4: grow-only counter on seq-kv', () => {
  it('is valid with partitions, and every node reads the exact total at the end', async () => {
    const r = await runGlomers('4', { bin: example('g-counter-seqkv'), timeLimit: 5, recoveryTime: 1 });
    const why = describeRun(r);
    expect(r.code, why).toBe(0);
    expect(r.stdout).toContain(OUTCOME.valid);
    const w = r.results()['workload'] as CounterResult;
    expectExact(w, why);
    expect(w.acceptable).toHaveLength(1);
    expect(new Set(w['final-reads'].map(Number))).toEqual(new Set([Number(w.acceptable[0]![0])]));
    expect(Number(w.acceptable[0]![0]), why).toBeGreaterThan(0);
    expectNemesisOps(historyOf(r), ['start-partition', 'stop-partition']);
  });
});

describe('gyre test -w g-counter / pn-counter', () => {
  it('the CRDT counter is valid for g-counter with partitions', async () => {
    const r = await gyre(counterArgs('g-counter', 'pn-counter', '--nemesis', 'partition', '--nemesis-interval', '1'));
    const why = describeRun(r);
    expect(r.code, why).toBe(0);
    expectExact(r.results()['workload'] as CounterResult, why);
  });

  it('the CRDT counter is valid for pn-counter with partitions', async () => {
    const r = await gyre(counterArgs('pn-counter', 'pn-counter', '--nemesis', 'partition', '--nemesis-interval', '1'));
    const why = describeRun(r);
    expect(r.code, why).toBe(0);
    expectExact(r.results()['workload'] as CounterResult, why);
  });

  it('a counter that applies some adds twice is invalid: its final reads are outside the acceptable range', async () => {
    const r = await gyre(counterArgs('g-counter', 'counter-double'));
    const why = describeRun(r);
    expect(r.code, why).toBe(1);
    expect(r.stdout).toContain(OUTCOME.invalid);
    const w = r.results()['workload'] as CounterResult & { errors: unknown[] };
    expect(w['valid?'], why).toBe(false);
    expect(w.errors.length, why).toBeGreaterThan(0);
    const [[, hi]] = w.acceptable as [[number, number]];
    for (const v of w['final-reads']) expect(Number(v), why).toBeGreaterThan(Number(hi));
  });

  it('the CRDT counter is valid with pauses', async () => {
    const r = await gyre(counterArgs('pn-counter', 'pn-counter', '--nemesis', 'pause', '--nemesis-interval', '1'));
    const why = describeRun(r);
    expect(r.code, why).toBe(0);
    expectExact(r.results()['workload'] as CounterResult, why);
    const nem = expectNemesisOps(historyOf(r), ['pause', 'resume']);
    expect(nem.some((o) => o.f === 'pause' && o.value !== null && typeof o.value === 'object' && Object.values(o.value).includes('paused')), why).toBe(true);
  });
});

describe('node restarts (--nemesis kill)', () => {
  const killArgs = (workload: string, bin: string) =>
    ['test', '-w', workload, '--bin', example(bin), '--node-count', '3', '--time-limit', '5', '--rate', '50', '--nemesis', 'kill', '--nemesis-interval', '1', '--nemesis-targets', 'one,minority', '--recovery-time', '2'];

  it('a counter that forgets its total when restarted is invalid', async () => {
    const r = await gyre(killArgs('g-counter', 'counter-amnesiac'));
    const why = describeRun(r);
    expect(r.code, why).toBe(1);
    const w = r.results()['workload'] as CounterResult & { errors: unknown[] };
    expect(w['valid?'], why).toBe(false);
    expect(w.errors.length, why).toBeGreaterThan(0);
    // Forgetting loses acknowledged adds: the final reads fall short of every acceptable total.
    for (const v of w['final-reads']) expect(Number(v), why).toBeLessThan(Math.max(...w.acceptable.map(([, hi]) => Number(hi))));
    const nem = expectNemesisOps(historyOf(r), ['kill', 'start']);
    expect(nem.some((o) => o.f === 'kill' && o.value !== null && typeof o.value === 'object' && Object.values(o.value).includes('killed')), why).toBe(true);
    expect(nem.some((o) => o.f === 'start' && o.value !== null && typeof o.value === 'object' && Object.values(o.value).includes('started')), why).toBe(true);
  });

  it('a counter that re-syncs from its peers after a restart stays valid', async () => {
    const r = await gyre(killArgs('pn-counter', 'counter-resync'));
    const why = describeRun(r);
    expect(r.code, why).toBe(0);
    // A node restarted at the very end may still be re-syncing (error 11) when its final read comes.
    expectExact(r.results()['workload'] as CounterResult, why, 2);
    const nem = expectNemesisOps(historyOf(r), ['kill', 'start']);
    expect(nem.some((o) => o.f === 'kill' && o.value !== null && typeof o.value === 'object' && Object.values(o.value).includes('killed')), why).toBe(true);
  });
});
