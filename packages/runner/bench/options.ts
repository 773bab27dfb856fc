/**
 * What the benchmarks' runs share: `gyre test`'s defaults for every workload option they do not
 * set (no faults, no latency), seed 1, no wait for recovery, nothing on the console but what the
 * caller's reporter prints.
 */
import { defaultWorkloadOptions, type WorkloadOptions } from '@gyre/workloads';
import type { RunConfig } from '../src/index';

/** The fields a benchmark chooses; the rest are as above. */
export interface BenchRun extends Pick<RunConfig, 'workload' | 'bin' | 'binArgs' | 'store' | 'reporter'> {
  options: Pick<WorkloadOptions, 'nodes' | 'concurrency' | 'rate' | 'timeLimit'>;
}

/** The `runTest` configuration of a benchmark's run. */
export function benchRun(c: BenchRun): RunConfig {
  return { ...c, options: defaultWorkloadOptions({ ...c.options, seed: '1' }), seed: '1', recoveryTime: 0, reporter: c.reporter ?? { info: () => {}, warn: () => {} } };
}
