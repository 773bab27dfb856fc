/**
 * @gyre/runner: runs a Gyre test. One run core ({@link runCore}) takes a run through its phases
 * (start nodes, init, main, final, teardown, analysis) for `gyre test` and `gyre sim` alike: it
 * wires the nodes through the simulated network to the services and to Gyre's clients,
 * interprets the workload's generator with the nemesis, records the history as it goes, tears
 * everything down, checks the history and writes the store. What differs comes in through ports
 * (`@gyre/runner/ports`): the hosts of the nodes and the clock.
 *
 * - {@link runTest}: `gyre test`, the core with node processes on real time.
 * - {@link runCore}: the core itself, for other hosts and clocks (`@gyre/sim`).
 * - The store (also alone, as `@gyre/runner/store`): writing, listing, reading and re-analysing runs.
 * - {@link nodeIdsProblem}: which node ids a run accepts ({@link NODE_ID_PATTERN}, not a client's
 *   or a service's id, no repeats).
 */
export type { RunConfig, RunResult } from './run';
export { runTest } from './run';
export { DEFAULT_MAX_LINE_BYTES } from './process';
export { NODE_ID_PATTERN, nodeIdsProblem } from './node-ids';
export type { RunCoreConfig, RunOutcome, RunSize, Reporter, RunStatus, Phase } from './core';
export { runCore, PHASES } from './core';
export type { RunSections, ProtocolErrorsResult, StdinDropsResult } from './analysis';
export type { LagSummary } from './pace';
export type { LineFile, RunLogFormat, RunLogEntry, StoredRun, TestRecord, StoredHistory, AnalyzeRunOptions, AnalyzedRun } from './store/index';
export { RUN_FILES, nodeLogFile, storeRootOf, RunStore, StoreError, basicTime, dirProblem, listRuns, findRun, parseRunName, RunReadError, readTest, readHistory, readResults, netResultFromJournalFile, analyzeRun } from './store/index';
