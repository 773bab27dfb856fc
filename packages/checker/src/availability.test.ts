import { describe, expect, it } from 'vitest';
import { availability } from './availability';
import { hist, type Row } from './test-history';

describe('availability', () => {
  const h = hist(
    [0, 'invoke', 'read', null],
    [0, 'ok', 'read', 1],
    [1, 'invoke', 'read', null],
    [1, 'fail', 'read', null],
    ['nemesis', 'invoke', 'start', null],
    ['nemesis', 'ok', 'start', null],
  );

  it('computes the ok fraction over client invocations', () => {
    expect(availability(h)).toEqual({ valid: true, okFraction: 0.5 });
    expect(availability([])).toEqual({ valid: true, okFraction: 1 });
  });

  it("'total' requires every op to succeed", () => {
    expect(availability(h, { availability: 'total' })).toEqual({ valid: false, okFraction: 0.5 });
    expect(availability(h.slice(0, 2), { availability: 'total' })).toEqual({ valid: true, okFraction: 1 });
  });

  it('a number is a lower bound', () => {
    expect(availability(h, { availability: 0.5 }).valid).toBe(true);
    expect(availability(h, { availability: 0.51 }).valid).toBe(false);
    const nine = hist(...Array.from({ length: 10 }, (_, p): Row[] => [[p, 'invoke', 'r', null], [p, p < 9 ? 'ok' : 'fail', 'r', null]]).flat());
    expect(availability(nine, { availability: 0.9 })).toEqual({ valid: true, okFraction: 0.9 });
    expect(() => availability(h, { availability: 2 })).toThrow(RangeError);
  });
});

