/** How {@link linearizable}'s result is written in Jepsen's key names (see `../wire`). */
import { field, fields, listOf, OMIT, type WireForm } from '../wire';
import type { DescribedState, LinearFailure, LinearizableResult, OpRef, PartitionResult } from './linearizable';

/** How a {@link LinearFailure} is written. */
const failureWire: WireForm = fields<LinearFailure>({
  key: 'key',
  op: field('op', fields<OpRef>({ index: 'index', completionIndex: 'completion-index', process: 'process', f: 'f', value: 'value', known: 'known', description: 'description' })),
  reason: 'reason',
  longestPrefix: 'longest-prefix',
  ops: 'ops',
  states: field('states', listOf(fields<DescribedState>({ state: OMIT, description: 'description' }))),
  statesTruncated: 'states-truncated',
  stretch: 'stretch',
  explanation: 'explanation',
});

/**
 * How a {@link LinearizableResult} is written: `valid?`, `op-count`, `partitions` (each with its
 * `valid?`, `longest-prefix`), `failure` and `failures` (with `completion-index`, `states-truncated`); model states
 * are written by their description only, since a state can be a cyclic object.
 */
export const linearizableWire: WireForm = fields<LinearizableResult>({
  valid: 'valid?',
  cause: 'cause',
  model: 'model',
  opCount: 'op-count',
  failedOps: 'failed-ops',
  partitions: field(
    'partitions',
    listOf(
      fields<PartitionResult>({
        key: 'key',
        valid: 'valid?',
        cause: 'cause',
        opCount: 'op-count',
        steps: 'steps',
        cacheEntries: 'cache-entries',
        longestPrefix: 'longest-prefix',
      }),
    ),
  ),
  failure: field('failure', failureWire),
  failures: field('failures', listOf(failureWire)),
});
