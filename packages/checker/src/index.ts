/**
 * @gyre/checker: pure verdicts over histories.
 *
 * Every checker takes a history (an array of {@link Op}s from `@gyre/history`) and returns a
 * result whose `valid` is `true`, `false` or `'unknown'`, its other fields in camelCase. Each
 * result type has a wire form (`statsWire`, …) and {@link toWire} writes a result with
 * Jepsen's, Maelstrom's and Elle's key names (`valid?`, `anomaly-types`): the one mapping used for
 * results.json, results.edn and `gyre check --json`. Nothing here does I/O.
 */
export type { Validity, CheckResult } from './validity';
export { mergeValid } from './validity';
export type { WireForm, WireField, WireName, WireSpread, WireOmit } from './wire';
export { toWire, wireName, wireKeyword, wireJson, wireEdn, fields, field, spread, mapOf, listOf, DATA, OMIT, GENERIC_WIRE, validOnlyWire } from './wire';
export type { Checker, CheckFailure, ComposedResult } from './compose';
export { compose, checkSafe } from './compose';
export type { StatsCounts, StatsByF, StatsResult, StatsOptions } from './stats';
export { stats, statsWire } from './stats';
export type { AvailabilityResult, AvailabilityOptions } from './availability';
export { availability, availabilityWire } from './availability';
export type { ExceptionSummary, ExceptionsResult } from './exceptions';
export { exceptions, exceptionClass, exceptionsWire } from './exceptions';
export type { EchoError, EchoResult } from './echo';
export { echo, echoWire } from './echo';
export type { UniqueIdsResult, UniqueIdsOptions } from './unique-ids';
export { uniqueIds, uniqueIdsWire } from './unique-ids';
export type { SetFullOutcome, SetFullElementResult, Quantiles, SetFullResult, SetFullOptions } from './set-full';
export { setFull, quantiles, setFullWire } from './set-full';
export type { IntRange, CounterResult, CounterOptions } from './counter';
export { counter, counterWire } from './counter';
export type { KafkaUnseen, KafkaError, KafkaErrors, KafkaRealtimeLag, KafkaResult, KafkaOptions } from './kafka';
export { kafka, kafkaWire, KAFKA_ALLOWED_ERROR_TYPES, KAFKA_ERROR_TYPES } from './kafka';
export type { BankErrorType, BankError, BankErrorSummary, BankResult, BankOptions } from './bank';
export { bank, bankWire } from './bank';
export type { LongForkError, LongFork, LongForkResult, LongForkOptions } from './long-fork';
export { longFork, longForkWire } from './long-fork';
export type { SetResult, SetOptions } from './set';
export { set, setWire } from './set';
export type { CounterBoundsRead, CounterBoundsResult, CounterBoundsOptions } from './counter-bounds';
export { counterBounds, counterBoundsWire } from './counter-bounds';
export { linearizableWire } from './linear/wire';
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
