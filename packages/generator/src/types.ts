/**
 * The generator model, after Jepsen's `jepsen.generator`.
 *
 * A {@link Generator} is an immutable value. Asked with a {@link Context} it answers with the next
 * operation it would like to run and the generator that remains afterwards, with `'pending'` (it
 * may have something later, once the world changes), or with `null` (it is exhausted, and stays
 * exhausted). The interpreter tells it about every invocation and completion through
 * {@link Generator.update}. Asking does not commit: the interpreter may ask, throw the answer away
 * and ask again with a newer context; only the generator it keeps matters.
 */
import type { Op, ProcessId, Random, TestInfo } from '@gyre/history';

/** A worker thread: client threads are numbered from 0, the fault injector is `'nemesis'`. */
export type Thread = number | 'nemesis';

/**
 * What a generator knows about the world when it is asked for an operation or updated.
 * Contexts are values: the interpreter builds a fresh one for every question.
 */
export interface Context {
  /** Nanoseconds since the test started, read from the interpreter's Clock. */
  readonly time: number;
  /** Threads not running an operation, in the interpreter's thread order. */
  readonly freeThreads: readonly Thread[];
  /**
   * Every thread this generator may use, mapped to the process it currently runs as. Client thread
   * `i` starts as process `i` and moves to `process + clientThreadCount` after each `info`
   * completion (Jepsen's crash rule); the nemesis thread is always process `'nemesis'`.
   * Combinators such as {@link onThreads} and {@link eachThread} narrow this map.
   */
  readonly workers: ReadonlyMap<Thread, ProcessId>;
  /** The seeded source of all randomness generators use. */
  readonly random: Random;
  /** The test being run (nodes, concurrency, ...). */
  readonly test: TestInfo;
}

/** An operation a generator asks the interpreter to invoke. */
export interface Invoke {
  type: 'invoke';
  /** The operation's function: `read`, `write`, `start-partition`, ... */
  f: string;
  /** The argument; `null` when the template gave none. */
  value: unknown;
  /** The process that runs it; its thread must be free. */
  process: ProcessId;
  /** Nanoseconds since the test started; the interpreter waits until then if it is in the future. */
  time: number;
  /** Other fields, recorded in the history as they are (`final`, ...). */
  [k: string]: unknown;
}

/**
 * Writes `value` (a string) through the interpreter's `log` port. It occupies no thread, is never
 * sent to a client and is not recorded in the history. Built by {@link log}.
 */
export interface LogOp {
  type: 'log';
  f: 'log';
  value: string;
  process: ProcessId;
  time: number;
  [k: string]: unknown;
}

/**
 * Keeps its process's thread busy for `value` seconds, doing nothing. Never sent to a client and
 * not recorded in the history, but while it lasts the thread is not free, so {@link synchronize}
 * and {@link phases} wait for it. Built by {@link sleep}.
 */
export interface SleepOp {
  type: 'sleep';
  f: 'sleep';
  value: number;
  process: ProcessId;
  time: number;
  [k: string]: unknown;
}

/** Anything a generator may emit: an invocation, or one of the two interpreter directives. */
export type GenOp = Invoke | LogOp | SleepOp;

/**
 * The answer to {@link Generator.op}: `null` when exhausted (forever), otherwise the next operation
 * (or `'pending'`: nothing yet, ask again after the next event) and the generator that remains if
 * that operation is performed.
 */
export type GenResult = null | { op: GenOp | 'pending'; gen: Generator };

/** An immutable generator of operations. See the module documentation. */
export interface Generator {
  /**
   * The next operation and the remaining generator, `'pending'`, or `null` once exhausted. Once a
   * generator has answered `null` it answers `null` for any later context.
   */
  op(ctx: Context): GenResult;
  /**
   * The generator after an event: every invocation (with its thread already busy in `ctx`) and
   * every completion (thread free again; `ctx.workers` still shows the process that ran it).
   * Log and sleep directives are not events.
   */
  update(ctx: Context, event: Op): Generator;
}

/**
 * A one-shot operation: `f` and optional `value`, plus any extra fields. Asked, it yields one
 * invocation on a free thread (chosen with `ctx.random`) at `ctx.time`, or `'pending'` when no
 * thread is free. `time` and `process` may be given to pin them; `type` may be `'log'` or `'sleep'`
 * for the interpreter directives (prefer {@link log} and {@link sleep}).
 */
export type OpTemplate = { f: string; value?: unknown; [k: string]: unknown };

/**
 * Anything {@link lift} turns into a generator: a generator, an {@link OpTemplate} (one op), an
 * array (its elements one after another), a function (called for a fresh generator each time the
 * previous one is exhausted, so `() => ({ f: 'read' })` never ends; returning `null` ends it), or
 * `null` (nothing).
 *
 * Since asking does not commit, a function may be called more often than operations come out of
 * it: draw random values from `ctx.random` freely, but do not count with a closure variable
 * (use {@link sequence}).
 */
export type GenLike = Generator | OpTemplate | readonly GenLike[] | ((ctx: Context) => GenLike) | null;
