/**
 * @gyre/checker: pure verdicts over histories.
 *
 * Every checker takes a history (an array of {@link Op}s from `@gyre/history`) and returns a
 * result whose `valid` is `true`, `false` or `'unknown'`. Nothing here does I/O.
 */
export type { Validity, CheckResult } from './validity';
export { mergeValid } from './validity';
