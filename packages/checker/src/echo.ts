import { pairs, valuesEqual, type Op } from '@gyre/history';
import type { CheckResult } from './validity';
import { fields, type WireForm } from './wire';

/** One echo mismatch, worded as Maelstrom words it. */
export type EchoError = ['Expected a message with :echo', unknown, 'But received', unknown];

/** Result of {@link echo}: the echo workload's checker. */
export interface EchoResult extends CheckResult {
  /** True iff there are no errors. */
  valid: boolean;
  /** Mismatches in history order: the sent value, then the completion's whole value. */
  errors: EchoError[];
}

/** How an {@link EchoResult} is written: `valid?`, `errors`. */
export const echoWire: WireForm = fields<EchoResult>({ valid: 'valid?', errors: 'errors' });

/**
 * Maelstrom's echo checker. Pairs each client invocation with its completion and reports an
 * error whenever the invocation's value differs (Clojure equality) from the completion value's
 * `echo` field. An ok echo's value is the whole response body; a failed, crashed (`info`) or
 * never-completed echo keeps the sent string or has none, so it has no `echo` field and is an
 * error too: any echo that did not come back ok fails the check (as the spec describes; a
 * literal reading of Knossos' `pair-index`, which never pairs an invocation with an `info`,
 * would skip crashed echoes). Nemesis entries are ignored.
 */
export function echo(history: readonly Op[]): EchoResult {
  const errors: EchoError[] = [];
  for (const { invoke, completion } of pairs(history)) {
    if (typeof invoke.process !== 'number') continue;
    const got = completion?.value;
    const echoed = got !== null && typeof got === 'object' && !Array.isArray(got) ? (got as Record<string, unknown>)['echo'] : undefined;
    if (!valuesEqual(invoke.value ?? null, echoed ?? null)) {
      errors.push(['Expected a message with :echo', invoke.value, 'But received', got ?? null]);
    }
  }
  return { valid: errors.length === 0, errors };
}
