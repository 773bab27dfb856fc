import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Op } from '@gyre/history';
import { broadcast, defaultWorkloadOptions, echo, uniqueIds } from '@gyre/workloads';
import { describe, expect, it } from 'vitest';
import { analyzeHistory, completeHistory, exitCodeFor, NO_COMPLETION, writeResults, type AnalysisInput } from './analysis';

const options = defaultWorkloadOptions({ nodes: ['n0'], timeLimit: 1 });
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
    const { results } = analyzeHistory({
      ...live,
      sections: { ...live.sections, 'late-replies': { valid: true, count: 2, byNode: { n0: 2 } } },
      phases: { start: 'completed', init: 'completed', main: 'completed' },
      interrupted: true,
      crash: { by: 'node', node: 'n0', how: 'exited with code 3', stdout: ['a'], stderr: [], log: 'node-logs/n0.log', message: 'Node n0 crashed' },
    });
    expect(JSON.stringify(results)).toBe(
      '{"perf":{"latency-graph":{"valid?":true},"rate-graph":{"valid?":true},"generator-lag":{"count":2,"mean":1.5,"quantiles":{"1":2,"0.5":1,"0.95":2,"0.99":2},"achieved-rate":10},"valid?":true},' +
        '"timeline":{"valid?":true},"exceptions":{"valid?":true},' +
        '"stats":{"valid?":true,"count":1,"ok-count":1,"fail-count":0,"info-count":0,"by-f":{"echo":{"valid?":true,"count":1,"ok-count":1,"fail-count":0,"info-count":0}}},' +
        '"availability":{"valid?":true,"ok-fraction":1},' +
        '"net":{"all":{"send-count":2,"recv-count":2,"msg-count":2,"msgs-per-op":2},"clients":{"send-count":2,"recv-count":2,"msg-count":2},"servers":{"send-count":0,"recv-count":0,"msg-count":0,"msgs-per-op":0},"valid?":true},' +
        '"workload":{"valid?":true,"errors":[]},' +
        '"protocol-errors":{"valid?":true,"count":1,"by-kind":{"not-json":1}},' +
        '"stdin-drops":{"valid?":true,"message-count":3,"byte-count":30,"by-node":{"n0":{"messages":3,"bytes":30}}},' +
        '"late-replies":{"valid?":true,"count":2,"by-node":{"n0":2}},' +
        '"valid?":"unknown","seed":"1","phases":{"start":"completed","init":"completed","main":"completed"},"interrupted":true,' +
        '"crash":{"by":"node","node":"n0","how":"exited with code 3","stdout":["a"],"stderr":[],"log":"node-logs/n0.log","message":"Node n0 crashed"}}',
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
    const crash = { by: 'gyre', how: 'disk full while writing x', message: 'Gyre stopped' } as const;
    const { results, valid } = analyzeHistory({ workload: broken, options, history, net: () => { throw new Error('no journal'); }, seed: '1', interrupted: true, crash });
    expect(valid).toBe('unknown');
    expect(results['workload']).toMatchObject({ 'valid?': 'unknown', error: expect.stringMatching(/boom/) });
    expect(results['net']).toMatchObject({ 'valid?': 'unknown', error: expect.stringMatching(/no journal/) });
    expect(results['interrupted']).toBe(true);
    expect(results['crash']).toEqual(crash);
    expect([exitCodeFor(true, false), exitCodeFor(false, false), exitCodeFor('unknown', false), exitCodeFor(true, true)]).toEqual([0, 1, 2, 255]);
  });

  it('writes results.json and results.edn', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-an-'));
    writeResults(dir, analyzeHistory({ workload: echo, options, history, net, seed: '1' }).results);
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))['valid?']).toBe(true);
    expect(readFileSync(join(dir, 'results.edn'), 'utf8')).toMatch(/:valid\? true/);
  });

  it('a crashed run is never valid, whatever its checkers say', () => {
    const crash = { by: 'node', node: 'n0', how: 'exited with code 3', message: 'Node n0 crashed' } as const;
    expect(analyzeHistory({ workload: echo, options, history, net, seed: '1', crash }).valid).toBe('unknown');
    expect(analyzeHistory({ workload: echo, options, history, net, seed: '1', crash, phases: { start: 'completed', init: 'completed', main: 'completed' } }).results['valid?']).toBe('unknown');
  });
});

describe('phases the checkers need', () => {
  const bOptions = { ...options, nodes: ['n0', 'n1'], concurrency: 2 };
  let i = 0;
  const op = (process: number, type: Op['type'], f: string, value: unknown, more: Partial<Op> = {}): Op => ({ index: i, time: 1_000_000 * ++i, type, process, f, value, ...more });
  /** A correct broadcast node whose gossip is slow: a read during the main phase misses the last value; the final reads see both. */
  const main = (): Op[] => {
    i = 0;
    return [op(0, 'invoke', 'broadcast', 1), op(0, 'ok', 'broadcast', 1), op(0, 'invoke', 'broadcast', 2), op(0, 'ok', 'broadcast', 2), op(1, 'invoke', 'read', null), op(1, 'ok', 'read', [1])];
  };
  const finalReads = (): Op[] => [op(0, 'invoke', 'read', null, { final: true }), op(0, 'ok', 'read', [1, 2], { final: true }), op(1, 'invoke', 'read', null, { final: true }), op(1, 'ok', 'read', [1, 2], { final: true })];
  const all = { start: 'completed', init: 'completed', main: 'completed', final: 'completed' } as const;
  const analyse = (h: Op[], phases?: AnalysisInput['phases']) => analyzeHistory({ workload: broadcast, options: bOptions, history: h, net, seed: '1', ...(phases ? { phases } : {}) });

  it('broadcast with its final reads: valid; without them (the final phase cut short): unknown, not "lost"', () => {
    expect(analyse([...main(), ...finalReads()], all).valid).toBe(true);
    // The same history without its final reads is what an interrupted run records: the checker, run on it, would blame the node...
    const cut = main();
    expect(analyse(cut, all).results['workload']).toMatchObject({ 'valid?': false, lost: [2] });
    // ...so it is not run: the run stopped before the final phase ended.
    const r = analyse(cut, { ...all, final: 'cut-short' });
    expect(r.valid).toBe('unknown');
    expect(r.results['workload']).toEqual({ 'valid?': 'unknown', 'not-checked': expect.stringMatching(/^needs the final phase .*, which was cut short/) });
    expect(r.results['phases']).toEqual({ ...all, final: 'cut-short' });
    expect(analyse(cut, { ...all, final: 'not-reached' }).results['workload']).toMatchObject({ 'not-checked': expect.stringMatching(/never reached/) });
    expect(analyse(cut, { ...all, main: 'unknown', final: 'unknown' }).results['workload']).toMatchObject({ 'not-checked': expect.stringMatching(/may not have run to its end/) });
  });

  it('a checker that needs no phase judges what was recorded: false stands, true becomes unknown when the run was cut short', () => {
    const ids = (a: string, b: string): Op[] => [
      { index: 0, time: 1, type: 'invoke', process: 0, f: 'generate', value: null },
      { index: 1, time: 2, type: 'ok', process: 0, f: 'generate', value: a },
      { index: 2, time: 3, type: 'invoke', process: 1, f: 'generate', value: null },
      { index: 3, time: 4, type: 'ok', process: 1, f: 'generate', value: b },
    ];
    const cut = { start: 'completed', init: 'completed', main: 'cut-short' } as const;
    const run = (h: Op[], phases: AnalysisInput['phases']) => analyzeHistory({ workload: uniqueIds, options: { ...options, concurrency: 2 }, history: h, net, seed: '1', phases });
    // A duplicate id in what was recorded is a duplicate, however the run ended.
    expect(run(ids('a', 'a'), cut).valid).toBe(false);
    const unique = run(ids('a', 'b'), cut);
    expect(unique.results['workload']).toMatchObject({ 'valid?': true });
    expect(unique.valid).toBe('unknown');
    expect(run(ids('a', 'b'), { ...cut, main: 'completed' }).valid).toBe(true);
    // Before every node was initialised nothing ran: no verdict.
    const early = run([], { start: 'completed', init: 'cut-short', main: 'not-reached' });
    expect(early.results['workload']).toMatchObject({ 'valid?': 'unknown', 'not-checked': expect.stringMatching(/every node initialised/) });
  });

  it('an invocation with no completion (a run cut short) is indeterminate: info, never a false invalid', () => {
    const dangling: Op[] = [...history, { index: 2, time: 3, type: 'invoke', process: 0, f: 'echo', value: 'c' }];
    // What `gyre analyze` knows of a run whose gyre was killed: its nodes were initialised, the rest is unknown.
    const killed = { start: 'completed', init: 'completed', main: 'unknown' } as const;
    const r = analyzeHistory({ workload: echo, options, history: dangling, net, seed: '1', phases: killed, incomplete: 'the run never finished' });
    expect(r.valid).toBe('unknown');
    // Echo's checker would count the echo cut off by the kill as an error; it needs the whole main phase.
    expect(r.results['workload']).toMatchObject({ 'valid?': 'unknown', 'not-checked': expect.stringMatching(/needs the main phase/) });
    expect(r.results['stats']).toMatchObject({ count: 2, 'ok-count': 1, 'info-count': 1 });
    expect(r.results['incomplete']).toBe('the run never finished: 1 invocation never completed and counts as indeterminate (info)');
    expect(r.history.at(-1)).toMatchObject({ type: 'info', process: 0, f: 'echo', value: 'c', error: NO_COMPLETION });
    expect(completeHistory(history).added).toBe(0);
  });
});
