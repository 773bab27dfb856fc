import { describe, expect, it } from 'vitest';
import { parseHistoryEdn, parseHistoryJsonArray } from '@gyre/history';
import { longFork } from './long-fork';
import { hist, type Row } from './test-history';

const insert = (p: number, k: number, type: 'ok' | 'info' | 'fail' = 'ok'): Row[] => [
  [p, 'invoke', 'write', [['w', k, 1]]],
  [p, type, 'write', [['w', k, 1]]],
];
const read = (p: number, seen: Record<number, number | null>): Row[] => [
  [p, 'invoke', 'read', Object.keys(seen).map((k) => ['r', Number(k), null])],
  [p, 'ok', 'read', Object.entries(seen).map(([k, v]) => ['r', Number(k), v])],
];

describe('long-fork', () => {
  it('finds two reads that saw two inserts in opposite orders (Jepsen EDN, no process or time)', () => {
    // r1 sees keys 0 and 1 but not 2; r2 sees 0 and 2 but not 1.
    const h = parseHistoryEdn(
      `[{:type :invoke, :f :read, :value [[:r 0 nil] [:r 1 nil] [:r 2 nil]]},
        {:type :ok, :f :read, :value [[:r 0 1] [:r 1 1] [:r 2 nil]]},
        {:type :invoke, :f :read, :value [[:r 2 nil] [:r 0 nil] [:r 1 nil]], :process 1},
        {:type :ok, :f :read, :value [[:r 2 1] [:r 0 1] [:r 1 nil]], :process 1}]`,
    );
    const r = longFork(h, { groupSize: 3 });
    expect(r).toMatchObject({ valid: false, readCount: 2, earlyReadCount: 0, lateReadCount: 0 });
    expect(r.forks).toEqual([{ reads: [h[1], h[3]], onlyFirst: [1], onlySecond: [2] }]);
  });

  it('is valid when every read of a group saw a prefix of one insert order', () => {
    const h = hist(...read(3, { 0: null, 1: null }), ...insert(0, 0), ...read(3, { 0: 1, 1: null }), ...read(4, { 1: null, 0: 1 }), ...insert(1, 1), ...read(3, { 0: 1, 1: 1 }), ...insert(2, 2), ...read(5, { 2: 1, 3: null }));
    const r = longFork(h, { groupSize: 2 });
    expect(r).toEqual({ valid: true, readCount: 5, earlyReadCount: 1, lateReadCount: 1, forks: [] });
  });

  it('reports one example per pair of distinct read states, across groups', () => {
    const h = hist(
      ...read(0, { 0: 1, 1: null }),
      ...read(1, { 0: null, 1: 1 }),
      ...read(2, { 0: 1, 1: null }),
      ...read(3, { 4: 1, 5: null }),
      ...read(4, { 4: null, 5: 1 }),
    );
    const r = longFork(h);
    expect(r.valid).toBe(false);
    expect(r.forks.map((f) => f.reads.map((o) => o.index))).toEqual([
      [1, 3],
      [7, 9],
    ]);
  });

  it('is unknown when a key is written twice, or reads disagree on a value, or a group has the wrong size', () => {
    expect(longFork(hist(...insert(0, 7), ...insert(1, 7)))).toMatchObject({ valid: 'unknown', error: { type: 'multiple-writes', key: 7 } });
    const twoValues = hist(...read(0, { 0: 1, 1: null }), ...read(1, { 0: 2, 1: null }));
    expect(longFork(twoValues)).toMatchObject({ valid: 'unknown', error: { type: 'illegal-history', key: 0 } });
    expect(longFork(hist(...read(0, { 0: 1, 1: null })), { groupSize: 3 })).toMatchObject({ valid: 'unknown', error: { type: 'illegal-history', message: expect.stringContaining('exactly 3 keys') } });
  });

  it('reads elle-cli style JSON (micro-op names as strings)', () => {
    const h = parseHistoryJsonArray(
      JSON.stringify([
        { type: 'invoke', f: 'write', value: [['w', 'x', 1]], process: 0 },
        { type: 'invoke', f: 'write', value: [['w', 'y', 1]], process: 1 },
        { type: 'ok', f: 'write', value: [['w', 'x', 1]], process: 0 },
        { type: 'ok', f: 'write', value: [['w', 'y', 1]], process: 1 },
        { type: 'invoke', f: 'read', value: [['r', 'x', null], ['r', 'y', null]], process: 2 },
        { type: 'invoke', f: 'read', value: [['r', 'x', null], ['r', 'y', null]], process: 3 },
        { type: 'ok', f: 'read', value: [['r', 'x', 1], ['r', 'y', null]], process: 2 },
        { type: 'ok', f: 'read', value: [['r', 'x', null], ['r', 'y', 1]], process: 3 },
      ]),
    );
    expect(longFork(h, { groupSize: 2 })).toMatchObject({ valid: false, forks: [{ onlyFirst: ['x'], onlySecond: ['y'] }] });
  });
});
