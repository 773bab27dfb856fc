/**
 * Decoding a node's STDOUT line for the router, on the hot path.
 */
import { exceedsMaxNesting, type JsonValue } from '@gyre/history';
import { checkEnvelope, decodeLine, type Body, type EnvelopeErrorKind, type Message } from '@gyre/protocol';
import { scanEnvelope } from './scan';

/**
 * The body of a message Gyre forwards without decoding it (see {@link decodeForRouting}): empty
 * and frozen. The router sends the sender's own text, so this object never reaches a node.
 */
export const UNDECODED_BODY: Body = Object.freeze({});

/** A decoded line: as `decodeLine`'s result, without the raw value. */
export type RoutedLine = { ok: true; message: Message } | { ok: false; kind: EnvelopeErrorKind; reason: string };

/**
 * Decodes a line a node printed, as `decodeLine` does, faster for messages from one node to
 * another. Those are forwarded as their sender wrote them (the router splices the id into the raw
 * text), so Gyre does not need their bodies:
 *
 * - a plain `{"src","dest","body"}` line between two nodes is checked by an allocation-free scan
 *   ({@link scanEnvelope}) and gets {@link UNDECODED_BODY} as its body;
 * - any other line to a node is checked with `JSON.parse`, without the lossless codec's scan for
 *   big or decimal numbers (and refused, as `decodeLine` refuses it, when it nests deeper than
 *   `MAX_NESTING`).
 *
 * A message for a client or a service (whose bodies Gyre reads), one carrying an `id` (which the
 * router re-encodes), and every line that is not a valid message go through `decodeLine`, so
 * errors and bodies are exactly its.
 *
 * @param isNode whether an id is a node's (messages to nodes are forwarded without reading the body)
 */
export function decodeForRouting(line: string, isNode: (id: string) => boolean): RoutedLine {
  // A glance at `dest` first, so that a reply to a client (often long) is parsed once, losslessly.
  if (destIsClientOrService(line)) return decodeLine(line);
  const span = scanEnvelope(line);
  if (span !== undefined && isNode(span.dest) && isNode(span.src)) {
    return { ok: true, message: { src: span.src, dest: span.dest, body: UNDECODED_BODY } };
  }
  // Only a line that starts as an object can be a message: anything else goes to decodeLine's
  // errors at once (without JSON.parse throwing first).
  if (!startsAsObject(line)) return decodeLine(line);
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return decodeLine(line);
  }
  // Too deep for Gyre's readers and printers (MAX_NESTING): refused as decodeLine refuses it.
  if (exceedsMaxNesting(line)) return decodeLine(line);
  const c = checkEnvelope(raw as JsonValue);
  if (!c.ok || c.message.id !== undefined || !isNode(c.message.dest)) return decodeLine(line);
  return c;
}

/** Whether the first character other than JSON whitespace is `{`. */
function startsAsObject(line: string): boolean {
  let i = 0;
  for (;;) {
    const c = line.charCodeAt(i++);
    if (c === 123) return true;
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) return false;
  }
}

/**
 * Whether the first `"dest"` in a line visibly names a client (an id starting with `c`) or a
 * service: only a hint, since the key could also occur inside a string or the body. Allocates
 * nothing.
 */
export function destIsClientOrService(line: string): boolean {
  const k = line.indexOf('"dest"');
  if (k === -1) return false;
  let i = k + 6;
  while (line.charCodeAt(i) === 32) i++;
  if (line.charCodeAt(i) !== 58) return false;
  i++;
  while (line.charCodeAt(i) === 32) i++;
  if (line.charCodeAt(i) !== 34) return false;
  i++;
  const c = line.charCodeAt(i);
  if (c === 99) return true;
  if (c !== 108 && c !== 115) return false;
  return line.startsWith('lin-kv"', i) || line.startsWith('lin-tso"', i) || line.startsWith('seq-kv"', i) || line.startsWith('lww-kv"', i);
}
