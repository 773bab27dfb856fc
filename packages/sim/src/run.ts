/**
 * One simulated run: the runner's run core (network, services, clients, generator, nemesis,
 * recording, teardown, analysis) with every node of the cluster in this process
 * ({@link simHosts}) on one virtual clock ({@link virtualTime}).
 */
import type { Validity } from '@gyre/checker';
import { seededRandom, type Op } from '@gyre/history';
import type { NodeSpec } from '@gyre/nemesis';
import { runCore, type Reporter, type RunSize } from '@gyre/runner';
import type { WorkloadDefinition, WorkloadOptions } from '@gyre/workloads';
import { simHosts } from './hosts';
import type { InstallNode } from './instance';
import { virtualTime } from './time';

export type { RunSize } from '@gyre/runner';
export { SIM_EPOCH_MS } from './time';

/** Everything a simulated run needs. `gyre sim` builds it from the same options as `gyre test`. */
export interface SimConfig {
  workload: WorkloadDefinition;
  /** Options the workload sees (nodes, concurrency, rate, time limit, latency, nemesis, ...). */
  options: WorkloadOptions;
  /** Installs a node's handlers (see {@link InstallNode}). */
  install: InstallNode;
  /** Arguments for the node (after `--`). @defaultValue [] */
  nodeArgs?: readonly string[];
  /** The run's seed: every choice of the run follows from it. */
  seed: string;
  /** @defaultValue 'constant' */
  latencyDist?: 'constant' | 'uniform' | 'exponential';
  /** Mean seconds between nemesis operations. @defaultValue 10 */
  nemesisInterval?: number;
  /** Which nodes a kill or pause picks from. @defaultValue `['one', 'minority', 'majority', 'all']` */
  nemesisTargets?: readonly NodeSpec[];
  /** Seconds to wait before the final phase. @defaultValue 10 */
  recoveryTime?: number;
  /** Most main-phase client operations (shrinking). @defaultValue no cap */
  maxOps?: number;
  /** Virtual ms to wait for `init_ok`. @defaultValue 10000 */
  initTimeoutMs?: number;
  /**
   * The store root: when given, the run writes a run directory as `gyre test` does (history,
   * journal, node logs, results). Without it, nothing is written and the history stays in memory.
   */
  store?: string;
  /** Keep the journal's text in memory ({@link SimResult.journal}). @defaultValue false */
  keepJournal?: boolean;
  /** Receives the journal's text in chunks as the run goes (for hashing it without keeping it). */
  onJournal?: (chunk: string) => void;
  /** Give each node a directory (its "disk", kept across a kill) under a temporary directory. @defaultValue true */
  nodeDirs?: boolean;
  /**
   * While the run lasts, replace `Math.random`, `crypto.randomUUID`, `crypto.getRandomValues` and
   * the synchronous `randomBytes` / `randomInt` of `node:crypto` with seeded sources and `Date.now`
   * with virtual time, so that node code using them is reproducible too. @defaultValue true
   */
  patchGlobals?: boolean;
  /** Recorded in test.json. */
  argv?: readonly string[];
  /** Recorded in test.json: the node module's path. */
  nodeModule?: string;
  reporter?: Reporter;
  /** Stops the run (it still analyses what it recorded). */
  signal?: AbortSignal;
}

/** The outcome of a simulated run. */
export interface SimResult {
  seed: string;
  valid: Validity;
  /** As `gyre test`: 0 valid, 1 invalid, 2 unknown, 255 crashed or interrupted. */
  exitCode: 0 | 1 | 2 | 255;
  results: Record<string, unknown>;
  history: Op[];
  /** The journal's text (with {@link SimConfig.keepJournal}). */
  journal?: string;
  /** The run directory (with {@link SimConfig.store}). */
  dir?: string;
  crash?: string;
  /** Virtual seconds the run lasted. */
  simSeconds: number;
  /** Real seconds it took. */
  wallSeconds: number;
  /** Of which the checkers took this many. */
  analysisSeconds: number;
  /** Sizes, for comparing runs when shrinking. */
  size: RunSize;
}

/** Runs one simulated test. Never throws for problems of the nodes; returns a crash instead. */
export async function runSim(cfg: SimConfig): Promise<SimResult> {
  const nodeArgs = cfg.nodeArgs ?? [];
  const latencyDist = cfg.latencyDist ?? 'constant';
  const nemesisInterval = cfg.nemesisInterval ?? 10;
  const recoveryTime = cfg.recoveryTime ?? 10;
  const r = await runCore({
    workload: cfg.workload,
    options: cfg.options,
    seed: cfg.seed,
    latencyDist,
    nemesisInterval,
    recoveryTime,
    ...(cfg.nemesisTargets ? { nemesisTargets: cfg.nemesisTargets } : {}),
    ...(cfg.maxOps !== undefined ? { maxOps: cfg.maxOps } : {}),
    ...(cfg.initTimeoutMs !== undefined ? { initTimeoutMs: cfg.initTimeoutMs } : {}),
    hosts: simHosts({ install: cfg.install, args: nodeArgs, nodeDirs: cfg.nodeDirs !== false, ...(cfg.nodeModule !== undefined ? { module: cfg.nodeModule } : {}) }),
    clock: virtualTime(cfg.patchGlobals === false ? {} : { patchGlobals: seededRandom(cfg.seed).fork('math-random') }),
    ...(cfg.store !== undefined ? { store: cfg.store } : {}),
    ...(cfg.reporter ? { reporter: cfg.reporter } : {}),
    ...(cfg.signal ? { signal: cfg.signal } : {}),
    argv: cfg.argv ?? [],
    // What `gyre replay` needs to simulate the run again.
    testJson: {
      maxOps: cfg.maxOps,
      options: { ...cfg.options, latencyDist, nemesisInterval, recoveryTime, ...(cfg.nemesisTargets ? { nemesisTargets: cfg.nemesisTargets } : {}) },
    },
    ...(cfg.keepJournal ? { keepJournal: true } : {}),
    ...(cfg.onJournal ? { onJournal: cfg.onJournal } : {}),
  });
  return {
    seed: r.seed,
    valid: r.valid,
    exitCode: r.exitCode,
    results: r.results,
    history: r.history,
    ...(r.journal !== undefined ? { journal: r.journal } : {}),
    ...(r.dir !== undefined ? { dir: r.dir } : {}),
    ...(r.crash !== undefined ? { crash: r.crash } : {}),
    simSeconds: r.seconds,
    wallSeconds: r.wallSeconds,
    analysisSeconds: r.analysisSeconds,
    size: r.size,
  };
}
