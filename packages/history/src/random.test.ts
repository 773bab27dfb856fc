import { describe, expect, it } from 'vitest';
import { seededRandom } from './random';

describe('seededRandom', () => {
  it('is reproducible per seed and differs across seeds', () => {
    const a = seededRandom(42);
    const b = seededRandom('42');
    const xs = Array.from({ length: 10 }, () => a.next());
    expect(Array.from({ length: 10 }, () => b.next())).toEqual(xs);
    expect(seededRandom(43).next()).not.toBe(xs[0]);
  });

  it('forks independently of how much the parent consumed', () => {
    const a = seededRandom(1);
    const f1 = a.fork('net').next();
    a.next();
    a.next();
    expect(a.fork('net').next()).toBe(f1);
    expect(a.fork('gen').next()).not.toBe(f1);
  });

  it('draws in range with roughly uniform frequencies', () => {
    const r = seededRandom(7);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[r.int(10)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(600);
    for (let i = 0; i < 1000; i++) {
      const x = r.between(3, 5);
      expect(x >= 3 && x <= 5).toBe(true);
      expect(r.next()).toBeLessThan(1);
    }
    let sum = 0;
    for (let i = 0; i < 100_000; i++) sum += r.exponential(10);
    expect(Math.abs(sum / 100_000 - 10)).toBeLessThan(0.3);
    expect(r.shuffle([1, 2, 3, 4]).sort()).toEqual([1, 2, 3, 4]);
    expect(() => r.int(0)).toThrow(RangeError);
  });
});
