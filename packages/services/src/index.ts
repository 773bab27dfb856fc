/**
 * @gyre/services: Gyre's built-in services, the network participants nodes can call.
 *
 * - {@link linKv}: a linearizable key-value store (`lin-kv`).
 * - {@link seqKv}: a sequentially consistent one, with Maelstrom's exact algorithm (`seq-kv`).
 * - {@link lwwKv}: an eventually consistent last-write-wins one (`lww-kv`).
 * - {@link linTso}: a linearizable timestamp oracle (`lin-tso`).
 *
 * Each is a pure {@link Service}: `handle(state, request, random)` returns the next state and the
 * reply. No I/O, no clock; randomness only from the given seeded `Random`.
 *
 * @example
 * ```ts
 * import { createService } from '@gyre/services';
 * import { seededRandom } from '@gyre/history';
 * const kv = createService('lin-kv');
 * const random = seededRandom(1);
 * let state = kv.init();
 * let reply;
 * [state, reply] = kv.handle(state, { src: 'n1', body: { type: 'write', key: 'x', value: 1, msg_id: 1 } }, random);
 * // reply: { type: 'write_ok', in_reply_to: 1 }
 * ```
 */
export type { Service, ServiceId, ServiceRequest } from './service';
export { SERVICE_IDS, isServiceId } from './service';
export type { LinKvState } from './lin-kv';
export { linKv } from './lin-kv';
export type { SeqKvOptions, SeqKvState } from './seq-kv';
export { seqKv } from './seq-kv';
export type { LwwKvOptions, LwwKvState, LwwReplica, LwwEntry } from './lww-kv';
export { lwwKv } from './lww-kv';
export type { LinTsoState } from './lin-tso';
export { linTso } from './lin-tso';
export type { ServicesOptions, ServiceStates } from './registry';
export { createServices, createService, ServiceHost } from './registry';
