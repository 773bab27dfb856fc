import { JsonFloat } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import { quantiles, setFull, setFullWire } from './set-full';
import { hist, ms, type Row } from './test-history';
import { toWire } from './wire';

describe('quantiles', () => {
  it('takes sorted[min(n-1, floor(n·p))]', () => {
    expect(quantiles([])).toBeUndefined();
    expect(quantiles([7])).toEqual({ '0': 7, '0.5': 7, '0.95': 7, '0.99': 7, '1': 7 });
    // n = 10: indices 0, 5, 9, 9, 9.
    expect(quantiles([9, 8, 7, 6, 5, 4, 3, 2, 1, 0])).toEqual({ '0': 0, '0.5': 5, '0.95': 9, '0.99': 9, '1': 9 });
    // n = 40: indices 0, 20, 38, 39, 39.
    expect(quantiles(Array.from({ length: 40 }, (_, i) => i * 10))).toEqual({ '0': 0, '0.5': 200, '0.95': 380, '0.99': 390, '1': 390 });
  });
});

describe('setFull', () => {
  // Times in ms. Element 0 is stale (stable 1 ms late), 1 is lost, 2 (add crashed, never seen)
  // is never read, 3 (add never completed, seen by the last read) is stable at once.
  const rows: Row[] = [
    [0, 'invoke', 'broadcast', 0, ms(0)],
    [0, 'ok', 'broadcast', 0, ms(1)],
    [1, 'invoke', 'read', null, ms(2)],
    [1, 'ok', 'read', [], ms(3)],
    [1, 'invoke', 'read', null, ms(10)],
    [1, 'ok', 'read', [0], ms(11)],
    [0, 'invoke', 'broadcast', 1, ms(20)],
    [0, 'ok', 'broadcast', 1, ms(21)],
    [1, 'invoke', 'read', null, ms(30)],
    [1, 'ok', 'read', [0, 1], ms(31)],
    [2, 'invoke', 'read', null, ms(40)],
    [2, 'ok', 'read', [0], ms(41)],
    [0, 'invoke', 'broadcast', 2, ms(50)],
    [0, 'info', 'broadcast', 2, ms(51)],
    [3, 'invoke', 'broadcast', 3, ms(55)],
    [1, 'invoke', 'read', null, ms(60), { final: true }],
    [1, 'ok', 'read', [0, 3], ms(61), { final: true }],
    [4, 'invoke', 'read', null, ms(62)],
    [4, 'fail', 'read', null, ms(63)],
    ['nemesis', 'info', 'start-partition', null, ms(64)],
  ];
  const h = hist(...rows);

  it('classifies stable, lost, never-read and stale elements with their latencies', () => {
    const r = setFull(h, { addF: 'broadcast' });
    expect(r).toEqual({
      valid: false,
      attemptCount: 4,
      stableCount: 2,
      lostCount: 1,
      lost: [1],
      neverReadCount: 1,
      neverRead: [2],
      staleCount: 1,
      stale: [0],
      worstStale: [
        {
          element: 0,
          outcome: 'stable',
          // stable time = last absent invocation (2 ms) + 1 ns; known = add ok at 1 ms.
          stableLatency: 1,
          lostLatency: null,
          known: h[1],
          lastAbsent: h[2],
        },
      ],
      // Element 3: no absent read after its add, so stable time 0 and latency 0.
      stableLatencies: { '0': 0, '0.5': 1, '0.95': 1, '0.99': 1, '1': 1 },
      // Element 1: lost time = last present invocation (30 ms) + 1 ns; known at 21 ms: 9 ms.
      lostLatencies: { '0': 9, '0.5': 9, '0.95': 9, '0.99': 9, '1': 9 },
      duplicatedCount: 0,
      duplicated: [],
    });
  });

  it("is written with Jepsen's keys, the quantile keys and the ops inside kept", () => {
    const w = toWire(setFull(h, { addF: 'broadcast' }), setFullWire) as Record<string, unknown>;
    expect(Object.keys(w)).toEqual([
      'valid?',
      'attempt-count',
      'stable-count',
      'lost-count',
      'lost',
      'never-read-count',
      'never-read',
      'stale-count',
      'stale',
      'worst-stale',
      'duplicated-count',
      'duplicated',
      'stable-latencies',
      'lost-latencies',
    ]);
    expect(w['worst-stale']).toEqual([{ element: 0, outcome: 'stable', 'stable-latency': 1, 'lost-latency': null, known: h[1], 'last-absent': h[2] }]);
    expect(w['stable-latencies']).toEqual({ '0': 0, '0.5': 1, '0.95': 1, '0.99': 1, '1': 1 });
  });

  it('is valid when nothing is lost, even with stale elements', () => {
    const ok = hist(...rows.slice(0, 6), [1, 'invoke', 'read', null, ms(70)], [1, 'ok', 'read', [0], ms(71)]);
    const r = setFull(ok, { addF: 'broadcast' });
    expect(r.valid).toBe(true);
    expect(r.staleCount).toBe(1);
    expect(setFull(ok, { addF: 'broadcast', linearizable: true }).valid).toBe(false);
  });

  it('is unknown when no element became stable', () => {
    expect(setFull([]).valid).toBe('unknown');
    const h2 = hist([0, 'invoke', 'add', 1], [0, 'info', 'add', 1], [1, 'invoke', 'read', null], [1, 'ok', 'read', []]);
    expect(setFull(h2)).toMatchObject({ valid: 'unknown', attemptCount: 1, neverRead: [1], duplicatedCount: 0 });
  });

  it('uses the known time as the earliest of the ok add and the first read that saw it', () => {
    // The read completes (5 ms) before the add's ok (9 ms): known at 5 ms. A read that began at
    // 6 ms missed it; the last read saw it. Stable latency = (6 ms + 1 ns − 5 ms) = 1 ms.
    const h2 = hist(
      [0, 'invoke', 'add', 'x', ms(0)],
      [1, 'invoke', 'read', null, ms(1)],
      [1, 'ok', 'read', ['x'], ms(5)],
      [2, 'invoke', 'read', null, ms(6)],
      [2, 'ok', 'read', [], ms(7)],
      [0, 'ok', 'add', 'x', ms(9)],
      [1, 'invoke', 'read', null, ms(10)],
      [1, 'ok', 'read', ['x'], ms(11)],
    );
    const r = setFull(h2);
    expect(r.valid).toBe(true);
    expect(r.worstStale).toEqual([{ element: 'x', outcome: 'stable', stableLatency: 1, lostLatency: null, known: h2[2], lastAbsent: h2[3] }]);
  });

  it('does not call an element lost when the absent read began before it was known', () => {
    // The absent read is invoked at 2 ms, before the add completes at 3 ms: never read.
    const h2 = hist(
      [0, 'invoke', 'add', 1, ms(0)],
      [1, 'invoke', 'read', null, ms(2)],
      [0, 'ok', 'add', 1, ms(3)],
      [1, 'ok', 'read', [], ms(4)],
    );
    expect(setFull(h2)).toMatchObject({ valid: 'unknown', lostCount: 0, neverRead: [1] });
  });

  it('reports duplicates within a read and fails on them unless allowed', () => {
    const h2 = hist(
      [0, 'invoke', 'add', 1],
      [0, 'ok', 'add', 1],
      [0, 'invoke', 'add', 2],
      [0, 'ok', 'add', 2],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', [1, 2, 1, 1]],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', [2, 1, 2, 9, 9]],
    );
    const r = setFull(h2);
    expect(r).toMatchObject({
      valid: false,
      stableCount: 2,
      lostCount: 0,
      duplicatedCount: 3,
      duplicated: [
        [1, 3],
        [2, 2],
        [9, 2],
      ],
    });
    expect(setFull(h2, { allowDuplicates: true }).valid).toBe(true);
  });

  it('sorts worst-stale by latency, highest first, at most 8', () => {
    // Elements 0..9 added at t = i ms; one read at 100 ms misses all, one at 200 ms sees all.
    const rows2: Row[] = [];
    for (let i = 0; i < 10; i++) rows2.push([0, 'invoke', 'add', i, ms(i)], [0, 'ok', 'add', i, ms(i) + 1]);
    rows2.push([1, 'invoke', 'read', null, ms(100)], [1, 'ok', 'read', [], ms(101)]);
    rows2.push([1, 'invoke', 'read', null, ms(200)], [1, 'ok', 'read', [9, 8, 7, 6, 5, 4, 3, 2, 1, 0], ms(201)]);
    const r = setFull(hist(...rows2));
    expect(r.valid).toBe(true);
    expect(r.staleCount).toBe(10);
    // Latency of i = floor((100 ms + 1 ns − (i ms + 1 ns)) / 1 ms) = 100 − i.
    expect(r.worstStale.map((e) => [e.element, e.stableLatency])).toEqual([
      [0, 100],
      [1, 99],
      [2, 98],
      [3, 97],
      [4, 96],
      [5, 95],
      [6, 94],
      [7, 93],
    ]);
    expect(r.stableLatencies).toEqual({ '0': 91, '0.5': 96, '0.95': 100, '0.99': 100, '1': 100 });
  });

  it('matches elements by value: integers whatever their representation, floats, strings and arrays apart', () => {
    const big = 2n ** 53n + 2n; // beyond the safe integers
    const h2 = hist(
      [0, 'invoke', 'add', 5],
      [0, 'ok', 'add', 5],
      [0, 'invoke', 'add', Number(big)],
      [0, 'ok', 'add', Number(big)],
      [0, 'invoke', 'add', [1, 'a']],
      [0, 'ok', 'add', [1, 'a']],
      [0, 'invoke', 'add', 7],
      [0, 'ok', 'add', 7],
      [1, 'invoke', 'read', null],
      // 5n and 2^53 + 2 as a bigint are the elements added as numbers; 7.0 (a float) and '7' are not 7.
      [1, 'ok', 'read', [5n, big, [1, 'a'], new JsonFloat(7), '7', 5, [1, 'a']]],
    );
    const r = setFull(h2);
    expect(r).toMatchObject({ stableCount: 3, lost: [7], duplicatedCount: 2 });
    expect(r.duplicated).toEqual([
      [5, 2],
      [[1, 'a'], 2],
    ]);
  });

  it('starts an element over when it is added again, and ignores values never added', () => {
    const h2 = hist(
      [0, 'invoke', 'add', 1],
      [0, 'ok', 'add', 1],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', [1, 42]],
      [0, 'invoke', 'add', 1],
      [0, 'ok', 'add', 1],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', [42]],
    );
    const r = setFull(h2);
    // The second add reset element 1: only the last read counts for it, and it missed it.
    expect(r).toMatchObject({ valid: false, attemptCount: 1, lost: [1] });
  });
});
