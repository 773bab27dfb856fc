/**
 * The last line of a run or a check: exactly Maelstrom's outcome lines (maelstrom.md §6.2).
 */

/** Exactly Maelstrom's outcome lines, by verdict. */
export const OUTCOME = {
  valid: 'Everything looks good! ヽ(‘ー`)ノ',
  invalid: 'Analysis invalid! (ﾉಥ益ಥ）ﾉ ┻━┻',
  unknown: 'Errors occurred during analysis, but no anomalies found. ಠ~ಠ',
} as const;

/** The outcome line for a validity. */
export function outcomeLine(valid: unknown): string {
  return valid === true ? OUTCOME.valid : valid === false ? OUTCOME.invalid : OUTCOME.unknown;
}
