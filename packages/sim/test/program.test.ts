/**
 * `gyre sim` runs any @gyre/node program, including one written the way the guide teaches:
 * `createNode()` at the module's top level and `await node.run()`, the same file `gyre test` runs as
 * a process. Each node, and each restart of one, gets fresh module state, as a process would.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { VirtualClock } from '@gyre/generator';
import { formatOpJson, seededRandom } from '@gyre/history';
import { createNode } from '@gyre/node';
import { WORKLOADS } from '@gyre/workloads';
import { describe, expect, it } from 'vitest';
import { loadInstall, runSim, SimNode, type SimConfig } from '../src/index';
import type { NodeProgram } from '../src/instance';
import { workloadOptions } from './options';

const repo = new URL('../../../', import.meta.url).pathname;
const guide = (path: string) => `${repo}examples/guide/${path}`;
const program = (name: string) => new URL(`programs/${name}`, import.meta.url).pathname;

async function sim(node: string, workload: string, seed: string, options: Parameters<typeof workloadOptions>[0], extra: Partial<SimConfig> = {}) {
  const r = await runSim({ workload: WORKLOADS[workload]!, options: workloadOptions(options), install: await loadInstall(node), seed, keepJournal: true, ...extra });
  return { r, history: r.history.map((op) => formatOpJson(op)).join('\n'), journal: r.journal! };
}

describe('guide-style programs under gyre sim', () => {
  it('loads a module that calls createNode() at its top level as a program', async () => {
    const p = await loadInstall(guide('02-echo/echo.ts'));
    expect(typeof p).toBe('object');
    expect((p as NodeProgram).file).toBe(guide('02-echo/echo.ts'));
    // A module with an install function keeps the install contract.
    expect(typeof (await loadInstall(`${repo}examples/nodes/echo.ts`))).toBe('function');
  });

  it('echo (chapter 2) is valid for several seeds, and each seed repeats byte for byte', async () => {
    for (const seed of ['1', '2', '3']) {
      const a = await sim(guide('02-echo/echo.ts'), 'echo', seed, { timeLimit: 10, nemesis: ['pause'] }, { nemesisInterval: 2 });
      expect(a.r.crash).toBeUndefined();
      expect(a.r.exitCode).toBe(0);
      expect(a.r.size.ops).toBeGreaterThan(50);
      if (seed === '1') {
        const b = await sim(guide('02-echo/echo.ts'), 'echo', seed, { timeLimit: 10, nemesis: ['pause'] }, { nemesisInterval: 2 });
        expect(b.history).toBe(a.history);
        expect(b.journal).toBe(a.journal);
      }
    }
  });

  it('batched broadcast (chapter 4) is valid under partitions for several seeds, and repeats byte for byte', async () => {
    const opts = { nodeCount: 5, timeLimit: 10, rate: 50, latency: 10, nemesis: ['partition'] } as const;
    const extra = { latencyDist: 'exponential', nemesisInterval: 2, recoveryTime: 3 } as const;
    const runs = [];
    for (const seed of ['1', '2', '3']) {
      const a = await sim(guide('04-broadcast/batched.ts'), 'broadcast', seed, opts, extra);
      expect(a.r.crash).toBeUndefined();
      expect(a.r.exitCode, JSON.stringify(a.r.results['workload'])).toBe(0);
      expect(a.r.size.faults).toBeGreaterThan(0);
      runs.push(a);
    }
    const again = await sim(guide('04-broadcast/batched.ts'), 'broadcast', '2', opts, extra);
    expect(again.history).toBe(runs[1]!.history);
    expect(again.journal).toBe(runs[1]!.journal);
    expect(runs[0]!.history).not.toBe(runs[1]!.history);
  });

  it('a killed node restarts with fresh module state: chapter 3\'s module-level counter repeats ids, the incarnation file does not', async () => {
    const opts = { nodeCount: 3, timeLimit: 10, rate: 200, nemesis: ['kill'] } as const;
    const extra = { nemesisInterval: 1 } as const;
    const counter = await sim(guide('03-unique-ids/node-counter.ts'), 'unique-ids', '1', opts, extra);
    expect(counter.history).toMatch(/"f":"kill"/);
    expect(counter.r.exitCode).toBe(1);
    expect((counter.r.results['workload'] as { 'duplicated-count': number })['duplicated-count']).toBeGreaterThan(0);
    const incarnations = await sim(guide('03-unique-ids/incarnations.ts'), 'unique-ids', '1', opts, extra);
    // Loading it ran its top level once, with a stand-in node whose directory is thrown away:
    // nothing was written next to the module.
    expect(existsSync(guide('03-unique-ids/incarnation'))).toBe(false);
    expect(incarnations.history).toMatch(/"f":"start"/);
    expect(incarnations.r.crash).toBeUndefined();
    expect(incarnations.r.exitCode).toBe(0);
  });
  // A CommonJS program (require(), no top-level await) runs under the built CLI in
  // apps/cli/test/guide.test.ts: under vitest, require() resolves @gyre/node to its TypeScript source.
});

describe('one program, many incarnations', () => {
  const msg = (id: number, type: string, extra = {}) => JSON.stringify({ src: 'c1', dest: 'n1', body: { type, msg_id: id, ...extra } });
  const init = (id: number) => msg(id, 'init', { node_id: 'n1', node_ids: ['n1', 'n2'] });

  async function host(name: string, args: string[] = []) {
    const out: string[] = [];
    const logs: string[] = [];
    const errors: string[] = [];
    const clock = new VirtualClock();
    const n = new SimNode({ id: 'n1', install: await loadInstall(program(name)), args, clock, random: seededRandom('s'), dir: undefined, output: (l) => out.push(l), log: (l) => logs.push(l), onError: (m) => errors.push(m) });
    const replies = (type: string) => out.map((l) => JSON.parse(l).body).filter((b) => b.type === type);
    return { n, clock, out, logs, errors, replies };
  }

  it('each start runs the module afresh: its state, its arguments, each file\'s import.meta', async () => {
    const h = await host('state.ts', ['--fast', '7']);
    h.n.startNow();
    h.n.deliver(init(1));
    h.n.deliver(msg(2, 'inc'));
    h.n.deliver(msg(3, 'inc'));
    await h.n.kill();
    h.n.startNow();
    h.n.deliver(init(4));
    h.n.deliver(msg(5, 'inc'));
    expect(h.errors).toEqual([]);
    expect(h.replies('inc_ok').map((b) => b.count)).toEqual([1, 2, 1]);
    expect(h.replies('init_ok')).toHaveLength(2);
    const dir = new URL('programs/', import.meta.url);
    expect(h.logs[0]).toBe(`args --fast 7 later --fast 7 main ${new URL('state.ts', dir).href} helper ${pathToFileURL(program('lib/where.ts')).href} dirname ${program('').replace(/\/$/, '')}`);
    // `await node.run()` never returns under the simulator: the node runs until it is killed.
    await new Promise((r) => setImmediate(r));
    expect(h.logs.join('\n')).not.toContain('run() returned');
  });

  it('keeps the options the module gives createNode(), on the simulator\'s clock', async () => {
    const h = await host('state.ts');
    h.n.startNow();
    h.n.deliver(init(1));
    h.n.deliver(msg(2, 'ask'));
    for (let i = 0; i < 10 && h.clock.runNext(); i++) await new Promise((r) => setImmediate(r));
    expect(h.replies('ask_ok')).toEqual([{ type: 'ask_ok', timedOutAfter: 1234, in_reply_to: 2 }]);
  });

  it('a module that throws while starting fails the start with its error', async () => {
    const h = await host('throws.ts');
    h.n.startNow();
    expect(h.errors).toHaveLength(1);
    expect(h.errors[0]).toMatch(/^Starting node n1 failed: Error: no node today/);
    expect(h.n.running).toBe(false);
  });

  it('a module that awaits before createNode() is refused with the reason', async () => {
    const h = await host('late.ts');
    h.n.startNow();
    expect(h.errors[0]).toMatch(/late\.ts did not call createNode\(\) before its first `await`/);
    await new Promise((r) => setImmediate(r));
    expect(h.logs.join('\n')).toMatch(/createNode\(\) was called under gyre sim outside of starting a node/);
  });

  it('a module that makes two nodes is refused', async () => {
    const h = await host('twice.ts');
    h.n.startNow();
    expect(h.errors[0]).toMatch(/creates a second node/);
  });

  it('once a program is loaded, createNode() with its own input or output still works in this thread; on STDIN/STDOUT it throws', async () => {
    await loadInstall(program('state.ts'));
    const lines: string[] = [];
    const node = createNode({ input: [], output: (l) => lines.push(l), log: () => {} });
    node.receive(init(1));
    expect(lines).toHaveLength(1);
    expect(() => createNode()).toThrow(/outside of starting a node/);
  });

  it('a crash of the node\'s start crashes the run, naming the node and the error', async () => {
    const { r } = await sim(program('throws.ts'), 'echo', '1', { timeLimit: 2 });
    expect(r.exitCode).toBe(255);
    expect(r.crash).toMatch(/Starting node n0 failed: Error: no node today/);
  });
});
