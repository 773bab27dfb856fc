/**
 * @gyre/checker: pure verdicts over histories.
 *
 * Every checker takes a history (an array of {@link Op}s from `@gyre/history`) and returns a
 * result whose `valid` is `true`, `false` or `'unknown'`. Nothing here does I/O.
 */
export type { Validity, CheckResult } from './validity';
export { mergeValid } from './validity';
export {
  linearizable,
  renderLinearSvg,
  register,
  casRegister,
  mutex,
  setModel,
  fifoQueue,
  unorderedQueue,
  multiRegister,
  perKey,
  linKv,
  stringKv,
  describeLinOp,
} from './linear/index';
export type {
  LinOp,
  Model,
  StepResult,
  RegisterOptions,
  StringKvOptions,
  UnorderedQueueState,
  Bag,
  KvMapState,
  KvString,
  LinearizableOptions,
  LinearizableResult,
  PartitionResult,
  LinearFailure,
  OpRef,
  DescribedState,
  UnknownCause,
  LinearSvgOptions,
} from './linear/index';
