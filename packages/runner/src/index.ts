/**
 * @gyre/runner: runs a Gyre test. Spawns the nodes as real processes (each in its own process
 * group, in its own working directory), wires them through the simulated network to the services
 * and to Gyre's clients, interprets the workload's generator with the nemesis, records the
 * history as it goes, tears everything down, checks the history and writes the store.
 */
export type { RunConfig, RunResult, Reporter, RunStatus } from './run';
export { runTest, RunCrash } from './run';
export type { ExitInfo, NodeProcessOptions, DropCount } from './process';
export { NodeProcess, LineSplitter, describeExit, sweepMarked, RUN_MARKER_VAR, NODE_SEED_VAR, nodeSeed, DEFAULT_MAX_PENDING_BYTES } from './process';
export { RunStore, StoreError, LineFile, basicTime, relink } from './store';
export type { AnalysisInput, Analysis, RunSections, ProtocolErrorsResult, StdinDropsResult } from './analysis';
export { analyzeHistory, clientInvocations, writeResults, exitCodeFor, netResultFromJournalFile, fileLines, ednKeyword, runDirWriter } from './analysis';
export type { LagSink, LagSummary } from './pace';
export { pacedStagger, LagMeter } from './pace';
export { Client, ClientTimeoutError } from './client';
export { errorCompletion } from './errors';
export { realClock } from './clock';
export type { ComposeOptions } from './compose';
export { composeGenerator } from './compose';
export type { HistorySinks, RecorderOptions } from './recorder';
export { HistoryRecorder } from './recorder';
export type { WorkersOptions, Workers } from './workers';
export { createWorkers } from './workers';
export type { FaultHost } from './faults';
export { faultTarget } from './faults';
export type { InitOptions } from './init';
export { initNode, setupWorkload } from './init';
export { ProtocolErrors, routeNodeLine } from './output';
export { registerServices, clip } from './services';
