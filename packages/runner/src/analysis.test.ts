import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Op } from '@gyre/history';
import { echo } from '@gyre/workloads';
import { describe, expect, it } from 'vitest';
import { analyzeHistory, exitCodeFor, fileLines, writeResults, type AnalysisInput } from './analysis';

const options = {
  nodes: ['n0'],
  concurrency: 1,
  rate: 5,
  timeLimit: 1,
  latency: 0,
  topology: 'grid',
  keyCount: undefined,
  maxTxnLength: 4,
  maxWritesPerKey: 16,
  consistencyModels: [],
  availability: undefined,
  nemesis: [],
};
const history: Op[] = [
  { index: 0, time: 1, type: 'invoke', process: 0, f: 'echo', value: 'a' },
  { index: 1, time: 2, type: 'ok', process: 0, f: 'echo', value: { type: 'echo_ok', echo: 'a', in_reply_to: 1 } },
];
const net = () => ({
  all: { sendCount: 2, recvCount: 2, msgCount: 2, msgsPerOp: 2 },
  clients: { sendCount: 2, recvCount: 2, msgCount: 2 },
  servers: { sendCount: 0, recvCount: 0, msgCount: 0, msgsPerOp: 0 },
  valid: true as const,
});

describe('analyzeHistory', () => {
  it('runs every checker and merges their verdicts with the extra sections', () => {
    const { results, valid } = analyzeHistory({ workload: echo, options, history, net, seed: '1', sections: { 'protocol-errors': { valid: true, count: 1, byKind: { 'not-json': 1 } } } });
    expect(valid).toBe(true);
    expect(Object.keys(results)).toEqual(['perf', 'timeline', 'exceptions', 'stats', 'availability', 'net', 'workload', 'protocol-errors', 'valid?', 'seed']);
  });

  /** A `gyre test` run with everything only a live run knows: generator lag, protocol errors, STDIN drops. */
  const live: AnalysisInput = {
    workload: echo,
    options,
    history,
    net,
    seed: '1',
    perf: { generatorLag: { count: 2, mean: 1.5, quantiles: { '0.5': 1, '0.95': 2, '0.99': 2, '1': 2 }, achievedRate: 10 } },
    sections: {
      'protocol-errors': { valid: true, count: 1, byKind: { 'not-json': 1 } },
      'stdin-drops': { valid: true, messageCount: 3, byteCount: 30, byNode: { n0: { messages: 3, bytes: 30 } } },
    },
  };

  it("writes every section with Maelstrom's keys, byte for byte", () => {
    const { results } = analyzeHistory({ ...live, interrupted: true, crash: 'Node n0 crashed' });
    expect(JSON.stringify(results)).toBe(
      '{"perf":{"latency-graph":{"valid?":true},"rate-graph":{"valid?":true},"generator-lag":{"count":2,"mean":1.5,"quantiles":{"1":2,"0.5":1,"0.95":2,"0.99":2},"achieved-rate":10},"valid?":true},' +
        '"timeline":{"valid?":true},"exceptions":{"valid?":true},' +
        '"stats":{"valid?":true,"count":1,"ok-count":1,"fail-count":0,"info-count":0,"by-f":{"echo":{"valid?":true,"count":1,"ok-count":1,"fail-count":0,"info-count":0}}},' +
        '"availability":{"valid?":true,"ok-fraction":1},' +
        '"net":{"all":{"send-count":2,"recv-count":2,"msg-count":2,"msgs-per-op":2},"clients":{"send-count":2,"recv-count":2,"msg-count":2},"servers":{"send-count":0,"recv-count":0,"msg-count":0,"msgs-per-op":0},"valid?":true},' +
        '"workload":{"valid?":true,"errors":[]},' +
        '"protocol-errors":{"valid?":true,"count":1,"by-kind":{"not-json":1}},' +
        '"stdin-drops":{"valid?":true,"message-count":3,"byte-count":30,"by-node":{"n0":{"messages":3,"bytes":30}}},' +
        '"valid?":true,"seed":"1","interrupted":true,"error":"Node n0 crashed"}',
    );
  });

  it('carries over what only the live run knew from earlier results (gyre analyze), as written', () => {
    const first = analyzeHistory(live).results;
    const previous = JSON.parse(JSON.stringify(first)) as Record<string, unknown>;
    const again = analyzeHistory({ workload: echo, options, history, net, seed: '1', previous }).results;
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    // A section given anew wins over the earlier one.
    const anew = analyzeHistory({ workload: echo, options, history, net, seed: '1', previous, sections: { 'stdin-drops': { valid: true, messageCount: 1, byteCount: 1, byNode: {} } } }).results;
    expect(anew['stdin-drops']).toEqual({ 'valid?': true, 'message-count': 1, 'byte-count': 1, 'by-node': {} });
    // Nothing to carry: no sections appear.
    expect(Object.keys(analyzeHistory({ workload: echo, options, history, net, seed: '1', previous: { perf: 3 } }).results)).not.toContain('stdin-drops');
  });

  it('turns a checker that throws into valid? unknown, never an exception; records interrupts and crashes', () => {
    const broken = { ...echo, check: () => { throw new Error('boom'); } };
    const { results, valid } = analyzeHistory({ workload: broken, options, history, net: () => { throw new Error('no journal'); }, seed: '1', interrupted: true, crash: 'Node n0 crashed' });
    expect(valid).toBe('unknown');
    expect(results['workload']).toMatchObject({ 'valid?': 'unknown', error: expect.stringMatching(/boom/) });
    expect(results['net']).toMatchObject({ 'valid?': 'unknown', error: expect.stringMatching(/no journal/) });
    expect(results['interrupted']).toBe(true);
    expect(results['error']).toBe('Node n0 crashed');
    expect([exitCodeFor(true, false), exitCodeFor(false, false), exitCodeFor('unknown', false), exitCodeFor(true, true)]).toEqual([0, 1, 2, 255]);
  });

  it('writes results.json and results.edn', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-an-'));
    writeResults(dir, analyzeHistory({ workload: echo, options, history, net, seed: '1' }).results);
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))['valid?']).toBe(true);
    expect(readFileSync(join(dir, 'results.edn'), 'utf8')).toMatch(/:valid\? true/);
  });
});

describe('fileLines', () => {
  it('reads complete lines across chunk boundaries and drops a partial last line', async () => {
    const { writeFileSync } = await import('node:fs');
    const path = join(mkdtempSync(join(tmpdir(), 'gyre-fl-')), 'j.jsonl');
    const lines = Array.from({ length: 30_000 }, (_, i) => `line ${i} ${'€'.repeat(i % 70)}`);
    writeFileSync(path, lines.join('\n') + '\npartial');
    expect([...fileLines(path)]).toEqual(lines);
  });
});
