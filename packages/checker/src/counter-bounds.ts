import { pairIndex, stringifyJson, type Op } from '@gyre/history';
import type { CheckResult, Validity } from './validity';
import { field, fields, listOf, type WireForm } from './wire';

/** One ok read with the bounds it had to lie in. */
export interface CounterBoundsRead {
  /** The read's completion. */
  op: Op;
  value: number;
  /** The smallest value the counter could have had while the read ran. */
  lower: number;
  /** The largest value the counter could have had while the read ran. */
  upper: number;
}

/** Result of {@link counterBounds}. */
export interface CounterBoundsResult extends CheckResult {
  /** false when some ok read lies outside its bounds; `'unknown'` for a non-integer delta or read (see `error`). */
  valid: Validity;
  /** Ok reads checked. */
  readCount: number;
  /** The reads outside their bounds, in history order. */
  errors: CounterBoundsRead[];
  /** Why the verdict is unknown. */
  error?: string;
}

/** How a {@link CounterBoundsResult} is written: `valid?`, `read-count`, `errors`, `error`. */
export const counterBoundsWire: WireForm = fields<CounterBoundsResult>({
  valid: 'valid?',
  readCount: 'read-count',
  errors: field('errors', listOf(fields<CounterBoundsRead>({ op: 'op', value: 'value', lower: 'lower', upper: 'upper' }))),
  error: 'error',
});

/** Options of {@link counterBounds}. */
export interface CounterBoundsOptions {
  /**
   * The function that adds its value (an integer delta) to the counter.
   * @defaultValue `'add'`
   */
  addF?: string;
  /**
   * The function that reads the counter.
   * @defaultValue `'read'`
   */
  readF?: string;
  /**
   * The counter's value before any add.
   * @defaultValue 0
   */
  initial?: number;
}

function toInt(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/**
 * Jepsen's counter checker: every ok read, not only final ones. While a read runs, the counter is
 * at least the initial value plus every add acknowledged before the read began, and at most that
 * plus every add invoked before the read ended that has not failed. Reads outside those bounds are
 * errors. Jepsen allows only increments; here a negative delta widens the bounds the other way
 * (lower as soon as it is invoked, upper only once acknowledged), so pn-counters check too.
 * Failed adds never happened and count for nothing; indeterminate (info) and unfinished adds may
 * or may not have happened. Integers are handled as doubles: exact up to 2^53.
 */
export function counterBounds(history: readonly Op[], opts: CounterBoundsOptions = {}): CounterBoundsResult {
  const addF = opts.addF ?? 'add';
  const readF = opts.readF ?? 'read';
  const partner = pairIndex(history);
  let lower = opts.initial ?? 0;
  let upper = lower;
  const pending = new Map<number, { lower: number; upper: number }>();
  const errors: CounterBoundsRead[] = [];
  let readCount = 0;
  let error: string | undefined;
  for (let i = 0; i < history.length; i++) {
    const op = history[i]!;
    if (typeof op.process !== 'number') continue;
    const j = partner[i]!;
    if (op.f === addF) {
      const inv = op.type === 'invoke' ? op : j >= 0 ? history[j]! : op;
      const d = toInt(inv.value);
      if (d === undefined) {
        error ??= `add at index ${inv.index} has a delta that is not an integer: ${stringifyJson(inv.value)}`;
        continue;
      }
      if (op.type === 'invoke') {
        if (j >= 0 && history[j]!.type === 'fail') continue;
        if (d >= 0) upper += d;
        else lower += d;
        for (const p of pending.values()) {
          if (lower < p.lower) p.lower = lower;
          if (upper > p.upper) p.upper = upper;
        }
      } else if (op.type === 'ok') {
        if (d >= 0) lower += d;
        else upper += d;
      }
    } else if (op.f === readF) {
      if (op.type === 'invoke') {
        pending.set(i, { lower, upper });
        continue;
      }
      const p = pending.get(j);
      pending.delete(j);
      if (op.type !== 'ok' || !p) continue;
      readCount++;
      const v = toInt(op.value);
      if (v === undefined) {
        error ??= `read at index ${op.index} returned a value that is not an integer: ${stringifyJson(op.value)}`;
        continue;
      }
      if (v < p.lower || v > p.upper) errors.push({ op, value: v, lower: p.lower, upper: p.upper });
    }
  }
  const valid: Validity = errors.length > 0 ? false : error !== undefined ? 'unknown' : true;
  const out: CounterBoundsResult = { valid, readCount, errors };
  if (error !== undefined) out.error = error;
  return out;
}
