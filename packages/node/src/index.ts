/**
 * @gyre/node: write Gyre (and Maelstrom) nodes in TypeScript.
 *
 * - {@link createNode} / {@link Node}: handlers (`on`, typed `handle`), `reply`, `send`, `rpc`
 *   with timeouts and cleanup, automatic `init_ok`, error 10 for unknown types, lossless JSON.
 * - Timers on an injectable clock (`setTimeout`, `sleep`, `every`), so a simulator can drive them.
 * - {@link KV} and {@link TSO} clients for the built-in services, with a cas-retry `update`.
 * - {@link memoryTransport}: run a node in-process, for tests.
 *
 * @example
 * ```ts
 * import { createNode, WORKLOAD_RPCS } from '@gyre/node';
 * const node = createNode();
 * const [echo] = WORKLOAD_RPCS.echo;
 * node.handle(echo, (req) => ({ echo: req.echo }));
 * await node.run();
 * ```
 */
export type { Handler, HandlerResult, TypedHandler, RpcOptions, EveryOptions, NodeOptions, NodeHost, RequestBody, RequestFields, ReplyBody, ReplyFields } from './node';
export { Node, createNode, NODE_SEED_VAR, NODE_HOST } from './node';
export type { KvService, ReadOptions, CasOptions, UpdateOptions } from './kv';
export { KV, TSO, linKv, seqKv, lwwKv, linTso } from './kv';
export type { LineInput, LineOutput, WritableLike } from './io';
export { readLines, LineWriter } from './io';
export type { NodeClock } from './clock';
export { realClock, nodeClock } from './clock';
export type { MemoryTransport, Incoming } from './memory';
export { memoryTransport } from './memory';

// Re-exported so that a node needs a single import.
export type { Body, Message, RpcDef, RequestOf, ResponseOf, ErrorCode, ErrorName } from '@gyre/protocol';
export { RpcError, isRpcError, ErrorCodes, ERRORS, WORKLOAD_RPCS, SERVICE_RPCS, defineRpc } from '@gyre/protocol';
export type { Clock, TimerHandle, JsonValue, Random } from '@gyre/history';
export { seededRandom } from '@gyre/history';
export { JsonFloat } from '@gyre/history';
