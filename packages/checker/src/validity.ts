/**
 * Verdicts are values. A checker returns `{ valid: true | false | 'unknown', ... }`; it never
 * throws to say a history is bad, and it says `'unknown'` (never `true`) when it ran out of time
 * or could not decide.
 */

/** A verdict: valid, invalid, or undecided. */
export type Validity = true | false | 'unknown';

/** The common shape of every checker result. */
export interface CheckResult {
  /** The verdict. Written as `valid?` in results files, as Maelstrom does. */
  valid: Validity;
}

/**
 * Combines verdicts with priority false > 'unknown' > true. An empty list is valid.
 */
export function mergeValid(vs: Iterable<Validity>): Validity {
  let out: Validity = true;
  for (const v of vs) {
    if (v === false) return false;
    if (v === 'unknown') out = 'unknown';
  }
  return out;
}
