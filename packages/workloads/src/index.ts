/**
 * @gyre/workloads: Gyre's built-in workloads, each defined with the same plugin API that users
 * have ({@link defineWorkload}).
 */
export type { TopologyName, Topology } from './topology';
export { topology, isTopologyName, TOPOLOGY_NAMES } from './topology';
import { echo } from './builtin/echo';
import { kafka } from './builtin/kafka';
import { checkLinKv, linKv, linKvKeyWire, linKvWire } from './builtin/lin-kv';
import { emitElleFiles, txnListAppend, txnRwRegister } from './builtin/txn';
import { broadcast, gCounter, gSet, pnCounter } from './builtin/sets';
import { uniqueIds } from './builtin/unique-ids';
import type { WorkloadDefinition } from './types';

export type {
  WorkloadOptions,
  ClientConn,
  SetupContext,
  ClientResult,
  WorkloadClient,
  ClientState,
  WorkloadDefinition,
  WorkloadResult,
  WorkloadInput,
  CheckPhase,
} from './types';
export { defineWorkload, defaultWorkloadOptions, DEFAULT_KEY_COUNT, MalformedReplyError, checkNeeds } from './types';
export { workloadChecker, LEGACY_RESULT_WARNING } from './result';
export type { LinKvResult, LinKvKeyResult, LinKvLinearizable } from './builtin/lin-kv';
export { echo, uniqueIds, broadcast, gSet, gCounter, pnCounter, kafka, linKv, checkLinKv, linKvWire, linKvKeyWire, txnListAppend, txnRwRegister, emitElleFiles };
export { txnGenerator } from './builtin/txn-gen';
export type { TxnGenOptions, MicroOp } from './builtin/txn-gen';

/** The built-in workloads by `-w` name. */
export const WORKLOADS: Record<string, WorkloadDefinition> = {
  broadcast,
  echo,
  'g-counter': gCounter,
  'g-set': gSet,
  kafka,
  'lin-kv': linKv,
  'pn-counter': pnCounter,
  'txn-list-append': txnListAppend,
  'txn-rw-register': txnRwRegister,
  'unique-ids': uniqueIds,
};
