/**
 * A lossless JSON codec.
 *
 * `JSON.parse` turns `9007199254740993` into `9007199254740992` and `1.0` into `1`. Maelstrom runs
 * on the JVM, which keeps both: unique-ids compares ids exactly and the services compare values
 * with Clojure equality, where `1`, `1.0` and `"1"` differ. Gyre therefore decodes JSON into:
 *
 * - `number` for integers written without fraction or exponent that fit in a double exactly
 *   (|n| <= 2^53 - 1);
 * - `bigint` for larger integers;
 * - {@link JsonFloat} for any number written with a fraction or an exponent (`1.0`, `2e3`);
 * - strings, booleans, `null`, arrays and plain objects as usual.
 *
 * {@link stringifyJson} writes these back so that a value survives a round trip unchanged.
 */
import { quoteInput } from './quote';

const FLOAT_BRAND = Symbol.for('gyre.JsonFloat');

/**
 * A JSON number written with a fraction or an exponent, such as `1.0` or `2.5e3`.
 *
 * Two copies of this package (a node's own and the one bundled in the `gyre` binary, under `gyre
 * sim`) have two `JsonFloat` classes: `instanceof` answers for one copy only, {@link JsonFloat.is}
 * for any.
 */
export class JsonFloat {
  /** The number's value as a double. */
  readonly value: number;
  declare readonly [FLOAT_BRAND]: true;
  constructor(value: number) {
    this.value = value;
  }
  /** True for a JsonFloat made by any copy of this package. */
  static is(v: unknown): v is JsonFloat {
    return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[FLOAT_BRAND] === true;
  }
  /** JSON text for this float; always contains `.` or `e` so it reads back as a float. */
  toJSON(): string {
    return floatText(this.value);
  }
  toString(): string {
    return floatText(this.value);
  }
}
// On the prototype: no cost per float, and `JsonFloat.is` sees it through any copy's class.
Object.defineProperty(JsonFloat.prototype, FLOAT_BRAND, { value: true });

/** Any value the codec produces. */
export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | JsonFloat
  | JsonValue[]
  | { [key: string]: JsonValue };

function floatText(v: number): string {
  if (!Number.isFinite(v)) return 'null';
  const s = String(v);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** Where and why a JSON text could not be decoded. */
export class JsonSyntaxError extends Error {
  /** Offset in the text (UTF-16 code units) where decoding failed. */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} at position ${offset}`);
    this.name = 'JsonSyntaxError';
    this.offset = offset;
  }
}

/**
 * The deepest nesting of arrays and objects (EDN: vectors, lists, maps, sets) that Gyre reads or
 * writes: 1000 levels, as Jackson (which reads JSON for Maelstrom) allows by default. The JSON
 * and EDN readers refuse deeper text with a syntax error at the place it goes too deep, so a
 * hostile node line or history file is an error to report, never a stack overflow later; the
 * printers refuse deeper values with a `RangeError` saying so. Every value the readers produce
 * prints.
 */
export const MAX_NESTING = 1000;

/** What the printers throw for a value nested deeper than {@link MAX_NESTING}. */
export function nestingError(): RangeError {
  return new RangeError(`cannot write a value nested deeper than ${MAX_NESTING} levels (Gyre's limit)`);
}

/**
 * Whether JSON text nests arrays and objects deeper than {@link MAX_NESTING}, counting brackets
 * outside strings. Cheap, allocation-free, and meant for text a native `JSON.parse` has accepted
 * (it does not validate). Text shorter than 2 × MAX_NESTING + 2 characters never does.
 */
export function exceedsMaxNesting(text: string): boolean {
  if (text.length < 2 * MAX_NESTING + 2) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i = stringEnd(text, i);
      if (i === -1) return false;
    } else if (c === 91 || c === 123) {
      if (++depth > MAX_NESTING) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/** The index of the quote that ends the string opened at `open`: the next one not escaped by an odd run of backslashes; -1 for none. */
function stringEnd(text: string, open: number): number {
  for (let i = open; ; ) {
    const q = text.indexOf('"', i + 1);
    if (q === -1) return -1;
    let b = q - 1;
    while (text.charCodeAt(b) === 92) b--;
    if ((q - 1 - b) % 2 === 0) return q;
    i = q;
  }
}

/**
 * True when `JSON.parse` might decode this text differently from {@link parseJson}: when it may
 * hold a float, an integer beyond 2^53 or `-0`, or nests deeper than {@link MAX_NESTING}. When
 * false, `JSON.parse(text)` gives exactly {@link parseJson}'s value (and is several times faster).
 * One cheap pass, never wrong, sometimes needlessly cautious (any 16 digits in a row).
 *
 * Every number `JSON.parse` could read differently from the lossless parser has a digit followed
 * by `.`, `e` or `E` (a float), 16 digits in a row (maybe beyond 2^53), or is `-0` (`JSON.parse`
 * keeps the sign; an integer has none). Strings are skipped: text that is not JSON may be judged
 * wrongly after its first bad string, where `JSON.parse` fails anyway (in JSON Lines, on that line).
 */
export function needsLosslessJson(text: string): boolean {
  let depth = 0;
  let digits = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c <= 57) {
      if (c >= 48) {
        if (++digits >= 16) return true;
        continue;
      }
      if (digits > 0) {
        digits = 0;
        if (c === 46) return true;
      }
      if (c === 34) {
        i = stringEnd(text, i);
        if (i === -1) return false;
      } else if (c === 45 && text.charCodeAt(i + 1) === 48) {
        const d = text.charCodeAt(i + 2);
        if (!(d >= 48 && d <= 57)) return true;
      }
      continue;
    }
    if (digits > 0) {
      digits = 0;
      if (c === 101 || c === 69) return true;
    }
    if (c === 91 || c === 123) {
      if (++depth > MAX_NESTING) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/**
 * The error {@link parseJson} would throw for `text` when its first character already shows it is
 * not JSON (a log line, say), found without parsing or throwing: the same message, offset
 * included. Undefined when the text may be JSON (then only parsing tells). Cheap enough to run on
 * every line of a node that floods its STDOUT with garbage.
 */
export function jsonStartProblem(text: string): string | undefined {
  let i = 0;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) i++;
    else break;
  }
  const c = text.charCodeAt(i);
  if (c === 123 || c === 91 || c === 34 || c === 45 || (c >= 48 && c <= 57)) return undefined;
  if (c === 116 || c === 102 || c === 110) {
    const word = c === 116 ? 'true' : c === 102 ? 'false' : 'null';
    return text.startsWith(word, i) ? undefined : `invalid literal at position ${i}`;
  }
  if (Number.isNaN(c)) return `unexpected end of input at position ${i}`;
  return `unexpected character ${quoteInput(text[i]!)} at position ${i}`;
}

/**
 * Decodes JSON text losslessly (see the module comment). Throws {@link JsonSyntaxError} with the
 * offending offset when the text is not one JSON value.
 */
export function parseJson(text: string): JsonValue {
  if (!needsLosslessJson(text)) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      // fall through to the precise parser for a precise error
    }
  }
  return parseJsonLossless(text);
}

/** {@link parseJson} without the fast path (for tests of that path). */
export function parseJsonLossless(text: string): JsonValue {
  return new Parser(text).parseTop();
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  parseTop(): JsonValue {
    this.ws();
    const v = this.value(0);
    this.ws();
    if (this.i < this.s.length) this.fail('unexpected text after the JSON value');
    return v;
  }

  private fail(msg: string): never {
    throw new JsonSyntaxError(msg, this.i);
  }

  private ws(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.i = i;
  }

  private value(depth: number): JsonValue {
    const c = this.s.charCodeAt(this.i);
    if ((c === 123 || c === 91) && depth >= MAX_NESTING) this.fail(`nested deeper than ${MAX_NESTING} levels`);
    switch (c) {
      case 123 /* { */: {
        this.i++;
        const obj: { [k: string]: JsonValue } = {};
        this.ws();
        if (this.s.charCodeAt(this.i) === 125) {
          this.i++;
          return obj;
        }
        for (;;) {
          this.ws();
          if (this.s.charCodeAt(this.i) !== 34) this.fail('expected a string key');
          const k = this.string();
          this.ws();
          if (this.s.charCodeAt(this.i) !== 58) this.fail("expected ':'");
          this.i++;
          this.ws();
          const v = this.value(depth + 1);
          if (k === '__proto__') Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
          else obj[k] = v;
          this.ws();
          const d = this.s.charCodeAt(this.i);
          if (d === 44) {
            this.i++;
            continue;
          }
          if (d === 125) {
            this.i++;
            return obj;
          }
          this.fail("expected ',' or '}'");
        }
      }
      case 91 /* [ */: {
        this.i++;
        const arr: JsonValue[] = [];
        this.ws();
        if (this.s.charCodeAt(this.i) === 93) {
          this.i++;
          return arr;
        }
        for (;;) {
          this.ws();
          arr.push(this.value(depth + 1));
          this.ws();
          const d = this.s.charCodeAt(this.i);
          if (d === 44) {
            this.i++;
            continue;
          }
          if (d === 93) {
            this.i++;
            return arr;
          }
          this.fail("expected ',' or ']'");
        }
      }
      case 34:
        return this.string();
      case 116:
        return this.literal('true', true);
      case 102:
        return this.literal('false', false);
      case 110:
        return this.literal('null', null);
      default:
        if (c === 45 || (c >= 48 && c <= 57)) return this.number();
        if (Number.isNaN(c)) this.fail('unexpected end of input');
        this.fail(`unexpected character ${quoteInput(this.s[this.i]!)}`);
    }
  }

  private literal<T>(word: string, v: T): T {
    if (this.s.startsWith(word, this.i)) {
      this.i += word.length;
      return v;
    }
    return this.fail('invalid literal');
  }

  private string(): string {
    const s = this.s;
    const start = ++this.i;
    // Fast scan for strings without escapes.
    let i = start;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        this.i = i + 1;
        return s.slice(start, i);
      }
      if (c === 92) break;
      if (c < 32 || c !== c) {
        this.i = i;
        if (c !== c) this.fail('unterminated string');
        this.fail('control character in string');
      }
      i++;
    }
    // Escapes: find the end, then let the native parser decode the string exactly.
    for (;;) {
      const c = s.charCodeAt(i);
      if (Number.isNaN(c)) {
        this.i = i;
        this.fail('unterminated string');
      }
      if (c === 92) i += 2;
      else if (c === 34) break;
      else i++;
    }
    const raw = s.slice(start - 1, i + 1);
    this.i = i + 1;
    try {
      return JSON.parse(raw) as string;
    } catch {
      this.i = start;
      return this.fail('invalid escape in string');
    }
  }

  private number(): JsonValue {
    const s = this.s;
    const start = this.i;
    let i = start;
    if (s.charCodeAt(i) === 45) i++;
    const intStart = i;
    while (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i === intStart) {
      this.i = i;
      this.fail('invalid number');
    }
    if (s.charCodeAt(intStart) === 48 && i - intStart > 1) {
      this.i = intStart;
      this.fail('leading zero in number');
    }
    let isFloat = false;
    if (s.charCodeAt(i) === 46) {
      isFloat = true;
      i++;
      const f = i;
      while (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
      if (i === f) {
        this.i = i;
        this.fail('invalid number');
      }
    }
    const e = s.charCodeAt(i);
    if (e === 101 || e === 69) {
      isFloat = true;
      i++;
      const sign = s.charCodeAt(i);
      if (sign === 43 || sign === 45) i++;
      const f = i;
      while (s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
      if (i === f) {
        this.i = i;
        this.fail('invalid number');
      }
    }
    this.i = i;
    const text = s.slice(start, i);
    if (isFloat) return new JsonFloat(Number(text));
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n === 0 ? 0 : n;
    return BigInt(text);
  }
}

/**
 * Encodes a value as JSON text, keeping `bigint` integers and {@link JsonFloat} floats exact.
 * Object keys keep their insertion order. `undefined` members are skipped, as `JSON.stringify`
 * does. A plain `number` that is not an integer is written as a float.
 */
export function stringifyJson(value: unknown): string {
  if (value === null || typeof value !== 'object' || !hasSpecial(value, 0)) {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof JsonFloat) return floatText(value.value);
    const out = JSON.stringify(value);
    return out === undefined ? 'null' : out;
  }
  return write(value, 0);
}

/** Whether `v` holds a bigint or a {@link JsonFloat}, or nests deeper than 64 levels. */
function hasSpecial(v: unknown, depth: number): boolean {
  if (v === null || typeof v !== 'object') return typeof v === 'bigint';
  if (v instanceof JsonFloat || depth > 64) return true;
  // Scalars are tested here, without a call: read replies hold thousands of them.
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'object' ? x !== null && hasSpecial(x, depth + 1) : typeof x === 'bigint') return true;
    }
    return false;
  }
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (typeof x === 'object' ? x !== null && hasSpecial(x, depth + 1) : typeof x === 'bigint') return true;
  }
  return false;
}

function write(v: unknown, depth: number): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'bigint':
      return v.toString();
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v instanceof JsonFloat) return floatText(v.value);
      if (Array.isArray(v)) {
        if (depth >= MAX_NESTING) throw nestingError();
        let out = '[';
        for (let i = 0; i < v.length; i++) {
          if (i > 0) out += ',';
          const x = v[i];
          out += x === undefined || typeof x === 'function' ? 'null' : write(x, depth + 1);
        }
        return out + ']';
      }
      if (typeof (v as { toJSON?: unknown }).toJSON === 'function' && !(v instanceof JsonFloat)) {
        return write((v as { toJSON: () => unknown }).toJSON(), depth);
      }
      if (depth >= MAX_NESTING) throw nestingError();
      let out = '{';
      let first = true;
      for (const k of Object.keys(v)) {
        const x = (v as Record<string, unknown>)[k];
        if (x === undefined || typeof x === 'function') continue;
        if (!first) out += ',';
        first = false;
        out += JSON.stringify(k) + ':' + write(x, depth + 1);
      }
      return out + '}';
    }
    default:
      return 'null';
  }
}

/**
 * A canonical text for a value under Clojure-style equality: two values get the same key exactly
 * when they are equal. Integers compare by value whatever their representation (`5` and `5n`),
 * floats differ from integers (`1.0` is not `1`), object keys are compared as sets.
 */
export function valueKey(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? String(value) : floatText(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'null';
    case 'object': {
      if (value === null) return 'null';
      if (value instanceof JsonFloat) return floatText(value.value);
      if (Array.isArray(value)) return '[' + value.map(valueKey).join(',') + ']';
      const keys = Object.keys(value).sort();
      return '{' + keys.map((k) => JSON.stringify(k) + ':' + valueKey((value as Record<string, unknown>)[k])).join(',') + '}';
    }
    default:
      return String(value);
  }
}

/** Clojure-style value equality (see {@link valueKey}). */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return typeof a !== 'number' || Number.isInteger(a) || Number.isFinite(a);
  if (typeof a === 'string' || typeof b === 'string') return false;
  return valueKey(a) === valueKey(b);
}

/** The kind of a value for ordering: values of different kinds are not mutually comparable. */
function kind(v: unknown): 'number' | 'string' | 'boolean' | 'array' | 'other' {
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof JsonFloat) return 'number';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (Array.isArray(v)) return 'array';
  return 'other';
}

function numericCompare(a: unknown, b: unknown): number {
  const x = a instanceof JsonFloat ? a.value : a;
  const y = b instanceof JsonFloat ? b.value : b;
  if (typeof x === 'bigint' || typeof y === 'bigint') {
    const bx = typeof x === 'bigint' ? x : Number.isInteger(x) ? BigInt(x as number) : undefined;
    const by = typeof y === 'bigint' ? y : Number.isInteger(y) ? BigInt(y as number) : undefined;
    if (bx !== undefined && by !== undefined) return bx < by ? -1 : bx > by ? 1 : 0;
    return Number(x) - Number(y);
  }
  return (x as number) - (y as number);
}

/**
 * Orders two values the way Clojure's `compare` does for the kinds it supports: numbers with
 * numbers, strings with strings, booleans with booleans, and arrays element by element with
 * shorter arrays first. Throws a `TypeError` naming both values when they are not comparable
 * (objects, `null`, or a mix of kinds).
 */
export function compareValues(a: unknown, b: unknown): number {
  const ka = kind(a);
  const kb = kind(b);
  if (ka !== kb || ka === 'other') {
    throw new TypeError(`cannot compare ${stringifyJson(a)} with ${stringifyJson(b)}`);
  }
  switch (ka) {
    case 'number': {
      const c = numericCompare(a, b);
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    case 'string':
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 'boolean':
      return Number(a) - Number(b);
    case 'array': {
      const x = a as unknown[];
      const y = b as unknown[];
      if (x.length !== y.length) return x.length < y.length ? -1 : 1;
      for (let i = 0; i < x.length; i++) {
        const c = compareValues(x[i], y[i]);
        if (c !== 0) return c;
      }
      return 0;
    }
    default:
      return 0;
  }
}
