/**
 * The format of a run's log, gyre.log ({@link RUN_FILES.log}): one owner for both of its forms.
 */

/**
 * How gyre.log is written. `text`: one line per entry, as Jepsen's log
 * (`TIME\tLEVEL\t[THREAD] MESSAGE`; a multi-line message, such as a stack trace, runs on over the
 * following lines). `json` (`--logging-json`): one JSON object per line, {@link RunLogEntry}'s
 * fields, a multi-line message kept in one line.
 */
export type RunLogFormat = 'text' | 'json';

/** One entry of gyre.log: the fields of a JSON line, in this order. */
export interface RunLogEntry {
  /**
   * When, as the run's clock stamps it: the local wall time `YYYY-MM-DD HH:MM:SS,mmm` under
   * `gyre test`, the virtual time since the start of the run `HH:MM:SS,mmm` under `gyre sim`.
   */
  time: string;
  level: 'INFO' | 'WARN' | 'ERROR';
  /** Who logged it: `gyre` (the harness), `worker N` (a client's operations) or `nemesis`. */
  thread: string;
  message: string;
}

/** One entry as a line of gyre.log in `format`, with its newline. */
export function formatRunLogLine(entry: RunLogEntry, format: RunLogFormat): string {
  if (format === 'json') return JSON.stringify({ time: entry.time, level: entry.level, thread: entry.thread, message: entry.message }) + '\n';
  return `${entry.time}\t${entry.level}\t[${entry.thread}] ${entry.message}\n`;
}
