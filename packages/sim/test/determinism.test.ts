/**
 * The promise of simulation mode: the same seed gives byte-identical histories and journals, run
 * after run, for every built-in workload with its example nodes (examples/nodes, unchanged: the
 * same files run as processes under gyre test); another seed gives another run.
 */
import { formatOpJson } from '@gyre/history';
import { WORKLOADS } from '@gyre/workloads';
import { describe, expect, it } from 'vitest';
import { loadInstall, runSim, type SimConfig } from '../src/index';
import { workloadOptions } from './options';

const repo = new URL('../../../', import.meta.url).pathname;
const example = (name: string) => `${repo}examples/nodes/${name}.ts`;

interface Case {
  workload: string;
  node: string;
  options?: Parameters<typeof workloadOptions>[0];
  extra?: Partial<SimConfig>;
}

/** Every built-in workload with a node to run it; nemeses on, so faults are part of what must repeat. */
const CASES: Case[] = [
  { workload: 'echo', node: example('echo'), options: { nemesis: ['pause'] }, extra: { nemesisInterval: 1 } },
  { workload: 'unique-ids', node: example('unique-ids'), options: { nemesis: ['partition'] }, extra: { nemesisInterval: 1 } },
  { workload: 'broadcast', node: example('broadcast'), options: { nodeCount: 5, latency: 10, nemesis: ['partition'] }, extra: { latencyDist: 'exponential', nemesisInterval: 2, recoveryTime: 3 } },
  { workload: 'g-set', node: example('g-set'), options: { latency: 5, nemesis: ['partition', 'pause'] }, extra: { latencyDist: 'uniform', nemesisInterval: 2, recoveryTime: 3 } },
  { workload: 'g-counter', node: example('g-counter-seqkv'), options: { latency: 5, nemesis: ['partition'] }, extra: { nemesisInterval: 2, recoveryTime: 3 } },
  { workload: 'pn-counter', node: example('pn-counter'), options: { latency: 5, nemesis: ['partition'] }, extra: { nemesisInterval: 2, recoveryTime: 3 } },
  { workload: 'pn-counter', node: example('counter-resync'), options: { latency: 5, nemesis: ['kill'] }, extra: { nemesisInterval: 2, nemesisTargets: ['one'], recoveryTime: 3 } },
  { workload: 'kafka', node: example('kafka'), options: { latency: 5 }, extra: { latencyDist: 'exponential', recoveryTime: 3 } },
  { workload: 'kafka', node: example('kafka-linkv'), options: { latency: 5, nemesis: ['partition'] }, extra: { latencyDist: 'exponential', nemesisInterval: 2, recoveryTime: 3 } },
  { workload: 'lin-kv', node: example('lin-kv-proxy'), options: { concurrency: 6, latency: 5, nemesis: ['partition'] }, extra: { nemesisInterval: 2 } },
  { workload: 'lin-kv', node: example('raft'), options: { concurrency: 6, rate: 50, latency: 10, nemesis: ['partition', 'kill', 'pause'] }, extra: { latencyDist: 'exponential', nemesisInterval: 2 } },
  { workload: 'txn-list-append', node: example('txn-list-append'), options: { latency: 5, nemesis: ['partition'] }, extra: { nemesisInterval: 2 } },
  { workload: 'txn-rw-register', node: example('txn-rw-register'), options: { latency: 5, nemesis: ['partition'] }, extra: { nemesisInterval: 2 } },
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
