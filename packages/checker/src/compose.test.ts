import { describe, expect, it } from 'vitest';
import type { Op } from '@gyre/history';
import { checkSafe, compose, type Checker } from './compose';
import { stats, statsWire } from './stats';
import { hist } from './test-history';
import type { Validity } from './validity';
import { toWire } from './wire';

const verdict = (valid: Validity): Checker => ({ check: () => ({ valid }) });
const h = hist([0, 'invoke', 'read', null], [0, 'ok', 'read', 1]);

describe('checkSafe', () => {
  it('returns the result, or unknown with the error when the checker throws', () => {
    expect(checkSafe(verdict(false), h)).toEqual({ valid: false });
    const r = checkSafe({ check: () => { throw new Error('boom'); } }, h);
    expect(r.valid).toBe('unknown');
    expect((r as { error: string }).error).toMatch(/^Error: boom\n\s+at /);
    expect(checkSafe({ check: () => { throw 'plain'; } }, h)).toEqual({ valid: 'unknown', error: 'plain' });
    expect(checkSafe({ check: () => { throw null; } }, h)).toEqual({ valid: 'unknown', error: 'null' });
  });
});

describe('compose', () => {
  it('merges verdicts false > unknown > true, and is valid with no checkers', () => {
    const run = (vs: Validity[]) => compose(Object.fromEntries(vs.map((v, i) => [`c${i}`, verdict(v)]))).check(h).valid;
    expect([run([]), run([true, true]), run([true, 'unknown']), run(['unknown', false, true])]).toEqual([true, true, 'unknown', false]);
  });

  it('gives each result under its name, in order, a checker that throws as unknown', () => {
    const seen: (readonly Op[])[] = [];
    const c = compose({
      stats: { check: (x) => (seen.push(x), stats(x)), wire: statsWire },
      'my-check': { check: () => { throw new Error('broke'); } },
      plain: { check: () => ({ valid: true, lostCount: 0 }) },
    });
    const r = c.check(h);
    expect(seen).toEqual([h]);
    expect(Object.keys(r.results)).toEqual(['stats', 'my-check', 'plain']);
    expect(r.valid).toBe('unknown');
    // Written: the names at the top level (as given), each result by its own form, then valid?.
    const w = toWire(r, c.wire) as Record<string, Record<string, unknown>>;
    expect(Object.keys(w)).toEqual(['stats', 'my-check', 'plain', 'valid?']);
    expect(w['stats']).toMatchObject({ 'valid?': true, 'ok-count': 1, 'by-f': { read: { 'ok-count': 1 } } });
    expect(w['my-check']).toMatchObject({ 'valid?': 'unknown', error: expect.stringMatching(/broke/) });
    expect(w['plain']).toEqual({ 'valid?': true, 'lost-count': 0 });
  });
});
