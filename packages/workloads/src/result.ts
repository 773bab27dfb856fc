/**
 * A workload's checker as a `@gyre/checker` {@link Checker}: what the runner composes with the
 * checkers every test runs.
 */
import { GENERIC_WIRE, type Checker, type CheckResult, type Validity } from '@gyre/checker';
import type { Op } from '@gyre/history';
import type { WorkloadDefinition, WorkloadOptions } from './types';

/** The warning given once per process for a checker that returns `'valid?'`. */
export const LEGACY_RESULT_WARNING =
  "a workload checker returned { 'valid?': ... }, the key names of results files. Return { valid: ..., camelCase fields } instead " +
  '(and give the workload a "wire" form for nested fields, see docs/plugins.md); the old shape is written unchanged for now and will be refused in a later release.';

let warned = false;

/**
 * The workload's `check` for these options, with its wire form. A result in the old shape (a
 * `'valid?'` key and no `valid`, Maelstrom's key names written by hand) is still accepted,
 * deprecated: its `'valid?'` becomes `valid` in place and its other keys, already in Maelstrom's
 * form, are written unchanged; the first one in a process emits a `DeprecationWarning`.
 */
export function workloadChecker(def: WorkloadDefinition, options: WorkloadOptions, emit?: (path: string, content: string) => void): Checker {
  return {
    check: (history: readonly Op[]) => fromLegacy(def.check(history, options, emit)),
    wire: def.wire ?? GENERIC_WIRE,
  };
}

function fromLegacy(r: CheckResult): CheckResult {
  if (r === null || typeof r !== 'object' || 'valid' in r || !('valid?' in r)) return r;
  if (!warned) {
    warned = true;
    (globalThis as { process?: { emitWarning?: (m: string, o: { type: string; code: string }) => void } }).process?.emitWarning?.(LEGACY_RESULT_WARNING, { type: 'DeprecationWarning', code: 'GYRE_LEGACY_RESULT' });
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) out[k === 'valid?' ? 'valid' : k] = v;
  return out as { valid: Validity };
}
