/**
 * The layout of a run directory, `<root>/<workload>/<time>/`: every file's name, in one place.
 */
import { join } from 'node:path';

/** The files of a run directory, relative to it. */
export const RUN_FILES = {
  /** What was run: workload, command line, seed, nodes, start time (see `TestRecord`). */
  test: 'test.json',
  /** The history as it happened, one operation per line: the live record. */
  history: 'history.jsonl',
  /** The history in Jepsen's EDN, written at teardown. */
  historyEdn: 'history.edn',
  /** The history as text. */
  historyText: 'history.txt',
  /** Every message's send, delivery or drop. */
  journal: 'net-journal/journal.jsonl',
  results: 'results.json',
  resultsEdn: 'results.edn',
  /** The run's log. */
  log: 'gyre.log',
  /** A symbolic link to {@link RUN_FILES.log}, under the name Maelstrom's and Jepsen's tutorials use. */
  jepsenLog: 'jepsen.log',
} as const;

/** A node's log (its STDERR, or what a simulated node logs), relative to the run directory. */
export function nodeLogFile(node: string): string {
  return `node-logs/${node}.log`;
}

/**
 * Where the nodes' own directories are kept in the run directory, when they are kept
 * (`--keep-node-dirs`): a process's working directory, a simulated node's directory.
 */
export const NODE_DIRS = 'node-dirs';

/** The store root a run directory belongs to. */
export function storeRootOf(runDir: string): string {
  return join(runDir, '..', '..');
}
