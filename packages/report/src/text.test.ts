import { describe, expect, it } from 'vitest';
import { base64, groupDigits } from './text';

describe('groupDigits', () => {
  it('prints integers as toLocaleString("en") does', () => {
    const values = [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 123_456_789, -1, -1234, -1_234_567, Number.MAX_SAFE_INTEGER];
    for (let i = 0; i < 200; i++) values.push(Math.floor(Math.random() * 10 ** (1 + (i % 15))) * (i % 3 === 0 ? -1 : 1));
    for (const v of values) expect(groupDigits(v), String(v)).toBe(v.toLocaleString('en'));
  });

  it('keeps a fraction and prints non-finite numbers as String does', () => {
    expect(groupDigits(1234.5)).toBe('1,234.5');
    expect(groupDigits(-0.25)).toBe('-0.25');
    expect(groupDigits(Infinity)).toBe('Infinity');
    expect(groupDigits(NaN)).toBe('NaN');
  });
});

describe('base64', () => {
  it('encodes as Buffer does, for every length remainder and every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (let n = 0; n <= 7; n++) {
      const bytes = all.subarray(250 - n, 250);
      expect(base64(bytes), `length ${n}`).toBe(Buffer.from(bytes).toString('base64'));
    }
    expect(base64(all)).toBe(Buffer.from(all).toString('base64'));
    expect(base64(new TextEncoder().encode('héllo ✓'))).toBe(Buffer.from('héllo ✓', 'utf8').toString('base64'));
  });
});
