/**
 * The promise of simulation mode: the same seed gives byte-identical histories and journals, run
 * after run, for every built-in workload that has an example node; another seed gives another run.
 */
import { formatOpJson } from '@gyre/history';
import { WORKLOADS } from '@gyre/workloads';
import { describe, expect, it } from 'vitest';
import { loadInstall, runSim, type SimConfig } from '../src/index';
import { workloadOptions } from './options';

const repo = new URL('../../../', import.meta.url).pathname;
const fixture = (name: string) => new URL(`./nodes/${name}.ts`, import.meta.url).pathname;

interface Case {
  workload: string;
  node: string;
  options?: Parameters<typeof workloadOptions>[0];
  extra?: Partial<SimConfig>;
}

/** Every built-in workload with a node to run it; nemeses on, so faults are part of what must repeat. */
const CASES: Case[] = [
  { workload: 'echo', node: repo + 'examples/nodes/echo.ts', options: { nemesis: ['pause'] }, extra: { nemesisInterval: 1 } },
  { workload: 'unique-ids', node: repo + 'examples/nodes/unique-ids.ts', options: { nemesis: ['partition'] }, extra: { nemesisInterval: 1 } },
  { workload: 'broadcast', node: fixture('broadcast'), options: { nodeCount: 5, latency: 10, nemesis: ['partition'] }, extra: { latencyDist: 'exponential', nemesisInterval: 2, recoveryTime: 3 } },
  { workload: 'g-set', node: fixture('g-set'), options: { latency: 5, nemesis: ['partition', 'pause'] }, extra: { latencyDist: 'uniform', nemesisInterval: 2, recoveryTime: 3 } },
  { workload: 'g-counter', node: fixture('counter'), options: { latency: 5, nemesis: ['kill'] }, extra: { nemesisInterval: 2, recoveryTime: 3 } },
  { workload: 'pn-counter', node: fixture('counter'), options: { latency: 5, nemesis: ['partition'] }, extra: { nemesisInterval: 2, recoveryTime: 3 } },
  { workload: 'kafka', node: fixture('kafka'), options: { latency: 5, nemesis: ['partition'] }, extra: { latencyDist: 'exponential', nemesisInterval: 2, recoveryTime: 3 } },
  { workload: 'lin-kv', node: repo + 'examples/nodes/lin-kv-proxy.ts', options: { concurrency: 6, latency: 5, nemesis: ['partition'] }, extra: { nemesisInterval: 2 } },
  { workload: 'lin-kv', node: repo + 'examples/nodes/raft.ts', options: { concurrency: 6, rate: 50, latency: 10, nemesis: ['partition', 'kill', 'pause'] }, extra: { latencyDist: 'exponential', nemesisInterval: 2 } },
  // Once their workloads are on main.
  { workload: 'txn-list-append', node: repo + 'examples/nodes/txn-list-append.ts', options: { latency: 5, nemesis: ['partition'] }, extra: { nemesisInterval: 2 } },
  { workload: 'txn-rw-register', node: repo + 'examples/nodes/txn-rw-register.ts', options: { latency: 5, nemesis: ['partition'] }, extra: { nemesisInterval: 2 } },
];

async function run(c: Case, seed: string) {
  const workload = WORKLOADS[c.workload];
  if (!workload) throw new Error(`no workload ${c.workload}`);
  const r = await runSim({ workload, options: workloadOptions({ timeLimit: 8, ...c.options }), install: await loadInstall(c.node), seed, keepJournal: true, ...c.extra });
  return { r, history: r.history.map((op) => formatOpJson(op)).join('\n'), journal: r.journal! };
}

describe('the same seed gives the same run', () => {
  for (const c of CASES) {
    it.skipIf(!WORKLOADS[c.workload])(`${c.workload} (${c.node.split('/').pop()}): byte-identical history and journal; a different seed differs`, async () => {
      const a = await run(c, '17');
      const b = await run(c, '17');
      expect(a.r.crash).toBeUndefined();
      expect(a.r.history.length).toBeGreaterThan(20);
      expect(a.journal.split('\n').length).toBeGreaterThan(50);
      expect(b.history).toBe(a.history);
      expect(b.journal).toBe(a.journal);
      expect(b.r.results).toEqual(a.r.results);
      const other = await run(c, '18');
      expect(other.history).not.toBe(a.history);
    });
  }
});
