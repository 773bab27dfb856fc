import { describe, expect, it } from 'vitest';
import type { Op } from '@gyre/history';
import { latencyQuantilesSvg, latencyRawSvg, rateSvg, latencyPoints, quantile, rates, OUTCOME_COLORS, NEMESIS_COLOR } from './plots';
import { nemesisPeriods } from './nemesis';
import { find, parseXml, textOf, type El } from '../test/xml';

const S = 1e9;
const MS = 1e6;

/** A fixed 10-second history: reads and writes on two processes, a partition from 2 s to 4 s, a kill from 6 s to 7 s. */
function fixture(): Op[] {
  const raw: Omit<Op, 'index'>[] = [
    { time: 0.5 * S, type: 'invoke', process: 0, f: 'read', value: null },
    { time: 0.5 * S + 10 * MS, type: 'ok', process: 0, f: 'read', value: 1 },
    { time: 1 * S, type: 'invoke', process: 1, f: 'write', value: 1 },
    { time: 1 * S + 200 * MS, type: 'fail', process: 1, f: 'write', value: 1, error: 'cas' },
    { time: 2 * S, type: 'invoke', process: 'nemesis', f: 'start-partition', value: null },
    { time: 2 * S, type: 'info', process: 'nemesis', f: 'start-partition', value: [['n0'], ['n1', 'n2']] },
    { time: 2.5 * S, type: 'invoke', process: 0, f: 'read', value: null },
    { time: 3.5 * S, type: 'info', process: 0, f: 'read', value: null, error: 'net-timeout' },
    { time: 4 * S, type: 'invoke', process: 'nemesis', f: 'stop-partition', value: null },
    { time: 4 * S, type: 'info', process: 'nemesis', f: 'stop-partition', value: 'healed' },
    { time: 5 * S, type: 'invoke', process: 2, f: 'write', value: 2 },
    { time: 5 * S + 3 * MS, type: 'ok', process: 2, f: 'write', value: 2 },
    { time: 6 * S, type: 'info', process: 'nemesis', f: 'kill', value: ['n1'] },
    { time: 7 * S, type: 'info', process: 'nemesis', f: 'start', value: ['n1'] },
    { time: 8 * S, type: 'invoke', process: 1, f: 'read', value: null },
    { time: 8 * S + 1 * MS, type: 'ok', process: 1, f: 'read', value: 2 },
    { time: 9 * S, type: 'invoke', process: 2, f: 'write', value: 3 },
    { time: 9 * S + 2 * MS, type: 'ok', process: 2, f: 'write', value: 3 },
    { time: 10 * S, type: 'invoke', process: 0, f: 'read', value: null },
  ];
  return raw.map((op, index) => ({ ...op, index }) as Op);
}

function svgOf(text: string): El {
  const root = parseXml(text);
  expect(root.children).toHaveLength(1);
  expect(root.children[0]!.tag).toBe('svg');
  return root.children[0]!;
}

function axis(svg: El, which: 'x-axis' | 'y-axis'): { label: string; ticks: Map<number, number> } {
  const [g] = find(svg, 'g', which);
  expect(g, `${which} present`).toBeDefined();
  const ticks = new Map<number, number>();
  for (const t of find(g!, 'g', 'tick')) {
    const line = t.children.find((c) => c.tag === 'line')!;
    ticks.set(Number(t.attrs['data-value']), Number(which === 'x-axis' ? line.attrs['x1'] : line.attrs['y1']));
  }
  return { label: textOf(find(g!, 'text', 'axis-label')[0]!), ticks };
}

function legendKeys(svg: El): string[] {
  return find(svg, 'g', 'legend-entry').map((e) => e.attrs['data-key']!);
}

function series(svg: El): Record<string, string>[] {
  return find(svg, 'g', 'series').map((g) => ({ ...g.attrs }));
}

function nemesisRects(svg: El): { kind: string; x: number; w: number }[] {
  return find(svg, 'rect', 'nemesis-period').map((r) => {
    expect(r.attrs['fill']).toBe(NEMESIS_COLOR);
    return { kind: r.attrs['data-kind']!, x: Number(r.attrs['x']), w: Number(r.attrs['width']) };
  });
}

describe('nemesisPeriods', () => {
  it('pairs start-X with stop-X and kill with start, taking the value of the fault', () => {
    const ps = nemesisPeriods(fixture());
    expect(ps.map((p) => [p.kind, p.start / S, p.end / S, p.open])).toEqual([
      ['partition', 2, 4, false],
      ['kill', 6, 7, false],
    ]);
    expect(ps[0]!.value).toEqual([['n0'], ['n1', 'n2']]);
  });

  it('runs a fault that never stops to the end of the history', () => {
    const h = fixture().filter((op) => op.f !== 'start');
    const kill = nemesisPeriods(h).find((p) => p.kind === 'kill')!;
    expect(kill.open).toBe(true);
    expect(kill.end).toBe(10 * S);
  });

  it('pairs pause/resume and ignores stops without a start', () => {
    const h: Op[] = [
      { index: 0, time: 1, type: 'info', process: 'nemesis', f: 'resume', value: null },
      { index: 1, time: 5, type: 'info', process: 'nemesis', f: 'pause', value: null },
      { index: 2, time: 9, type: 'info', process: 'nemesis', f: 'resume', value: null },
    ];
    expect(nemesisPeriods(h).map((p) => [p.kind, p.start, p.end])).toEqual([['pause', 5, 9]]);
  });
});

describe('latency-raw.svg', () => {
  const h = fixture();
  const svg = svgOf(latencyRawSvg(h));

  it('is an SVG with both axes, units in their labels, and ticks', () => {
    expect(svg.attrs['data-plot']).toBe('latency-raw');
    const x = axis(svg, 'x-axis');
    const y = axis(svg, 'y-axis');
    expect(x.label).toBe('time (s)');
    expect(y.label).toBe('latency (ms)');
    expect([...x.ticks.keys()]).toEqual([0, 2, 4, 6, 8, 10]);
    // Log scale: decades 1 ms .. 10 s cover 1 ms .. 1000 ms; ticks at powers of ten lie equally spaced.
    const decades = [...y.ticks.entries()].filter(([v]) => Number.isInteger(Math.log10(v)));
    expect(decades.length).toBeGreaterThanOrEqual(4);
    const gaps = decades.slice(1).map(([, py], i) => decades[i]![1] - py);
    for (const g of gaps) expect(g).toBeCloseTo(gaps[0]!, 0);
  });

  it('has one series per (f, outcome), coloured by outcome, with a legend entry each', () => {
    const ss = series(svg);
    expect(ss.map((s) => `${s['data-f']}:${s['data-type']}:${s['data-count']}`).sort()).toEqual(['read:info:1', 'read:ok:2', 'write:fail:1', 'write:ok:2']);
    for (const g of find(svg, 'g', 'series')) {
      const path = g.children[0]!;
      expect(path.attrs['fill']).toBe(OUTCOME_COLORS[g.attrs['data-type'] as 'ok']);
    }
    expect(legendKeys(svg)).toEqual(['read:ok', 'read:info', 'write:ok', 'write:fail', 'nemesis:partition', 'nemesis:kill']);
  });

  it('shades each fault period between the x positions of its start and end', () => {
    const x = axis(svg, 'x-axis').ticks;
    const rects = nemesisRects(svg);
    expect(rects.map((r) => r.kind)).toEqual(['partition', 'kill']);
    expect(rects[0]!.x).toBeCloseTo(x.get(2)!, 0);
    expect(rects[0]!.x + rects[0]!.w).toBeCloseTo(x.get(4)!, 0);
    const perSecond = (x.get(10)! - x.get(0)!) / 10;
    expect(rects[1]!.x).toBeCloseTo(x.get(6)!, 0);
    expect(rects[1]!.x + rects[1]!.w).toBeCloseTo(x.get(6)! + perSecond, 0);
  });

  it('says so when there is nothing to draw', () => {
    const empty = svgOf(latencyRawSvg([]));
    expect(find(empty, 'g', 'series')).toHaveLength(0);
    expect(textOf(find(empty, 'text', 'empty')[0]!)).toMatch(/no completed operations/);
  });
});

describe('latency-quantiles.svg', () => {
  const h = fixture();
  const svg = svgOf(latencyQuantilesSvg(h, { windowNs: 2 * S }));

  it('has one line per f with ok operations and per quantile, and a legend entry for each', () => {
    const ss = series(svg).map((s) => `${s['data-f']}@${s['data-quantile']}`);
    expect(ss).toEqual(['read@0.5', 'read@0.95', 'read@0.99', 'read@1', 'write@0.5', 'write@0.95', 'write@0.99', 'write@1']);
    expect(legendKeys(svg)).toEqual([...ss.map((s) => s.replace('@', ':')), 'nemesis:partition', 'nemesis:kill']);
    expect(axis(svg, 'y-axis').label).toBe('latency (ms)');
    expect(nemesisRects(svg)).toHaveLength(2);
  });

  it('uses nearest-rank quantiles', () => {
    const s = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect([0, 0.5, 0.95, 0.99, 1].map((q) => quantile(s, q))).toEqual([1, 6, 10, 10, 10]);
  });
});

describe('rate.svg', () => {
  const h = fixture();
  const svg = svgOf(rateSvg(h, { windowNs: 1 * S }));

  it('plots completions per second per (f, outcome) with a throughput axis', () => {
    expect(series(svg).map((s) => `${s['data-f']}:${s['data-type']}`)).toEqual(['read:ok', 'read:info', 'write:ok', 'write:fail']);
    expect(axis(svg, 'y-axis').label).toBe('throughput (ops/s)');
    expect(axis(svg, 'x-axis').label).toBe('time (s)');
    expect(nemesisRects(svg).map((r) => r.kind)).toEqual(['partition', 'kill']);
  });

  it('counts each completion in the window it completed in', () => {
    const r = rates(h, 1 * S);
    expect(r.windows).toBe(10);
    expect(r.series.get('write:ok')!.rate).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(r.series.get('read:info')!.rate[3]).toBe(1);
  });
});

describe('latencyPoints', () => {
  it('pairs invocations with completions per process and skips the nemesis and open ops', () => {
    const pts = latencyPoints(fixture());
    expect(pts.map((p) => [p.f, p.type, p.latency / MS])).toEqual([
      ['read', 'ok', 10],
      ['write', 'fail', 200],
      ['read', 'info', 1000],
      ['write', 'ok', 3],
      ['read', 'ok', 1],
      ['write', 'ok', 2],
    ]);
  });
});
