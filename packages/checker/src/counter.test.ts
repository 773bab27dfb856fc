import { describe, expect, it } from 'vitest';
import { JsonFloat } from '@gyre/history';
import { counter, counterWire } from './counter';
import { hist, type Row } from './test-history';
import { toWire } from './wire';

const add = (p: number, d: number, type: 'ok' | 'info' | 'fail' = 'ok'): Row[] => [
  [p, 'invoke', 'add', d],
  [p, type, 'add', d],
];
const read = (p: number, v: unknown, final = true): Row[] => [
  [p, 'invoke', 'read', null, undefined, final ? { final: true } : {}],
  [p, 'ok', 'read', v, undefined, final ? { final: true } : {}],
];

describe('counter', () => {
  it('accepts [[0, 0]] with no operations', () => {
    expect(counter([])).toEqual({ valid: true, errors: null, finalReads: [], acceptable: [[0, 0]] });
  });

  it('widens the acceptable set with every info add, and fails a final read outside it', () => {
    const h = hist(...add(0, 1), ...add(1, 2), ...add(2, 5, 'info'), ...add(3, 1, 'info'), ...add(4, 100, 'fail'), ...read(5, 8), ...read(6, 6), ...read(7, 99, false));
    const r = counter(h);
    expect(r).toEqual({
      valid: false,
      errors: [h[13]],
      finalReads: [8, 6],
      // {3} → {3, 8} → {3, 4, 8, 9}
      acceptable: [
        [3, 4],
        [8, 9],
      ],
    });
    expect(h[13]!.value).toBe(6);
  });

  it('fails a read that counts an add twice', () => {
    const h = hist(...add(0, 2), ...add(1, 3), ...read(2, 7), ...read(3, 5));
    expect(counter(h)).toEqual({ valid: false, errors: [h[5]], finalReads: [7, 5], acceptable: [[5, 5]] });
  });

  it('handles negative deltas (pn-counter) and merges adjacent ranges', () => {
    const h = hist(...add(0, -3), ...add(1, 4), ...add(2, -1, 'info'), ...add(3, 2, 'info'), ...read(4, 0), ...read(5, 3));
    // 1 → {0, 1} → {0, 1, 2, 3}
    expect(counter(h)).toEqual({ valid: true, errors: null, finalReads: [0, 3], acceptable: [[0, 3]] });
  });

  it('stays exact and fast with thousands of small info adds', () => {
    const rows: Row[] = [];
    for (let i = 0; i < 5000; i++) rows.push(...add(i, (i % 10) - 5, 'info'));
    rows.push(...read(9999, -12500), ...read(9998, 10001));
    const r = counter(hist(...rows));
    // Sum of negative deltas: 500 × (−5−4−3−2−1) = −7500; of positive: 500 × (1+2+3+4) = 5000.
    expect(r.acceptable).toEqual([[-7500, 5000]]);
    expect(r.valid).toBe(false);
    expect(r.errors).toHaveLength(2);
  });

  it('approximates soundly past maxRanges: unknown between the bounds, false outside', () => {
    // Exact set {0, 10, 100, 110}; with 2 ranges: outer [[0, 10], [100, 110]], inner {0, 10}.
    const h = hist(...add(0, 10, 'info'), ...add(1, 100, 'info'), ...read(2, 0), ...read(3, 10));
    expect(counter(h, { maxRanges: 2 })).toEqual({
      valid: true,
      errors: null,
      finalReads: [0, 10],
      acceptable: [
        [0, 10],
        [100, 110],
      ],
      approximate: true,
      undecidedReads: [],
    });
    // Written as Maelstrom names its fields, with Gyre's own `approximate?`.
    expect(Object.keys(toWire(counter(h, { maxRanges: 2 }), counterWire) as object)).toEqual(['valid?', 'errors', 'final-reads', 'acceptable', 'approximate?', 'undecided-reads']);
    const maybe = hist(...add(0, 10, 'info'), ...add(1, 100, 'info'), ...read(2, 5));
    expect(counter(maybe, { maxRanges: 2 })).toMatchObject({ valid: 'unknown', undecidedReads: [maybe[5]] });
    const out = hist(...add(0, 10, 'info'), ...add(1, 100, 'info'), ...read(2, 50), ...read(3, 5));
    expect(counter(out, { maxRanges: 2 }).valid).toBe(false);
    // Exact without the cap.
    expect(counter(maybe).acceptable).toEqual([
      [0, 0],
      [10, 10],
      [100, 100],
      [110, 110],
    ]);
    expect(counter(maybe).valid).toBe(false);
  });

  it('bounds the cost of adversarial deltas', () => {
    const rows: Row[] = [];
    for (let i = 0; i < 3000; i++) rows.push(...add(i, 1 + i * 1000, 'info'));
    rows.push(...read(9999, 0));
    const r = counter(hist(...rows));
    expect(r.approximate).toBe(true);
    expect(r.acceptable.length).toBeLessThanOrEqual(1000);
    // 0 is acceptable (no info add applied): never false, though the bounds may not decide it.
    expect(r.valid).not.toBe(false);
    rows.push(...read(9998, -1));
    expect(counter(hist(...rows)).valid).toBe(false);
  });

  it('is unknown for a final read that is not an integer, and accepts big integers', () => {
    const h = hist(...add(0, 1), ...read(1, new JsonFloat(1)));
    expect(counter(h)).toMatchObject({ valid: 'unknown', error: 'final read 1.0 is not an integer' });
    expect(counter(hist(...add(0, 1), ...read(1, 1n))).valid).toBe(true);
  });
});
