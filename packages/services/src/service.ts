/**
 * The shape every built-in service has: a pure state machine that answers one request at a time.
 */
import type { Random } from '@gyre/history';
import { ErrorCodes, type Body } from '@gyre/protocol';

/** The ids the built-in services are registered under on the network, in a fixed order. */
export const SERVICE_IDS = ['lin-kv', 'seq-kv', 'lww-kv', 'lin-tso'] as const;

/** One of {@link SERVICE_IDS}. */
export type ServiceId = (typeof SERVICE_IDS)[number];

/** True when `id` names a built-in service. */
export function isServiceId(id: string): id is ServiceId {
  return (SERVICE_IDS as readonly string[]).includes(id);
}

/** A request delivered to a service: who sent it (a node id, usually) and the message body. */
export interface ServiceRequest {
  /** The sender's id. seq-kv keys its per-requester read index on it. */
  src: string;
  /** The request body: `type`, `msg_id` and the request's fields. */
  body: Body;
}

/**
 * A built-in service as a pure state machine. The runner keeps the state, calls {@link handle}
 * for each request that reaches the service, and sends the returned body back to `src`.
 *
 * `handle` never mutates `state`: it returns the next state (the same object when nothing
 * changed), so any earlier state stays valid. It never throws on bad input either: unknown
 * request types get error 10 (not-supported) and requests missing a required field get error 12
 * (malformed-request). All randomness comes from `random`.
 */
export interface Service<S> {
  /** The network id: `'lin-kv'`, `'seq-kv'`, `'lww-kv'` or `'lin-tso'`. */
  readonly id: ServiceId;
  /** The request types the service answers, e.g. `['read', 'write', 'cas']`. */
  readonly types: readonly string[];
  /** The initial state: an empty store, or the timestamp counter at 0. */
  init(): S;
  /**
   * Answers one request. Returns the next state and the reply body: the `*_ok` or `error` body
   * with `in_reply_to` copied from the request's `msg_id` (`null` when the request had none, as
   * in Maelstrom) and no `msg_id` of its own. Values in the reply are shared with the state:
   * serialise them, do not mutate them.
   */
  handle(state: S, req: ServiceRequest, random: Random): readonly [S, Body];
}

/** An error body without `in_reply_to`. */
export function errorBody(code: number, text: string): Body {
  return { type: 'error', code, text };
}

/** Sets the reply's `in_reply_to` from the request (the body must be freshly made). */
export function addReplyTo(reply: Body, request: Body): Body {
  (reply as Record<string, unknown>)['in_reply_to'] = request.msg_id ?? null;
  return reply;
}

/** Error 10 for a request type the service does not answer; Maelstrom would send nothing. */
export function notSupported(id: ServiceId, type: string, types: readonly string[]): Body {
  const list = types.length === 1 ? types[0] : `${types.slice(0, -1).join(', ')} and ${types[types.length - 1]}`;
  return errorBody(ErrorCodes.NotSupported, `${id} does not support requests of type ${JSON.stringify(type)}; it answers ${list}`);
}

/** Error 12 for a request without a usable `type`. */
export function badType(body: Body): Body | undefined {
  const t = body.type;
  if (typeof t === 'string') return undefined;
  return errorBody(
    ErrorCodes.MalformedRequest,
    t === undefined ? 'request body has no "type" field' : `request field "type" must be a string, got ${typeof t === 'object' ? (t === null ? 'null' : 'an object') : typeof t}`,
  );
}

/** Error 12 naming a required field the request lacks. */
export function missingField(type: string, field: string): Body {
  return errorBody(ErrorCodes.MalformedRequest, `${type} request is missing the required field ${JSON.stringify(field)}`);
}
