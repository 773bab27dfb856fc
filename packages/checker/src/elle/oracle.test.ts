import { describe, expect, it } from 'vitest';
import { seededRandom, type Op } from '@gyre/history';
import { checkListAppend, checkRwRegister, type ElleResult } from './index';
import { serialOrderExists, type OracleOptions } from './oracle';
import { smallHistory } from './gen';
import { concurrentHistory, serialHistory, type TxnSpec } from './sim';

const ok = (...mops: unknown[][]): TxnSpec => ({ mops });
const info = (...mops: unknown[][]): TxnSpec => ({ type: 'info', mops });
const a = (k: unknown, v: unknown) => ['append', k, v];
const w = (k: unknown, v: unknown) => ['w', k, v];
const r = (k: unknown, v: unknown) => ['r', k, v];

/** Gyre's verdict under serializable or strict-serializable, with the oracle's on the same history. */
function both(workload: OracleOptions['workload'], h: Op[], strict: boolean, extra: object = {}): { gyre: ElleResult; serial: boolean } {
  const opts = { consistencyModels: [strict ? 'strict-serializable' : 'serializable'], ...extra };
  const gyre = workload === 'list-append' ? checkListAppend(h, opts) : checkRwRegister(h, opts);
  return { gyre, serial: serialOrderExists(h, { workload, realtime: strict }) };
}

describe('the oracle itself', () => {
  it('finds serial orders, honours real time, and lets info transactions go either way', () => {
    const stale = serialHistory(ok(a('x', 1)), ok(r('x', null)));
    expect(serialOrderExists(stale, { workload: 'list-append' })).toBe(true);
    expect(serialOrderExists(stale, { workload: 'list-append', realtime: true })).toBe(false);
    expect(serialOrderExists(serialHistory(info(a('x', 1)), ok(r('x', null))), { workload: 'list-append', realtime: true })).toBe(true);
    expect(serialOrderExists(concurrentHistory(ok(r('x', null), a('y', 1)), ok(r('y', null), a('x', 1))), { workload: 'list-append' })).toBe(false);
    expect(serialOrderExists(serialHistory(ok(w('x', 1)), ok(r('x', 1), w('x', 2)), ok(r('x', 2))), { workload: 'rw-register', realtime: true })).toBe(true);
  });
});

// Small random histories (2 to 6 transactions over 1 to 3 keys; ok, info and failed ones; some
// reads and real-time orders perturbed), each checked by Gyre and by the brute-force oracle.
describe('Gyre against a brute-force search for a serial order', () => {
  const N = 500;

  it('list-append: invalid exactly when no serial order exists (serializable, and strict-serializable with real time)', () => {
    let invalid = 0;
    for (let s = 0; s < N; s++) {
      const h = smallHistory(seededRandom(`la-${s}`), { workload: 'list-append' });
      for (const strict of [false, true]) {
        const { gyre, serial } = both('list-append', h, strict);
        // Sound: Gyre never calls invalid a history that has a serial order...
        if (gyre.valid === false) expect(serial, `seed la-${s}, strict ${strict}: ${String(gyre.anomalyTypes)}`).toBe(false);
        // ... and, on these histories, complete: every history without one is invalid.
        if (!serial) expect(gyre.valid, `seed la-${s}, strict ${strict}`).toBe(false);
        if (!serial) invalid++;
      }
    }
    // The sample holds both kinds.
    expect(invalid).toBeGreaterThan(N / 4);
    expect(invalid).toBeLessThan((2 * N * 3) / 4);
  });

  it('rw-register: never invalid when a serial order exists, with the version-order sources each model makes safe', () => {
    let agreed = 0;
    for (let s = 0; s < N; s++) {
      const h = smallHistory(seededRandom(`rw-${s}`), { workload: 'rw-register' });
      // Writes follow reads in any serial order; strict serializability also orders each key by
      // real time and by process.
      for (const [strict, extra] of [
        [false, {}],
        [false, { wfrKeys: true }],
        [true, { wfrKeys: true, sequentialKeys: true, linearizableKeys: true }],
      ] as const) {
        const { gyre, serial } = both('rw-register', h, strict, extra);
        if (gyre.valid === false) expect(serial, `seed rw-${s}, strict ${strict}: ${String(gyre.anomalyTypes)}`).toBe(false);
        if (!serial && gyre.valid === false) agreed++;
      }
    }
    expect(agreed).toBeGreaterThan(N / 4);
  });

  it('a reported cycle-exists always comes with a concrete cycle (no search timeouts on histories this small)', () => {
    for (let s = 0; s < N; s++) {
      const h = smallHistory(seededRandom(`ce-${s}`), { workload: 'list-append', perturb: 0.3 });
      for (const consistencyModels of [['strict-serializable'], ['serializable'], ['strong-session-serializable'], ['snapshot-isolation']]) {
        const res = checkListAppend(h, { consistencyModels });
        const types = res.anomalyTypes ?? [];
        expect(types.filter((t) => t.endsWith('-cycle-exists')), `seed ce-${s}, ${consistencyModels[0]}: ${types.join(', ')}`).toEqual([]);
      }
    }
  });
});

describe('the completeness gaps the oracle found, each closed', () => {
  const cases: [string, OracleOptions['workload'], Op[], boolean, object, string][] = [
    ['reversed own appends', 'list-append', concurrentHistory(ok(a('x', 1), a('x', 2), a('x', 3)), ok(r('x', [2, 1, 3]))), false, {}, 'out-of-order-appends'],
    ['a garbage element in a list', 'list-append', serialHistory(ok(a('x', 1)), ok(r('x', [1, 9]))), false, {}, 'garbage-read'],
    ['a garbage register value', 'rw-register', serialHistory(ok(w('x', 1)), ok(r('x', 9))), false, {}, 'garbage-read'],
    ['an rw-register future read', 'rw-register', serialHistory(ok(r('x', 1), w('x', 1))), false, {}, 'future-read'],
    ['an info writer seen by half', 'rw-register', concurrentHistory(info(w('x', 1), w('y', 1)), ok(r('x', 1), r('y', null))), false, {}, 'G-single'],
    ['a read before its info writer began', 'rw-register', serialHistory(ok(r('x', 1)), info(w('x', 1))), true, {}, 'G1c-realtime'],
  ];
  for (const [name, workload, h, strict, extra, type] of cases) {
    it(`${name}: no serial order, and Gyre reports ${type}`, () => {
      const { gyre, serial } = both(workload, h, strict, extra);
      expect(serial).toBe(false);
      expect(gyre.valid).toBe(false);
      expect(gyre.anomalyTypes).toContain(type);
    });
  }
});
