/**
 * Decoding a node's STDOUT line for the router, on the hot path.
 */
import type { JsonValue } from '@gyre/history';
import { checkEnvelope, decodeLine, type DecodedLine } from '@gyre/protocol';

/**
 * Decodes a line a node printed, as `decodeLine` does, with a faster path for node-to-node
 * messages. Those are forwarded as their sender wrote them (the router splices the id into the
 * raw text), so their bodies need not be decoded losslessly: `JSON.parse` checks that the line
 * is JSON, and the lossless codec's scan for big or decimal numbers is skipped. A message for a
 * client or a service (whose bodies Gyre reads), or one carrying an `id` (which the router
 * re-encodes), and every line that is not a valid message, go through `decodeLine`, so errors
 * and bodies are exactly its.
 *
 * @param forwardedVerbatim whether messages to `dest` are forwarded without Gyre reading their body
 */
export function decodeForRouting(line: string, forwardedVerbatim: (dest: string) => boolean): DecodedLine {
  // A glance at `dest` first, so that a reply to a client (often long) is parsed once, losslessly.
  if (destIsClientOrService(line)) return decodeLine(line);
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return decodeLine(line);
  }
  const c = checkEnvelope(raw);
  if (!c.ok || c.message.id !== undefined || !forwardedVerbatim(c.message.dest)) return decodeLine(line);
  return { ok: true, message: c.message, raw: raw as JsonValue };
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
