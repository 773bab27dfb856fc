import { describe, expect, it } from 'vitest';
import { shrink, type SimSpec } from '../src/index';
import { workloadOptions } from './options';

const repo = new URL('../../../', import.meta.url).pathname;
const fixture = (name: string) => new URL(`./nodes/${name}.ts`, import.meta.url).pathname;

const spec = (workload: string, node: string, over: Parameters<typeof workloadOptions>[0], rest: Partial<SimSpec> = {}): SimSpec => ({
  workload,
  node,
  nodeArgs: [],
  options: workloadOptions(over),
  latencyDist: 'constant',
  nemesisInterval: 2,
  recoveryTime: 5,
  ...rest,
});

describe('shrink', () => {
  it('reduces colliding unique ids to the two operations on two nodes that collide', async () => {
    const s = spec('unique-ids', repo + 'examples/nodes/unique-ids-colliding.ts', { nodeCount: 5, timeLimit: 10, rate: 20, nemesis: ['partition'] });
    const r = await shrink({ spec: s, seed: '3' });
    expect(r.original.result.exitCode).toBe(1);
    expect(r.original.result.size.ops).toBeGreaterThan(100);
    expect(r.smallest.result.exitCode).toBe(1);
    expect(r.smallest.result.size).toMatchObject({ ops: 2, faults: 0, nodes: 2 });
    expect(r.smallest.spec.options.nemesis).toEqual([]);
    expect(r.path.length).toBeGreaterThan(0);
    expect(r.runs).toBeLessThanOrEqual(300);
  });

  it('keeps the fault a failure needs: a counter that forgets its count when killed', async () => {
    const s = spec('g-counter', fixture('counter'), { timeLimit: 20, rate: 20, latency: 5, nemesis: ['kill', 'partition'] });
    const r = await shrink({ spec: s, seed: '1' });
    expect(r.original.result.exitCode).toBe(1);
    const small = r.smallest;
    expect(small.spec.options.nemesis).toEqual(['kill']);
    expect(small.result.size.faults).toBeGreaterThanOrEqual(1);
    expect(small.result.size.ops).toBeLessThan(r.original.result.size.ops / 4);
  });

  it('refuses a seed that passes', async () => {
    await expect(shrink({ spec: spec('echo', repo + 'examples/nodes/echo.ts', { timeLimit: 2 }), seed: '1' })).rejects.toThrow(/nothing to shrink/);
  });
});
