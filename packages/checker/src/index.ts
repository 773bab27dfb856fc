/**
 * @gyre/checker: pure verdicts over histories.
 *
 * Every checker takes a history (an array of {@link Op}s from `@gyre/history`) and returns a
 * result whose `valid` is `true`, `false` or `'unknown'`. Nothing here does I/O.
 */
export type { Validity, CheckResult } from './validity';
export { mergeValid } from './validity';
export type { StatsCounts, StatsByF, StatsResult, StatsOptions } from './stats';
export { stats } from './stats';
export type { AvailabilityResult, AvailabilityOptions } from './availability';
export { availability } from './availability';
export type { ExceptionSummary, ExceptionsResult } from './exceptions';
export { exceptions, exceptionClass } from './exceptions';
export type { EchoError, EchoResult } from './echo';
export { echo } from './echo';
export type { UniqueIdsResult, UniqueIdsOptions } from './unique-ids';
export { uniqueIds } from './unique-ids';
export type { SetFullOutcome, SetFullElementResult, Quantiles, SetFullResult, SetFullOptions } from './set-full';
export { setFull, quantiles } from './set-full';
export type { IntRange, CounterResult, CounterOptions } from './counter';
export { counter } from './counter';
export type { KafkaUnseen, KafkaErrors, KafkaRealtimeLag, KafkaResult, KafkaOptions } from './kafka';
export { kafka, KAFKA_ALLOWED_ERROR_TYPES, KAFKA_ERROR_TYPES } from './kafka';
export type { BankErrorType, BankError, BankErrorSummary, BankResult, BankOptions } from './bank';
export { bank } from './bank';
export type { LongForkError, LongFork, LongForkResult, LongForkOptions } from './long-fork';
export { longFork } from './long-fork';
export type { SetResult, SetOptions } from './set';
export { set } from './set';
export type { CounterBoundsRead, CounterBoundsResult, CounterBoundsOptions } from './counter-bounds';
export { counterBounds } from './counter-bounds';
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
  models,
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
