/**
 * The workload options the benchmarks run with: Maelstrom's defaults for what they do not set
 * (no faults, no latency, seed 1).
 */
import type { WorkloadOptions } from '@gyre/workloads';

export function benchOptions(o: Pick<WorkloadOptions, 'nodes' | 'concurrency' | 'rate' | 'timeLimit'>): WorkloadOptions {
  return {
    ...o,
    latency: 0,
    topology: 'grid',
    keyCount: undefined,
    maxTxnLength: 4,
    maxWritesPerKey: 16,
    consistencyModels: [],
    availability: undefined,
    nemesis: [],
    seed: '1',
  };
}
