/**
 * @gyre/generator: what a test does, and when, as pure values (Jepsen's `jepsen.generator`).
 *
 * A {@link Generator} is an immutable value: asked with a {@link Context} (time, free threads,
 * thread → process map, seeded random, test facts) it yields the next operation and the generator
 * that remains, `'pending'`, or `null` when exhausted; it is told of every invocation and
 * completion through `update`. Plain values are generators too, through {@link lift}: an
 * {@link OpTemplate} `{ f: 'read' }` is one operation, an array runs its elements in order, a
 * function makes a fresh generator each time the last one ends (`() => ({ f: 'read' })` reads
 * forever). Combinators build the rest. {@link interpret} runs a generator against a Clock and
 * an `invoke` port and records the history.
 *
 * Maelstrom's harness, in these terms:
 * ```ts
 * const main = timeLimit(60, any(
 *   clients(stagger(1 / rate, workloadGen)),
 *   nemesis(nemesisGen),
 * ));
 * const generator = phases(
 *   main,
 *   nemesis(finalNemesisGen),          // heal
 *   log('Waiting for recovery...'),
 *   sleep(10),
 *   clients(eachThread(finalRead)),    // one final read per worker
 * );
 * await interpret({ generator, clock, random, test, threads: [0, 1, 2, 'nemesis'], invoke, record });
 * ```
 *
 * Directives: {@link log} and {@link sleep} emit operations of type `'log'` and `'sleep'`, which
 * the interpreter carries out itself; they never reach `invoke` and are not recorded.
 *
 * Everything here is pure and seeded: randomness comes from `ctx.random`, time from `ctx.time`,
 * and nothing does I/O. `@gyre/generator/testing` adds `simulate`, to run a generator in virtual
 * time without processes.
 */
export type {
  Thread,
  Context,
  Invoke,
  LogOp,
  SleepOp,
  GenOp,
  GenResult,
  Generator,
  OpTemplate,
  GenLike,
} from './types';
export { lift, isGenerator } from './lift';
export { threadOf, allThreads, freeProcesses, allFree } from './context';
export {
  sequence,
  mix,
  limit,
  once,
  repeat,
  timeLimit,
  stagger,
  delay,
  synchronize,
  phases,
  andThen,
  concat,
  onThreads,
  clients,
  nemesis,
  eachThread,
  eachProcess,
  any,
  flipFlop,
  untilOk,
  map,
  filter,
  log,
  sleep,
} from './combinators';
export type { InterpretOptions, InterpretResult } from './interpret';
export { interpret } from './interpret';
export type { VirtualClockOptions } from './virtual-clock';
export { VirtualClock } from './virtual-clock';
