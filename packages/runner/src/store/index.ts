/**
 * @gyre/runner/store: the one owner of the store's layout. A run writes `<root>/<workload>/<time>/`
 * (test.json, history.jsonl / .edn / .txt, net-journal/journal.jsonl, node-logs/, gyre.log,
 * results.json / .edn) and points `latest`, `<workload>/latest` and `current` at it.
 *
 * - Layout: {@link RUN_FILES}, {@link NODE_DIRS}, {@link nodeLogFile}, {@link storeRootOf}.
 * - The run log's format: {@link RunLogFormat} (text, or JSON lines with `--logging-json`).
 * - Writing: {@link RunStore} (a run's directory and its whole-line files), {@link basicTime},
 *   {@link dirProblem} (why a directory cannot be written, in words).
 * - Listing: {@link listRuns} (every run, oldest first), {@link findRun} (by index or path).
 * - Reading: {@link readTest}, {@link readHistory}, {@link readResults}, {@link netResultFromJournalFile},
 *   {@link fileLines} (a file's lines in bounded memory: the journal, for the report pages).
 * - Re-analysing: {@link analyzeRun} (`gyre analyze`).
 */
export { RUN_FILES, NODE_DIRS, nodeLogFile, storeRootOf } from './layout';
export type { RunLogFormat, RunLogEntry } from './run-log';
export type { LineFile } from './write';
export { RunStore, StoreError, basicTime, dirProblem } from './write';
export type { StoredRun } from './list';
export { listRuns, findRun, parseRunName } from './list';
export type { TestRecord, StoredHistory } from './read';
export { RunReadError, readTest, readHistory, readResults, netResultFromJournalFile, fileLines } from './read';
export type { AnalyzeRunOptions, AnalyzedRun } from './analyze';
export { analyzeRun } from './analyze';
