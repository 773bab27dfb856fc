import { describe, expect, it } from 'vitest';
import { parseHistoryEdn } from '@gyre/history';
import { set } from './set';
import { hist, type Row } from './test-history';

const add = (p: number, x: unknown, type: 'ok' | 'info' | 'fail' = 'ok'): Row[] => [
  [p, 'invoke', 'add', x],
  [p, type, 'add', x],
];
const read = (p: number, xs: unknown[]): Row[] => [
  [p, 'invoke', 'read', null],
  [p, 'ok', 'read', xs],
];

describe('set', () => {
  it('is valid when the final read holds every acknowledged add (Jepsen EDN with a #{} read)', () => {
    const h = parseHistoryEdn(
      [
        '{:type :invoke, :f :add, :value 0, :process 0, :time 1, :index 0}',
        '{:type :ok, :f :add, :value 0, :process 0, :time 2, :index 1}',
        '{:type :invoke, :f :add, :value 1, :process 1, :time 3, :index 2}',
        '{:type :info, :f :add, :value 1, :process 1, :time 4, :index 3}',
        '{:type :invoke, :f :add, :value 2, :process 2, :time 5, :index 4}',
        '{:type :ok, :f :add, :value 2, :process 2, :time 6, :index 5}',
        '{:type :invoke, :f :read, :value nil, :process 3, :time 7, :index 6}',
        '{:type :ok, :f :read, :value #{0 1 2}, :process 3, :time 8, :index 7}',
      ].join('\n'),
    );
    expect(set(h)).toEqual({
      valid: true,
      attemptCount: 3,
      acknowledgedCount: 2,
      okCount: 2,
      lostCount: 0,
      unexpectedCount: 0,
      recoveredCount: 1,
      ok: [0, 2],
      lost: [],
      unexpected: [],
      recovered: [1],
      finalRead: h[7],
    });
  });

  it('reports lost and unexpected elements, judging only the last ok read', () => {
    const h = hist(...add(0, 'a'), ...add(1, 'b'), ...read(2, ['a', 'b']), ...add(0, 'c', 'fail'), ...read(2, ['a', 'c', 'z']));
    const r = set(h);
    expect(r).toMatchObject({ valid: false, lost: ['b'], unexpected: ['z'], recovered: ['c'], ok: ['a'], finalRead: h[9] });
  });

  it('compares elements by value: [0 1] in EDN equals [0, 1] in JSON', () => {
    const h = hist(...add(0, [0, 1]), ...read(1, [[0, 1]]));
    expect(set(h).valid).toBe(true);
  });

  it('is unknown when the set was never read', () => {
    expect(set(hist(...add(0, 1)))).toMatchObject({ valid: 'unknown', error: 'the set was never read', attemptCount: 1 });
    expect(set(hist(...add(0, 1), ...read(1, 5 as unknown as unknown[])))).toMatchObject({ valid: 'unknown', error: expect.stringContaining('did not return a list') });
  });
});
