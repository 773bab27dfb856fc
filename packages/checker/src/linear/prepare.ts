import { valueKey, type Op, type ProcessId } from '@gyre/history';
import type { LinOp, Model } from './model';

/** An op inside the checker, with its positions in the history array. */
export interface PreparedOp extends LinOp {
  /** Partition-local id (see {@link LinOp.id}). */
  id: number;
  /** Position of the invocation in the history array. */
  invPos: number;
  /** Position of the completion (ok), or -1 when indeterminate. */
  retPos: number;
}

/** A prepared op: six fields, the rest read from its invocation and completion (a history may have millions). */
class Prepared_ implements PreparedOp {
  constructor(
    public id: number,
    readonly invocation: Op,
    readonly completion: Op | undefined,
    readonly known: boolean,
    public invPos: number,
    public retPos: number,
  ) {}
  get index(): number {
    return this.invocation.index;
  }
  get completionIndex(): number {
    return this.completion ? this.completion.index : -1;
  }
  get process(): ProcessId {
    return this.invocation.process;
  }
  get f(): string {
    return this.invocation.f;
  }
  get value(): unknown {
    return this.known ? this.completion!.value : this.invocation.value;
  }
  get invokeValue(): unknown {
    return this.invocation.value;
  }
}

/** A partition's ops, in invocation order, with partition-local ids. */
export interface Partition {
  key: unknown;
  ops: PreparedOp[];
}

/** What {@link prepare} did with the history. */
export interface Prepared {
  partitions: Partition[];
  /** Ops considered (all partitions). */
  opCount: number;
  /** Ops dropped because they failed. */
  failed: number;
  /** Indeterminate read-only ops dropped. */
  droppedReads: number;
}

/**
 * Pairs invocations with completions (per process, in history order), drops `fail`ed ops and
 * indeterminate read-only ops, builds {@link LinOp}s and splits them by the model's partition key.
 * The nemesis's entries are ignored; every other process is a client, whatever its id (`3`, `"c0"`).
 */
export function prepare(history: readonly Op[], model: Model<any, any>): Prepared {
  const completionOf = pairUp(history);
  const byKey = new Map<string, Partition>();
  const partition = model.partition;
  const single: Partition = { key: undefined, ops: [] };
  let failed = 0;
  let droppedReads = 0;
  let opCount = 0;
  for (let j = 0; j < history.length; j++) {
    const inv = history[j]!;
    if (inv.type !== 'invoke' || inv.process === 'nemesis') continue;
    const c = completionOf[j]! - 1;
    const completion = c >= 0 ? history[c] : undefined;
    if (completion?.type === 'fail') {
      failed++;
      continue;
    }
    const known = completion?.type === 'ok';
    const op = new Prepared_(-1, inv, completion, known, j, known ? c : -1);
    if (!known && model.readOnly?.(op)) {
      droppedReads++;
      continue;
    }
    let p: Partition | undefined;
    if (partition) {
      const key = partition.call(model, op);
      const k = valueKey(key);
      p = byKey.get(k);
      if (!p) {
        p = { key, ops: [] };
        byKey.set(k, p);
      }
    } else p = single;
    op.id = p.ops.length;
    p.ops.push(op);
    opCount++;
  }
  const partitions = partition ? [...byKey.values()] : single.ops.length > 0 ? [single] : [];
  return { partitions, opCount, failed, droppedReads };
}

/** Processes numbered below this are paired through an array, the rest through a map. */
const DENSE_PROCESSES = 1 << 16;

/**
 * For each invocation of a client, the position of its completion plus one (0 for none): the next
 * entry of the same process that is not an invocation.
 */
function pairUp(history: readonly Op[]): Int32Array {
  const completionOf = new Int32Array(history.length);
  // The open invocation's position plus one, by process: an array for small integers (the usual
  // case, and a map lookup per entry costs more than the rest of the pairing), a map otherwise.
  let dense = new Int32Array(64);
  const open = new Map<ProcessId, number>();
  for (let j = 0; j < history.length; j++) {
    const op = history[j]!;
    const p = op.process;
    if (p === 'nemesis') continue;
    if (typeof p === 'number' && p >= 0 && p < DENSE_PROCESSES && (p | 0) === p) {
      if (p >= dense.length) {
        const d = new Int32Array(Math.max(p + 1, dense.length * 2));
        d.set(dense);
        dense = d;
      }
      if (op.type === 'invoke') dense[p] = j + 1;
      else if (dense[p]! > 0) {
        completionOf[dense[p]! - 1] = j + 1;
        dense[p] = 0;
      }
    } else if (op.type === 'invoke') open.set(p, j);
    else {
      const i = open.get(p);
      if (i !== undefined) {
        completionOf[i] = j + 1;
        open.delete(p);
      }
    }
  }
  return completionOf;
}

/** A copy of `op` whose outcome is forgotten: indeterminate, with its invocation's value. */
export function relax(op: PreparedOp, id: number): PreparedOp {
  return new Prepared_(id, op.invocation, op.completion, false, op.invPos, -1);
}

/** A copy of `op` with a new partition-local id. */
export function renumber(op: PreparedOp, id: number): PreparedOp {
  return op.id === id ? op : new Prepared_(id, op.invocation, op.completion, op.known, op.invPos, op.retPos);
}
