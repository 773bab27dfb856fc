/**
 * Cycle explanations a person can follow: the transactions of a cycle named T1..Tn, each with its
 * history index and micro-ops, then one sentence per edge saying why one precedes the next.
 */
import type { Op } from '@gyre/history';
import { printEdn } from '@gyre/history';
import { PROCESS, REALTIME, relName, type RelName } from './graph';
import type { FoundCycle } from './cycles';
import { type TxnTable, opOf } from './txn';

/** Why one transaction precedes the next in a cycle. */
export interface CycleStep {
  /** The relation: ww (write-write), wr (write-read), rw (read-write, an anti-dependency), process, realtime. */
  type: RelName;
  /** The key both transactions touched (data relations). */
  key?: unknown;
  /**
   * ww: the value the first transaction wrote; wr: the value the second read; rw: the version the
   * first read (`null` for the initial state; for list-append the last element of its read).
   */
  value?: unknown;
  /** ww and rw: the value the second transaction wrote. */
  nextValue?: unknown;
  /** The position, in the first transaction, of the micro-op behind this edge. */
  aMopIndex?: number;
  /** The position, in the second transaction, of the micro-op behind this edge. */
  bMopIndex?: number;
  /** process: the process both ran on. */
  process?: unknown;
  /** realtime: history index of the first transaction's completion. */
  aIndex?: number;
  /** realtime: history index of the second transaction's invocation. */
  bIndex?: number;
  /** The sentence, e.g. "T2 observed T1's append of 3 to key 5". */
  text: string;
}

/** A cycle anomaly, as reported under its type in `anomalies`. */
export interface CycleAnomaly {
  /** G0, G1c, G-single, G2-item, G-nonadjacent, optionally with -process or -realtime. */
  type: string;
  /** The transactions (their completion ops) T1..Tn, then T1 again. */
  cycle: Op[];
  /** `steps[i]` explains why `cycle[i]` precedes `cycle[i + 1]`. */
  steps: CycleStep[];
  /** The whole explanation as text, one line per transaction and per step. */
  explanation: string;
}

/** Explains a data edge between transactions a and b (named aName, bName); null if it cannot. */
export type PairExplainer = (a: number, b: number, rel: number, aName: string, bName: string) => CycleStep | null;

const MAX_LIST = 12;

/** A short EDN-like rendering of a value: long lists show their ends only. */
export function fmt(v: unknown): string {
  if (Array.isArray(v) && v.length > MAX_LIST) {
    const head = v.slice(0, 3).map(fmt).join(' ');
    const tail = v.slice(-5).map(fmt).join(' ');
    return `[${head} … ${tail}] (${v.length} elements)`;
  }
  if (Array.isArray(v)) return '[' + v.map(fmt).join(' ') + ']';
  return printEdn(v);
}

/** A micro-op as text: `[append 5 3]`, `[r 5 [1 2 3]]`. */
export function fmtMop(mop: unknown): string {
  if (!Array.isArray(mop)) return fmt(mop);
  const [f, ...rest] = mop;
  return '[' + [typeof f === 'string' ? f : fmt(f), ...rest.map(fmt)].join(' ') + ']';
}

/** A transaction in one line: its index, process, type and micro-ops. */
function describeOp(op: Op, txn?: readonly unknown[]): string {
  const mops = txn ?? (Array.isArray(op.value) ? op.value : []);
  const shown = mops.slice(0, 16).map(fmtMop).join(' ');
  const more = mops.length > 16 ? ` … (${mops.length} micro-ops)` : '';
  const proc = op.process === undefined ? '' : `process ${fmt(op.process)}, `;
  return `op ${op.index} (${proc}${op.type}): ${shown}${more}`;
}

function seconds(ns: number): string {
  return (ns / 1e9).toFixed(3);
}

/** Builds the structured and textual explanation of a cycle found in the graph. */
export function explainCycle(h: TxnTable, found: FoundCycle, explainPair: PairExplainer): CycleAnomaly {
  const n = found.verts.length;
  const names = found.verts.map((_, i) => `T${i + 1}`);
  const ops = found.verts.map((t) => opOf(h, t));
  const steps: CycleStep[] = [];
  for (let i = 0; i < n; i++) {
    const a = found.verts[i]!;
    const b = found.verts[(i + 1) % n]!;
    const rel = found.labs[i]!;
    const an = names[i]!;
    const bn = names[(i + 1) % n]!;
    let step: CycleStep | null = null;
    if (rel === REALTIME) {
      const aOp = ops[i]!;
      const bInv = h.history[h.invoke[b]!]!;
      const dt = typeof aOp.time === 'number' && typeof bInv.time === 'number' && bInv.time > aOp.time ? ` ${seconds(bInv.time - aOp.time)} s` : '';
      step = {
        type: 'realtime',
        aIndex: aOp.index,
        bIndex: bInv.index,
        text: `${an} completed (op ${aOp.index})${dt} before ${bn} was invoked (op ${bInv.index})`,
      };
    } else if (rel === PROCESS) {
      const p = ops[i]!.process;
      step = { type: 'process', process: p, text: `${an} and ${bn} ran on process ${fmt(p)}, ${an} first` };
    } else {
      step = explainPair(a, b, rel, an, bn);
    }
    steps.push(step ?? { type: relName(rel), text: `${an} precedes ${bn} (${relName(rel)})` });
  }
  const lines = [`${found.type}: a cycle of ${n} transactions.`, 'Let:'];
  for (let i = 0; i < n; i++) lines.push(`  ${names[i]} = ${describeOp(ops[i]!, h.history[h.at[found.verts[i]!]!]!.value as unknown[])}`);
  lines.push('Then:');
  for (let i = 0; i < n; i++) {
    const last = i === n - 1;
    lines.push(
      `  - ${last ? 'However, ' : ''}${names[i]} < ${names[(i + 1) % n]}, because ${steps[i]!.text} (${steps[i]!.type})${last ? ': a contradiction!' : '.'}`,
    );
  }
  lines.push(`So ${[...names, names[0]].join(' < ')}.`);
  return { type: found.type, cycle: [...ops, ops[0]!], steps, explanation: lines.join('\n') };
}
