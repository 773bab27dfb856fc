import { shardRange } from '@gyre/sim';
import { describe, expect, it } from 'vitest';
import { parseSimArgs } from './sim';
import { ShardError, shardFromEnv } from './shard';

const at = (env: Record<string, string>, total?: number) => {
  const s = shardFromEnv(env, total);
  return [s.index, s.total];
};

describe('shardFromEnv', () => {
  it('Kubernetes Indexed Job: JOB_COMPLETION_INDEX counts from 0, the total comes from --shard auto/N', () => {
    expect(at({ JOB_COMPLETION_INDEX: '0' }, 4)).toEqual([1, 4]);
    expect(at({ JOB_COMPLETION_INDEX: '3' }, 4)).toEqual([4, 4]);
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '4' }, 4)).toThrow(/JOB_COMPLETION_INDEX=4 is out of range for 4 jobs \(Kubernetes Indexed Job counts from 0\)/);
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '1' })).toThrow(/pass it: --shard auto\/N/);
  });

  it('GitLab: CI_NODE_INDEX counts from 1', () => {
    expect(at({ CI_NODE_INDEX: '1', CI_NODE_TOTAL: '4' })).toEqual([1, 4]);
    expect(at({ CI_NODE_INDEX: '4', CI_NODE_TOTAL: '4' })).toEqual([4, 4]);
    expect(() => shardFromEnv({ CI_NODE_INDEX: '0', CI_NODE_TOTAL: '4' })).toThrow(/CI_NODE_INDEX=0 is out of range for 4 jobs \(GitLab counts from 1\)/);
    // A job without parallel: has CI_NODE_TOTAL=1 and no index.
    expect(at({ CI_NODE_TOTAL: '1' })).toEqual([1, 1]);
  });

  it('CircleCI: CIRCLE_NODE_INDEX counts from 0', () => {
    expect(at({ CIRCLE_NODE_INDEX: '0', CIRCLE_NODE_TOTAL: '3' })).toEqual([1, 3]);
    expect(at({ CIRCLE_NODE_INDEX: '2', CIRCLE_NODE_TOTAL: '3' })).toEqual([3, 3]);
    expect(() => shardFromEnv({ CIRCLE_NODE_INDEX: '3', CIRCLE_NODE_TOTAL: '3' })).toThrow(ShardError);
  });

  it('Buildkite: BUILDKITE_PARALLEL_JOB counts from 0', () => {
    expect(at({ BUILDKITE_PARALLEL_JOB: '0', BUILDKITE_PARALLEL_JOB_COUNT: '5' })).toEqual([1, 5]);
    expect(at({ BUILDKITE_PARALLEL_JOB: '4', BUILDKITE_PARALLEL_JOB_COUNT: '5' })).toEqual([5, 5]);
    expect(() => shardFromEnv({ BUILDKITE_PARALLEL_JOB: '2' })).toThrow(/BUILDKITE_PARALLEL_JOB is set \(Buildkite\) but BUILDKITE_PARALLEL_JOB_COUNT is not/);
  });

  it('the shards of every engine cover the seeds once, in the same blocks', () => {
    const blocks = (envs: Record<string, string>[], total?: number) => envs.map((e) => shardFromEnv(e, total)).map((s) => shardRange(0, 100, s.index, s.total));
    const k8s = blocks([0, 1, 2, 3].map((i) => ({ JOB_COMPLETION_INDEX: String(i) })), 4);
    const gitlab = blocks([1, 2, 3, 4].map((i) => ({ CI_NODE_INDEX: String(i), CI_NODE_TOTAL: '4' })));
    const circle = blocks([0, 1, 2, 3].map((i) => ({ CIRCLE_NODE_INDEX: String(i), CIRCLE_NODE_TOTAL: '4' })));
    const buildkite = blocks([0, 1, 2, 3].map((i) => ({ BUILDKITE_PARALLEL_JOB: String(i), BUILDKITE_PARALLEL_JOB_COUNT: '4' })));
    expect(gitlab).toEqual(k8s);
    expect(circle).toEqual(k8s);
    expect(buildkite).toEqual(k8s);
    expect(k8s.reduce((n, b) => n + b.count, 0)).toBe(100);
    expect(k8s.map((b) => b.first)).toEqual([0, 25, 50, 75]);
  });

  it('refuses what it cannot read, saying where', () => {
    expect(() => shardFromEnv({})).toThrow(/no job index in the environment \(looked for JOB_COMPLETION_INDEX \(Kubernetes Indexed Job\), CI_NODE_INDEX \(GitLab\)/);
    expect(() => shardFromEnv({ CI_NODE_INDEX: 'two', CI_NODE_TOTAL: '4' })).toThrow(/CI_NODE_INDEX="two" is not a non-negative integer/);
    expect(() => shardFromEnv({ CI_NODE_INDEX: '1', CI_NODE_TOTAL: '4', CIRCLE_NODE_INDEX: '0', CIRCLE_NODE_TOTAL: '4' })).toThrow(/GitLab .* and CircleCI/);
    expect(() => shardFromEnv({ CI_NODE_INDEX: '1', CI_NODE_TOTAL: '4' }, 8)).toThrow(/the totals must agree/);
  });
});

describe('gyre sim --shard', () => {
  it('takes K/N, auto and auto/N', () => {
    const shard = (v: string) => parseSimArgs(['--node', 'x.ts', '--seeds', '10', '--shard', v]).sim.shard;
    expect(shard('2/4')).toEqual({ index: 2, total: 4 });
    expect(shard('auto')).toEqual({ auto: true });
    expect(shard('auto/8')).toEqual({ auto: true, total: 8 });
    expect(() => shard('auto/0')).toThrow(/auto\/N needs N ≥ 1/);
    expect(() => shard('5/4')).toThrow(/K\/N with 1 ≤ K ≤ N, or auto/);
  });
});
