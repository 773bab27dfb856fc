import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { echo, type WorkloadOptions } from '@gyre/workloads';
import { describe, expect, it } from 'vitest';
import { realTime } from './clock';
import { runCore, type RunCoreConfig } from './core';
import type { HostFactory, NodeHost } from './ports/types';
import { analyzeRun } from './store/analyze';
import { StoreError } from './store/write';

/** The options the core and the echo workload read (the others are other workloads'). */
const options = (over: Partial<WorkloadOptions> = {}) => ({ nodes: ['n0', 'n1'], concurrency: 2, rate: 20, timeLimit: 0.3, latency: 0, nemesis: [], ...over }) as WorkloadOptions;

interface Behaviour {
  /** What a node does with an `echo`: answer it, ignore it, or crash the run. */
  echo?: 'reply' | 'ignore' | 'crash';
  /** startAll rejects with this. */
  cannotStart?: string;
  /** What a node does with `init`. */
  init?: 'reply' | 'ignore';
}

/** In-memory echo nodes behind the host port; `events` records what the core asked of the hosts. */
function memoryHosts(b: Behaviour, events: string[]): HostFactory {
  return {
    mode: 'process',
    create: (ctx) => {
      const hosts = new Map<string, NodeHost>();
      for (const node of ctx.nodes) {
        let running = false;
        hosts.set(node, {
          get running() {
            return running;
          },
          paused: false,
          kill: async () => void (running = false),
          start: async () => void (running = true),
          pause: () => {},
          resume: () => {},
          deliver: (line) => {
            if (!running) return;
            const m = JSON.parse(line) as { src: string; body: Record<string, unknown> };
            const reply = (body: Record<string, unknown>) => ctx.output(node, JSON.stringify({ src: node, dest: m.src, body: { ...body, in_reply_to: m.body['msg_id'] } }));
            if (m.body['type'] === 'init') {
              if (b.init !== 'ignore') reply({ type: 'init_ok' });
            }
            else if (m.body['type'] === 'echo') {
              if (b.echo === 'crash') ctx.crash(`Node ${node} fell over`, { node, how: 'fell over', stdout: ['out'], stderr: [] });
              else if (b.echo !== 'ignore') reply({ type: 'echo_ok', echo: m.body['echo'] });
            }
          },
        });
      }
      return {
        hosts,
        testJson: { host: 'memory' },
        startAll: async () => {
          events.push('startAll');
          if (b.cannotStart) throw new Error(b.cannotStart);
          for (const h of hosts.values()) await h.start();
        },
        initHint: () => 'Look in the mirror.',
        lastOutput: () => ({ stdout: ['hello?'], stderr: ['starting'] }),
        stopAll: async () => void events.push('stopAll'),
        sections: () => ({ 'stdin-drops': { valid: true, messageCount: ctx.nodes.length, byteCount: 0, byNode: {} } }),
      };
    },
  };
}

function config(b: Behaviour, events: string[], over: Partial<RunCoreConfig> = {}): RunCoreConfig {
  return { workload: echo, options: options(), seed: '7', hosts: memoryHosts(b, events), clock: realTime(), ...over };
}

describe('runCore', () => {
  it('runs the phases in order, tears down once, and writes the run directory', async () => {
    const events: string[] = [];
    const store = mkdtempSync(join(tmpdir(), 'gyre-core-'));
    const r = await runCore(config({}, events, { store, argv: ['test', '-w', 'echo'], testJson: { extra: 1 } }));
    expect(r.exitCode).toBe(0);
    expect(r.valid).toBe(true);
    expect(r.phases).toEqual(['start', 'init', 'main', 'teardown', 'analysis']);
    expect(r.results['phases']).toEqual({ start: 'completed', init: 'completed', main: 'completed' });
    expect(events).toEqual(['startAll', 'stopAll']);
    expect(r.size.ops).toBeGreaterThan(0);
    expect(r.results['stdin-drops']).toEqual({ 'valid?': true, 'message-count': 2, 'byte-count': 0, 'by-node': {} });
    const test = JSON.parse(readFileSync(join(r.dir!, 'test.json'), 'utf8'));
    expect(test).toMatchObject({ name: 'echo', argv: ['test', '-w', 'echo'], seed: '7', nodes: ['n0', 'n1'], concurrency: 2, host: 'memory', extra: 1 });
    expect(test['mode']).toBeUndefined();
    const jsonl = readFileSync(join(r.dir!, 'history.jsonl'), 'utf8').trim().split('\n');
    const edn = readFileSync(join(r.dir!, 'history.edn'), 'utf8').trim().split('\n');
    expect(jsonl.length).toBe(r.history.length);
    expect(edn.length).toBe(r.history.length);
    expect(existsSync(join(r.dir!, 'results.json'))).toBe(true);
  });

  it('a node that crashes mid-run: exit 255, operations in flight complete at once, teardown and analysis still run', async () => {
    const events: string[] = [];
    const r = await runCore(config({ echo: 'crash' }, events));
    expect(r.exitCode).toBe(255);
    expect(r.crash).toMatch(/^Node n\d fell over$/);
    expect(events).toEqual(['startAll', 'stopAll']);
    expect(r.phases).toEqual(['start', 'init', 'main', 'teardown', 'analysis']);
    // Never valid: unknown, with the crash under its own key.
    expect(r.valid).toBe('unknown');
    expect(r.results['valid?']).toBe('unknown');
    expect(r.results['crash']).toEqual({ by: 'node', node: expect.stringMatching(/^n\d$/), how: 'fell over', stdout: ['out'], stderr: [], message: expect.stringMatching(/^Node n\d fell over$/) });
    expect(r.results['phases']).toEqual({ start: 'completed', init: 'completed', main: 'cut-short' });
    // The client was closed rather than left to time out.
    const completions = r.history.filter((o) => o.type !== 'invoke' && o.process !== 'nemesis');
    expect(completions.length).toBeGreaterThan(0);
    for (const c of completions) expect(c).toMatchObject({ type: 'info', error: expect.stringMatching(/closed/) });
  });

  it('an interrupt closes the clients: the operation in flight completes as info at once', async () => {
    const ac = new AbortController();
    const events: string[] = [];
    const b: Behaviour = { echo: 'ignore' };
    const hosts = memoryHosts(b, events);
    // Interrupt once the first echo has reached a node (which never answers it).
    const interrupting: HostFactory = {
      mode: 'process',
      create: (ctx) => {
        const made = hosts.create(ctx);
        for (const h of made.hosts.values()) {
          const deliver = h.deliver;
          h.deliver = (line) => {
            deliver(line);
            if (line.includes('"echo"')) ac.abort();
          };
        }
        return made;
      },
    };
    const r = await runCore(config(b, events, { hosts: interrupting, signal: ac.signal, options: options({ timeLimit: 60 }) }));
    expect(r.exitCode).toBe(255);
    expect(r.crash).toBeUndefined();
    expect(r.results['interrupted']).toBe(true);
    expect(r.results['phases']).toEqual({ start: 'completed', init: 'completed', main: 'cut-short' });
    // No echo came back, so stats would say an f never succeeded: not the node's fault when the run was cut short.
    expect(r.valid).toBe('unknown');
    expect(r.results['stats']).toMatchObject({ 'valid?': 'unknown', 'ok-count': 0, 'verdict-withheld': expect.stringMatching(/cut short/) });
    const done = r.history.find((o) => o.type !== 'invoke' && o.process !== 'nemesis');
    expect(done).toMatchObject({ type: 'info', error: expect.stringMatching(/closed/) });
  });

  it('hosts that cannot start: a crash with the reason, no init, teardown and analysis still run', async () => {
    const events: string[] = [];
    const r = await runCore(config({ cannotStart: 'spawn ./node ENOENT' }, events));
    expect(r.exitCode).toBe(255);
    expect(r.crash).toBe('spawn ./node ENOENT');
    expect(r.phases).toEqual(['start', 'teardown', 'analysis']);
    expect(r.results['phases']).toEqual({ start: 'cut-short', init: 'not-reached', main: 'not-reached' });
    expect(r.results['crash']).toEqual({ by: 'node', how: 'spawn ./node ENOENT', message: 'spawn ./node ENOENT' });
    expect(events).toEqual(['startAll', 'stopAll']);
  });

  it('a node that never answers init: a crash naming it, how, and what it wrote last', async () => {
    const r = await runCore(config({ init: 'ignore' }, [], { initTimeoutMs: 200 }));
    expect(r.exitCode).toBe(255);
    expect(r.valid).toBe('unknown');
    expect(r.results['crash']).toEqual({
      by: 'node',
      node: expect.stringMatching(/^n[01]$/),
      how: 'did not answer init within 0.2 s',
      stdout: ['hello?'],
      stderr: ['starting'],
      message: expect.stringMatching(/did not respond within 0\.2 s\. Look in the mirror\.$/),
    });
    expect(r.results['phases']).toEqual({ start: 'completed', init: 'cut-short', main: 'not-reached' });
  });

  it('an error thrown in a callback during a run (uncaught) ends it as crashed by Gyre, with its results', () => {
    // In a process of its own: the test runner treats any uncaught exception in its own as a failure.
    const store = mkdtempSync(join(tmpdir(), 'gyre-core-'));
    const here = (f: string) => JSON.stringify(new URL(f, import.meta.url).pathname);
    const code = `import { runCore } from ${here('./core.ts')};
      import { realTime } from ${here('./clock.ts')};
      import { echo } from '@gyre/workloads';
      let n = 0;
      const hosts = { mode: 'process', create: (ctx) => ({
        hosts: new Map(ctx.nodes.map((node) => [node, { running: true, paused: false, kill: async () => {}, start: async () => {}, pause() {}, resume() {},
          deliver: (line) => {
            const m = JSON.parse(line);
            if (m.body.type === 'echo' && ++n === 3) setTimeout(() => { throw new Error('a bug in a timer'); });
            if (m.body.type === 'echo' && n === 4) Promise.reject(new Error('nobody awaited this'));
            const type = m.body.type === 'init' ? 'init_ok' : 'echo_ok';
            ctx.output(node, JSON.stringify({ src: node, dest: m.src, body: { type, echo: m.body.echo, in_reply_to: m.body.msg_id } }));
          } }])),
        testJson: {}, startAll: async () => {}, initHint: () => '', stopAll: async () => {}, sections: () => ({}),
      }) };
      const r = await runCore({ workload: echo, options: { nodes: ['n0'], concurrency: 1, rate: 50, timeLimit: 30, latency: 0, nemesis: [] }, seed: '1', hosts, clock: realTime(), store: ${JSON.stringify(store)} });
      console.log(JSON.stringify({ exitCode: r.exitCode, crash: r.results.crash, valid: r.results['valid?'], listeners: process.listenerCount('uncaughtException') }));`;
    const out = execFileSync(process.execPath, ['--conditions=@gyre/source', '--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000, cwd: new URL('.', import.meta.url).pathname });
    const r = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(r).toEqual({ exitCode: 255, valid: 'unknown', listeners: 0, crash: { by: 'gyre', how: 'a bug in a timer', message: expect.stringMatching(/^Gyre crashed: a bug in a timer\. This is a bug in Gyre or in the workload plugin, not in your node/) } });
    const log = readFileSync(join(store, 'latest', 'gyre.log'), 'utf8');
    expect(log).toMatch(/ERROR\t\[gyre\] Error: a bug in a timer\n\s+at /);
  });

  it('stopped before it starts: interrupted, not crashed', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await runCore(config({}, [], { signal: ac.signal }));
    expect(r.exitCode).toBe(255);
    expect(r.crash).toBeUndefined();
    expect(r.results['interrupted']).toBe(true);
    expect(r.history).toEqual([]);
  });

  it('a store that cannot be written is a StoreError, before anything starts', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gyre-core-')), 'not-a-dir');
    writeFileSync(file, '');
    const events: string[] = [];
    await expect(runCore(config({}, events, { store: file }))).rejects.toThrow(StoreError);
    expect(events).toEqual([]);
  });

  it('a stored run analysed again (gyre analyze) gives the results the run gave, and gets its history.edn back', async () => {
    const store = mkdtempSync(join(tmpdir(), 'gyre-core-'));
    const r = await runCore(config({}, [], { store, argv: ['test', '-w', 'echo'] }));
    const dir = r.dir!;
    const edn = readFileSync(join(dir, 'history.edn'), 'utf8');
    rmSync(join(dir, 'history.edn'));
    writeFileSync(join(dir, 'results.json'), '{}');
    const info: string[] = [];
    const loaded: (readonly string[])[] = [];
    const a = await analyzeRun(dir, {
      load: async (args) => {
        loaded.push(args);
        return { workload: echo, options: options() };
      },
      reporter: { info: (m) => info.push(m), warn: (m) => info.push(m) },
    });
    expect(loaded).toEqual([['-w', 'echo']]);
    expect(a.exitCode).toBe(0);
    for (const k of ['workload', 'stats', 'net', 'availability', 'exceptions', 'valid?', 'seed']) expect(a.results[k], k).toEqual(r.results[k]);
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))['valid?']).toBe(true);
    expect(readFileSync(join(dir, 'history.edn'), 'utf8')).toBe(edn);
    expect(info).toContain('Rewrote history.edn from history.jsonl');
  });
});
