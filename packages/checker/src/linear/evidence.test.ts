import type { Op } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import { casRegister, linearizable, linKv, register, renderLinearSvg, stringKv } from './index';

/** Ten sequential writes of 1..10 by process 0, noise from process 1 (reads of the latest value, concurrent), then a stale read of 3 by process 2. */
function staleRead(): Op[] {
  const h: Op[] = [];
  const push = (process: number, type: Op['type'], f: string, value: unknown): void => {
    h.push({ index: h.length, time: h.length * 1000, type, process, f, value });
  };
  for (let v = 1; v <= 10; v++) {
    push(0, 'invoke', 'write', v);
    push(1, 'invoke', 'read', null);
    push(0, 'ok', 'write', v);
    push(1, 'ok', 'read', v);
  }
  push(3, 'invoke', 'write', 42); // never completes
  push(2, 'invoke', 'read', null);
  push(2, 'ok', 'read', 3);
  return h;
}

describe('evidence for a non-linearizable history', () => {
  const history = staleRead();
  const result = linearizable(history, { model: casRegister(), explainTimeLimit: 60_000 });
  const failure = result.failure!;

  it('names the op that could not be linearized and why', () => {
    expect(result.valid).toBe(false);
    expect(failure.op).toMatchObject({ index: 41, completionIndex: 42, process: 2, f: 'read', value: 3, known: true, description: 'read → 3' });
    // After the longest prefix the register holds 10, or 42 if the pending write took effect.
    expect(failure.reason).toMatch(/^can't read 3 from register (10|42)$/);
    expect(failure.explanation).toContain('read → 3');
    expect(failure.explanation).toContain('process 2');
  });

  it('lists the states the register can be in just before it', () => {
    // Every write completed before the read was invoked, and the pending write of 42 may have happened.
    expect(failure.states.map((s) => s.description).sort()).toEqual(['10', '42']);
    expect(failure.statesTruncated).toBe(false);
  });

  it('gives the longest linearizable prefix in linearization order', () => {
    const writes = failure.longestPrefix.map((i) => history[i]!).filter((op) => op.f === 'write');
    expect(writes.map((op) => op.value).slice(0, 10)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(failure.longestPrefix).not.toContain(41);
    expect(result.partitions[0]!.longestPrefix).toEqual(failure.longestPrefix);
  });

  it('shrinks to a small stretch: a write or read of 3, the write of 4, and the stale read', () => {
    expect(failure.stretch.ops).toHaveLength(3);
    const [first, second] = failure.stretch.ops.map((i) => history[i]!);
    expect(first!.value === 3 || (first!.f === 'read' && history[first!.index + 2]!.value === 3)).toBe(true);
    expect(second).toMatchObject({ f: 'write', value: 4 });
    expect(failure.stretch.ops).toContain(41);
    expect(failure.stretch.to).toBe(42);
    expect(failure.stretch.from).toBeLessThanOrEqual(failure.stretch.ops[0]!);
    // Reads whose outcome is forgotten constrain nothing and are gone; writes stay, as uncertain.
    expect(failure.stretch.uncertain.every((i) => history[i]!.f === 'write')).toBe(true);
    expect(failure.stretch.truncated).toBe(false);
    const stretchOnly = [...failure.stretch.ops, ...failure.stretch.uncertain];
    expect(new Set(stretchOnly).size).toBe(stretchOnly.length);
  });

  it('skips the work with explain: false, keeping the failing op of the longest prefix', () => {
    const quick = linearizable(history, { model: casRegister(), explain: false });
    expect(quick.valid).toBe(false);
    expect(quick.failure!.op.index).toBe(41);
    expect(quick.failure!.stretch.truncated).toBe(true);
  });

  it('finds the first failing op, not a later one, when several fail', () => {
    const h = staleRead();
    const n = h.length;
    h.push({ index: n, time: 0, type: 'invoke', process: 2, f: 'read', value: null }, { index: n + 1, time: 0, type: 'ok', process: 2, f: 'read', value: 5 });
    const r = linearizable(h, { model: register() });
    expect(r.failure!.op.index).toBe(41);
  });
});

describe('renderLinearSvg', () => {
  const history = staleRead();
  const result = linearizable(history, { model: casRegister() });
  const svg = renderLinearSvg(result, history);
  const count = (re: RegExp): number => (svg.match(re) ?? []).length;

  it('is one SVG document with balanced groups', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(count(/<g[ >]/g)).toBe(count(/<\/g>/g));
  });

  it('draws every op of the partition, one row per process', () => {
    const ops = history.filter((o) => o.type === 'invoke').length;
    expect(count(/<g class="op[ "]/g)).toBe(ops);
    for (const p of [0, 1, 2, 3]) expect(svg).toContain(`>process ${p}</text>`);
  });

  it('highlights the longest linearization and marks the failing op', () => {
    expect(count(/class="op failing"/g)).toBe(1);
    expect(svg).toContain('class="op failing" data-index="41"');
    expect(count(/class="op linearized"/g)).toBe(result.failure!.longestPrefix.length);
    expect(count(/<text class="order"/g)).toBe(result.failure!.longestPrefix.length);
    expect(svg).toMatch(/data-index="0"><title>[^<]*#1 in the longest linearization/);
    expect(svg).toContain('class="failure-point"');
  });

  it('has a legend and tooltips', () => {
    expect(svg).toContain('class="legend"');
    for (const label of ['longest linearization', 'could not be linearized', 'failing stretch', 'outcome unknown']) expect(svg).toContain(label);
    expect(count(/<title>/g)).toBe(count(/<g class="op[ "]/g));
  });

  it('escapes text', () => {
    const h: Op[] = [
      { index: 0, time: 0, type: 'invoke', process: 0, f: 'put', value: '<b>&', key: 'k' },
      { index: 1, time: 0, type: 'ok', process: 0, f: 'put', value: '<b>&', key: 'k' },
      { index: 2, time: 0, type: 'invoke', process: 0, f: 'get', value: null, key: 'k' },
      { index: 3, time: 0, type: 'ok', process: 0, f: 'get', value: 'x', key: 'k' },
    ];
    const out = renderLinearSvg(linearizable(h, { model: stringKv() }), h);
    expect(out).not.toContain('<b>');
    expect(out).toContain('&lt;b&gt;&amp;');
  });

  it('says there is nothing to draw for a valid history', () => {
    const h = history.slice(0, 40);
    const out = renderLinearSvg(linearizable(h, { model: casRegister() }), h);
    expect(out).toContain('Linearizable');
    expect(out).not.toContain('class="op');
  });
});

describe('how much evidence is gathered', () => {
  // Keys 1 and 3 each have a stale read; key 2 is fine.
  const h: Op[] = [];
  const push = (process: number, type: Op['type'], f: string, value: unknown): void => {
    h.push({ index: h.length, time: h.length, type, process, f, value });
  };
  for (const k of [1, 2, 3]) {
    push(0, 'invoke', 'write', [k, 1]);
    push(0, 'ok', 'write', [k, 1]);
    push(0, 'invoke', 'write', [k, 2]);
    push(0, 'ok', 'write', [k, 2]);
    push(1, 'invoke', 'read', [k, null]);
    push(1, 'ok', 'read', [k, k === 2 ? 2 : 1]);
  }

  it("explains every invalid partition with explain: 'all'", () => {
    const r = linearizable(h, { model: linKv(), allPartitions: true, explain: 'all' });
    expect(r.valid).toBe(false);
    expect(r.failures!.map((f) => f.key)).toEqual([1, 3]);
    expect(r.failure).toBe(r.failures![0]);
    for (const f of r.failures!) {
      expect(f.op).toMatchObject({ f: 'read', value: [f.key, 1] });
      expect(f.stretch.ops).toContain(f.op.index);
      expect(f.states.map((s) => s.description)).toEqual(['2']);
    }
  });

  it("lists no failures on a valid history, even with explain: 'all'", () => {
    const ok = h.filter((o) => !(o.f === 'read' && o.type === 'ok' && (o.value as [number, number])[0] !== 2));
    const r = linearizable(ok, { model: linKv(), allPartitions: true, explain: 'all' });
    expect(r.valid).toBe(true);
    expect(r).not.toHaveProperty('failures');
  });

  it('explains only the first by default, and builds a brief failure from the search alone with explain: false', () => {
    const first = linearizable(h, { model: linKv(), allPartitions: true });
    expect(first.failures).toBeUndefined();
    expect(first.failure!.key).toBe(1);
    expect(first.failure!.stretch.truncated).toBe(false);
    const brief = linearizable(h, { model: linKv(), allPartitions: true, explain: false });
    expect(brief.failure).toMatchObject({ key: 1, op: { f: 'read', value: [1, 1] }, reason: "can't read 1 from register 2", statesTruncated: true });
    expect(brief.failure!.stretch.truncated).toBe(true);
  });
});
