/**
 * A simulation described as plain data, so that it can cross to worker threads and be written to
 * summary files: the workload by name, the node module by path, the options.
 */
import { createHash, type Hash } from 'node:crypto';
import { WORKLOADS, type WorkloadDefinition, type WorkloadOptions } from '@gyre/workloads';
import { formatSummary } from '@gyre/report';
import { loadInstall } from './loader';
import { runSim, type RunSize, type SimConfig, type SimResult } from './run';

/** What to simulate, as data. */
export interface SimSpec {
  /** A built-in workload's name. */
  workload: string;
  /** Absolute path of the node module. */
  node: string;
  /** Arguments for the node (after `--`). */
  nodeArgs: readonly string[];
  options: WorkloadOptions;
  latencyDist: 'constant' | 'uniform' | 'exponential';
  nemesisInterval: number;
  /** Which nodes a kill or pause picks from (`--nemesis-targets`). @defaultValue all four specs */
  nemesisTargets?: readonly ('one' | 'minority' | 'majority' | 'all')[];
  recoveryTime: number;
  /** Most main-phase client operations. */
  maxOps?: number;
  /** The longest line a node may write, in bytes (`--max-line-mib`). @defaultValue 64 MiB */
  maxLineBytes?: number;
}

/** One seed's outcome, as data. */
export interface SeedResult {
  seed: string;
  valid: true | false | 'unknown';
  exitCode: 0 | 1 | 2 | 255;
  crash?: string;
  size: RunSize;
  simSeconds: number;
  wallSeconds: number;
  /** Real seconds the checkers took, of {@link wallSeconds}. */
  analysisSeconds: number;
  /**
   * SHA-256 of the journal (every message, its time and fate) and of the history's skeleton
   * (each operation's index, time, type, process and function; the values are in the journal):
   * equal digests, identical runs. Empty when not computed (`runSeed` with `digest: false`).
   */
  digest: string;
  /** The checkers (top-level keys of results.json) whose verdict was not `true`: what failed. */
  failures: string[];
  /** Those of {@link failures} whose verdict was `false` (the others were unknown). */
  invalid: string[];
  /** For a seed that did not pass: the console summary of its results (verdict, figures, anomalies). */
  anomalies?: string;
}

/** The workload of a spec; throws for an unknown name. */
export function specWorkload(spec: Pick<SimSpec, 'workload'>): WorkloadDefinition {
  const w = WORKLOADS[spec.workload];
  if (!w) throw new Error(`Unknown workload ${JSON.stringify(spec.workload)}; gyre sim runs the built-in ones: ${Object.keys(WORKLOADS).sort().join(', ')}`);
  return w;
}

/** The {@link SimConfig} of a spec, for `seed`. */
export async function specConfig(spec: SimSpec, seed: string, extra: Partial<SimConfig> = {}): Promise<SimConfig> {
  return {
    workload: specWorkload(spec),
    options: { ...spec.options, seed },
    install: await loadInstall(spec.node),
    nodeArgs: spec.nodeArgs,
    seed,
    latencyDist: spec.latencyDist,
    nemesisInterval: spec.nemesisInterval,
    ...(spec.nemesisTargets ? { nemesisTargets: spec.nemesisTargets } : {}),
    recoveryTime: spec.recoveryTime,
    nodeModule: spec.node,
    ...(spec.maxOps !== undefined ? { maxOps: spec.maxOps } : {}),
    ...(spec.maxLineBytes !== undefined ? { maxLineBytes: spec.maxLineBytes } : {}),
    ...extra,
  };
}

/** Options of {@link runSeed}. */
export interface RunSeedOptions {
  /** Compute {@link SeedResult.digest} (the journal is then built and hashed as it goes); without it the digest is empty. @defaultValue true */
  digest?: boolean;
}

/** Runs one seed of a spec in this thread, keeping nothing but its outcome. */
export async function runSeed(spec: SimSpec, seed: string, o: RunSeedOptions = {}): Promise<SeedResult> {
  const h = o.digest === false ? undefined : createHash('sha256');
  const r = await runSim(await specConfig(spec, seed, h ? { onJournal: (chunk) => void h.update(chunk) } : {}));
  return seedResult(r, h ?? false);
}

/**
 * The data of a {@link SimResult}. `journalHash` is a SHA-256 already fed the journal (see
 * {@link SimConfig.onJournal}); without it, the run's kept journal is hashed; `false` computes no
 * digest.
 */
export function seedResult(r: SimResult, journalHash?: Hash | false): SeedResult {
  return {
    seed: r.seed,
    valid: r.valid,
    exitCode: r.exitCode,
    ...(r.crash ? { crash: r.crash } : {}),
    size: r.size,
    simSeconds: r.simSeconds,
    wallSeconds: r.wallSeconds,
    analysisSeconds: r.analysisSeconds,
    digest: journalHash === false ? '' : runDigest(r, journalHash),
    failures: failingCheckers(r.results, (v) => v !== true),
    invalid: failingCheckers(r.results, (v) => v === false),
    ...(r.exitCode !== 0 ? { anomalies: formatSummary(r.results) } : {}),
  };
}

/** SHA-256 of the journal (fed to `journalHash` as the run went, or kept in `r.journal`) and of the history's skeleton. */
function runDigest(r: SimResult, journalHash: Hash | undefined): string {
  let h = journalHash;
  if (!h) {
    h = createHash('sha256');
    h.update(r.journal ?? '');
  }
  let skeleton = '';
  for (const op of r.history) skeleton += `${op.index} ${op.time} ${op.type} ${op.process} ${op.f}\n`;
  h.update('\0');
  h.update(skeleton);
  return h.digest('hex');
}

/** The top-level results (`workload`, `stats`, …) whose `valid?` satisfies `failed`. */
function failingCheckers(results: Record<string, unknown>, failed: (verdict: unknown) => boolean): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(results)) {
    if (v !== null && typeof v === 'object' && 'valid?' in v && failed((v as { 'valid?': unknown })['valid?'])) out.push(k);
  }
  return out.sort();
}
