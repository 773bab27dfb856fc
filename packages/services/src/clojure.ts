/**
 * How Maelstrom's services print values inside error texts: Clojure's `pr-str` (EDN-like) and
 * `str` (bare), applied to the values Cheshire decodes from JSON. Nested JSON objects keep string
 * keys, arrays are vectors, integers beyond a 64-bit long are `java.math.BigInteger`s (which
 * Clojure prints with a `BIGINT` suffix), and floats are doubles printed by `Double.toString`.
 */
import { JsonFloat } from '@gyre/history';

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\t': '\\t',
  '\r': '\\r',
  '\b': '\\b',
  '\f': '\\f',
};

/** Clojure's `pr-str` of a decoded JSON value: strings quoted, `null` as `nil`. */
export function prStr(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  switch (typeof v) {
    case 'string':
      return '"' + v.replace(/["\\\n\t\r\b\f]/g, (c) => ESCAPES[c]!) + '"';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return Number.isInteger(v) ? String(v) : javaDouble(v);
    case 'bigint':
      return v < LONG_MIN || v > LONG_MAX ? `${v}BIGINT` : v.toString();
  }
  if (v instanceof JsonFloat) return javaDouble(v.value);
  if (Array.isArray(v)) return '[' + v.map(prStr).join(' ') + ']';
  if (typeof v === 'object') {
    const parts: string[] = [];
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) parts.push(prStr(k) + ' ' + prStr(x));
    return '{' + parts.join(', ') + '}';
  }
  return String(v);
}

/** Clojure's `str` of a decoded JSON value: strings bare, `null` empty, collections as `pr-str`. */
export function clojureStr(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  return prStr(v);
}

/** Java's `Double.toString` (shortest round-trip digits, as in JDK 19 and later). */
export function javaDouble(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const sign = d < 0 ? '-' : '';
  const a = Math.abs(d);
  const [mant, expText] = a.toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const exp = Number(expText);
  if (a >= 1e-3 && a < 1e7) {
    if (exp >= 0) {
      const int = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      const frac = digits.slice(exp + 1);
      return `${sign}${int}.${frac === '' ? '0' : frac}`;
    }
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return `${sign}${digits[0]}.${digits.length > 1 ? digits.slice(1) : '0'}E${exp}`;
}
