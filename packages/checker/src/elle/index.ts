/**
 * @gyre/checker/elle: Elle-style checking of transactional histories.
 *
 * - {@link checkListAppend} and {@link checkRwRegister} take a history of `@gyre/history` ops whose
 *   values are lists of micro-ops and return an Elle-style result: `{ valid: true }`, or the
 *   anomaly types found, cases of each (cycles with step-by-step explanations), and the
 *   consistency models they rule out.
 * - {@link parseConsistencyModels} reads Maelstrom's `--consistency-models` value;
 *   {@link CONSISTENCY_MODEL_NAMES} lists the names it accepts.
 * - {@link renderCycleSvg} draws a cycle; {@link maelstromRwRegisterResult} applies Maelstrom's
 *   txn-rw-register verdict rule.
 *
 * Pure: no I/O, no `node:*`; runs in browsers too.
 *
 * @example
 * ```ts
 * import { checkListAppend } from '@gyre/checker/elle';
 * const result = checkListAppend(history, { consistencyModels: ['serializable'] });
 * if (result.valid === false) console.log(result.anomalyTypes, result.not);
 * ```
 */
export type { ElleOptions, ElleResult, ElleError } from './core';
export { maelstromRwRegisterResult } from './core';
export { elleWire } from './wire';
export { checkListAppend } from './list-append';
export type { RwRegisterOptions } from './rw-register';
export { checkRwRegister } from './rw-register';
export type { CycleAnomaly, CycleStep } from './explain';
export { renderCycleSvg, RELATION_COLORS } from './svg';
export { CYCLE_EXISTS_TYPES } from './cycles';
export {
  CONSISTENCY_MODELS,
  CONSISTENCY_MODEL_NAMES,
  CYCLE_ANOMALY_TYPES,
  UNKNOWN_ANOMALY_TYPES,
  ConsistencyModelError,
  canonicalModelName,
  adyaModelName,
  parseConsistencyModels,
  anomaliesProhibitedBy,
  anomaliesImplying,
  impliedAnomalies,
  impossibleModels,
  modelBoundary,
} from './models';
