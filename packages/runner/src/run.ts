/**
 * `gyre test`'s run: the run core with node processes on real time.
 */
import { randomBytes } from 'node:crypto';
import { realTime } from './clock';
import { runCore, type RunCoreConfig, type RunOutcome } from './core';
import { processHosts } from './process-hosts';

/** Everything a run of node processes needs. The CLI builds this from `gyre test` options. */
export interface RunConfig extends Omit<RunCoreConfig, 'seed' | 'store' | 'hosts' | 'clock' | 'testJson'> {
  /** Absolute path of the node binary. */
  bin: string;
  /** Arguments for the binary. */
  binArgs: readonly string[];
  /** The run's seed; random when undefined. */
  seed: string | undefined;
  /** The store root. */
  store: string;
  /** Echo the nodes' STDERR lines. @defaultValue false */
  logStderr?: boolean;
  /** Keep the nodes' working directories in the run directory, under `node-dirs/` (`--keep-node-dirs`). @defaultValue false: temporary, removed */
  keepNodeDirs?: boolean;
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
  const { bin, binArgs, logStderr, keepNodeDirs, seed, ...rest } = cfg;
  const r = await runCore({
    ...rest,
    seed: seed ?? String(randomBytes(4).readUInt32BE(0)),
    hosts: processHosts({ bin, args: binArgs, ...(logStderr ? { logStderr } : {}), ...(keepNodeDirs ? { keepWorkDirs: true } : {}) }),
    clock: realTime(),
  });
  return { ...r, dir: r.dir! };
}
