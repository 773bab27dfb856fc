/**
 * What `gyre test` and `gyre sim` print while a run goes and at its end: the run's messages, the
 * operations as Jepsen's worker lines (`--log-ops`), the nemesis's operations as they happen, the
 * status (a live line on a terminal, a plain line every few seconds elsewhere, so CI logs show the
 * run moving); and, once the run is over, everything both commands do with it ({@link endRun}): the
 * report pages, the results map, the summary (`showRun`, which `gyre analyze` shares), the JUnit
 * case, the crash, the outcome line and the exit code.
 */
import { wireEdn } from '@gyre/checker';
import { escapeControls, type Op } from '@gyre/history';
import { StoreError, type Reporter, type RunOutcome, type RunStatus } from '@gyre/runner';
import type { Io } from './io';
import { runCase, type JUnitFile } from './junit';
import { outcomeLine } from './outcome';
import { showRun, warn } from './summary';

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
const LOG_OPS_NOTE = 'every operation; --log-ops prints them as they happen';

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

/** A finished run of `gyre test` or `gyre sim`, as the run core returns it (both run with a store). */
export type EndedRun = Pick<RunOutcome, 'seed' | 'valid' | 'exitCode' | 'results' | 'history' | 'crash' | 'wallSeconds'> & { dir?: string | undefined };

/**
 * How {@link endRun} ends a run. Both commands give the same things; where `gyre sim` does more
 * than `gyre test`, it passes it here.
 */
export interface RunEnd<R extends EndedRun> {
  /** `test` or `sim`: the command, for the JUnit classname (`gyre.sim.echo`). */
  command: 'test' | 'sim';
  /** The workload's name. */
  workload: string;
  /** The workload's form of its values in EDN, for the results map (as in history.edn). @defaultValue values as they are */
  valueToEdn?: ((value: unknown, op: Op) => unknown) | undefined;
  /** The run's console reporter: its live line is cleared before anything is printed. */
  reporter: { done(): void };
  /** Print the results map above the summary (`--print-results`). */
  printResults: boolean;
  /** Whether the operations were printed as they happened (`--log-ops`); if not, the summary says how. */
  logOps: boolean;
  /** The JUnit file (`--junit`) and the name of this run's case. @defaultValue no JUnit */
  junit?: { file: JUnitFile; name: string } | undefined;
  /** The command line that runs this run again (`gyre sim`): said before the outcome line and in the JUnit case. @defaultValue none */
  reproduce?: string;
  /**
   * What else the command says once the summary is out (`gyre sim`: the simulated time, and the
   * second run of `--check-determinism`). A number ends the command there, with that exit code and
   * no outcome line. @defaultValue nothing
   */
  after?: (r: R) => Promise<number | undefined> | number | undefined;
  /**
   * Before the outcome line of a run found invalid or unknown that neither crashed nor was
   * interrupted (`gyre sim --shrink`). @defaultValue nothing
   */
  failed?: () => Promise<void>;
}

/** Said under the outcome line of an interrupted run. */
const INTERRUPTED_NOTE = 'The run was interrupted, so this verdict covers only what was recorded before it stopped (exit 255).';

/**
 * Everything `gyre test` and `gyre sim` do after a run, for both alike: awaits `run`; when the run
 * directory cannot be created ({@link StoreError}) says why and gives 255. Otherwise writes the
 * report pages (a warning if they cannot be, and the summary and the JUnit file then point at
 * results.json), prints the results map, the summary and the run's own health rows, adds the
 * JUnit case (a warning if the file cannot be written: the exit code stays the verdict's), then either
 * the crash (255) or the outcome line; an interrupted run gives 255 and says what its verdict
 * covers. Returns the exit code. Other errors are thrown.
 */
export async function endRun<R extends EndedRun>(run: () => Promise<R>, io: Io, end: RunEnd<R>): Promise<number> {
  const classname = `gyre.${end.command}.${end.workload}`;
  let r: R;
  try {
    r = await run();
  } catch (e) {
    if (!(e instanceof StoreError)) throw e;
    end.reporter.done();
    io.err(`${e.message}\n`);
    warn(io, end.junit?.file.add({ name: end.workload, classname, seconds: 0, failure: { type: 'crashed', message: e.message, text: e.message } }));
    return 255;
  }
  end.reporter.done();
  const dir = r.dir!;
  const { summary, see } = await showRun(io, dir, r, {
    ...(end.printResults ? { before: resultsMap(r.results, end.valueToEdn) + '\n\n' } : {}),
    ...(end.logOps ? {} : { historyNote: LOG_OPS_NOTE }),
  });
  warn(
    io,
    end.junit?.file.add(
      runCase({ name: end.junit.name, classname, seconds: r.wallSeconds, exitCode: r.exitCode, summary, seed: r.seed, crash: r.crash, ...(end.reproduce ? { reproduce: end.reproduce } : {}) }),
      `${dir}/${see}`,
    ),
  );
  const stop = await end.after?.(r);
  if (stop !== undefined) return stop;
  if (r.crash) {
    io.out(`\nOh jeez, I'm sorry, Gyre broke. Here's why:\n${r.crash}\n`);
    return 255;
  }
  const interrupted = r.results['interrupted'] === true;
  if (r.exitCode !== 0 && !interrupted) await end.failed?.();
  sayOutcome(io, r.valid, { ...(end.reproduce ? { reproduce: end.reproduce } : {}), ...(interrupted ? { interrupted: INTERRUPTED_NOTE } : {}) });
  return interrupted ? 255 : r.exitCode;
}

/**
 * The last lines of a run or a sweep: the command that reproduces it (if any), Maelstrom's outcome
 * line, and, when it was interrupted, what the verdict covers.
 */
export function sayOutcome(io: Io, valid: unknown, o: { reproduce?: string; interrupted?: string } = {}): void {
  if (o.reproduce) io.out(`reproduce: ${o.reproduce}\n`);
  io.out('\n' + outcomeLine(valid) + '\n');
  if (o.interrupted) io.out(o.interrupted + '\n');
}
