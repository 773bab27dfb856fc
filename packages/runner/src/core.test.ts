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
            if (m.body['type'] === 'init') reply({ type: 'init_ok' });
            else if (m.body['type'] === 'echo') {
              if (b.echo === 'crash') ctx.crash(`Node ${node} fell over`);
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
    const done = r.history.find((o) => o.type !== 'invoke' && o.process !== 'nemesis');
    expect(done).toMatchObject({ type: 'info', error: expect.stringMatching(/closed/) });
  });

  it('hosts that cannot start: a crash with the reason, no init, teardown and analysis still run', async () => {
    const events: string[] = [];
    const r = await runCore(config({ cannotStart: 'spawn ./node ENOENT' }, events));
    expect(r.exitCode).toBe(255);
    expect(r.crash).toBe('spawn ./node ENOENT');
    expect(r.phases).toEqual(['start', 'teardown', 'analysis']);
    expect(events).toEqual(['startAll', 'stopAll']);
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
