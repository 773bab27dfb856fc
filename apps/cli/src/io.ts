/**
 * What a command writes to and runs in, injected so that tests can run commands in process.
 */

/** What a command writes to, injected for tests. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Whether stderr is a terminal (live status line, colours). */
  isTTY: boolean;
  /** The directory paths on the command line are relative to. */
  cwd: string;
  /** Aborted on the first Ctrl-C (or SIGTERM): stop, keeping what was recorded. */
  signal?: AbortSignal;
}

/** A command: its arguments (after the command's name) in, its exit code out. */
export type Command = (argv: readonly string[], io: Io) => Promise<number> | number;
