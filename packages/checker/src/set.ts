import { pairIndex, valueKey, type Op } from '@gyre/history';
import type { CheckResult, Validity } from './validity';
import { sortValues } from './order';
import { fields, type WireForm } from './wire';

/** Result of {@link set}. */
export interface SetResult extends CheckResult {
  /**
   * false when an acknowledged element is missing from the final read (lost) or the final read
   * holds an element nobody tried to add (unexpected); `'unknown'` when the set was never read;
   * otherwise true.
   */
  valid: Validity;
  /** Distinct elements whose add was invoked. */
  attemptCount: number;
  /** Distinct elements whose add completed ok. */
  acknowledgedCount: number;
  /** Acknowledged elements present in the final read. */
  okCount: number;
  lostCount: number;
  unexpectedCount: number;
  recoveredCount: number;
  /** Acknowledged and present, sorted. */
  ok: unknown[];
  /** Acknowledged but absent from the final read, sorted. */
  lost: unknown[];
  /** In the final read but never added, sorted. */
  unexpected: unknown[];
  /** Present in the final read although their add did not complete ok (info, fail or open), sorted. */
  recovered: unknown[];
  /** The final read: the last ok read in the history, or null. */
  finalRead: Op | null;
  /** Why the verdict is unknown. */
  error?: string;
}

/** How a {@link SetResult} is written: Jepsen's `valid?`, `attempt-count`, `lost-count`, …, `final-read`. */
export const setWire: WireForm = fields<SetResult>({
  valid: 'valid?',
  attemptCount: 'attempt-count',
  acknowledgedCount: 'acknowledged-count',
  okCount: 'ok-count',
  lostCount: 'lost-count',
  unexpectedCount: 'unexpected-count',
  recoveredCount: 'recovered-count',
  ok: 'ok',
  lost: 'lost',
  unexpected: 'unexpected',
  recovered: 'recovered',
  finalRead: 'final-read',
  error: 'error',
});

/** Options of {@link set}. */
export interface SetOptions {
  /**
   * The function that adds one element (the invocation's value).
   * @defaultValue `'add'`
   */
  addF?: string;
  /**
   * The function that reads the whole set; its ok value is a list of elements.
   * @defaultValue `'read'`
   */
  readF?: string;
}

/**
 * Jepsen's plain set checker: clients add elements, then a final read returns the whole set. Only
 * the last ok read counts. Every element whose add completed ok must be in it (else *lost*), and
 * every element in it must have been added by someone (else *unexpected*); elements whose add did
 * not complete ok but are present anyway are *recovered*, which is fine. Elements compare with
 * Clojure-style equality (`valueKey`).
 */
export function set(history: readonly Op[], opts: SetOptions = {}): SetResult {
  const addF = opts.addF ?? 'add';
  const readF = opts.readF ?? 'read';
  const partner = pairIndex(history);
  const attempts = new Map<string, unknown>();
  const acked = new Map<string, unknown>();
  let finalRead: Op | null = null;
  for (let i = 0; i < history.length; i++) {
    const op = history[i]!;
    if (typeof op.process !== 'number') continue;
    if (op.f === addF) {
      if (op.type === 'invoke') attempts.set(valueKey(op.value), op.value);
      else if (op.type === 'ok') {
        const inv = partner[i]!;
        const v = inv >= 0 ? history[inv]!.value : op.value;
        acked.set(valueKey(v), v);
      }
    } else if (op.f === readF && op.type === 'ok') {
      finalRead = op;
    }
  }
  const empty = { ok: [], lost: [], unexpected: [], recovered: [], okCount: 0, lostCount: 0, unexpectedCount: 0, recoveredCount: 0 };
  if (!finalRead) {
    return { valid: 'unknown', attemptCount: attempts.size, acknowledgedCount: acked.size, ...empty, finalRead: null, error: 'the set was never read' };
  }
  if (!Array.isArray(finalRead.value)) {
    return { valid: 'unknown', attemptCount: attempts.size, acknowledgedCount: acked.size, ...empty, finalRead, error: `the final read (index ${finalRead.index}) did not return a list of elements` };
  }
  const read = new Map<string, unknown>();
  for (const x of finalRead.value as unknown[]) read.set(valueKey(x), x);
  const ok: unknown[] = [];
  const lost: unknown[] = [];
  const unexpected: unknown[] = [];
  const recovered: unknown[] = [];
  for (const [k, v] of acked) (read.has(k) ? ok : lost).push(v);
  for (const [k, v] of read) {
    if (!attempts.has(k) && !acked.has(k)) unexpected.push(v);
    else if (!acked.has(k)) recovered.push(v);
  }
  return {
    valid: lost.length === 0 && unexpected.length === 0,
    attemptCount: attempts.size,
    acknowledgedCount: acked.size,
    okCount: ok.length,
    lostCount: lost.length,
    unexpectedCount: unexpected.length,
    recoveredCount: recovered.length,
    ok: sortValues(ok),
    lost: sortValues(lost),
    unexpected: sortValues(unexpected),
    recovered: sortValues(recovered),
    finalRead,
  };
}
