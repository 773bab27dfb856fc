/**
 * What `gyre test` and `gyre sim` print while a run goes and at its end, besides the summary of
 * @gyre/report: the run's messages, the operations as Jepsen's worker lines (`--log-ops`), the
 * nemesis's operations as they happen, the status (a live line on a terminal, a plain line every
 * few seconds elsewhere, so CI logs show the run moving), and the results map.
 */
import { wireEdn } from '@gyre/checker';
import { escapeControls, type Op } from '@gyre/history';
import type { Reporter, RunStatus } from '@gyre/runner';
import type { Io } from './io';

/** How the console shows a run. */
export interface ConsoleOptions {
  /** Print every operation as Jepsen's worker lines (`--log-ops`). @defaultValue false */
  logOps?: boolean;
  /**
   * The status: `true` a live line redrawn in place, `false` none, `undefined` the default (live
   * on a terminal, else a plain line every {@link STATUS_EVERY_SECONDS}).
   */
  progress?: boolean | undefined;
}

/** Said after history.txt in the summary, unless the operations were printed: how to print them. */
export const LOG_OPS_NOTE = 'every operation; --log-ops prints them as they happen';

/** Seconds (of the run's clock) between two plain status lines when not on a terminal. */
const STATUS_EVERY_SECONDS = 5;

/**
 * The status as one line: where the main phase is against its time limit (`12.5/20s`, or
 * `overran 20s by 3.1s` when operations in flight keep it past its limit), the completions so
 * far, the message rate and the fault in force.
 */
export function statusLine(s: RunStatus): string {
  const when = s.phase !== 'main' ? s.phase : s.elapsed <= s.limit ? `${s.elapsed.toFixed(1)}/${s.limit}s` : `overran ${s.limit}s by ${(s.elapsed - s.limit).toFixed(1)}s`;
  return `${when}  ok ${s.ok}  fail ${s.fail}  info ${s.info}  ${Math.round(s.msgsPerSecond)} msgs/s${s.fault ? `  fault: ${s.fault}` : ''}`;
}

/** A reporter for the console, and `done` to clear the live line before the summary is printed. */
export function consoleReporter(io: Io, o: ConsoleOptions = {}): Reporter & { done: () => void } {
  const live = o.progress ?? io.isTTY;
  const plain = o.progress === undefined && !io.isTTY;
  let shown = false;
  const clear = () => {
    if (shown) {
      io.err('\r\x1b[2K');
      shown = false;
    }
  };
  const line = (s: string) => {
    clear();
    io.err(s + '\n');
  };
  let lastPlain: { at: number; phase: string } | undefined;
  return {
    info: (m) => line(`INFO  ${m}`),
    warn: (m) => line(`WARN  ${m}`),
    // Nemesis operations (partitions, kills, restarts, pauses) always; the clients' with --log-ops.
    op: (thread: string, text: string, op: Op) => {
      if (o.logOps || op.process === 'nemesis') line(`INFO  [${thread}] ${text}`);
    },
    status: live
      ? (s: RunStatus) => {
          io.err(`\r\x1b[2K${statusLine(s)}`);
          shown = true;
        }
      : plain
        ? (s: RunStatus) => {
            if (lastPlain && lastPlain.phase === s.phase && s.elapsed - lastPlain.at < STATUS_EVERY_SECONDS) return;
            lastPlain = { at: s.elapsed, phase: s.phase };
            io.err(`INFO  status: ${statusLine(s)}\n`);
          }
        : undefined,
    done: clear,
  };
}

/**
 * The results map as Maelstrom prints it at the end of a test: the EDN of results.edn.
 * `valueToEdn` is the workload's (its operations' values, as in history.edn).
 */
export function resultsMap(results: Record<string, unknown>, valueToEdn?: (value: unknown, op: Op) => unknown): string {
  // Results quote what nodes wrote (a crash's last lines, exceptions): no control character of
  // theirs reaches the terminal. Line by line, so the map keeps its layout.
  return wireEdn(results, valueToEdn ? { valueToEdn } : {})
    .split('\n')
    .map(escapeControls)
    .join('\n');
}
