/**
 * @gyre/checker/elle: Elle-style transactional isolation checking.
 */
export type { ElleOptions, ElleResult, ElleError } from './core';
export { maelstromRwRegisterResult } from './core';
export { checkListAppend } from './list-append';
export type { CycleAnomaly, CycleStep } from './explain';
export {
  CONSISTENCY_MODELS,
  CONSISTENCY_MODEL_NAMES,
  CYCLE_ANOMALY_TYPES,
  ConsistencyModelError,
  canonicalModelName,
  adyaModelName,
  parseConsistencyModels,
  anomaliesProhibitedBy,
  impliedAnomalies,
  impossibleModels,
  modelBoundary,
} from './models';
export type { RwRegisterOptions } from './rw-register';
export { checkRwRegister } from './rw-register';
export { renderCycleSvg, RELATION_COLORS } from './svg';
