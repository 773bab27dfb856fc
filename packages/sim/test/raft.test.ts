/**
 * The bug simulation finds: examples/nodes/raft.ts with its planted stale-lease bug fails on some
 * seeds (a read answered by a deposed leader), shrinking brings a failing seed down to a few dozen
 * operations, and the correct Raft passes the same seeds.
 */
import { describe, expect, it } from 'vitest';
import { runSeed, shrink, sweep, seedRange, type SimSpec } from '../src/index';
import { workloadOptions } from './options';

const raft = new URL('../../../examples/nodes/raft.ts', import.meta.url).pathname;

/** The demonstration's setting: 3 nodes, 6 clients, 100 requests/s, 20 s, partitions every 5 s on average. */
const spec = (nodeArgs: string[]): SimSpec => ({
  workload: 'lin-kv',
  node: raft,
  nodeArgs,
  options: workloadOptions({ nodeCount: 3, concurrency: 6, rate: 100, timeLimit: 20, latency: 10, nemesis: ['partition'] }),
  latencyDist: 'exponential',
  nemesisInterval: 5,
  recoveryTime: 10,
});
const buggy = spec(['--stale-lease']);
const correct = spec([]);

describe('Raft under simulation', () => {
  it('the stale lease fails seed 4 with a non-linearizable read; the correct lease passes it', async () => {
    const bad = await runSeed(buggy, '4');
    expect(bad.exitCode).toBe(1);
    expect(bad.failures).toContain('workload');
    const good = await runSeed(correct, '4');
    expect(good.failures).toEqual([]);
    expect(good.exitCode).toBe(0);
  });

  it('the correct Raft passes a range of seeds', async () => {
    const out = await sweep({ spec: correct, seeds: seedRange(0, 12), workers: 2 });
    expect(out.results.map((r) => `${r.seed}:${r.exitCode}`)).toEqual(seedRange(0, 12).map((s) => `${s}:0`));
  });

  it('shrinking takes the failing seed from about 2000 operations to a few dozen', async () => {
    const r = await shrink({ spec: buggy, seed: '4' });
    expect(r.original.result.size.ops).toBeGreaterThan(1500);
    expect(r.smallest.result.failures).toContain('workload');
    expect(r.smallest.result.size.ops).toBeLessThanOrEqual(60);
    expect(r.smallest.result.size.nodes).toBe(3);
    // The smallest run is reproducible from its spec and seed alone.
    const again = await runSeed(r.smallest.spec, r.smallest.seed);
    expect(again.digest).toBe(r.smallest.result.digest);
  }, 600_000);
});
