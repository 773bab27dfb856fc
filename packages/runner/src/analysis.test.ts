import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Op } from '@gyre/history';
import { echo } from '@gyre/workloads';
import { describe, expect, it } from 'vitest';
import { analyzeHistory, exitCodeFor, writeResults } from './analysis';

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
  all: { 'send-count': 2, 'recv-count': 2, 'msg-count': 2, 'msgs-per-op': 2 },
  clients: { 'send-count': 2, 'recv-count': 2, 'msg-count': 2 },
  servers: { 'send-count': 0, 'recv-count': 0, 'msg-count': 0, 'msgs-per-op': 0 },
  'valid?': true as const,
});

describe('analyzeHistory', () => {
  it('runs every checker and merges their verdicts with the extra sections', () => {
    const { results, valid } = analyzeHistory({ workload: echo, options, history, net, seed: '1', sections: { 'protocol-errors': { 'valid?': true, count: 1 } } });
    expect(valid).toBe(true);
    expect(Object.keys(results)).toEqual(['perf', 'timeline', 'exceptions', 'stats', 'availability', 'net', 'workload', 'protocol-errors', 'valid?', 'seed']);
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
