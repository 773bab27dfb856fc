import { describe, expect, it } from 'vitest';
import { parseHistoryJsonArray } from '@gyre/history';
import { counterBounds } from './counter-bounds';
import { hist } from './test-history';

describe('counterBounds', () => {
  it('accepts reads between acknowledged and attempted sums (elle-cli JSON)', () => {
    const h = parseHistoryJsonArray(
      JSON.stringify([
        { type: 'invoke', f: 'add', value: 1, process: 0, time: 1 },
        { type: 'ok', f: 'add', value: 1, process: 0, time: 2 },
        { type: 'invoke', f: 'add', value: 5, process: 1, time: 3 },
        { type: 'invoke', f: 'read', value: null, process: 2, time: 4 },
        { type: 'ok', f: 'read', value: 6, process: 2, time: 5 },
        { type: 'info', f: 'add', value: 5, process: 1, time: 6 },
        { type: 'invoke', f: 'read', value: null, process: 3, time: 7 },
        { type: 'ok', f: 'read', value: 1, process: 3, time: 8 },
      ]),
    );
    expect(counterBounds(h)).toEqual({ valid: true, readCount: 2, errors: [] });
  });

  it('rejects a read above every attempted add, and one below what was acknowledged before it began', () => {
    const h = hist(
      [0, 'invoke', 'add', 2],
      [0, 'ok', 'add', 2],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', 3],
      [0, 'invoke', 'add', 3],
      [0, 'ok', 'add', 3],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', 2],
    );
    expect(counterBounds(h)).toEqual({
      valid: false,
      readCount: 2,
      errors: [
        { op: h[3], value: 3, lower: 2, upper: 2 },
        { op: h[7], value: 2, lower: 5, upper: 5 },
      ],
    });
  });

  it('ignores failed adds, and counts an add concurrent with a read as maybe applied', () => {
    const h = hist(
      [0, 'invoke', 'add', 10],
      [1, 'invoke', 'read', null],
      [0, 'fail', 'add', 10],
      [1, 'ok', 'read', 10],
      [0, 'invoke', 'read', null],
      [2, 'invoke', 'add', 4],
      [2, 'ok', 'add', 4],
      [0, 'ok', 'read', 4],
    );
    const r = counterBounds(h);
    expect(r.errors).toEqual([{ op: h[3], value: 10, lower: 0, upper: 0 }]);
    expect(r.readCount).toBe(2);
  });

  it('widens bounds the other way for negative deltas', () => {
    const h = hist([0, 'invoke', 'add', 5], [0, 'ok', 'add', 5], [1, 'invoke', 'read', null], [0, 'invoke', 'add', -3], [1, 'ok', 'read', 2], [0, 'ok', 'add', -3], [1, 'invoke', 'read', null], [1, 'ok', 'read', 5]);
    const r = counterBounds(h);
    expect(r.valid).toBe(false);
    expect(r.errors).toEqual([{ op: h[7], value: 5, lower: 2, upper: 2 }]);
  });

  it('is unknown for a read that is not an integer, and ignores the nemesis', () => {
    const h = hist([0, 'invoke', 'read', null], ['nemesis', 'info', 'start', null], [0, 'ok', 'read', 'many']);
    expect(counterBounds(h)).toMatchObject({ valid: 'unknown', error: expect.stringContaining('not an integer') });
  });

  it('starts from the initial value', () => {
    const h = hist([0, 'invoke', 'read', null], [0, 'ok', 'read', 100]);
    expect(counterBounds(h).valid).toBe(false);
    expect(counterBounds(h, { initial: 100 }).valid).toBe(true);
  });
});
