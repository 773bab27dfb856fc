/**
 * `gyre test`'s run: the run core with node processes on real time.
 */
import { randomBytes } from 'node:crypto';
import type { NodeSpec } from '@gyre/nemesis';
import type { WorkloadDefinition, WorkloadOptions } from '@gyre/workloads';
import { realTime } from './clock';
import { runCore, type Reporter, type RunOutcome } from './core';
import { processHosts } from './process-hosts';

/** Everything a run of node processes needs. The CLI builds this from `gyre test` options. */
export interface RunConfig {
  /** The workload. */
  workload: WorkloadDefinition;
  /** Options the workload sees. */
  options: WorkloadOptions;
  /** Absolute path of the node binary. */
  bin: string;
  /** Arguments for the binary. */
  binArgs: readonly string[];
  /** `--latency-dist`. */
  latencyDist: 'constant' | 'uniform' | 'exponential';
  /** `--nemesis-interval` in seconds. */
  nemesisInterval: number;
  /** Which nodes a kill or pause picks from. @defaultValue `['one', 'minority', 'majority', 'all']` */
  nemesisTargets?: readonly NodeSpec[];
  /** Seconds to wait before the final phase. @defaultValue 10 */
  recoveryTime: number;
  /** The run's seed; random when undefined. */
  seed: string | undefined;
  /** The store root. */
  store: string;
  /** The command line, recorded for `analyze`. */
  argv: readonly string[];
  /** Echo the nodes' STDERR lines. @defaultValue false */
  logStderr?: boolean;
  /** Log every message sent / received. @defaultValue false */
  logNetSend?: boolean;
  logNetRecv?: boolean;
  /** Init timeout in ms. @defaultValue 10000 */
  initTimeoutMs?: number;
  /** Where messages for the person running the test go. */
  reporter: Reporter;
  /** Abort the run (Ctrl-C). */
  signal?: AbortSignal;
}

/** The outcome of a run of node processes: always with a run directory. */
export interface RunResult extends RunOutcome {
  dir: string;
}

/**
 * Runs a test of node processes from start to finish (`gyre test`). Never throws for problems
 * with the node, returns a crash instead; throws `StoreError` when the store cannot be written.
 */
export async function runTest(cfg: RunConfig): Promise<RunResult> {
  const { bin, binArgs, logStderr, seed, ...rest } = cfg;
  const r = await runCore({
    ...rest,
    seed: seed ?? String(randomBytes(4).readUInt32BE(0)),
    hosts: processHosts({ bin, args: binArgs, ...(logStderr ? { logStderr } : {}) }),
    clock: realTime(),
  });
  return { ...r, dir: r.dir! };
}
