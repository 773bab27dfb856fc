import { describe, expect, it } from 'vitest';
import { seededRandom } from '@gyre/history';
import { checkRwRegister, maelstromRwRegisterResult, type CycleAnomaly } from './index';
import { concurrentHistory, historyOf, serialHistory, simulate, type TxnSpec } from './sim';

const ok = (...mops: unknown[][]): TxnSpec => ({ mops });
const on = (p: number, ...mops: unknown[][]): TxnSpec => ({ p, mops });
const fail = (...mops: unknown[][]): TxnSpec => ({ type: 'fail', mops });
const w = (k: unknown, v: unknown) => ['w', k, v];
const r = (k: unknown, v: unknown) => ['r', k, v];
const WFR = { wfrKeys: true };

describe('rw-register', () => {
  it('a serial history is valid', () => {
    const h = serialHistory(ok(w('x', 1), r('y', null)), ok(r('x', 1), w('y', 2)), ok(r('x', 1), r('y', 2), w('x', 3)), ok(r('x', 3)));
    expect(checkRwRegister(h, WFR)).toEqual({ valid: true });
  });

  it('simulated strict-serializable histories are valid with every inference source', () => {
    for (let seed = 0; seed < 20; seed++) {
      const h = simulate(seededRandom(`rw-${seed}`), { txns: 150, workload: 'rw-register', concurrency: 1 + (seed % 5), failRate: 0.05 });
      const res = checkRwRegister(h, { wfrKeys: true, sequentialKeys: true, linearizableKeys: true });
      expect(res, `seed ${seed}`).toEqual({ valid: true });
    }
  });

  const cases: [string, ReturnType<typeof serialHistory>, object, string[], string[]][] = [
    // Readers on processes 3 and 4 see x go 1 → 2 and y go 1 → 2; each writer wrote one of each
    // first. (The reader of the older x also closes a G-single with the writers.)
    [
      'G0',
      concurrentHistory(ok(w('x', 1), w('y', 2)), ok(w('x', 2), w('y', 1)), on(3, r('x', 1)), on(3, r('x', 2)), on(4, r('y', 1)), on(4, r('y', 2))),
      { sequentialKeys: true },
      ['G-single', 'G0'],
      ['read-uncommitted'],
    ],
    ['G1a', serialHistory(fail(w('x', 1)), ok(w('y', 1)), ok(r('x', 1))), {}, ['G1a'], ['read-committed']],
    ['G1b', serialHistory(ok(w('x', 1), w('x', 2)), ok(r('x', 1))), {}, ['G1b'], ['read-committed']],
    // (x = 2 was written, by the first transaction, so the read is no garbage read.)
    ['internal', serialHistory(ok(w('x', 2)), ok(w('x', 1), r('x', 2))), {}, ['internal'], ['read-atomic']],
    ['G1c', concurrentHistory(ok(w('x', 1), r('y', 1)), ok(w('y', 1), r('x', 1))), {}, ['G1c'], ['read-committed']],
    // Read x = 1 then wrote 2, while another read 2 and wrote 1: with writes following reads, x's
    // versions would be cyclic, so that source is dropped.
    [
      'cyclic-versions',
      historyOf([on(1, w('x', 1)), on(1, w('x', 2)), on(2, r('x', 2)), on(2, r('x', 1))], ['i0', 'c0', 'i1', 'c1', 'i2', 'c2', 'i3', 'c3']),
      { sequentialKeys: true },
      ['cyclic-versions'],
      ['read-uncommitted'],
    ],
    // Two transactions read x's initial state and both write it.
    ['lost-update', concurrentHistory(ok(r('x', null), w('x', 1)), ok(r('x', null), w('x', 2))), WFR, ['G2-item', 'lost-update'], ['ROLA', 'cursor-stability']],
    // With writes following reads, x goes 1 → 2; T3 read the older x = 1 but saw y from T4, which read x = 2.
    ['G-single', concurrentHistory(ok(w('x', 1)), ok(r('x', 1), w('x', 2)), ok(r('x', 1), r('y', 5)), ok(r('x', 2), w('y', 5))), WFR, ['G-single'], ['consistent-view']],
    ['G-single-realtime', serialHistory(ok(w('x', 1)), ok(r('x', null))), {}, ['G-single-realtime'], ['strong-snapshot-isolation']],
  ];
  for (const [name, h, opts, types, not] of cases) {
    it(`${name} is reported, ruling out ${not.join(' and ')}`, () => {
      const res = checkRwRegister(h, opts);
      expect(res.valid).toBe(false);
      expect(res.anomalyTypes).toEqual(types);
      expect(res.not).toEqual(not);
    });
  }

  it('explains register cycles', () => {
    const res = checkRwRegister(serialHistory(ok(w('x', 1)), ok(r('x', null))));
    const c = res.anomalies!['G-single-realtime']![0] as CycleAnomaly;
    const rw = c.steps.find((s) => s.type === 'rw')!;
    expect(rw).toMatchObject({ key: 'x', value: null, nextValue: 1 });
    expect(rw.text).toContain('initial state');
  });

  it('a value written twice and read is an error value', () => {
    const res = checkRwRegister(serialHistory(ok(w('x', 1)), ok(w('x', 1)), ok(r('x', 1))));
    expect(res).toMatchObject({ valid: 'unknown', error: { type: 'duplicate-writes' } });
  });
});

describe("Maelstrom's txn-rw-register post-processing", () => {
  it('drops cycle-search-timeout and is valid iff nothing else remains', () => {
    expect(maelstromRwRegisterResult({ valid: true })).toEqual({ valid: true });
    expect(maelstromRwRegisterResult({ valid: 'unknown', anomalyTypes: ['cycle-search-timeout'], anomalies: { 'cycle-search-timeout': [{}] }, not: [], alsoNot: [] })).toEqual({
      valid: true,
      not: [],
      alsoNot: [],
    });
    const empty = maelstromRwRegisterResult({ valid: 'unknown', anomalyTypes: ['empty-transaction-graph'], anomalies: { 'empty-transaction-graph': [{}] } });
    expect(empty.valid).toBe(false);
    const both = maelstromRwRegisterResult({ valid: false, anomalyTypes: ['G1c', 'cycle-search-timeout'], anomalies: { G1c: [1], 'cycle-search-timeout': [2] } });
    expect(both).toMatchObject({ valid: false, anomalyTypes: ['G1c'], anomalies: { G1c: [1] } });
  });
});
