import { describe, expect, it } from 'vitest';
import { parseHistoryEdn } from '@gyre/history';
import { bank } from './bank';
import { hist, type Row } from './test-history';

const read = (p: number, v: unknown): Row[] => [
  [p, 'invoke', 'read', null],
  [p, 'ok', 'read', v],
];
const transfer = (p: number, from: number, to: number, amount: number, type: 'ok' | 'fail' | 'info' = 'ok'): Row[] => [
  [p, 'invoke', 'transfer', { from, to, amount }],
  [p, type, 'transfer', { from, to, amount }],
];

describe('bank', () => {
  it('is valid when every read conserves the total (Jepsen EDN, integer account keys)', () => {
    const h = parseHistoryEdn(
      [
        '{:type :invoke, :f :read, :process 0, :time 1}',
        '{:type :ok, :f :read, :process 0, :time 2, :value {0 10, 1 10, 2 10}}',
        '{:type :invoke, :f :transfer, :value {:from 0, :to 2, :amount 4}, :process 1, :time 3}',
        '{:type :invoke, :f :read, :process 0, :time 4}',
        '{:type :ok, :f :transfer, :value {:from 0, :to 2, :amount 4}, :process 1, :time 5}',
        '{:type :ok, :f :read, :process 0, :time 6, :value {0 6, 1 10, 2 14}}',
        '{:type :info, :f :pause, :value :all, :process :nemesis, :time 7}',
      ].join('\n'),
    );
    const r = bank(h);
    expect(r).toMatchObject({ valid: true, readCount: 2, errorCount: 0, firstError: null, errors: {}, accounts: ['0', '1', '2'], totalAmount: 30 });
  });

  it('reports a read whose total is wrong, with the lowest and highest totals', () => {
    const h = hist(...read(0, { a: 50, b: 50 }), ...transfer(1, 0, 1, 5), ...read(0, { a: 45, b: 50 }), ...read(0, { a: 60, b: 50 }), ...read(0, { a: 45, b: 55 }));
    const r = bank(h);
    expect(r.valid).toBe(false);
    expect(r.errorCount).toBe(2);
    const wt = r.errors['wrong-total']!;
    expect(wt.count).toBe(2);
    expect(wt.first.op).toBe(h[5]);
    expect(wt.lowest!.total).toBe(95);
    expect(wt.highest!.total).toBe(110);
    // |110 − 100| / 100 > |95 − 100| / 100
    expect(wt.worst.total).toBe(110);
    expect(r.firstError).toBe(wt.first);
  });

  it('rejects negative balances unless they are allowed', () => {
    const h = hist(...read(0, { '0': 100, '7': 0 }), ...read(0, { '0': 101, '7': -1 }));
    const r = bank(h);
    expect(r.valid).toBe(false);
    expect(r.errors['negative-value']).toMatchObject({ count: 1, first: { type: 'negative-value', negative: [-1], op: h[3] } });
    expect(bank(h, { negativeBalances: true }).valid).toBe(true);
  });

  it('reports unknown accounts and null balances before totals', () => {
    const h = hist(...read(0, { x: 5, y: 5 }), ...read(0, { x: 5, y: 5, z: 0 }), ...read(0, { x: 10, y: null }));
    const r = bank(h);
    expect(r.valid).toBe(false);
    expect(r.errors['unexpected-key']).toMatchObject({ count: 1, first: { unexpected: ['z'] } });
    expect(r.errors['nil-balance']).toMatchObject({ count: 1, first: { nils: ['y'] } });
    expect(r.errors['wrong-total']).toBeUndefined();
  });

  it('checks against the given accounts and total rather than the first read', () => {
    const h = hist(...read(0, [[1, 30], [2, 30]]), ...read(0, [[1, 40], [2, 40]]));
    expect(bank(h).valid).toBe(false);
    const r = bank(h, { accounts: [1, 2], totalAmount: 80 });
    expect(r.errors['wrong-total']).toMatchObject({ count: 1, first: { op: h[1], total: 60 } });
    expect(bank(h, { accounts: [1] }).errors['unexpected-key']!.count).toBe(2);
  });

  it('is unknown with no reads, and for a read that is not a map', () => {
    expect(bank(hist(...transfer(0, 1, 2, 3)))).toMatchObject({ valid: 'unknown', readCount: 0, error: 'no ok read in the history' });
    expect(bank(hist(...read(0, 42)))).toMatchObject({ valid: 'unknown', error: expect.stringContaining('expected a map of account to balance') });
    expect(bank(hist(...read(0, { a: 'lots' })))).toMatchObject({ valid: 'unknown', error: expect.stringContaining('balance of account a is not a number') });
  });
});
