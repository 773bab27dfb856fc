import type { Op } from '@gyre/history';
import type { CheckResult } from './validity';
import { fields, type WireForm } from './wire';

/** Result of {@link availability}: Maelstrom's `:availability`. */
export interface AvailabilityResult extends CheckResult {
  valid: boolean;
  /** Ok completions / invocations of client operations; 1 when there are no invocations. */
  okFraction: number;
}

/** How an {@link AvailabilityResult} is written: `valid?`, `ok-fraction`. */
export const availabilityWire: WireForm = fields<AvailabilityResult>({ valid: 'valid?', okFraction: 'ok-fraction' });

/** Options of {@link availability}. */
export interface AvailabilityOptions {
  /**
   * The goal (Maelstrom's `--availability`): `undefined` imposes none (always valid), `'total'`
   * requires every invocation to complete ok, a number x in [0, 1] requires `okFraction >= x`.
   * @defaultValue undefined
   */
  availability?: 'total' | number;
}

/**
 * Maelstrom's availability checker. The fraction is computed as a double; Maelstrom rounds it
 * to a single-precision float before comparing, which can fail a goal met exactly (9/10 against
 * 0.9): Gyre does not.
 */
export function availability(history: readonly Op[], opts: AvailabilityOptions = {}): AvailabilityResult {
  let oks = 0;
  let invokes = 0;
  for (const op of history) {
    if (typeof op.process !== 'number') continue;
    if (op.type === 'invoke') invokes++;
    else if (op.type === 'ok') oks++;
  }
  const fraction = invokes === 0 ? 1 : oks / invokes;
  const a = opts.availability;
  let valid = true;
  if (a === 'total') valid = fraction === 1;
  else if (typeof a === 'number') {
    if (!(a >= 0 && a <= 1)) throw new RangeError(`availability must be 'total' or a number from 0 to 1, got ${a}`);
    valid = fraction >= a;
  }
  return { valid, okFraction: fraction };
}
