/**
 * The run core's ports: what differs between `gyre test` (node processes on real time) and
 * `gyre sim` (in-process nodes on virtual time). Everything else (network, services, clients,
 * generator, nemesis, recording, teardown, analysis, exit codes) is the core's, in one place.
 */
import type { Clock } from '@gyre/history';
import type { RunSections } from '../analysis';
import type { FaultHost } from '../faults';
import type { RunStore } from '../store/write';

export type { FaultHost } from '../faults';

/**
 * One node id of the run, whatever hosts it: the nemesis kills, starts, pauses and resumes it
 * ({@link FaultHost}), and the network hands it each message addressed to it.
 */
export interface NodeHost extends FaultHost {
  /** Hands the node one line (a message, as JSON, without the newline). Dropped when it is not running. */
  deliver(line: string): void;
}

/** What the core gives a {@link HostFactory} when it creates a run's hosts. */
export interface HostContext {
  /** Every node id, in order. */
  readonly nodes: readonly string[];
  /** The run's seed (each node's own seed is `nodeSeed(seed, node)`). */
  readonly seed: string;
  /** The run's clock (real or virtual). */
  readonly clock: Clock;
  /** The run directory, when the run keeps one (node logs go under `node-logs/`). */
  readonly store: RunStore | undefined;
  /** Receives each line a node writes: a message for the network. */
  output(node: string, line: string): void;
  /**
   * The longest line a node may write, in bytes (a longer one is a `line-too-long` protocol
   * error); hosts that read bytes skip longer lines without holding them.
   */
  readonly maxLineBytes: number;
  /**
   * Receives a line a node wrote that could not be passed on as text, with the reason: not valid
   * UTF-8 (the line decoded leniently), or longer than {@link maxLineBytes} (its first 200 bytes).
   */
  badLine(node: string, line: string, reason: string, kind: 'invalid-utf8' | 'line-too-long'): void;
  /**
   * Ends the run as a crash (exit 255), saying why: a node died, or could not be installed.
   * `detail` says which node, how it ended and what it wrote last (results.json's `crash`).
   */
  crash(why: string, detail?: CrashDetail): void;
  /**
   * Ends the run as Gyre's own failure (exit 255): a file the hosts write (a node's log) could not
   * be written. A full disk is reported as `disk full while writing FILE`.
   */
  failed(error: unknown, file: string): void;
  /** Messages for the person running the test (and gyre.log). */
  info(message: string): void;
  warn(message: string): void;
}

/** What a host knows about a node that crashed, besides the message (see {@link HostContext.crash}). */
export interface CrashDetail {
  /** The node. */
  node: string;
  /** How it ended, in a few words: `exited with code 3`, `was killed by SIGSEGV`. */
  how: string;
  /** Its last lines on STDOUT and on STDERR, oldest first. */
  stdout?: readonly string[];
  stderr?: readonly string[];
}

/** A run's hosts, made by a {@link HostFactory}; the core drives them through its phases. */
export interface NodeHosts {
  /** Every node's host, by id. */
  readonly hosts: ReadonlyMap<string, NodeHost>;
  /** Fields this kind of host records in test.json (after the common ones), e.g. the binary. */
  readonly testJson: Record<string, unknown>;
  /** Phase "start nodes": brings up every node's first incarnation; rejects with why one could not start. */
  startAll(): Promise<void>;
  /** The sentence after "did not respond within N s." when a node does not answer `init`: where to look. */
  initHint(node: string): string;
  /** The last lines a node wrote on STDOUT and on STDERR, oldest first (for a crash report), when the hosts keep them. */
  lastOutput?(node: string): { stdout: readonly string[]; stderr: readonly string[] };
  /**
   * Phase "teardown", the hosts' part: stops every node for good and releases what the hosts hold
   * (processes and their descendants, log files, temporary directories). Never rejects; once it
   * is called, nodes going down are not crashes.
   */
  stopAll(): Promise<void>;
  /** Run-level sections of results.json this kind of host measures (processes: `stdin-drops`). */
  sections(): RunSections;
}

/** The host port: makes the hosts of one run. */
export interface HostFactory {
  /** `process`: real processes (`gyre test`); `sim`: in-process nodes (`gyre sim`, recorded as `mode` in test.json). */
  readonly mode: 'process' | 'sim';
  /** Makes (without starting) one host per node. */
  create(ctx: HostContext): NodeHosts;
}

/** The clock port: the time a run lives in, and how its live phases are driven. */
export interface RunClock {
  /**
   * `real`: wall time; the `--rate` schedule catches up after small delays and its lag is
   * measured (`perf.generator-lag`), and a live status can be shown. `virtual`: simulated time;
   * results.json gets `simulated-seconds`.
   */
  readonly kind: 'real' | 'virtual';
  /** The clock every part of the run reads and schedules on. */
  readonly clock: Clock;
  /** When the run started: the run directory's name and test.json's `startTime`. */
  readonly startedAt: Date;
  /** The time stamp of a gyre.log line, now. */
  stamp(): string;
  /**
   * Runs the live phases (start nodes, init, main and final) to completion: on real time it just
   * awaits them; on virtual time it runs the clock's timers until they settle.
   */
  run<T>(live: () => Promise<T>): Promise<T>;
}
