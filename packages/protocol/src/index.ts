/**
 * @gyre/protocol: the wire format every Gyre participant speaks.
 *
 * - The envelope ({@link Message}, {@link MessageSchema}, {@link decodeLine}, {@link encodeMessage}),
 *   decoded losslessly so that big integers and `1.0` survive.
 * - The error table ({@link ERRORS}) and {@link RpcError}, with each code's definite flag.
 * - Every workload's and service's RPCs as zod schemas ({@link WORKLOAD_RPCS}, {@link SERVICE_RPCS}),
 *   with closed reply schemas like Maelstrom's ({@link checkResponse}).
 * - {@link NODE_SEED_VAR}: the environment variable that seeds a node process's own randomness.
 */
export type { Body, Message, EnvelopeErrorKind, DecodedLine } from './envelope';
export { Int, MessageSchema, checkEnvelope, decodeLine, encodeMessage, isClientId } from './envelope';
export type { ErrorName, ErrorCode } from './errors';
export { ERRORS, ErrorCodes, RpcError, isRpcError, errorName, isDefinite } from './errors';
export type { RpcDef, RequestOf, ResponseOf, WorkloadName } from './rpc';
export { Any, Seq, Num, defineRpc, checkResponse, WORKLOAD_RPCS, SERVICE_RPCS, workloadRpc } from './rpc';
export { describeSchema, rpcMarkdown, errorsMarkdown } from './describe';
export { NODE_SEED_VAR } from './env';
