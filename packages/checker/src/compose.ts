/**
 * Jepsen's checker combinators: {@link checkSafe} turns a checker that throws into an `unknown`
 * verdict, {@link compose} runs several checkers on one history and merges their verdicts.
 */
import type { Op } from '@gyre/history';
import { mergeValid, type CheckResult, type Validity } from './validity';
import { GENERIC_WIRE, field, fields, spread, type WireField, type WireForm } from './wire';

/** A checker: judges a history. */
export interface Checker<R extends CheckResult = CheckResult> {
  check(history: readonly Op[]): R;
  /**
   * How its result is written in Jepsen's key names (see {@link toWire}).
   * @defaultValue {@link GENERIC_WIRE}
   */
  wire?: WireForm;
}

/** What a checker that threw gives: an `unknown` verdict with the error. */
export interface CheckFailure extends CheckResult {
  valid: 'unknown';
  /** The error, with its stack when it has one. */
  error: string;
}

/** The result of {@link compose}: each checker's result under its name, and the merged verdict. */
export interface ComposedResult<M extends Record<string, CheckResult>> extends CheckResult {
  /** Each checker's result by name, in the order given; {@link CheckFailure} for one that threw. */
  results: { [K in keyof M]: M[K] | CheckFailure };
  /** Merged with priority false > `'unknown'` > true; true when there are no checkers. */
  valid: Validity;
}

/** Runs `checker` on `history`; if it throws, the result is `{ valid: 'unknown', error }` (Jepsen's `check-safe`). */
export function checkSafe<R extends CheckResult>(checker: Checker<R>, history: readonly Op[]): R | CheckFailure {
  try {
    return checker.check(history);
  } catch (e) {
    return { valid: 'unknown', error: String((e as Error | null | undefined)?.stack ?? e) };
  }
}

/**
 * Jepsen's `compose`: a checker that runs each of `checkers` (each through {@link checkSafe}) and
 * gives their results under their names, with the verdicts merged. Written, the names are
 * top-level keys next to `valid?`, as in Maelstrom's results.edn:
 * `{"stats": {...}, "workload": {...}, "valid?": false}`. A name is written as given.
 */
export function compose<M extends Record<string, CheckResult>>(checkers: { readonly [K in keyof M]: Checker<M[K]> }): Checker<ComposedResult<M>> & { wire: WireForm } {
  const named: Record<string, WireField> = {};
  for (const [name, c] of Object.entries(checkers) as [string, Checker][]) named[name] = field(name, c.wire ?? GENERIC_WIRE);
  return {
    check(history) {
      const results = {} as ComposedResult<M>['results'];
      for (const name of Object.keys(checkers) as (keyof M)[]) results[name] = checkSafe(checkers[name], history);
      return { results, valid: mergeValid(Object.values(results).map((r) => (r as CheckResult).valid)) };
    },
    wire: fields<ComposedResult<M>>({ results: spread({ kind: 'record', fields: named }), valid: 'valid?' }),
  };
}
