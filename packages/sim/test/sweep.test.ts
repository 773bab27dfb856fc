import { describe, expect, it } from 'vitest';
import { mergeSummaries, runSeed, seedRange, shardRange, summarize, sweep, type SimSpec } from '../src/index';
import { workloadOptions } from './options';

const repo = new URL('../../../', import.meta.url).pathname;

const spec = (node: string, over: Partial<SimSpec> = {}): SimSpec => ({
  workload: 'echo',
  node,
  nodeArgs: [],
  options: workloadOptions({ timeLimit: 5, latency: 5 }),
  latencyDist: 'constant',
  nemesisInterval: 1,
  recoveryTime: 1,
  ...over,
});

describe('shards', () => {
  it('split a range into contiguous blocks covering it once, sizes differing by at most one', () => {
    for (const [count, total] of [[10, 3], [1000, 7], [2, 5], [0, 2]] as const) {
      const blocks = Array.from({ length: total }, (_, i) => shardRange(100, count, i + 1, total));
      expect(blocks.flatMap((b) => seedRange(b.first, b.count))).toEqual(seedRange(100, count));
      const sizes = blocks.map((b) => b.count);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    expect(() => shardRange(0, 10, 0, 3)).toThrow(RangeError);
    expect(() => shardRange(0, 10, 4, 3)).toThrow(RangeError);
  });
});

describe('sweep', () => {
  it('runs seeds on worker threads with the same outcome, byte for byte, as in this thread', async () => {
    const s = spec(repo + 'examples/nodes/echo.ts');
    const seeds = seedRange(0, 6);
    const threaded = await sweep({ spec: s, seeds, workers: 2, digest: true });
    expect(threaded.workers).toBe(2);
    expect(threaded.results.map((r) => r.seed)).toEqual(seeds);
    expect(threaded.results.map((r) => r.crash ?? r.exitCode)).toEqual(seeds.map(() => 0));
    const local = await runSeed(s, '3');
    expect(threaded.results[3]!.digest).toBe(local.digest);
    expect(new Set(threaded.results.map((r) => r.digest)).size).toBe(6);
  });

  it('finds failing seeds, reports the smallest, stops early on request, and merges shards', async () => {
    const s = spec(repo + 'examples/nodes/echo-wrong.ts', { options: workloadOptions({ timeLimit: 2, rate: 2 }) });
    const all = await sweep({ spec: s, seeds: seedRange(0, 8), workers: 0 });
    const summary = summarize(s, { first: 0, count: 8 }, all);
    expect(summary.ran).toBe(8);
    expect(summary.invalid).toBeGreaterThan(0);
    expect(summary.smallestFailing).toBe(summary.failing[0]!.seed);
    const stopped = await sweep({ spec: s, seeds: seedRange(0, 8), workers: 0, stopOnFailure: true });
    expect(stopped.stopped).toBe(true);
    expect(stopped.results.length).toBe(Number(summary.smallestFailing) + 1);

    const shards = [1, 2, 3].map((k) => shardRange(0, 8, k, 3));
    const parts = await Promise.all(shards.map(async (r, i) => summarize(s, { ...r, shard: `${i + 1}/3` }, await sweep({ spec: s, seeds: seedRange(r.first, r.count), workers: 0 }))));
    const merged = mergeSummaries(parts);
    expect(merged.ran).toBe(8);
    expect(merged.failing.map((f) => f.seed)).toEqual(summary.failing.map((f) => f.seed));
    expect(merged.smallestFailing).toBe(summary.smallestFailing);
    expect(() => mergeSummaries([parts[0]!, parts[0]!])).toThrow(/overlap/);
    expect(() => mergeSummaries([parts[0]!, { ...parts[1]!, spec: { ...s, workload: 'unique-ids' } }])).toThrow(/different/);
  });
});
