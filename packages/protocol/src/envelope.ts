/**
 * The message envelope: what nodes print on STDOUT and read on STDIN.
 *
 * A node writes `{"src": ..., "dest": ..., "body": {...}}`, one JSON object per line. Gyre adds a
 * network-wide `id` when it delivers the message. The envelope is closed: any other top-level key
 * is an error. The body is an object whose reserved keys are `type`, `msg_id` and `in_reply_to`.
 */
import { MAX_NESTING, exceedsMaxNesting, jsonStartProblem, parseJson, stringifyJson, type JsonValue } from '@gyre/history';
import { z } from 'zod';

/** A message body: a JSON object. `type` names the message; `msg_id` / `in_reply_to` tie replies to requests. */
export interface Body {
  type?: string;
  msg_id?: number;
  in_reply_to?: number;
  [key: string]: unknown;
}

/** A message on the wire. `id` is set by Gyre on delivery. */
export interface Message<B = Body> {
  id?: number;
  src: string;
  dest: string;
  body: B;
}

/** An integer as the codec decodes it: a safe integer `number` or a `bigint`. Rejects `5.0`. */
export const Int = z.union([z.number().int(), z.bigint()]);

/** The envelope schema, closed as Maelstrom's is. */
export const MessageSchema = z.strictObject({
  id: Int.optional(),
  src: z.string(),
  dest: z.string(),
  body: z.looseObject({}),
});

/** Why a line from a node is not a message. Used as the key of `protocol-errors` in results. */
export type EnvelopeErrorKind =
  | 'blank-line'
  | 'not-json'
  | 'not-an-object'
  | 'extra-key'
  | 'bad-src'
  | 'bad-dest'
  | 'bad-body'
  | 'bad-id'
  | 'too-deep';

/** The result of decoding one line. */
export type DecodedLine =
  | { ok: true; message: Message; raw: JsonValue }
  | { ok: false; kind: EnvelopeErrorKind; reason: string };

const ALLOWED = new Set(['id', 'src', 'dest', 'body']);

/**
 * Checks a decoded value against the envelope. Equivalent to `MessageSchema.safeParse` (a test
 * checks that they agree) but several times faster, for the router's hot path.
 */
export function checkEnvelope(v: unknown): { ok: true; message: Message } | { ok: false; kind: EnvelopeErrorKind; reason: string } {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    return { ok: false, kind: 'not-an-object', reason: `expected a JSON object with src, dest and body, got ${describe(v)}` };
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    if (!ALLOWED.has(k)) {
      return { ok: false, kind: 'extra-key', reason: `unexpected top-level key ${JSON.stringify(k)}: only src, dest and body are allowed (put your fields inside body)` };
    }
  }
  if (typeof o['src'] !== 'string') return { ok: false, kind: 'bad-src', reason: `"src" must be a string, got ${describe(o['src'])}` };
  if (typeof o['dest'] !== 'string') return { ok: false, kind: 'bad-dest', reason: `"dest" must be a string, got ${describe(o['dest'])}` };
  const body = o['body'];
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, kind: 'bad-body', reason: `"body" must be a JSON object, got ${describe(body)}` };
  }
  const id = o['id'];
  if (id !== undefined && !((typeof id === 'number' && Number.isSafeInteger(id)) || typeof id === 'bigint')) {
    return { ok: false, kind: 'bad-id', reason: `"id" must be an integer if present, got ${describe(id)}` };
  }
  return { ok: true, message: o as unknown as Message };
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  const s = stringifyJson(v);
  return `${typeof v === 'string' ? 'the string' : typeof v === 'bigint' ? 'the number' : 'the ' + typeof v} ${s.length > 40 ? s.slice(0, 40) + '…' : s}`;
}

/** Decodes one line a node printed (without its newline) into a message, or says what is wrong. */
export function decodeLine(line: string): DecodedLine {
  if (line.trim() === '') return { ok: false, kind: 'blank-line', reason: 'blank line (expected one JSON message per line)' };
  // A line that cannot be JSON from its first character (a log line on STDOUT) is refused without
  // parsing: the same reason, at a fraction of the cost (a flooding node writes millions).
  const early = jsonStartProblem(line);
  if (early !== undefined) return { ok: false, kind: 'not-json', reason: `not valid JSON: ${early}` };
  let raw: JsonValue;
  try {
    raw = parseJson(line);
  } catch (e) {
    if (exceedsMaxNesting(line)) return { ok: false, kind: 'too-deep', reason: `arrays and objects nested deeper than ${MAX_NESTING} levels (Gyre's limit, as Jackson's)` };
    return { ok: false, kind: 'not-json', reason: `not valid JSON: ${(e as Error).message}` };
  }
  const c = checkEnvelope(raw);
  if (!c.ok) return c;
  return { ok: true, message: c.message, raw };
}

/** Encodes a message for a node's STDIN (no newline), fields in the order id, src, dest, body. */
export function encodeMessage(m: Message<unknown>): string {
  return stringifyJson(m.id === undefined ? { src: m.src, dest: m.dest, body: m.body } : { id: m.id, src: m.src, dest: m.dest, body: m.body });
}

/** True for ids Maelstrom treats as clients: any id whose first character is `c`. */
export function isClientId(id: string): boolean {
  return id.charCodeAt(0) === 99;
}
