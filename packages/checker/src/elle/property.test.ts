import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { seededRandom, type Op } from '@gyre/history';
import { checkListAppend } from './index';
import { simulate } from './sim';

type Mop = [string, unknown, unknown];

function sim(seed: number, concurrency: number, txns = 200): Op[] {
  return simulate(seededRandom(seed), { txns, concurrency, failRate: 0.05, infoRate: 0.05, keys: 6 });
}

/** Reads in ok completions, with the history position of their invocation. */
function okReads(h: Op[]): { at: number; mop: number; invoke: number }[] {
  const open = new Map<unknown, number>();
  const out: { at: number; mop: number; invoke: number }[] = [];
  h.forEach((op, at) => {
    if (op.type === 'invoke') open.set(op.process, at);
    else if (op.type === 'ok') {
      (op.value as Mop[]).forEach((m, mop) => {
        if (m[0] === 'r' && Array.isArray(m[2]) && m[2].length > 0) out.push({ at, mop, invoke: open.get(op.process)! });
      });
    }
  });
  return out;
}

/** A copy of the history with one read's value replaced. */
function withRead(h: Op[], at: number, mop: number, f: (l: unknown[]) => unknown[]): Op[] {
  return h.map((op, i) => {
    if (i !== at) return op;
    const value = (op.value as Mop[]).map((m, j) => (j === mop ? [m[0], m[1], f(m[2] as unknown[])] : m));
    return { ...op, value };
  });
}

describe('histories of a strict-serializable store', () => {
  it('are strict-serializable, whatever the seed and concurrency', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 8 }), (seed, concurrency) => {
        const res = checkListAppend(sim(seed, concurrency));
        expect(res).toEqual({ valid: true });
      }),
      { numRuns: 60, seed: 42 },
    );
  });

  it('are caught when a read misses an append that completed before it began', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 6 }), fc.nat(), (seed, concurrency, pick) => {
        const h = sim(seed, concurrency);
        // Where each appended value's transaction completed.
        const done = new Map<string, number>();
        h.forEach((op, i) => {
          if (op.type === 'ok') for (const m of op.value as Mop[]) if (m[0] === 'append') done.set(`${m[1]}/${m[2]}`, i);
        });
        const candidates = okReads(h).filter(({ at, mop, invoke }) => {
          const m = (h[at]!.value as Mop[])[mop]!;
          const l = m[2] as unknown[];
          const d = done.get(`${m[1]}/${l[l.length - 1]}`);
          return d !== undefined && d < invoke;
        });
        fc.pre(candidates.length > 0);
        const c = candidates[pick % candidates.length]!;
        const res = checkListAppend(withRead(h, c.at, c.mop, (l) => l.slice(0, -1)));
        expect(res.valid).toBe(false);
      }),
      { numRuns: 40, seed: 42 },
    );
  });

  it('are caught when a read loses an element in the middle, or repeats one', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 6 }), fc.nat(), (seed, concurrency, pick) => {
        const h = sim(seed, concurrency);
        const long = okReads(h).filter(({ at, mop }) => ((h[at]!.value as Mop[])[mop]![2] as unknown[]).length >= 3);
        fc.pre(long.length > 0);
        const c = long[pick % long.length]!;
        // Incompatible with other reads of the key, if there are any; else its version order
        // contradicts the appends' dependencies.
        const gap = checkListAppend(withRead(h, c.at, c.mop, (l) => [...l.slice(0, 1), ...l.slice(2)]));
        expect(gap.valid).toBe(false);
        const dup = checkListAppend(withRead(h, c.at, c.mop, (l) => [...l, l[0]]));
        expect(dup.valid).toBe(false);
        expect(dup.anomalyTypes).toContain('duplicate-elements');
      }),
      { numRuns: 40, seed: 42 },
    );
  });

  it('are caught when a failed append shows up in a read', () => {
    const h = sim(7, 4, 400);
    const failedAppend = h.find((op) => op.type === 'fail' && (op.value as Mop[]).some((m) => m[0] === 'append'))!;
    const m = (failedAppend.value as Mop[]).find((x) => x[0] === 'append')!;
    const later = okReads(h).find(({ at, mop }) => at > failedAppend.index && (h[at]!.value as Mop[])[mop]![1] === m[1]);
    expect(later).toBeDefined();
    const res = checkListAppend(withRead(h, later!.at, later!.mop, (l) => [...l, m[2]]));
    expect(res.valid).toBe(false);
    expect(res.anomalyTypes).toContain('G1a');
  });
});
