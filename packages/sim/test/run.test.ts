import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Node } from '@gyre/node';
import { WORKLOAD_RPCS } from '@gyre/protocol';
import { WORKLOADS, type WorkloadDefinition } from '@gyre/workloads';
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

  // The three ways runSim had drifted from gyre test's run, before both went through one run core.
  describe('behaves as gyre test does', () => {
    /** A node that never answers `echo`, and interrupts the run once one reaches it. */
    const interruptingNode = (ac: AbortController) => (node: Node) => {
      node.on('echo', () => {
        ac.abort();
      });
    };

    it('an interrupt closes the open clients: the operation in flight completes at once instead of timing out', async () => {
      const ac = new AbortController();
      const r = await runSim({ workload: WORKLOADS['echo']!, options: workloadOptions({ timeLimit: 60, nodeCount: 1 }), install: interruptingNode(ac), seed: '2', signal: ac.signal });
      expect(r.exitCode).toBe(255);
      expect(r.crash).toBeUndefined();
      expect(r.results['interrupted']).toBe(true);
      const invoke = r.history.find((o) => o.type === 'invoke' && o.process !== 'nemesis')!;
      const done = r.history.find((o) => o.type !== 'invoke' && o.process === invoke.process)!;
      expect(done).toMatchObject({ type: 'info', error: expect.stringMatching(/closed/) });
      // Virtual time, so this is exact: well short of the 5-second client timeout.
      expect(done.time - invoke.time).toBeLessThan(5e9);
    });

    it("an interrupt during the workload's setup is an interrupt, not a crash", async () => {
      const ac = new AbortController();
      const echo = WORKLOADS['echo']!;
      const [ECHO] = WORKLOAD_RPCS.echo;
      const withSetup: WorkloadDefinition = { ...echo, setup: async (ctx) => void (await ctx.rpcOnce('n0', ECHO, { echo: 'set up' })) };
      const r = await runSim({ workload: withSetup, options: workloadOptions({ nodeCount: 1 }), install: interruptingNode(ac), seed: '2', signal: ac.signal });
      expect(r.crash).toBeUndefined();
      expect(r.results['interrupted']).toBe(true);
      expect(r.exitCode).toBe(255);
      expect(r.history).toEqual([]);
    });

    it('a line longer than the cap (--max-line-mib) is skipped and counted, as from a process', async () => {
      let sent = false;
      const install = (node: Node) => {
        node.on('echo', (msg) => {
          if (!sent) {
            sent = true;
            node.send(node.peers[0]!, { type: 'padding', pad: 'x'.repeat(2 * 1024 * 1024) });
          }
          return { echo: msg.body['echo'] };
        });
      };
      const r = await runSim({ workload: WORKLOADS['echo']!, options: workloadOptions({ timeLimit: 2, nodeCount: 2 }), install, seed: '4', maxLineBytes: 1024 * 1024 });
      expect(r.exitCode).toBe(0);
      expect(r.results['protocol-errors']).toEqual({ 'valid?': true, count: 1, 'by-kind': { 'line-too-long': 1 } });
    });

    it('exits with gyre test\'s codes: 0 valid, 1 invalid, 255 crashed or interrupted', async () => {
      const echoing = (wrong: boolean) => (node: Node) => {
        node.on('echo', (msg) => ({ type: 'echo_ok', echo: wrong ? 'something else' : msg.body['echo'] }));
      };
      const run = (install: (node: Node) => void) => runSim({ workload: WORKLOADS['echo']!, options: workloadOptions({ timeLimit: 2, nodeCount: 1 }), install, seed: '4' });
      const [valid, invalid, crashed] = await Promise.all([
        run(echoing(false)),
        run(echoing(true)),
        run(() => {
          throw new Error('no');
        }),
      ]);
      expect([valid.valid, invalid.valid]).toEqual([true, false]);
      expect([valid.exitCode, invalid.exitCode, crashed.exitCode]).toEqual([0, 1, 255]);
    });
  });
});
