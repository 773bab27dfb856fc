import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKLOADS } from '@gyre/workloads';
import { describe, expect, it } from 'vitest';
import { loadInstall, runSim } from '../src/index';
import { workloadOptions } from './options';

const repo = new URL('../../../', import.meta.url).pathname;

describe('runSim', () => {
  it('writes the run directory of gyre test, with simulated time in the results', async () => {
    const store = mkdtempSync(join(tmpdir(), 'gyre-sim-'));
    const r = await runSim({ workload: WORKLOADS['echo']!, options: workloadOptions({ timeLimit: 100, rate: 2 }), install: await loadInstall(repo + 'examples/nodes/echo.ts'), nodeModule: repo + 'examples/nodes/echo.ts', seed: '3', store });
    expect(r.exitCode).toBe(0);
    expect(r.simSeconds).toBeGreaterThan(99);
    for (const f of ['test.json', 'history.jsonl', 'history.edn', 'history.txt', 'results.json', 'results.edn', 'gyre.log', 'net-journal/journal.jsonl', 'node-logs/n0.log']) expect(existsSync(join(r.dir!, f)), f).toBe(true);
    const test = JSON.parse(readFileSync(join(r.dir!, 'test.json'), 'utf8'));
    expect(test).toMatchObject({ mode: 'sim', seed: '3', name: 'echo', node: repo + 'examples/nodes/echo.ts' });
    expect(JSON.parse(readFileSync(join(r.dir!, 'results.json'), 'utf8'))['simulated-seconds']).toBeGreaterThan(99);
    // Virtual time: a 100-second test does not take 100 seconds.
    expect(r.wallSeconds).toBeLessThan(60);
  });

  it('seeds Math.random, Date.now and crypto while it runs, and puts them back', async () => {
    const saved = [Math.random, Date.now, globalThis.crypto.randomUUID];
    const seen: unknown[][] = [];
    const install = () => (node: import('@gyre/node').Node) => {
      node.on('echo', (msg) => {
        seen.push([Math.random(), Date.now(), globalThis.crypto.randomUUID()]);
        return { echo: msg.body['echo'] };
      });
    };
    const opts = workloadOptions({ timeLimit: 2, rate: 5, nodeCount: 1 });
    await runSim({ workload: WORKLOADS['echo']!, options: opts, install: install(), seed: '8' });
    const first = seen.splice(0);
    await runSim({ workload: WORKLOADS['echo']!, options: opts, install: install(), seed: '8' });
    expect(first.length).toBeGreaterThan(3);
    expect(seen).toEqual(first);
    expect(first[0]![1]).toBeGreaterThanOrEqual(946_684_800_000);
    expect([Math.random, Date.now, globalThis.crypto.randomUUID]).toEqual(saved);
  });

  it('stops on the signal, keeping and checking what it recorded', async () => {
    const ac = new AbortController();
    const p = runSim({ workload: WORKLOADS['echo']!, options: workloadOptions({ timeLimit: 1_000_000, rate: 100 }), install: await loadInstall(repo + 'examples/nodes/echo.ts'), seed: '3', signal: ac.signal });
    setTimeout(() => ac.abort(), 300);
    const r = await p;
    expect(r.exitCode).toBe(255);
    expect(r.results['interrupted']).toBe(true);
    expect(r.history.length).toBeGreaterThan(10);
    expect(r.simSeconds).toBeLessThan(1_000_000);
  });

  it('a node whose install function throws crashes the run with the reason', async () => {
    const r = await runSim({ workload: WORKLOADS['echo']!, options: workloadOptions({ timeLimit: 2 }), install: () => { throw new Error('no handlers today'); }, seed: '1' });
    expect(r.exitCode).toBe(255);
    expect(r.crash).toMatch(/Installing node n0 failed: .*no handlers today/);
  });
});
