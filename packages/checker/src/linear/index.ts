export type { LinOp, Model, StepResult } from './model';
export { register, casRegister, mutex, setModel, fifoQueue, unorderedQueue, multiRegister, perKey, linKv, stringKv, describeLinOp, models } from './models';
export type { RegisterOptions, StringKvOptions, UnorderedQueueState, Bag, KvString, KvMapState } from './models';
export { linearizable } from './linearizable';
export type { LinearizableOptions, LinearizableResult, PartitionResult, LinearFailure, OpRef, DescribedState, UnknownCause } from './linearizable';
export { renderLinearSvg } from './svg';
export type { LinearSvgOptions } from './svg';
