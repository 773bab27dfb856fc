import type { WorkloadOptions } from '@gyre/workloads';

/** `gyre test`'s defaults, with `over` applied; `nodes` from `nodeCount` (n0, n1, ...). */
export function workloadOptions(over: Partial<WorkloadOptions> & { nodeCount?: number } = {}): WorkloadOptions {
  const { nodeCount = 3, ...rest } = over;
  const nodes = rest.nodes ?? Array.from({ length: nodeCount }, (_, i) => `n${i}`);
  return {
    nodes,
    concurrency: nodes.length,
    rate: 10,
    timeLimit: 10,
    latency: 0,
    topology: 'grid',
    keyCount: undefined,
    maxTxnLength: 4,
    maxWritesPerKey: 16,
    consistencyModels: ['strict-serializable'],
    availability: undefined,
    nemesis: [],
    seed: undefined,
    ...rest,
  } as WorkloadOptions;
}
