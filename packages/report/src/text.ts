/**
 * Small text helpers shared by the SVG and HTML writers: escaping, number formatting, and safe
 * embedding of data in inline scripts.
 */
import { stringifyJson } from '@gyre/history';

/** Escapes text for XML / HTML content and attribute values. */
export function esc(s: unknown): string {
  const t = String(s);
  if (!NEEDS_ESCAPE.test(t)) return t;
  return t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
const NEEDS_ESCAPE = /[&<>"']/;

/** A number with at most `digits` decimals, trailing zeros dropped (`1.50` → `1.5`). */
export function num(n: number, digits = 2): string {
  if (!Number.isFinite(n)) return String(n);
  const s = n.toFixed(digits);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * A number with its digits grouped by commas (12,345), as `toLocaleString('en')` prints integers,
 * without loading ICU's locale data: the first `toLocaleString` in a process costs 50-300 ms.
 */
export function groupDigits(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const [int = '', frac] = String(Math.abs(n)).split('.');
  const grouped = int.length <= 3 || int.includes('e') ? int : int.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${n < 0 || Object.is(n, -0) ? '-' : ''}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

/** A coordinate for SVG output: one decimal. */
export function px(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}

/**
 * JSON text safe inside `<script>`: `<` is escaped so that `</script>` or `<!--` in data cannot
 * end the element. Big integers and floats are kept (lossless codec).
 */
export function scriptJson(value: unknown): string {
  return stringifyJson(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Cuts text to `max` characters, ending with "…" when it was longer. */
export function clip(s: string, max: number): string {
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

const B64 = new TextEncoder().encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');

/** Standard base64 (with `=` padding) of bytes, without `Buffer` or `btoa`, so it runs anywhere. */
export function base64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = B64[v >>> 18]!;
    out[o++] = B64[(v >>> 12) & 63]!;
    out[o++] = B64[(v >>> 6) & 63]!;
    out[o++] = B64[v & 63]!;
  }
  if (i < n) {
    const v = (bytes[i]! << 16) | (i + 1 < n ? bytes[i + 1]! << 8 : 0);
    out[o++] = B64[v >>> 18]!;
    out[o++] = B64[(v >>> 12) & 63]!;
    out[o++] = i + 1 < n ? B64[(v >>> 6) & 63]! : 61;
    out[o++] = 61;
  }
  return new TextDecoder().decode(out);
}

/** A duration in nanoseconds as a short human text: `850 µs`, `12.3 ms`, `4.20 s`. */
export function duration(ns: number): string {
  const a = Math.abs(ns);
  if (a < 1e3) return `${num(ns, 0)} ns`;
  if (a < 1e6) return `${num(ns / 1e3, 1)} µs`;
  if (a < 1e9) return `${num(ns / 1e6, 1)} ms`;
  return `${num(ns / 1e9, 2)} s`;
}
