/**
 * The transactions of a history, column-wise: each invocation is paired with its completion, and
 * every transaction gets a dense integer id (its vertex in the dependency graph).
 */
import type { Op } from '@gyre/history';
import { type EdgeSource, PROCESS, REALTIME } from './graph';
import { type Alloc, HEAP } from './values';

export const OK = 0;
export const INFO = 1;
export const FAIL = 2;

/** The transactions of a history. Ids are assigned in completion order; open invocations come last. */
export interface TxnTable {
  history: readonly Op[];
  /** Number of transactions. */
  n: number;
  /** History position of the op whose value is the transaction (the completion, or the invocation if it has no usable value). */
  at: Int32Array;
  /** History position of the completion (the invocation for a transaction that never completed). */
  done: Int32Array;
  /** History position of the invocation, or -1. */
  invoke: Int32Array;
  /** OK, INFO or FAIL. A transaction that never completed counts as INFO. */
  type: Uint8Array;
  /** Total number of micro-ops. */
  mops: number;
}

/** The op that stands for transaction `t` in anomaly reports (its completion). */
export function opOf(h: TxnTable, t: number): Op {
  return h.history[h.done[t]!]!;
}

/**
 * Pairs invocations with completions by process and keeps the pairs whose value is a list (a
 * transaction); nemesis operations are skipped. Ops may lack `process` (they then pair in order).
 */
export function txnTable(history: readonly Op[], alloc: Alloc = HEAP): TxnTable {
  const len = history.length;
  const at = alloc.i32(len);
  const done = alloc.i32(len);
  const invoke = alloc.i32(len);
  const type = alloc.u8(len);
  // Open invocations by process: small non-negative integer processes in an array, others in a map.
  const openSmall: number[] = [];
  const openOther = new Map<unknown, number>();
  const unmatched: number[] = [];
  let n = 0;
  let mops = 0;
  for (let i = 0; i < len; i++) {
    const op = history[i]!;
    const p = op.process;
    const small = typeof p === 'number' && (p & 0xfffff) === p;
    if (op.type === 'invoke') {
      if (small) {
        while (openSmall.length <= p) openSmall.push(-1);
        const prev = openSmall[p]!;
        if (prev >= 0) unmatched.push(prev);
        openSmall[p] = i;
      } else if (p !== 'nemesis') {
        const prev = openOther.get(p);
        if (prev !== undefined) unmatched.push(prev);
        openOther.set(p, i);
      }
      continue;
    }
    let inv: number | undefined;
    if (small) {
      const x = openSmall[p];
      if (x !== undefined && x >= 0) {
        inv = x;
        openSmall[p] = -1;
      }
    } else {
      if (p === 'nemesis') continue;
      inv = openOther.get(p);
      if (inv !== undefined) openOther.delete(p);
    }
    let src = i;
    let value = op.value;
    if (!Array.isArray(value)) {
      if (inv === undefined || !Array.isArray(history[inv]!.value) || op.type === 'ok') continue;
      src = inv;
      value = history[inv]!.value;
    }
    mops += (value as unknown[]).length;
    at[n] = src;
    done[n] = i;
    invoke[n] = inv ?? -1;
    type[n] = op.type === 'ok' ? OK : op.type === 'fail' ? FAIL : INFO;
    n++;
  }
  for (const i of openSmall) if (i >= 0) unmatched.push(i);
  for (const i of openOther.values()) unmatched.push(i);
  unmatched.sort((a, b) => a - b);
  for (const i of unmatched) {
    const value = history[i]!.value;
    if (!Array.isArray(value)) continue;
    mops += value.length;
    at[n] = i;
    done[n] = i;
    invoke[n] = i;
    type[n] = INFO;
    n++;
  }
  return { history, n, at: at.subarray(0, n), done: done.subarray(0, n), invoke: invoke.subarray(0, n), type: type.subarray(0, n), mops };
}

/**
 * Real-time edges as a transitive reduction, in one pass over the history: an ok transaction
 * precedes every transaction invoked after it completed. A buffer holds the completed ok
 * transactions not yet covered by a later completion; each invocation links from all of them,
 * and each ok completion b replaces those that completed before b was invoked (b covers them).
 * Indeterminate (info) transactions get incoming edges only; failed ones none.
 */
export function realtimeSource(h: TxnTable, alloc: Alloc = HEAP): EdgeSource {
  const { n, history } = h;
  const event = alloc.i32(history.length).fill(-1);
  for (let t = 0; t < n; t++) {
    if (h.type[t] === FAIL) continue;
    const inv = h.invoke[t]!;
    if (inv >= 0) event[inv] = t;
    if (h.done[t] !== inv) event[h.done[t]!] = t;
  }
  return (emit) => {
    const frontier: number[] = [];
    for (let i = 0; i < event.length; i++) {
      const t = event[i]!;
      if (t < 0) continue;
      const inv = h.invoke[t]!;
      if (inv === i) {
        for (let j = 0; j < frontier.length; j++) emit(frontier[j]!, t, REALTIME);
      } else if (h.type[t] === OK) {
        let k = 0;
        for (let j = 0; j < frontier.length; j++) {
          const a = frontier[j]!;
          if (h.done[a]! > inv) frontier[k++] = a;
        }
        frontier.length = k;
        frontier.push(t);
      }
    }
  };
}

/** Process edges: each ok or info transaction follows the previous one of its process. */
export function processSource(h: TxnTable): EdgeSource {
  return (emit) => {
    const last = new Map<unknown, number>();
    for (let t = 0; t < h.n; t++) {
      if (h.type[t] === FAIL) continue;
      const p = h.history[h.done[t]!]!.process;
      if (p === undefined || p === null) continue;
      const prev = last.get(p);
      if (prev !== undefined) emit(prev, t, PROCESS);
      last.set(p, t);
    }
  };
}
