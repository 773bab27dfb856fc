import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTest } from '@gyre/runner';
import { WORKLOADS } from '@gyre/workloads';
import { describe, expect, it } from 'vitest';
import { replayRun, runSim, specConfig, type SimSpec } from '../src/index';
import { workloadOptions } from './options';

const fixture = (name: string) => new URL(`./nodes/${name}`, import.meta.url).pathname;
const quiet = { info: () => {}, warn: () => {} };

/**
 * A 3-second run of three real processes with kills and pauses. The nemesis picks one node at a
 * time, so the other two answer throughout: how many operations complete does not hang on how
 * fast the processes start (with every node as a target, seed 11 once killed all of them before
 * the first operation completed).
 */
async function processRun(args: string[]) {
  const store = mkdtempSync(join(tmpdir(), 'gyre-replay-'));
  const r = await runTest({
    workload: WORKLOADS['unique-ids']!,
    options: workloadOptions({ timeLimit: 3, rate: 40, nemesis: ['pause', 'kill'] }),
    bin: fixture('ids.mjs'),
    binArgs: args,
    latencyDist: 'constant',
    nemesisInterval: 1,
    nemesisTargets: ['one'],
    recoveryTime: 0,
    seed: '11',
    store,
    argv: [],
    reporter: quiet,
  });
  expect(r.crash).toBeUndefined();
  return { store, dir: r.dir };
}

describe('gyre replay of real processes', () => {
  it('gives a node the same messages at the same times, with the same kills and pauses: a deterministic node writes the same', async () => {
    const { dir } = await processRun([]);
    const history = readFileSync(join(dir, 'history.txt'), 'utf8');
    expect(history).toMatch(/:kill|:pause/);
    const r = await replayRun(dir);
    expect(r.mode).toBe('process');
    expect(r.divergence).toBeUndefined();
    expect(r.identical).toBe(true);
    expect(r.delivered).toBeGreaterThan(10);
    expect(Object.values(r.nodes!).reduce((a, n) => a + n.recorded, 0)).toBeGreaterThan(10);
    expect(r.dir).not.toBe(dir);
    expect(JSON.parse(readFileSync(join(r.dir, 'replay.json'), 'utf8'))).toMatchObject({ replayOf: dir, identical: true });
  });

  it('reports the first message where a node that uses Math.random diverges', async () => {
    const { dir } = await processRun(['--math-random']);
    const r = await replayRun(dir);
    expect(r.identical).toBe(false);
    expect(r.divergence).toMatchObject({ what: expect.stringMatching(/^output of n\d$/), index: expect.any(Number) });
    expect(r.divergence!.actual).not.toBe(r.divergence!.expected);
    expect(r.divergence!.expected).toMatch(/generate_ok/);
    expect(r.divergence!.actual).toMatch(/generate_ok/);
  });
});

describe('gyre replay of a simulated run', () => {
  it('simulates it again from its seed and finds the same history and journal; an edited history diverges', async () => {
    const store = mkdtempSync(join(tmpdir(), 'gyre-replay-'));
    const spec: SimSpec = { workload: 'broadcast', node: fixture('broadcast.ts'), nodeArgs: [], options: workloadOptions({ timeLimit: 3, latency: 10, nemesis: ['partition'] }), latencyDist: 'exponential', nemesisInterval: 1, recoveryTime: 2 };
    const first = await runSim(await specConfig(spec, '5', { store }));
    const r = await replayRun(first.dir!);
    expect(r).toMatchObject({ mode: 'sim', identical: true });
    const file = join(first.dir!, 'history.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[7] = lines[7]!.replace(/"time":\d+/, '"time":1');
    writeFileSync(file, lines.join('\n'));
    const again = await replayRun(first.dir!);
    expect(again.identical).toBe(false);
    expect(again.divergence).toMatchObject({ what: 'history.jsonl', index: 8 });
  });
});
