import { describe, expect, it } from 'vitest';
import { exceptions } from './exceptions';
import { hist } from './test-history';

describe('exceptions', () => {
  it('is plain valid without exceptions', () => {
    expect(exceptions(hist([0, 'invoke', 'read', null], [0, 'ok', 'read', 1]))).toEqual({ valid: true });
  });

  it('groups info ops carrying exceptions by class, most frequent first', () => {
    const h = hist(
      [0, 'invoke', 'read', null],
      [0, 'info', 'read', null, 1, { exception: { via: [{ type: 'malformed-response' }] } }],
      [1, 'invoke', 'read', null],
      [1, 'info', 'read', null, 3, { exception: 'TimeoutError' }],
      [2, 'invoke', 'read', null],
      [2, 'info', 'read', null, 5, { exception: { via: [{ type: 'TimeoutError' }] } }],
      [3, 'invoke', 'read', null],
      [3, 'fail', 'read', null, 7, { exception: 'ignored: not info' }],
    );
    const r = exceptions(h);
    expect(r.valid).toBe(true);
    expect(r.exceptions).toEqual([
      { class: 'TimeoutError', count: 2, example: h[3] },
      { class: 'malformed-response', count: 1, example: h[1] },
    ]);
  });
});
