import type { Op } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import { casRegister, linearizable, linKv, register } from './index';
import { prepare } from './prepare';

type Row = [process: Op['process'] | string, type: Op['type'], f: string, value: unknown];
const hist = (...rows: Row[]): Op[] => rows.map(([process, type, f, value], index) => ({ index, time: index, type, process: process as Op['process'], f, value }));

describe('which processes are clients', () => {
  it('checks ops of processes named by strings ("c0", as Jepsen keywords read), not only integers', () => {
    // A write of 1 completes, then a read sees 2: not linearizable, whatever the processes are called.
    const bad = hist(['c0', 'invoke', 'write', 1], ['c0', 'ok', 'write', 1], ['c1', 'invoke', 'read', null], ['c1', 'ok', 'read', 2]);
    const r = linearizable(bad, { model: register() });
    expect(r.valid).toBe(false);
    expect(r.opCount).toBe(2);
    expect(r.failure?.op).toMatchObject({ process: 'c1', f: 'read', value: 2 });
    const good = hist(['c0', 'invoke', 'write', 1], ['c0', 'ok', 'write', 1], ['c1', 'invoke', 'read', null], ['c1', 'ok', 'read', 1]);
    expect(linearizable(good, { model: register() })).toMatchObject({ valid: true, opCount: 2 });
  });

  it('pairs invocations and completions per named process', () => {
    // c1 reads 1 while c0's write of 1 runs, so that write came first; then c1 writes 2. c0's last read must see 2.
    const h = hist(['c0', 'invoke', 'write', 1], ['c1', 'invoke', 'read', null], ['c1', 'ok', 'read', 1], ['c1', 'invoke', 'write', 2], ['c1', 'ok', 'write', 2], ['c0', 'ok', 'write', 1], ['c0', 'invoke', 'read', null], ['c0', 'ok', 'read', 2]);
    expect(linearizable(h, { model: casRegister() }).valid).toBe(true);
    h[7]!.value = 1;
    expect(linearizable(h, { model: casRegister() }).valid).toBe(false);
  });

  it('ignores the nemesis', () => {
    const h = hist(['nemesis', 'info', 'start-partition', null], [0, 'invoke', 'write', 1], [0, 'ok', 'write', 1], ['nemesis', 'info', 'write', 5], [1, 'invoke', 'read', null], [1, 'ok', 'read', 1]);
    expect(linearizable(h, { model: register() })).toMatchObject({ valid: true, opCount: 2 });
  });
});

describe('pairing', () => {
  /** Each prepared op as [invocation position, completion position or -1 when not ok, known]. */
  const shape = (h: Op[]) => prepare(h, register()).partitions.flatMap((p) => p.ops.map((o) => [o.invPos, o.completion ? h.indexOf(o.completion) : -1, o.known]));

  it('pairs each invocation with the next entry of its process, whatever the process is called', () => {
    // Small integers, a large one, a negative one, a non-integer, a string "0" apart from 0.
    const procs: Op['process'][] = [0, 70_000, -1, 1.5 as number, '0' as unknown as number, 3];
    const rows: Row[] = [];
    for (const p of procs) rows.push([p, 'invoke', 'write', 1]);
    for (const p of [...procs].reverse()) rows.push([p, p === 3 ? 'info' : 'ok', 'write', 1]);
    const h = hist(...rows);
    const n = procs.length;
    // Process i's invocation is at i, its completion at 2n - 1 - i; process 3's is info (not known).
    expect(shape(h)).toEqual(procs.map((p, i) => [i, 2 * n - 1 - i, p !== 3]));
  });

  it('takes a second invocation before a completion as the open one, and ignores completions without one', () => {
    const h = hist([0, 'ok', 'write', 9], [0, 'invoke', 'write', 1], [0, 'invoke', 'write', 2], [0, 'ok', 'write', 2], [0, 'ok', 'write', 3]);
    expect(shape(h)).toEqual([
      [1, -1, false],
      [2, 3, true],
    ]);
  });
});

describe('a history with nothing to check', () => {
  it.each<[string, Op[]]>([
    ['an empty history', []],
    ['only nemesis entries', hist(['nemesis', 'info', 'start', null], ['nemesis', 'info', 'stop', null])],
    ['only failed ops', hist([0, 'invoke', 'write', 1], [0, 'fail', 'write', 1])],
    ['only reads that never answered', hist([0, 'invoke', 'read', null], [0, 'info', 'read', null], [1, 'invoke', 'read', null])],
  ])('%s is unknown (no-operations), never valid', (_, h) => {
    const r = linearizable(h, { model: linKv() });
    expect(r.valid).toBe('unknown');
    expect(r.cause).toBe('no-operations');
    expect(r.opCount).toBe(0);
  });
});
