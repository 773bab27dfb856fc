import { describe, expect, it } from 'vitest';
import type { Op } from '@gyre/history';
import { checkListAppend, renderCycleSvg, type CycleAnomaly, type ElleResult } from './index';
import { concurrentHistory, historyOf, serialHistory, type TxnSpec } from './sim';

const ok = (...mops: unknown[][]): TxnSpec => ({ mops });
const on = (p: number, ...mops: unknown[][]): TxnSpec => ({ p, mops });
const fail = (...mops: unknown[][]): TxnSpec => ({ type: 'fail', mops });
const info = (...mops: unknown[][]): TxnSpec => ({ type: 'info', mops });
const a = (k: unknown, v: unknown) => ['append', k, v];
const r = (k: unknown, v: unknown) => ['r', k, v];

/** The models that need the process graph but not the real-time one. */
const SESSION = { consistencyModels: ['strong-session-serializable'] };

function cycle(res: ElleResult, type: string): CycleAnomaly {
  const c = res.anomalies?.[type]?.[0] as CycleAnomaly | undefined;
  if (!c) throw new Error(`no ${type} in ${JSON.stringify(res.anomalyTypes)}`);
  return c;
}

describe('list-append: valid histories', () => {
  it('a serial history of appends and reads is valid', () => {
    const h = serialHistory(ok(a('x', 1), r('y', null)), ok(r('x', [1]), a('y', 1)), ok(r('x', [1]), r('y', [1]), a('x', 2)), ok(r('x', [1, 2])));
    expect(checkListAppend(h)).toEqual({ valid: true });
  });

  it('concurrent transactions may be ordered either way', () => {
    const h = concurrentHistory(ok(a('x', 1)), ok(r('x', null)), ok(r('x', [1])));
    expect(checkListAppend(h)).toEqual({ valid: true });
  });

  it('ops without process or time are accepted', () => {
    const h: Op[] = serialHistory(ok(a(1, 1)), ok(r(1, [1]))).map(({ process, time, ...rest }) => {
      void process;
      void time;
      return rest as Op;
    });
    expect(checkListAppend(h)).toEqual({ valid: true });
  });

  it('compares keys and values as Clojure does: 5 and 5n are equal, "5" is another key', () => {
    const same = serialHistory(ok(a(5, 1n)), ok(r(5n, [1])));
    expect(checkListAppend(same)).toEqual({ valid: true });
    expect(checkListAppend(serialHistory(ok(a(5, 1)), ok(a(5n, 1)))).error?.type).toBe('duplicate-appends');
    expect(checkListAppend(serialHistory(ok(a('5', 1)), ok(a(5, 1)), ok(r(5, [1]), r('5', [1]))))).toEqual({ valid: true });
  });

  it('an info transaction may or may not have happened', () => {
    const seen = serialHistory(info(a('x', 1)), ok(r('x', [1])));
    expect(checkListAppend(seen)).toEqual({ valid: true });
    const unseen = serialHistory(info(a('x', 1)), ok(r('x', null)), ok(a('x', 2)), ok(r('x', [2])));
    expect(checkListAppend(unseen)).toEqual({ valid: true });
  });
});

describe('list-append: one planted anomaly each', () => {
  const cases: [string, Op[], object, string[], string[]][] = [
    ['G0', concurrentHistory(ok(a('x', 1), a('y', 2)), ok(a('x', 2), a('y', 1)), ok(r('x', [1, 2]), r('y', [1, 2]))), {}, ['G0'], ['read-uncommitted']],
    ['G1c', concurrentHistory(ok(a('x', 1), r('y', [1])), ok(a('y', 1), r('x', [1]))), {}, ['G1c'], ['read-committed']],
    ['G-single', concurrentHistory(ok(r('x', null), r('y', [1])), ok(a('x', 1), a('y', 1))), {}, ['G-single'], ['consistent-view']],
    [
      'G-nonadjacent',
      concurrentHistory(ok(r('a', null), r('d', [1])), ok(a('a', 1), a('b', 1)), ok(r('b', [1]), r('c', null)), ok(a('c', 1), a('d', 1))),
      {},
      ['G-nonadjacent'],
      ['snapshot-isolation'],
    ],
    ['G2-item', concurrentHistory(ok(r('x', null), a('y', 1)), ok(r('y', null), a('x', 1))), {}, ['G2-item'], ['repeatable-read']],
    // Process variants: the process graph alone, for a strong-session model.
    [
      'G0-process',
      historyOf([on(1, a('x', 2)), on(1, a('x', 1)), on(2, r('x', [1, 2]))], ['i2', 'i0', 'c0', 'i1', 'c1', 'c2']),
      SESSION,
      ['G0-process'],
      ['strong-session-read-uncommitted'],
    ],
    [
      'G1c-process',
      historyOf([on(1, r('y', [1])), on(1, a('y', 1))], ['i0', 'c0', 'i1', 'c1']),
      SESSION,
      ['G1c-process'],
      ['strong-session-read-committed'],
    ],
    [
      'G-single-process',
      historyOf([on(1, a('x', 1)), on(1, r('x', null))], ['i0', 'c0', 'i1', 'c1']),
      SESSION,
      ['G-single-process'],
      ['strong-session-snapshot-isolation'],
    ],
    [
      'G-nonadjacent-process',
      historyOf(
        [on(1, r('a', null)), on(2, a('a', 1)), on(2, r('b', null)), on(1, a('b', 1))],
        ['i3', 'i1', 'c3', 'c1', 'i0', 'i2', 'c0', 'c2'],
      ),
      SESSION,
      ['G-nonadjacent-process'],
      ['strong-session-snapshot-isolation'],
    ],
    [
      'G2-item-process',
      historyOf([on(1, r('a', null)), on(2, a('a', 1), r('b', null)), on(1, a('b', 1))], ['i2', 'i1', 'c2', 'i0', 'c0', 'c1']),
      SESSION,
      ['G2-item-process'],
      ['strong-session-serializable'],
    ],
    // Real-time variants, under the default strict-serializable.
    ['G0-realtime', historyOf([ok(a('x', 2)), ok(a('x', 1)), ok(r('x', [1, 2]))], ['i2', 'i0', 'c0', 'i1', 'c1', 'c2']), {}, ['G0-realtime'], ['strong-read-uncommitted']],
    ['G1c-realtime', serialHistory(ok(r('y', [1])), ok(a('y', 1))), {}, ['G1c-realtime'], ['strong-read-committed']],
    ['G-single-realtime', serialHistory(ok(a('x', 1)), ok(r('x', null))), {}, ['G-single-realtime'], ['strong-snapshot-isolation']],
    [
      'G-nonadjacent-realtime',
      historyOf(
        [ok(r('a', null)), ok(a('a', 1), a('b', 1)), ok(r('b', [1]), r('c', null)), ok(a('c', 1))],
        ['i3', 'i1', 'i2', 'c3', 'i0', 'c0', 'c1', 'c2'],
      ),
      {},
      ['G-nonadjacent-realtime'],
      ['strong-snapshot-isolation'],
    ],
    [
      'G2-item-realtime',
      historyOf([ok(r('a', null)), ok(a('a', 1), r('b', null)), ok(a('b', 1))], ['i2', 'i1', 'c2', 'i0', 'c0', 'c1']),
      {},
      ['G2-item-realtime'],
      ['strict-serializable'],
    ],
    // Non-cycle anomalies.
    ['G1a', serialHistory(fail(a('x', 1)), ok(a('y', 1)), ok(r('x', [1]))), {}, ['G1a'], ['read-committed']],
    // Reading an intermediate append also misses the writer's next one: a G-single comes with it.
    ['G1b', serialHistory(ok(a('x', 1), a('x', 2)), ok(r('x', [1]))), {}, ['G-single', 'G1b'], ['read-committed']],
    ['internal', serialHistory(ok(a('y', 1)), ok(a('x', 1), r('x', []))), {}, ['internal'], ['read-atomic']],
    ['future-read', serialHistory(ok(a('y', 1)), ok(r('x', [1]), a('x', 1))), {}, ['future-read'], ['read-committed']],
    ['dirty-update', serialHistory(fail(a('x', 1)), ok(a('x', 2)), info(r('x', [1, 2]))), {}, ['dirty-update'], ['read-committed']],
    ['duplicate-elements', serialHistory(ok(a('x', 1)), ok(r('x', [1, 1]))), {}, ['duplicate-elements'], ['read-uncommitted']],
    [
      'incompatible-order',
      concurrentHistory(ok(a('x', 1)), ok(a('x', 2)), ok(r('x', [1, 2])), ok(r('x', [2, 1]))),
      {},
      ['incompatible-order'],
      ['read-committed'],
    ],
    // Two transactions read the same state and both append: a lost update, which is also a G2-item cycle.
    [
      'lost-update',
      concurrentHistory(ok(r('x', null), a('x', 1)), ok(r('x', null), a('x', 2))),
      {},
      ['G2-item', 'lost-update'],
      ['ROLA', 'cursor-stability'],
    ],
  ];

  for (const [name, history, opts, types, not] of cases) {
    it(`${name} is reported, ruling out ${not.join(' and ')}`, () => {
      const res = checkListAppend(history, opts);
      expect(res.valid).toBe(false);
      expect(res.anomalyTypes).toEqual(types);
      expect(res.not).toEqual(not);
    });
  }

  it('a cycle comes with steps and a readable explanation', () => {
    const res = checkListAppend(concurrentHistory(ok(r('x', null), r('y', [1])), ok(a('x', 1), a('y', 1))));
    const c = cycle(res, 'G-single');
    expect(c.cycle).toHaveLength(3);
    expect(c.cycle[0]).toBe(c.cycle[2]);
    expect(c.steps.map((s) => s.type).sort()).toEqual(['rw', 'wr']);
    const rw = c.steps.find((s) => s.type === 'rw')!;
    expect(rw).toMatchObject({ key: 'x', value: null, nextValue: 1 });
    const wr = c.steps.find((s) => s.type === 'wr')!;
    expect(wr).toMatchObject({ key: 'y', value: 1 });
    expect(c.explanation).toContain('observed');
    expect(c.explanation).toMatch(/T1 = op \d+/);
    expect(c.explanation).toMatch(/a contradiction!\nSo T1 < T2 < T1\.$/);
  });

  it('explains real-time and process edges', () => {
    const rt = cycle(checkListAppend(serialHistory(ok(a('x', 1)), ok(r('x', null)))), 'G-single-realtime');
    expect(rt.steps.find((s) => s.type === 'realtime')).toMatchObject({ aIndex: 1, bIndex: 2 });
    const p = cycle(checkListAppend(historyOf([on(7, a('x', 1)), on(7, r('x', null))], ['i0', 'c0', 'i1', 'c1']), SESSION), 'G-single-process');
    expect(p.steps.find((s) => s.type === 'process')).toMatchObject({ process: 7 });
  });

  it('draws a cycle as SVG', () => {
    const c = cycle(checkListAppend(concurrentHistory(ok(r(1, null), a(2, 10)), ok(r(2, null), a(1, 20)))), 'G2-item');
    const svg = renderCycleSvg(c);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg.match(/<rect [^>]*rx="6"/g)).toHaveLength(2);
    expect(svg).toContain('[append 2 10]');
    expect(svg).toContain('>rw 1<');
    expect(svg).toContain('stroke="#d62728"');
    expect(svg).toContain('G2-item: 2 transactions');
  });
});

describe('list-append: verdicts and options', () => {
  it('a forbidden anomaly makes the result false; one the models allow is reported only if reportable', () => {
    const skew = concurrentHistory(ok(r('x', null), a('y', 1)), ok(r('y', null), a('x', 1)));
    expect(checkListAppend(skew, { consistencyModels: ['snapshot-isolation'] })).toEqual({ valid: true });
    expect(checkListAppend(skew, { consistencyModels: ['serializable'] }).valid).toBe(false);
    expect(checkListAppend(skew, { consistencyModels: ['PL-2.99'] }).valid).toBe(false);
    expect(checkListAppend(skew, { consistencyModels: ['read-committed'], anomalies: ['G2-item'] }).valid).toBe(false);
  });

  it('an unknown model is an error value, not an exception', () => {
    const res = checkListAppend([], { consistencyModels: ['serialisable'] });
    expect(res.valid).toBe('unknown');
    expect(res.error?.type).toBe('unknown-consistency-model');
    expect(res.error?.message).toContain('strict-serializable');
  });

  it('malformed histories are unknown: duplicate appends, foreign micro-ops', () => {
    const dup = checkListAppend(serialHistory(ok(a('x', 1)), ok(a('x', 1))));
    expect(dup).toMatchObject({ valid: 'unknown', error: { type: 'duplicate-appends', key: 'x', value: 1 } });
    const foreign = checkListAppend(serialHistory(ok(['w', 'x', 1])));
    expect(foreign).toMatchObject({ valid: 'unknown', error: { type: 'unexpected-txn-micro-op-types' } });
  });

  it('a history without dependencies is unknown (empty transaction graph)', () => {
    const res = checkListAppend(serialHistory(fail(a('x', 1)), fail(a('x', 2))));
    expect(res).toMatchObject({ valid: 'unknown', anomalyTypes: ['empty-transaction-graph'] });
  });

  it('nemesis ops and non-transaction ops are ignored', () => {
    const h: Op[] = [
      { index: 0, time: 0, type: 'info', process: 'nemesis', f: 'start-partition', value: 'majority' },
      ...serialHistory(ok(a('x', 1)), ok(r('x', [1]))).map((op) => ({ ...op, index: op.index + 1 })),
    ];
    expect(checkListAppend(h)).toEqual({ valid: true });
  });
});

/** The weakest models: an anomaly they all forbid rules out every model. */
const EVERY_WEAKEST = ['1SR', 'monotonic-reads', 'monotonic-writes', 'read-uncommitted', 'read-your-writes', 'view-serializable', 'writes-follow-reads'];

describe('list-append: reads no execution could give', () => {
  it('a read of an element nobody appended is a garbage read, invalid under every model', () => {
    const h = serialHistory(ok(a('x', 1)), ok(r('x', [1, 7])));
    for (const model of ['strict-serializable', 'read-uncommitted', 'monotonic-reads', 'view-serializable']) {
      const res = checkListAppend(h, { consistencyModels: [model] });
      expect(res.valid, model).toBe(false);
      // (Models without real-time order see no dependency at all here: an empty graph too.)
      expect((res.anomalyTypes ?? []).filter((t) => t !== 'empty-transaction-graph'), model).toEqual(['garbage-read']);
    }
    const res = checkListAppend(h);
    expect(res.not).toEqual(EVERY_WEAKEST);
    expect(res.alsoNot).toContain('serializable');
    // Which read, which value, and that nobody appended it.
    expect(res.anomalies!['garbage-read']).toEqual([{ op: h[3], mop: ['r', 'x', [1, 7]], key: 'x', elements: [7] }]);
  });

  it('an element appended by a failed transaction is G1a, by an info one a possible read, by none a garbage read', () => {
    expect(checkListAppend(serialHistory(fail(a('x', 7)), ok(r('x', [7])))).anomalyTypes).toEqual(['G1a', 'empty-transaction-graph']);
    expect(checkListAppend(serialHistory(info(a('x', 7)), ok(r('x', [7])))).valid).toBe(true);
    // Garbage in a read that is not a prefix of the others is found too.
    const res = checkListAppend(concurrentHistory(ok(a('x', 1), a('x', 2)), ok(r('x', [1, 2])), ok(r('x', [2, 8]))));
    expect(res.anomalyTypes).toContain('garbage-read');
    expect(res.anomalies!['garbage-read']).toMatchObject([{ elements: [8] }]);
  });

  it("a transaction's appends read in another order than it made them: out-of-order-appends", () => {
    const h = concurrentHistory(ok(a('x', 1), a('x', 2), a('x', 3)), ok(r('x', [2, 1, 3])));
    for (const model of ['strict-serializable', 'serializable', 'read-uncommitted']) {
      const res = checkListAppend(h, { consistencyModels: [model] });
      expect(res.valid, model).toBe(false);
      expect(res.anomalyTypes, model).toEqual(['out-of-order-appends']);
    }
    const res = checkListAppend(h);
    expect(res.not).toEqual(EVERY_WEAKEST);
    expect(res.anomalies!['out-of-order-appends']).toEqual([{ key: 'x', op: h[2], values: [1, 2, 3], reader: h[3], mop: ['r', 'x', [2, 1, 3]] }]);
  });

  it('a later append seen without an earlier one of the same transaction is out of order too; in order is valid', () => {
    // (1 then comes after 2, so the reader also missed it: a G-single with the appender.)
    const skipped = checkListAppend(concurrentHistory(ok(a('x', 1), a('x', 2)), ok(r('x', [2]))));
    expect(skipped.anomalyTypes).toEqual(['G-single', 'out-of-order-appends']);
    expect(checkListAppend(concurrentHistory(ok(a('x', 1), a('x', 2), a('x', 3)), ok(r('x', [1, 2, 3])))).valid).toBe(true);
    // Reading only the first of them is an intermediate read (G1b, with its G-single), not an order problem.
    expect(checkListAppend(concurrentHistory(ok(a('x', 1), a('x', 2)), ok(r('x', [1])))).anomalyTypes).toEqual(['G-single', 'G1b']);
  });
});

describe('list-append: edges with several relations', () => {
  it('an edge that is both rw and real-time closes a real-time cycle, so no cycle-exists comes without a concrete cycle', () => {
    // T0 read y up to 1 and did not see T3's append of 2 (rw), and completed before T3 was
    // invoked (real-time); T3's append of 2 to x is in T0's read (wr). Read as rw only, the edge
    // left "strong-PL-2-cycle-exists" with no cycle to show.
    const h = historyOf(
      [on(0, r('x', [1, 2]), r('y', [1]), r('x', [1, 2])), on(1, a('x', 1), r('z', [])), info(a('y', 1), a('z', 1)), { p: 3, type: 'info', mops: [a('x', 2), a('y', 2), r('y', null)] }],
      ['i1', 'c1', 'i2', 'c2', 'i0', 'c0', 'i3', 'c3'],
    );
    const res = checkListAppend(h);
    expect(res.valid).toBe(false);
    expect(res.anomalyTypes).toEqual(['G-single', 'G1c-realtime']);
    const c = cycle(res, 'G1c-realtime');
    expect(c.steps.map((s) => s.type)).toEqual(['wr', 'realtime']);
  });
});
