/**
 * One simulated run: the runner's run core (network, services, clients, generator, nemesis,
 * recording, teardown, analysis) with every node of the cluster in this process
 * ({@link simHosts}) on one virtual clock ({@link virtualTime}).
 */
import { seededRandom } from '@gyre/history';
import { runCore, type RunCoreConfig, type RunOutcome } from '@gyre/runner';
import { simHosts } from './hosts';
import type { NodeModule } from './instance';
import { virtualTime } from './time';

export type { RunSize } from '@gyre/runner';
export { SIM_EPOCH_MS } from './time';

/**
 * Everything a simulated run needs: the run core's settings (workload, options, seed, latency,
 * nemesis, store, reporter, signal, …; see `RunCoreConfig`) and the node module. `gyre sim`
 * builds it from the same options as `gyre test`.
 */
export interface SimConfig extends Omit<RunCoreConfig, 'hosts' | 'clock' | 'testJson' | 'logNetSend' | 'logNetRecv'> {
  /** The node module: a function that installs a node's handlers, or a program (see {@link NodeModule}). */
  install: NodeModule;
  /** Arguments for the node (after `--`). @defaultValue [] */
  nodeArgs?: readonly string[];
  /** Give each node a directory (its "disk", kept across a kill) under a temporary directory. @defaultValue true */
  nodeDirs?: boolean;
  /** Keep the nodes' directories in the run directory, under `node-dirs/` (with a store; `--keep-node-dirs`). @defaultValue false: temporary, removed */
  keepNodeDirs?: boolean;
  /**
   * While the run lasts, replace `Math.random`, `crypto.randomUUID`, `crypto.getRandomValues` and
   * the synchronous `randomBytes` / `randomInt` of `node:crypto` with seeded sources and `Date.now`
   * with virtual time, so that node code using them is reproducible too. @defaultValue true
   */
  patchGlobals?: boolean;
  /** Recorded in test.json: the node module's path. */
  nodeModule?: string;
}

/** The outcome of a simulated run: the run core's, with its virtual duration as `simSeconds`. */
export interface SimResult extends Omit<RunOutcome, 'dir' | 'seconds'> {
  /** The run directory (with {@link SimConfig.store}). */
  dir?: string;
  /** Virtual seconds the run lasted. */
  simSeconds: number;
}

/** Runs one simulated test. Never throws for problems of the nodes; returns a crash instead. */
export async function runSim(cfg: SimConfig): Promise<SimResult> {
  const { install, nodeArgs = [], nodeDirs, keepNodeDirs, patchGlobals, nodeModule, ...run } = cfg;
  const latencyDist = run.latencyDist ?? 'constant';
  const nemesisInterval = run.nemesisInterval ?? 10;
  const recoveryTime = run.recoveryTime ?? 10;
  const { dir, seconds, ...r } = await runCore({
    ...run,
    latencyDist,
    nemesisInterval,
    recoveryTime,
    argv: run.argv ?? [],
    hosts: simHosts({ install, args: nodeArgs, nodeDirs: nodeDirs !== false, ...(keepNodeDirs ? { keepNodeDirs } : {}), ...(nodeModule !== undefined ? { module: nodeModule } : {}) }),
    clock: virtualTime(patchGlobals === false ? {} : { patchGlobals: seededRandom(run.seed).fork('math-random') }),
    // What `gyre replay` needs to simulate the run again.
    testJson: {
      maxOps: run.maxOps,
      maxLineBytes: run.maxLineBytes,
      options: { ...run.options, latencyDist, nemesisInterval, recoveryTime, ...(run.nemesisTargets ? { nemesisTargets: run.nemesisTargets } : {}) },
    },
  });
  return { ...r, ...(dir !== undefined ? { dir } : {}), simSeconds: seconds };
}
