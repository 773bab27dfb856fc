/**
 * Operations and histories, in Jepsen's model.
 *
 * A client process invokes an operation (`invoke`) and later sees it complete: `ok` (it happened),
 * `fail` (it certainly did not happen and never will) or `info` (it may or may not have happened;
 * the process that invoked it is considered crashed). The nemesis records its faults as `info`
 * operations of process `'nemesis'`.
 */

/** The four kinds of history entries. */
export type OpType = 'invoke' | 'ok' | 'fail' | 'info';

/** A client process number, or `'nemesis'` for the fault injector. */
export type ProcessId = number | 'nemesis';

/**
 * One history entry.
 *
 * @typeParam V - the type of `value`; workloads narrow it (`[key, value]` for lin-kv, ...).
 */
export interface Op<V = unknown> {
  /** Position in the history, from 0, contiguous. */
  index: number;
  /** Nanoseconds since the test began. */
  time: number;
  /** invoke, ok, fail or info. */
  type: OpType;
  /** Which client process (or the nemesis) performed it. */
  process: ProcessId;
  /** The operation's function, such as `read`, `write`, `cas`, `broadcast`, `txn`. */
  f: string;
  /** The argument on an invocation; the result on a completion. */
  value: V;
  /** Why an operation failed or is indeterminate: `'net-timeout'`, or `[errorName, text]`. */
  error?: unknown;
  /** Set on the final reads of workloads that have a final phase (Maelstrom's `:final?`). */
  final?: boolean;
  /** Other fields a workload or the runner records (`exception`, `node`, ...). */
  [extra: string]: unknown;
}

/** An `invoke` entry. */
export type Invocation<V = unknown> = Op<V> & { type: 'invoke' };
/** An `ok`, `fail` or `info` entry. */
export type Completion<V = unknown> = Op<V> & { type: 'ok' | 'fail' | 'info' };

/** True for an `invoke`. */
export const isInvoke = (op: Op): op is Invocation => op.type === 'invoke';
/** True for an `ok`. */
export const isOk = (op: Op): boolean => op.type === 'ok';
/** True for a `fail`. */
export const isFail = (op: Op): boolean => op.type === 'fail';
/** True for an `info`. */
export const isInfo = (op: Op): boolean => op.type === 'info';
/** True for an operation of a client process (not the nemesis). */
export const isClientOp = (op: Op): boolean => typeof op.process === 'number';

/** An invocation with its completion, if any; `completion` is undefined for ops still open at the end. */
export interface OpPair<V = unknown> {
  invoke: Op<V>;
  completion: Op<V> | undefined;
}

/**
 * Pairs each invocation with the next completion of the same process, in history order.
 * Completions without an invocation are ignored. Works for any process, the nemesis included.
 */
export function pairs<V>(history: readonly Op<V>[]): OpPair<V>[] {
  const open = new Map<ProcessId, OpPair<V>>();
  const out: OpPair<V>[] = [];
  for (const op of history) {
    if (op.type === 'invoke') {
      const p: OpPair<V> = { invoke: op, completion: undefined };
      open.set(op.process, p);
      out.push(p);
    } else {
      const p = open.get(op.process);
      if (p) {
        p.completion = op;
        open.delete(op.process);
      }
    }
  }
  return out;
}

/**
 * For every history position, the position of its partner (invocation to completion and back),
 * or -1 when there is none.
 */
export function pairIndex(history: readonly Op[]): Int32Array {
  const partner = new Int32Array(history.length).fill(-1);
  const open = new Map<ProcessId, number>();
  for (let i = 0; i < history.length; i++) {
    const op = history[i]!;
    if (op.type === 'invoke') open.set(op.process, i);
    else {
      const j = open.get(op.process);
      if (j !== undefined) {
        partner[i] = j;
        partner[j] = i;
        open.delete(op.process);
      }
    }
  }
  return partner;
}

/** The client operations of a history (nemesis entries removed). */
export function clientOps<V>(history: readonly Op<V>[]): Op<V>[] {
  return history.filter((op) => typeof op.process === 'number');
}

/**
 * Re-numbers `index` from 0 so that it matches the position in the array; used after parsing
 * histories that lack indices (some Jepsen files) or after filtering.
 */
export function reindex<V>(history: readonly Op<V>[]): Op<V>[] {
  return history.map((op, index) => (op.index === index ? op : { ...op, index }));
}

/**
 * Minimal facts about a test that generators and checkers may read.
 */
export interface TestInfo {
  /** Node ids in test order. */
  nodes: readonly string[];
  /** Number of client worker threads. */
  concurrency: number;
  /** The run's seed, when it has one. */
  seed?: string | number;
  /** Main-phase time limit in seconds. */
  timeLimit?: number;
}
