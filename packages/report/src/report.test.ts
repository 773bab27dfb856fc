import { describe, expect, it } from 'vitest';
import type { Op } from '@gyre/history';
import { findAnomalies } from './findings';
import { VALIDITY_COLORS } from './html';
import { reportHtml, verdictOf, prettyJson } from './report';
import { formatSummary } from './summary';
import { timelineHtml } from './timeline';
import { syntheticBroadcast } from '../test/synthetic';

const op = (index: number, type: Op['type'], process: number, f: string, value: unknown, time = index * 1000): Op => ({ index, time, type, process, f, value });

describe('findAnomalies', () => {
  it('finds nothing in valid results', () => {
    expect(findAnomalies({ 'valid?': true, workload: { 'valid?': true, lost: [] } })).toEqual([]);
  });

  it('reports the failing checker, not the summarising top level, and traces lost values to their writes', () => {
    const history = [op(0, 'invoke', 0, 'broadcast', 3), op(1, 'ok', 0, 'broadcast', 3), op(2, 'invoke', 1, 'broadcast', 7), op(3, 'ok', 1, 'broadcast', 7)];
    const results = {
      'valid?': false,
      stats: { 'valid?': true, count: 2 },
      workload: { 'valid?': false, 'lost-count': 2, lost: [3, 7], 'stable-latencies': { '0.5': 1 }, 'never-read': [] },
    };
    const fs = findAnomalies(results, history);
    expect(fs).toHaveLength(1);
    expect(fs[0]!.path).toEqual(['workload']);
    expect(fs[0]!.facts).toContainEqual(['lost-count', '2']);
    expect(fs[0]!.groups.map((g) => g.name)).toEqual(['lost']);
    expect(fs[0]!.groups[0]!.items.map((i) => [i.text, i.ops])).toEqual([
      ['3', [0]],
      ['7', [2]],
    ]);
  });

  it('finds ops by shape inside anomaly cases, and keeps explanations and drawings', () => {
    const t1 = { index: 4, type: 'ok', process: 2, f: 'txn', value: [['append', 'x', 1]] };
    const t2 = { index: 9, type: 'ok', process: 3, f: 'txn', value: [['r', 'x', []]] };
    const results = {
      'valid?': false,
      workload: {
        'valid?': false,
        'anomaly-types': ['G-single'],
        anomalies: { 'G-single': [{ cycle: [t1, t2, t1], steps: [{ type: 'rw' }], explanation: 'T1 < T2 because T2 did not observe T1’s append of 1 to x' }] },
        explanation: 'Let:\n  T1 = …',
        plot: '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
      },
    };
    const [f] = findAnomalies(results);
    expect(f!.groups.map((g) => g.name)).toEqual(['anomaly-types', 'anomalies › G-single']);
    const g = f!.groups[1]!;
    expect(g.items[0]!.ops).toEqual([4, 9]);
    expect(g.items[0]!.explanations[0]).toMatch(/did not observe/);
    expect(f!.explanations).toEqual(['Let:\n  T1 = …']);
    expect(f!.svgs).toHaveLength(1);
  });

  it('goes down to per-key results and maps duplicated ids to the ops that returned them', () => {
    const history = [op(0, 'invoke', 0, 'generate', null), op(1, 'ok', 0, 'generate', 42)];
    const results = {
      'valid?': false,
      workload: { 'valid?': false, results: { k1: { 'valid?': true }, k2: { 'valid?': 'unknown', cause: 'timeout' } }, failures: ['k2'] },
      ids: { 'valid?': false, duplicated: { '42': 2 } },
    };
    const fs = findAnomalies(results, history);
    expect(fs.map((f) => [f.path.join('/'), f.valid])).toEqual([
      ['workload/results/k2', 'unknown'],
      ['ids', false],
    ]);
    expect(fs[0]!.explanations).toEqual(['timeout']);
    expect(fs[1]!.groups[0]!.items[0]).toMatchObject({ text: '42: 2', ops: [1] });
  });

  it('does not look into a checker that judged its parts valid (kafka stats: by-f › crash is always invalid)', () => {
    const results = {
      'valid?': false,
      stats: { 'valid?': true, 'by-f': { crash: { 'valid?': false, count: 3, 'info-count': 3 }, send: { 'valid?': true, count: 9 } } },
      workload: { 'valid?': false, 'error-types': ['lost-write'] },
    };
    expect(findAnomalies(results).map((f) => f.path.join(' › '))).toEqual(['workload']);
    expect(formatSummary(results)).not.toContain('crash');
  });

  it('limits the items it keeps and counts the rest', () => {
    const results = { 'valid?': false, workload: { 'valid?': false, lost: Array.from({ length: 500 }, (_, i) => i) } };
    const g = findAnomalies(results, [], { maxItems: 10 })[0]!.groups[0]!;
    expect(g.items).toHaveLength(10);
    expect(g.omitted).toBe(490);
  });
});

describe('reportHtml', () => {
  const run = syntheticBroadcast({ nodes: 5, seconds: 3, rate: 50, lose: 2, partition: [1, 2] });
  const files = ['messages.html', 'messages.svg', 'timeline.html', 'results.json', 'history.jsonl', 'node-logs/n0.log'];
  const html = reportHtml({ history: run.history, results: run.results, test: run.test, runName: 'broadcast/20261125T120301.972+0000', files });

  it('leads with the verdict and the figures people look for', () => {
    expect(verdictOf(run.results)).toBe(false);
    expect(html).toMatch(/<div class="verdict v-false" id="verdict" data-valid="false">Invalid<\/div>/);
    for (const fig of ['msgs-per-op', 'stable-latencies', 'availability', 'outcomes']) expect(html).toContain(`data-figure="${fig}"`);
    expect(html).toContain('data-checker="workload" data-valid="false"');
    expect(html).toContain('data-target="3d-mpo"');
  });

  it('links each lost value to the messages around its broadcast', () => {
    for (const [v, index] of run.lostOps) {
      expect(run.history[index]).toMatchObject({ f: 'broadcast', value: v, type: 'invoke' });
      expect(html).toContain(`href="messages.html#op=${index}" target="lamport"`);
    }
    expect(html).toContain('<iframe class="embed" name="lamport" src="messages.html"');
  });

  it('inlines the three plots and embeds the timeline; no external resources', () => {
    for (const p of ['latency-raw', 'latency-quantiles', 'rate']) expect(html).toContain(`data-plot="${p}"`);
    expect(html).toContain('src="timeline.html"');
    expect(html).not.toMatch(/(src|href)=["'](https?:)?\/\//);
  });

  it('escapes values that came from nodes', () => {
    const h = reportHtml({ history: [], results: { 'valid?': false, workload: { 'valid?': false, lost: ['<img src=x onerror=alert(1)>'] } } });
    expect(h).not.toContain('<img src=x');
    expect(h).toContain('&lt;img src=x');
  });

  it('says incomplete without results', () => {
    const h = reportHtml({ history: run.history });
    expect(h).toContain('data-valid="incomplete">Incomplete<');
  });

  const crash = { by: 'node', node: 'n1', how: 'exited with code 3', message: 'Node n1 crashed: it exited with code 3.' };

  it('shows a crashed run as crashed, in a colour neither pass nor fail, with why', () => {
    // Results written before crashes had their own key said valid? true next to an error: still crashed.
    for (const results of [{ ...run.results, 'valid?': 'unknown', crash }, { ...run.results, 'valid?': true, error: crash.message }]) {
      expect(verdictOf(results)).toBe('crashed');
      const h = reportHtml({ history: run.history, results });
      expect(h).toContain('data-valid="crashed">Crashed<');
      expect(h).toContain('Node n1 crashed: it exited with code 3.');
      expect(h).not.toContain('Everything looks good');
    }
    expect(new Set([VALIDITY_COLORS.crashed, VALIDITY_COLORS.true, VALIDITY_COLORS.false]).size).toBe(3);
  });

  it('marks an interrupted or incomplete run, and shows late replies in a neutral colour', () => {
    const results = { ...run.results, 'valid?': 'unknown', interrupted: true, incomplete: 'the run never finished: 1 invocation never completed', 'late-replies': { 'valid?': true, count: 4, 'by-node': { n0: 4 } } };
    const h = reportHtml({ history: run.history, results });
    expect(h).toContain('data-interrupted="true"');
    expect(h).toMatch(/data-incomplete="true">Incomplete: the run never finished: 1 invocation never completed\.</);
    expect(h).toContain(`data-checker="late-replies" data-valid="neutral"><span class="dot" style="background:${VALIDITY_COLORS.neutral}"></span>late-replies 4<`);
  });
});

describe('timelineHtml', () => {
  it('carries one entry per client operation with its lane, times and outcome', () => {
    const history = [op(0, 'invoke', 3, 'read', null, 10), op(1, 'invoke', 1, 'write', 5, 20), op(2, 'ok', 3, 'read', 5, 30), op(3, 'fail', 1, 'write', 5, 40), op(4, 'invoke', 3, 'read', null, 50)];
    const html = timelineHtml(history);
    const json = /<script type="application\/json" id="timeline-data">(.*?)<\/script>/s.exec(html)![1]!;
    const data = JSON.parse(json) as { lanes: string[]; ops: unknown[][]; fs: string[] };
    expect(data.lanes).toEqual(['1', '3']);
    expect(data.ops.map((o) => o.slice(0, 7))).toEqual([
      [1, 10, 30, 0, 0, 0, 2],
      [0, 20, 40, 2, 1, 1, 3],
      [1, 50, 50, 3, 0, 4, -1],
    ]);
    expect(data.fs).toEqual(['read', 'write']);
  });
});

describe('formatSummary', () => {
  it('shows the verdict, the figures and what failed', () => {
    const run = syntheticBroadcast({ nodes: 3, seconds: 2, rate: 20, lose: 1 });
    const s = formatSummary(run.results, { dir: 'store/broadcast/x' });
    const lines = s.split('\n');
    expect(lines[0]).toBe('INVALID');
    expect(s).toMatch(/^ {2}ops {10}\d[\d,]* \(\d[\d,]* ok, \d+ fail, \d+ info\)/m);
    expect(s).toMatch(/^ {2}messages {5}[\d.]+ per op between servers \([\d,]+ in all\)$/m);
    expect(s).toMatch(/^ {2}latency {6}stable: median 12 ms, p95 48 ms, p99 97 ms, max 153 ms$/m);
    expect(s).toMatch(/^ {2}anomalies {4}workload › lost \(1\): 3$/m);
    expect(lines.slice(-3)).toEqual([
      '  see          store/broadcast/x/report.html',
      '  history      store/broadcast/x/history.txt',
      '  log          store/broadcast/x/gyre.log (also jepsen.log)',
    ]);
  });

  it('never says VALID for a crashed run, and points only at files that were written', () => {
    const run = syntheticBroadcast({ nodes: 3, seconds: 2, rate: 20 });
    const s = formatSummary({ ...run.results, 'valid?': true, error: 'Node n1 crashed' }, { dir: 'store/broadcast/x', see: 'results.json' });
    expect(s.split('\n')[0]).toBe('CRASHED');
    expect(s).not.toContain('report.html');
    expect(s.split('\n').slice(-3)).toEqual([
      '  see          store/broadcast/x/results.json',
      '  history      store/broadcast/x/history.txt',
      '  log          store/broadcast/x/gyre.log (also jepsen.log)',
    ]);
  });

  it('is short for a valid run', () => {
    const run = syntheticBroadcast({ nodes: 3, seconds: 2, rate: 20 });
    const s = formatSummary(run.results);
    expect(s.split('\n')[0]).toBe('VALID');
    expect(s).not.toMatch(/anomalies/);
  });
});

describe('prettyJson', () => {
  it('keeps big integers and breaks long maps over lines', () => {
    expect(prettyJson({ a: 12345678901234567890n })).toBe('{"a":12345678901234567890}');
    const long = prettyJson({ a: 'x'.repeat(60), b: 'y'.repeat(60) });
    expect(long.split('\n')).toHaveLength(4);
  });
});
