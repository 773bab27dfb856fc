/**
 * RPC definitions: for each request type, the fields of the request and of its `_ok` reply, as
 * zod schemas, plus documentation. Reply schemas are closed, as Maelstrom's are: an unexpected
 * field makes the reply malformed. `gyre doc` renders these into docs/workloads.md.
 */
import { JsonFloat } from '@gyre/history';
import { z } from 'zod';
import { Int } from './envelope';
import { quickCheck } from './validate';

/** Any JSON value; the key must be present (JSON `null` is fine), as Maelstrom's `Any` requires. */
export const Any = z.custom<unknown>((v) => v !== undefined, { message: 'required' });
/** A JSON array of `item`, or `null` (Maelstrom's sequence schemas accept `null`). */
export const Seq = <T extends z.ZodType>(item: T) => z.array(item).nullable();
/** Any JSON number: integer or float. */
export const Num = z.union([z.number(), z.bigint(), z.instanceof(JsonFloat)]);

type Shape = Record<string, z.ZodType>;

/** One RPC: a request type and its reply. */
export interface RpcDef<Req extends Shape = Shape, Res extends Shape = Shape> {
  /** The request's `type`; the reply's is `<name>_ok`. */
  readonly name: string;
  /** What the RPC does, in a sentence or two. */
  readonly doc: string;
  /** The request's own fields (without `type` and `msg_id`). */
  readonly requestFields: Req;
  /** The reply's own fields (without `type`, `msg_id`, `in_reply_to`). */
  readonly responseFields: Res;
  /** Schema of a full request body. */
  readonly request: z.ZodObject<Req & { type: z.ZodLiteral<string>; msg_id: z.ZodOptional<typeof Int> }>;
  /** Closed schema of a full reply body. */
  readonly response: z.ZodObject<Res & { type: z.ZodLiteral<string>; msg_id: z.ZodOptional<typeof Int>; in_reply_to: typeof Int }>;
}

/** Request body type of an RPC. */
export type RequestOf<R extends RpcDef> = z.infer<R['request']>;
/** Reply body type of an RPC. */
export type ResponseOf<R extends RpcDef> = z.infer<R['response']>;

/** Defines an RPC from its field shapes. */
export function defineRpc<Req extends Shape, Res extends Shape>(def: {
  name: string;
  doc: string;
  request: Req;
  response: Res;
}): RpcDef<Req, Res> {
  const request = z.looseObject({ ...def.request, type: z.literal(def.name), msg_id: Int.optional() });
  const response = z.strictObject({ ...def.response, type: z.literal(`${def.name}_ok`), msg_id: Int.optional(), in_reply_to: Int });
  return {
    name: def.name,
    doc: def.doc,
    requestFields: def.request,
    responseFields: def.response,
    request: request as unknown as RpcDef<Req, Res>['request'],
    response: response as unknown as RpcDef<Req, Res>['response'],
  };
}

/**
 * Validates a reply body against an RPC's closed schema. Returns null when it is fine, or a
 * message listing every problem (missing keys, disallowed keys, wrong types).
 */
export function checkResponse(rpc: RpcDef, body: unknown): string | null {
  // Every reply is checked, by Gyre's clients and by the node SDK, and read replies carry whole
  // sets: a hand-made check answers for the replies that pass; zod for the rest, with its messages.
  if (quickCheck(rpc.response)(body)) return null;
  const r = rpc.response.safeParse(body);
  if (r.success) return null;
  return r.error.issues
    .map((i) => {
      const path = i.path.length ? i.path.map(String).join('.') : '(body)';
      if (i.code === 'unrecognized_keys') return `disallowed key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => JSON.stringify(k)).join(', ')}`;
      return `${path}: ${i.message}`;
    })
    .join('; ');
}

const ListAppendMop = z.union([
  z.tuple([z.literal('r'), Any, Seq(Any)]),
  z.tuple([z.literal('append'), Any, Any]),
]);
const RwRegisterMop = z.union([z.tuple([z.literal('r'), Any, Any]), z.tuple([z.literal('w'), Any, Any])]);

/** The RPCs each workload sends to nodes, by workload name. */
export const WORKLOAD_RPCS = {
  echo: [
    defineRpc({
      name: 'echo',
      doc: 'Clients send echo messages with an arbitrary payload; the node must answer echo_ok with the same payload.',
      request: { echo: Any },
      response: { echo: Any },
    }),
  ],
  'unique-ids': [
    defineRpc({
      name: 'generate',
      doc: 'Asks the node for a new id. Ids must be unique across the whole cluster, and the service should be totally available, even under partitions.',
      request: {},
      response: { id: Any },
    }),
  ],
  broadcast: [
    defineRpc({
      name: 'topology',
      doc: 'Sent once to each node at the start of the test: a suggested neighbourhood for every node (see --topology). Nodes may ignore it.',
      request: { topology: z.record(z.string(), z.array(z.string())) },
      response: {},
    }),
    defineRpc({
      name: 'broadcast',
      doc: 'Sends a message (a unique integer) into the broadcast system. Every node should eventually include it in its read_ok messages.',
      request: { message: Any },
      response: {},
    }),
    defineRpc({
      name: 'read',
      doc: 'Asks the node for every message it has seen so far.',
      request: {},
      response: { messages: Seq(Any) },
    }),
  ],
  'g-set': [
    defineRpc({ name: 'add', doc: 'Adds an element to the grow-only set.', request: { element: Any }, response: {} }),
    defineRpc({ name: 'read', doc: 'Returns the current set of elements (note: the field is "value").', request: {}, response: { value: Seq(Any) } }),
  ],
  'g-counter': [
    defineRpc({ name: 'add', doc: 'Adds a non-negative integer delta to the counter.', request: { delta: Int }, response: {} }),
    defineRpc({ name: 'read', doc: 'Reads the counter\'s value, an integer.', request: {}, response: { value: Int } }),
  ],
  'pn-counter': [
    defineRpc({ name: 'add', doc: 'Adds an integer delta, possibly negative, to the counter.', request: { delta: Int }, response: {} }),
    defineRpc({ name: 'read', doc: 'Reads the counter\'s value, an integer.', request: {}, response: { value: Int } }),
  ],
  'lin-kv': [
    defineRpc({ name: 'read', doc: 'Reads the value of a key. Keys are integers; a missing key is error 20.', request: { key: Any }, response: { value: Any } }),
    defineRpc({ name: 'write', doc: 'Blindly sets a key to a value.', request: { key: Any, value: Any }, response: {} }),
    defineRpc({
      name: 'cas',
      doc: 'Sets key to `to` if its current value is `from`; otherwise error 22 (precondition-failed), or 20 if the key does not exist.',
      request: { key: Any, from: Any, to: Any },
      response: {},
    }),
  ],
  'txn-list-append': [
    defineRpc({
      name: 'txn',
      doc: 'Executes a transaction: a list of micro-ops ["r", key, null] and ["append", key, value]. The reply fills in each read with the list of values appended to that key, in order (or null if there are none).',
      request: { txn: Seq(z.tuple([z.string(), Any, Any])) },
      response: { txn: Seq(ListAppendMop) },
    }),
  ],
  'txn-rw-register': [
    defineRpc({
      name: 'txn',
      doc: 'Executes a transaction: a list of micro-ops ["r", key, null] and ["w", key, value]. The reply fills in each read with the value read (null if unwritten).',
      request: { txn: Seq(z.tuple([z.string(), Any, Any])) },
      response: { txn: Seq(RwRegisterMop) },
    }),
  ],
  kafka: [
    defineRpc({
      name: 'send',
      doc: 'Appends a message to the log named by key; the reply gives the offset it was written at.',
      request: { key: z.string(), msg: Any },
      response: { offset: Int },
    }),
    defineRpc({
      name: 'poll',
      doc: 'Reads messages from several logs, each starting at the given offset: msgs maps each key to a list of [offset, message] pairs.',
      request: { offsets: z.record(z.string(), Int) },
      response: { msgs: z.record(z.string(), Seq(z.tuple([Int, Any]))) },
    }),
    defineRpc({
      name: 'commit_offsets',
      doc: 'Tells the node that messages up to and including these offsets have been processed.',
      request: { offsets: z.record(z.string(), Int) },
      response: {},
    }),
    defineRpc({
      name: 'list_committed_offsets',
      doc: 'Returns the last committed offset of each requested key (keys with none may be omitted).',
      request: { keys: Seq(z.string()) },
      response: { offsets: z.record(z.string(), Int) },
    }),
  ],
} as const;

/** Names of the workloads Gyre knows about. */
export type WorkloadName = keyof typeof WORKLOAD_RPCS;

/** The RPCs the built-in services (lin-kv, seq-kv, lww-kv, lin-tso) answer. */
export const SERVICE_RPCS = {
  kv: [
    defineRpc({ name: 'read', doc: 'Reads a key; error 20 if it does not exist.', request: { key: Any }, response: { value: Any } }),
    defineRpc({ name: 'write', doc: 'Sets a key to a value.', request: { key: Any, value: Any }, response: {} }),
    defineRpc({
      name: 'cas',
      doc: 'Sets key to `to` if its value is `from`: error 22 if it differs, error 20 if the key is missing, unless create_if_not_exists is true (lin-kv and seq-kv), which creates it.',
      request: { key: Any, from: Any, to: Any, create_if_not_exists: z.boolean().optional() },
      response: {},
    }),
  ],
  tso: [defineRpc({ name: 'ts', doc: 'Returns a fresh timestamp: 0, 1, 2, ...; linearizable.', request: {}, response: { ts: Int } })],
} as const;

/** Finds a workload's RPC by request type. */
export function workloadRpc(workload: string, type: string): RpcDef | undefined {
  const rpcs = (WORKLOAD_RPCS as Record<string, readonly RpcDef[]>)[workload];
  return rpcs?.find((r) => r.name === type);
}
