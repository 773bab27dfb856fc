import { describe, expect, it } from 'vitest';
import { JsonFloat } from '@gyre/history';
import { uniqueIds } from './unique-ids';
import { hist, type Row } from './test-history';

const gen = (...ids: unknown[]): Row[] => ids.flatMap((id, p): Row[] => [[p, 'invoke', 'generate', null], [p, 'ok', 'generate', id]]);

describe('uniqueIds', () => {
  it('is valid with distinct ids and reports their range', () => {
    const h = hist(...gen('n1-2', 'n1-1', 'n2-1'), [9, 'invoke', 'generate', null], [9, 'info', 'generate', null]);
    expect(uniqueIds(h)).toEqual({
      valid: true,
      attemptedCount: 4,
      acknowledgedCount: 3,
      duplicatedCount: 0,
      duplicated: [],
      range: ['n1-1', 'n2-1'],
    });
  });

  it('lists duplicates with their counts, in id order', () => {
    const h = hist(...gen(5, 3, 5, 7, 3, 5, 1));
    expect(uniqueIds(h)).toEqual({
      valid: false,
      attemptedCount: 7,
      acknowledgedCount: 7,
      duplicatedCount: 2,
      duplicated: [
        [3, 2],
        [5, 3],
      ],
      range: [1, 7],
    });
  });

  it('keeps only the 48 most frequent duplicates', () => {
    // ids 0..59 twice each, and ids 0..9 a third time.
    const ids = [...Array.from({ length: 60 }, (_, i) => i), ...Array.from({ length: 60 }, (_, i) => i), ...Array.from({ length: 10 }, (_, i) => i)];
    const r = uniqueIds(hist(...gen(...ids)));
    expect(r.duplicatedCount).toBe(60);
    expect(r.duplicated).toHaveLength(48);
    // The ten triples, then (ties broken as Jepsen does: highest ids first) 38 of the doubles.
    expect(r.duplicated!.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => [i, 3]));
    expect(r.duplicated!.slice(10).map(([id]) => id)).toEqual(Array.from({ length: 38 }, (_, i) => 22 + i));
  });

  it('keeps big integers exact and tells 1, 1.0 and "1" apart', () => {
    const big = 2n ** 64n + 1n;
    const h = hist(...gen(big, 2n ** 64n, big, 1, new JsonFloat(1), '1'));
    const r = uniqueIds(h, {});
    // 1, 1.0 and "1" are not comparable all together ("1" is a string): unknown, but counted.
    expect(r.valid).toBe('unknown');
    const nums = uniqueIds(hist(...gen(big, 2n ** 64n, big, 1, new JsonFloat(1))));
    expect(nums.valid).toBe(false);
    expect(nums.duplicatedCount).toBe(1);
    expect(nums.duplicated).toEqual([[big, 2]]);
    expect(nums.range).toEqual([1, big]);
  });

  it('is unknown, naming the two ids, when ids cannot be compared', () => {
    const r = uniqueIds(hist(...gen(1, 'a', 2)));
    expect(r).toEqual({
      valid: 'unknown',
      attemptedCount: 3,
      acknowledgedCount: 3,
      duplicatedCount: 0,
      error: 'IDs "a" and 1 cannot be compared: IDs must be mutually comparable (numbers with numbers, strings with strings, arrays of comparable items)',
    });
    expect(uniqueIds(hist(...gen({ a: 1 }, { a: 2 }))).valid).toBe('unknown');
    // Arrays compare by length, then element by element.
    expect(uniqueIds(hist(...gen([1, 2], [3], [1, 1]))).range).toEqual([[3], [1, 2]]);
  });

  it('handles an empty history', () => {
    expect(uniqueIds([])).toEqual({ valid: true, attemptedCount: 0, acknowledgedCount: 0, duplicatedCount: 0, duplicated: [], range: [null, null] });
  });
});
