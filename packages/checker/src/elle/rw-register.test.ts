import { describe, expect, it } from 'vitest';
import { seededRandom } from '@gyre/history';
import { checkRwRegister, maelstromRwRegisterResult, type CycleAnomaly } from './index';
import { concurrentHistory, historyOf, serialHistory, simulate, type TxnSpec } from './sim';

const ok = (...mops: unknown[][]): TxnSpec => ({ mops });
const on = (p: number, ...mops: unknown[][]): TxnSpec => ({ p, mops });
const fail = (...mops: unknown[][]): TxnSpec => ({ type: 'fail', mops });
const info = (...mops: unknown[][]): TxnSpec => ({ type: 'info', mops });
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

describe('rw-register: reads no write explains, and indeterminate writers', () => {
  it('a read of a value nobody wrote is a garbage read, invalid under every model', () => {
    const h = serialHistory(ok(w('x', 1)), ok(r('x', 3)));
    for (const model of ['strict-serializable', 'read-uncommitted', 'monotonic-reads']) {
      const res = checkRwRegister(h, { consistencyModels: [model] });
      expect(res.valid, model).toBe(false);
      expect((res.anomalyTypes ?? []).filter((t) => t !== 'empty-transaction-graph'), model).toEqual(['garbage-read']);
    }
    expect(checkRwRegister(h).anomalies!['garbage-read']).toEqual([{ op: h[3], mop: ['r', 'x', 3], key: 'x', value: 3 }]);
    // A value only a failed transaction wrote is G1a; one an info transaction wrote may have been read.
    expect(checkRwRegister(serialHistory(fail(w('x', 3)), ok(w('y', 1)), ok(r('x', 3)))).anomalyTypes).toEqual(['G1a']);
    expect(checkRwRegister(serialHistory(info(w('x', 3)), ok(r('x', 3))))).toEqual({ valid: true });
  });

  it('a transaction that reads a value it writes only later: future-read', () => {
    const res = checkRwRegister(serialHistory(ok(w('y', 1)), ok(r('x', 1), w('x', 1))));
    expect(res.valid).toBe(false);
    expect(res.anomalyTypes).toEqual(['future-read']);
    expect(res.not).toEqual(['read-committed']);
    expect(res.anomalies!['future-read']).toMatchObject([{ mop: ['r', 'x', 1], element: 1 }]);
  });

  it("an info transaction's writes are writes: seen by half is a G-single, not unknown", () => {
    const half = checkRwRegister(concurrentHistory(info(w('x', 1), w('y', 1)), ok(r('x', 1), r('y', null))), { consistencyModels: ['serializable'] });
    expect(half.valid).toBe(false);
    expect(half.anomalyTypes).toEqual(['G-single']);
  });

  it('a read that completes before the info writer of its value is invoked is a G1c-realtime', () => {
    const h = serialHistory(ok(r('x', 1)), info(w('x', 1)));
    const res = checkRwRegister(h);
    expect(res.valid).toBe(false);
    expect(res.anomalyTypes).toEqual(['G1c-realtime']);
    // Serializable allows it: the writer may be ordered first.
    expect(checkRwRegister(h, { consistencyModels: ['serializable'] }).valid).not.toBe(false);
  });

  it('a write of nil is refused: nil is the initial state', () => {
    const res = checkRwRegister(serialHistory(ok(w('x', 1)), ok(w('x', null)), ok(r('x', null))));
    expect(res).toMatchObject({ valid: 'unknown', error: { type: 'nil-write', mop: ['w', 'x', null] } });
    expect(res.error!.message).toMatch(/^op 3 writes nil to key "x"/);
  });

  it('linearizable keys order versions by real time: a stale read after a newer write completed', () => {
    const h = serialHistory(ok(w('x', 1)), ok(w('x', 2)), ok(r('x', 1)));
    // Without a version-order source, 1 and 2 are unordered and the read is explained.
    expect(checkRwRegister(h)).toEqual({ valid: true });
    // With them, 1 < 2 (the writers one after the other) and 2 < 1 (the reader after the second
    // writer read 1): the versions are cyclic.
    const res = checkRwRegister(h, { linearizableKeys: true });
    expect(res.valid).toBe(false);
    expect(res.anomalyTypes).toEqual(['cyclic-versions']);
    expect(res.anomalies!['cyclic-versions']).toMatchObject([{ key: 'x', sources: ['initial-state', 'linearizable-keys'] }]);
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
