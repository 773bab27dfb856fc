import { valueKey, type Op, type ProcessId } from '@gyre/history';
import type { LinOp, Model } from './model';

/** An op inside the checker, with its positions in the history array. */
export interface PreparedOp extends LinOp {
  /** Position of the invocation in the history array. */
  invPos: number;
  /** Position of the completion (ok), or -1 when indeterminate. */
  retPos: number;
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
 * Non-client entries (the nemesis) are ignored.
 */
export function prepare(history: readonly Op[], model: Model<any, any>): Prepared {
  const open = new Map<ProcessId, number>();
  const completionOf = new Int32Array(history.length).fill(-1);
  for (let j = 0; j < history.length; j++) {
    const op = history[j]!;
    if (typeof op.process !== 'number') continue;
    if (op.type === 'invoke') open.set(op.process, j);
    else {
      const i = open.get(op.process);
      if (i !== undefined) {
        completionOf[i] = j;
        open.delete(op.process);
      }
    }
  }
  const byKey = new Map<string, Partition>();
  let failed = 0;
  let droppedReads = 0;
  let opCount = 0;
  for (let j = 0; j < history.length; j++) {
    const inv = history[j]!;
    if (inv.type !== 'invoke' || typeof inv.process !== 'number') continue;
    const c = completionOf[j]!;
    const completion = c >= 0 ? history[c] : undefined;
    if (completion?.type === 'fail') {
      failed++;
      continue;
    }
    const known = completion?.type === 'ok';
    const op: PreparedOp = {
      id: -1,
      index: inv.index,
      completionIndex: completion ? completion.index : -1,
      process: inv.process,
      f: inv.f,
      value: known ? completion!.value : inv.value,
      invokeValue: inv.value,
      known,
      invocation: inv,
      completion,
      invPos: j,
      retPos: known ? c : -1,
    };
    if (!known && model.readOnly?.(op)) {
      droppedReads++;
      continue;
    }
    const key = model.partition ? model.partition(op) : undefined;
    const k = model.partition ? valueKey(key) : '';
    let p = byKey.get(k);
    if (!p) {
      p = { key, ops: [] };
      byKey.set(k, p);
    }
    (op as { id: number }).id = p.ops.length;
    p.ops.push(op);
    opCount++;
  }
  return { partitions: [...byKey.values()], opCount, failed, droppedReads };
}

/** A copy of `op` whose outcome is forgotten: indeterminate, with its invocation's value. */
export function relax(op: PreparedOp, id: number): PreparedOp {
  return { ...op, id, known: false, value: op.invokeValue, retPos: -1 };
}

/** A copy of `op` with a new partition-local id. */
export function renumber(op: PreparedOp, id: number): PreparedOp {
  return op.id === id ? op : { ...op, id };
}
