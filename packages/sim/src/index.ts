/**
 * @gyre/sim: deterministic simulation for Gyre.
 *
 * - {@link runSim}: one run with every node of a TypeScript node module (written with
 *   `@gyre/node`) in this process, on one virtual clock, every random choice drawn from the seed:
 *   the same seed gives the same history and journal, byte for byte.
 * - {@link drive}: the virtual-time driver behind it.
 * - {@link loadInstall}: loads a node module: a program (`createNode()` at its top level, run
 *   afresh for every node and restart) or a module whose default export installs a node.
 */
export type { SimConfig, SimResult, RunSize } from './run';
export { runSim, SIM_EPOCH_MS } from './run';
export type { DriveOptions } from './driver';
export { drive, SimulationStalled } from './driver';
export type { InstallNode, NodeModule, NodeProgram, SimNodeOptions } from './instance';
export { InstanceClock, SimNode } from './instance';
export { loadInstall, pickInstall } from './loader';
export type { SimSpec, SeedResult } from './spec';
export { runSeed, seedResult, specConfig, specWorkload } from './spec';
export type { RunSeedOptions } from './spec';
export type { SweepOptions, SweepOutcome } from './sweep';
export { sweep, failed, seedRange, shardRange } from './sweep';
export type { SweepSummary, FailingSeed } from './summary';
export { summarize, mergeSummaries, formatSweepSummary } from './summary';
export type { ShrinkOptions, ShrinkStep, ShrinkResult, FailingRun } from './shrink';
export { shrink, smaller, sizeKey } from './shrink';
export type { RecordedRun } from './record';
export { recordRun, journalEvents } from './record';
export type { Divergence, ReplayResult, ReplayOptions } from './replay';
export { replayRun, firstDifference } from './replay';
export { simCommandLine } from './command';
