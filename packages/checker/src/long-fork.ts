import { stringifyJson, valueKey, type Op } from '@gyre/history';
import type { CheckResult, Validity } from './validity';
import { field, fields, listOf, type WireForm } from './wire';

/** Why a long-fork history could not be checked. */
export interface LongForkError {
  /** `multiple-writes`: a key was written more than once; `illegal-history`: reads that cannot be compared. */
  type: 'multiple-writes' | 'illegal-history';
  message: string;
  /** The key concerned, when there is one. */
  key?: unknown;
  /** The ops concerned. */
  ops: Op[];
}

/** Two reads of the same group that saw the group's inserts in incompatible orders. */
export interface LongFork {
  /** The two ok reads, earlier index first. */
  reads: [Op, Op];
  /** Keys the first read saw written and the second did not. */
  onlyFirst: unknown[];
  /** Keys the second read saw written and the first did not. */
  onlySecond: unknown[];
}

/** Result of {@link longFork}. */
export interface LongForkResult extends CheckResult {
  /**
   * false when two reads saw incompatible insert orders; `'unknown'` when a key was written twice or
   * reads of a group could not be compared (see `error`); otherwise true.
   */
  valid: Validity;
  /** Ok read transactions. */
  readCount: number;
  /** Reads that saw no key written (too early to tell anything). */
  earlyReadCount: number;
  /** Reads that saw every key written (too late to tell anything). */
  lateReadCount: number;
  /**
   * The forks found: one example pair for each pair of distinct incompatible read states, ordered by
   * the first read's index.
   */
  forks: LongFork[];
  error?: LongForkError;
}

/** How a {@link LongForkResult} is written: `valid?`, `read-count`, `forks` (with `only-first`, `only-second`), …. */
export const longForkWire: WireForm = fields<LongForkResult>({
  valid: 'valid?',
  readCount: 'read-count',
  earlyReadCount: 'early-read-count',
  lateReadCount: 'late-read-count',
  forks: field('forks', listOf(fields<LongFork>({ reads: 'reads', onlyFirst: 'only-first', onlySecond: 'only-second' }))),
  error: field('error', fields<LongForkError>({ type: 'type', message: 'message', key: 'key', ops: 'ops' })),
});

/** Options of {@link longFork}. */
export interface LongForkOptions {
  /**
   * How many keys every read covers. When set, a read of a different number of keys makes the
   * result `'unknown'` (the history was not made for this group size).
   * @defaultValue not checked
   */
  groupSize?: number;
}

type Mop = [string, unknown, unknown];

function mops(value: unknown): Mop[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  for (const m of value) if (!Array.isArray(m) || m.length !== 3 || typeof m[0] !== 'string') return undefined;
  return value as Mop[];
}
const isRead = (m: Mop) => m[0] === 'r' || m[0] === 'read';
const isWrite = (m: Mop) => m[0] === 'w' || m[0] === 'write';

/**
 * Jepsen's long-fork checker, for an anomaly that parallel snapshot isolation allows and snapshot
 * isolation forbids. Write transactions insert one fresh key each (`[["w", k, v]]`, every key written
 * once); read transactions read a whole group of keys (`[["r", k1, v1], ["r", k2, v2], ...]`, a value
 * of `null` meaning "not yet written"). Under snapshot isolation all reads of a group observe the
 * inserts in one order, so of any two reads, one must have seen everything the other saw. A long
 * fork is two reads where each saw an insert the other missed: they observed concurrent inserts in
 * opposite orders.
 *
 * Ops are recognised by their value, whatever their `f`: a transaction of reads only is a read, a
 * transaction of a single write is an insert. Reads are grouped by the set of keys they read.
 * Cost: linear in the history plus, per group, quadratic in the number of distinct read states.
 */
export function longFork(history: readonly Op[], opts: LongForkOptions = {}): LongForkResult {
  const written = new Map<string, Op>();
  const reads: { op: Op; txn: Mop[] }[] = [];
  let multiple: LongForkError | undefined;
  for (const op of history) {
    if (typeof op.process !== 'number') continue;
    const txn = mops(op.value);
    if (!txn) continue;
    if (op.type === 'invoke' && txn.length === 1 && isWrite(txn[0]!)) {
      const k = valueKey(txn[0]![1]);
      const prev = written.get(k);
      if (prev) {
        multiple ??= {
          type: 'multiple-writes',
          key: txn[0]![1],
          message: `key ${stringifyJson(txn[0]![1])} is written more than once (indices ${prev.index} and ${op.index}); long-fork needs every key written once`,
          ops: [prev, op],
        };
      } else written.set(k, op);
    } else if (op.type === 'ok' && txn.every(isRead)) {
      reads.push({ op, txn });
    }
  }
  if (multiple) return result(reads, [], multiple);

  interface State {
    seen: Set<string>;
    keys: unknown[];
    op: Op;
  }
  const groups = new Map<string, { keys: unknown[]; values: Map<string, { value: unknown; op: Op }>; states: Map<string, State> }>();
  for (const { op, txn } of reads) {
    const byKey = new Map<string, Mop>();
    for (const m of txn) byKey.set(valueKey(m[1]), m);
    const sorted = [...byKey.keys()].sort();
    if (opts.groupSize !== undefined && sorted.length !== opts.groupSize) {
      return result(reads, [], {
        type: 'illegal-history',
        message: `every read should cover exactly ${opts.groupSize} keys, but the read at index ${op.index} covers ${sorted.length}`,
        ops: [op],
      });
    }
    const gk = sorted.join('\u0000');
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { keys: sorted.map((k) => byKey.get(k)![1]), values: new Map(), states: new Map() }));
    const seen: string[] = [];
    for (const k of sorted) {
      const m = byKey.get(k)!;
      if (m[2] === null || m[2] === undefined) continue;
      seen.push(k);
      const prev = g.values.get(k);
      if (!prev) g.values.set(k, { value: m[2], op });
      else if (valueKey(prev.value) !== valueKey(m[2])) {
        return result(reads, [], {
          type: 'illegal-history',
          key: m[1],
          message: `reads at indices ${prev.op.index} and ${op.index} saw different values of key ${stringifyJson(m[1])} (${stringifyJson(prev.value)} and ${stringifyJson(m[2])}); long-fork needs every key written once`,
          ops: [prev.op, op],
        });
      }
    }
    const sk = seen.join('\u0000');
    if (!g.states.has(sk)) g.states.set(sk, { seen: new Set(seen), keys: seen.map((k) => byKey.get(k)![1]), op });
  }

  const forks: LongFork[] = [];
  for (const g of groups.values()) {
    const states = [...g.states.values()];
    for (let i = 0; i < states.length; i++) {
      for (let j = i + 1; j < states.length; j++) {
        let [a, b] = [states[i]!, states[j]!];
        if (b.op.index < a.op.index) [a, b] = [b, a];
        const onlyFirst = a.keys.filter((k) => !b.seen.has(valueKey(k)));
        const onlySecond = b.keys.filter((k) => !a.seen.has(valueKey(k)));
        if (onlyFirst.length > 0 && onlySecond.length > 0) forks.push({ reads: [a.op, b.op], onlyFirst, onlySecond });
      }
    }
  }
  forks.sort((x, y) => x.reads[0].index - y.reads[0].index || x.reads[1].index - y.reads[1].index);
  return result(reads, forks);
}

function result(reads: { txn: Mop[] }[], forks: LongFork[], error?: LongForkError): LongForkResult {
  let early = 0;
  let late = 0;
  for (const { txn } of reads) {
    const n = txn.filter((m) => m[2] !== null && m[2] !== undefined).length;
    if (n === 0) early++;
    if (n === txn.length) late++;
  }
  const out: LongForkResult = { valid: error ? 'unknown' : forks.length > 0 ? false : true, readCount: reads.length, earlyReadCount: early, lateReadCount: late, forks };
  if (error) out.error = error;
  return out;
}
