import { defaultWorkloadOptions, type WorkloadOptions } from '@gyre/workloads';

/** `gyre test`'s defaults but rate 10 and time limit 10, with `over` applied; `nodes` from `nodeCount` (n0, n1, ...). */
export function workloadOptions(over: Partial<WorkloadOptions> & { nodeCount?: number } = {}): WorkloadOptions {
  const { nodeCount = 3, ...rest } = over;
  return defaultWorkloadOptions({ nodes: Array.from({ length: nodeCount }, (_, i) => `n${i}`), rate: 10, timeLimit: 10, ...rest });
}
