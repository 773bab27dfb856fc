/**
 * EDN (Clojure's data notation), enough of it to read Jepsen and Maelstrom histories and results
 * and to write `history.edn` / `results.edn` that Clojure tools read back.
 */
import { JsonFloat, MAX_NESTING, nestingError, type JsonValue } from './json';
import { quoteInput } from './quote';

/** An EDN keyword such as `:ok`; `name` excludes the colon. */
export class Keyword {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
  toString(): string {
    return ':' + this.name;
  }
}
/** An EDN symbol such as `nil?` or `foo/bar` (not `nil`, `true`, `false`). */
export class EdnSymbol {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
}
/** An EDN set `#{...}`. */
export class EdnSet {
  readonly items: EdnValue[];
  constructor(items: EdnValue[]) {
    this.items = items;
  }
}
/** An EDN map; entries keep their order and keys may be any value. */
export class EdnMap {
  readonly entries: [EdnValue, EdnValue][];
  constructor(entries: [EdnValue, EdnValue][]) {
    this.entries = entries;
  }
  /** The value under a keyword key, if present. */
  get(keyword: string): EdnValue | undefined {
    for (const [k, v] of this.entries) if (k instanceof Keyword && k.name === keyword) return v;
    return undefined;
  }
}
/** An EDN list `( ... )`, distinguished from a vector only for printing. */
export class EdnList {
  readonly items: EdnValue[];
  constructor(items: EdnValue[]) {
    this.items = items;
  }
}
/** A tagged literal `#tag value`, such as `#jepsen.history.Op{...}` or `#inst "..."`. */
export class EdnTagged {
  readonly tag: string;
  readonly value: EdnValue;
  constructor(tag: string, value: EdnValue) {
    this.tag = tag;
    this.value = value;
  }
}

/** Any value the EDN reader produces. Vectors are arrays. */
export type EdnValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | JsonFloat
  | Keyword
  | EdnSymbol
  | EdnSet
  | EdnMap
  | EdnList
  | EdnTagged
  | EdnValue[];

/** A syntax error in EDN text, with its line and column (both from 1). */
export class EdnSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(message: string, line: number, column: number) {
    super(`${message} at line ${line}, column ${column}`);
    this.name = 'EdnSyntaxError';
    this.line = line;
    this.column = column;
  }
}

const DELIMS = new Set(['(', ')', '[', ']', '{', '}', '"', ';', ',', ' ', '\t', '\n', '\r', '\f']);

class EdnReader {
  i = 0;
  /** Collections open around the reader's position. */
  depth = 0;
  constructor(readonly s: string) {}

  fail(msg: string, at = this.i): never {
    let line = 1;
    let col = 1;
    for (let k = 0; k < at && k < this.s.length; k++) {
      if (this.s.charCodeAt(k) === 10) {
        line++;
        col = 1;
      } else col++;
    }
    throw new EdnSyntaxError(msg, line, col);
  }

  skip(): void {
    const s = this.s;
    for (;;) {
      const c = s[this.i];
      if (c === undefined) return;
      if (c === ' ' || c === ',' || c === '\n' || c === '\r' || c === '\t' || c === '\f') this.i++;
      else if (c === ';') {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
      } else if (c === '#' && s[this.i + 1] === '_') {
        this.enter(this.i);
        this.i += 2;
        this.read();
        this.depth--;
      } else return;
    }
  }

  /** One level deeper (a collection, a tag, a discard), refused beyond {@link MAX_NESTING}; `at` is where it opens. */
  enter(at: number): void {
    if (++this.depth > MAX_NESTING) this.fail(`nested deeper than ${MAX_NESTING} levels`, at);
  }

  /** Reads one value; returns undefined at end of input. */
  next(): EdnValue | undefined {
    this.skip();
    if (this.i >= this.s.length) return undefined;
    return this.read();
  }

  read(): EdnValue {
    this.skip();
    const s = this.s;
    const c = s[this.i];
    if (c === undefined) this.fail('unexpected end of input');
    switch (c) {
      case '(':
        this.i++;
        return new EdnList(this.seq(')'));
      case '[':
        this.i++;
        return this.seq(']');
      case '{': {
        this.i++;
        const start = this.i - 1;
        const items = this.seq('}');
        if (items.length % 2 !== 0) this.fail('map literal has an odd number of forms', start);
        const entries: [EdnValue, EdnValue][] = [];
        for (let k = 0; k < items.length; k += 2) entries.push([items[k]!, items[k + 1]!]);
        return new EdnMap(entries);
      }
      case ')':
      case ']':
      case '}':
        this.fail(`unexpected '${c}'`);
      // eslint-disable-next-line no-fallthrough
      case '"':
        return this.string();
      case '\\':
        return this.char();
      case '#': {
        const d = s[this.i + 1];
        if (d === '{') {
          this.i += 2;
          return new EdnSet(this.seq('}'));
        }
        const at = this.i++;
        const tag = this.token();
        if (!tag) this.fail('invalid dispatch character');
        this.enter(at);
        const value = this.read();
        this.depth--;
        return new EdnTagged(tag, value);
      }
      default:
        return this.atom();
    }
  }

  seq(close: string): EdnValue[] {
    const out: EdnValue[] = [];
    const start = this.i;
    this.enter(start - 1);
    for (;;) {
      this.skip();
      const c = this.s[this.i];
      if (c === undefined) this.fail(`missing '${close}'`, start - 1);
      if (c === close) {
        this.i++;
        this.depth--;
        return out;
      }
      out.push(this.read());
    }
  }

  string(): string {
    const s = this.s;
    const start = this.i;
    this.i++;
    let out = '';
    for (;;) {
      const c = s[this.i];
      if (c === undefined) this.fail('unterminated string', start);
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c === '\\') {
        const e = s[this.i + 1];
        this.i += 2;
        switch (e) {
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'r':
            out += '\r';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case 'u': {
            const hex = s.slice(this.i, this.i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid unicode escape');
            out += String.fromCharCode(parseInt(hex, 16));
            this.i += 4;
            break;
          }
          default:
            this.fail('invalid escape in string', this.i - 2);
        }
      } else {
        out += c;
        this.i++;
      }
    }
  }

  char(): string {
    this.i++;
    const tok = this.token(true);
    const named: Record<string, string> = { newline: '\n', space: ' ', tab: '\t', return: '\r', backspace: '\b', formfeed: '\f' };
    if (tok.length === 1) return tok;
    if (named[tok] !== undefined) return named[tok]!;
    if (/^u[0-9a-fA-F]{4}$/.test(tok)) return String.fromCharCode(parseInt(tok.slice(1), 16));
    return this.fail(`invalid character literal ${quoteInput('\\' + tok, 40)}`);
  }

  token(allowFirstDelim = false): string {
    const s = this.s;
    const start = this.i;
    if (allowFirstDelim && this.i < s.length) this.i++;
    while (this.i < s.length && !DELIMS.has(s[this.i]!)) this.i++;
    return s.slice(start, this.i);
  }

  atom(): EdnValue {
    const start = this.i;
    const tok = this.token();
    if (tok === '') this.fail(`unexpected character ${quoteInput(this.s[this.i]!)}`);
    if (tok === 'nil') return null;
    if (tok === 'true') return true;
    if (tok === 'false') return false;
    if (tok[0] === ':') {
      if (tok.length === 1) this.fail('empty keyword', start);
      return new Keyword(tok.slice(tok[1] === ':' ? 2 : 1));
    }
    const c = tok.charCodeAt(0);
    const isDigit = (x: number) => x >= 48 && x <= 57;
    if (isDigit(c) || ((c === 45 || c === 43) && tok.length > 1 && isDigit(tok.charCodeAt(1)))) {
      return this.numberToken(tok, start);
    }
    return new EdnSymbol(tok);
  }

  numberToken(tok: string, start: number): EdnValue {
    let m = /^([-+]?)(\d+)N?$/.exec(tok);
    if (m) {
      const text = (m[1] === '-' ? '-' : '') + m[2];
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : BigInt(text);
    }
    m = /^([-+]?\d+(\.\d*)?([eE][-+]?\d+)?)M?$/.exec(tok);
    if (m) return new JsonFloat(Number(m[1]));
    m = /^([-+]?\d+)\/(\d+)$/.exec(tok);
    if (m) return new JsonFloat(Number(m[1]) / Number(m[2]));
    m = /^([-+]?)0[xX]([0-9a-fA-F]+)$/.exec(tok);
    if (m) {
      const v = BigInt('0x' + m[2]) * (m[1] === '-' ? -1n : 1n);
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    }
    return this.fail(`invalid number ${quoteInput(tok, 40)}`, start);
  }
}

/** Reads exactly one EDN value from text (comments and whitespace around it allowed). */
export function parseEdn(text: string): EdnValue {
  const r = new EdnReader(text);
  const v = r.next();
  if (v === undefined) return r.fail("no EDN value in input");
  r.skip();
  if (r.i < text.length) r.fail('unexpected text after the EDN value');
  return v;
}

/** Reads every top-level EDN value in the text, in order. */
export function parseEdnAll(text: string): EdnValue[] {
  const r = new EdnReader(text);
  const out: EdnValue[] = [];
  for (;;) {
    const v = r.next();
    if (v === undefined) return out;
    out.push(v);
  }
}

/**
 * Converts EDN into plain JSON-like data, the way elle-cli maps JSON to EDN in reverse:
 * keywords and symbols become their names, sets and lists become arrays, tagged literals become
 * their value, and maps become objects whose keys are keyword names or the printed key.
 */
export function ednToPlain(v: EdnValue): JsonValue {
  if (v === null || typeof v !== 'object') return v as JsonValue;
  if (v instanceof JsonFloat) return v;
  if (v instanceof Keyword || v instanceof EdnSymbol) return v.name;
  if (Array.isArray(v)) return v.map(ednToPlain);
  if (v instanceof EdnList || v instanceof EdnSet) return v.items.map(ednToPlain);
  if (v instanceof EdnTagged) return ednToPlain(v.value);
  const out: { [k: string]: JsonValue } = {};
  for (const [k, val] of v.entries) {
    const key = typeof k === 'string' ? k : k instanceof Keyword || k instanceof EdnSymbol ? k.name : printEdn(k);
    out[key] = ednToPlain(val);
  }
  return out;
}

/** Options for {@link printEdn}. */
export interface PrintEdnOptions {
  /**
   * Decides whether a string found under a map key (or inside an array under it) is printed as a
   * keyword. Called with the nearest enclosing map key and the string.
   * @defaultValue never
   */
  keywordValue?: (key: string | undefined, value: string) => boolean;
}

const KEYWORD_NAME = /^[A-Za-z*+!_?<>=-][A-Za-z0-9*+!_?<>=.\/'#-]*$/;

/**
 * Prints a value as EDN. Accepts the EDN classes above and plain JSON-like data: object keys
 * become keywords when they can be (`valid?` → `:valid?`), integer-looking keys become integers,
 * other keys stay strings; `bigint` and {@link JsonFloat} print exactly; `undefined` is `nil`.
 */
export function printEdn(v: unknown, opts: PrintEdnOptions = {}): string {
  return pr(v, undefined, opts, 0);
}

function prKey(k: string): string {
  if (/^-?(0|[1-9]\d{0,15})(\.\d+)?$/.test(k)) return k;
  if (KEYWORD_NAME.test(k)) return ':' + k;
  return JSON.stringify(k);
}

function pr(v: unknown, key: string | undefined, opts: PrintEdnOptions, depth: number): string {
  if (v === null || v === undefined) return 'nil';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) return Number.isNaN(v) ? '##NaN' : v > 0 ? '##Inf' : '##-Inf';
      return Number.isInteger(v) ? String(v) : String(v);
    case 'bigint':
      return v.toString();
    case 'string':
      if (opts.keywordValue?.(key, v) && KEYWORD_NAME.test(v)) return ':' + v;
      return JSON.stringify(v);
  }
  if (v instanceof JsonFloat) return v.toString();
  if (v instanceof Keyword) return ':' + v.name;
  if (v instanceof EdnSymbol) return v.name;
  if (depth >= MAX_NESTING) throw nestingError();
  const d = depth + 1;
  if (v instanceof EdnTagged) return '#' + v.tag + ' ' + pr(v.value, key, opts, d);
  if (v instanceof EdnSet) return '#{' + v.items.map((x) => pr(x, key, opts, d)).join(' ') + '}';
  if (v instanceof EdnList) return '(' + v.items.map((x) => pr(x, key, opts, d)).join(' ') + ')';
  if (v instanceof EdnMap) return '{' + v.entries.map(([k, x]) => pr(k, key, opts, d) + ' ' + pr(x, key, opts, d)).join(', ') + '}';
  if (Array.isArray(v)) return '[' + v.map((x) => pr(x, key, opts, d)).join(' ') + ']';
  if (v instanceof Set) return '#{' + [...v].map((x) => pr(x, key, opts, d)).join(' ') + '}';
  if (v instanceof Map) return '{' + [...v].map(([k, x]) => pr(k, key, opts, d) + ' ' + pr(x, key, opts, d)).join(', ') + '}';
  const parts: string[] = [];
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === undefined) continue;
    parts.push(prKey(k) + ' ' + pr(x, k, opts, d));
  }
  return '{' + parts.join(', ') + '}';
}

/**
 * Pretty-prints a value as EDN with nested maps indented, as Clojure's pprint lays out
 * `results.edn`. Same conversions as {@link printEdn}.
 */
export function prettyEdn(v: unknown, opts: PrintEdnOptions = {}, indent = 0, key?: string): string {
  return pretty(v, opts, indent, key, 0);
}

function pretty(v: unknown, opts: PrintEdnOptions, indent: number, key: string | undefined, depth: number): string {
  const flat = pr(v, key, opts, depth);
  if (flat.length + indent <= 80 || v === null || typeof v !== 'object' || v instanceof JsonFloat) return flat;
  // Sequences: one item per line, under the first (vectors and lists after one character, sets after two).
  const seq = (open: string, close: string, items: readonly unknown[]) => {
    const pad = ' '.repeat(indent + open.length);
    return open + items.map((x, i) => (i === 0 ? '' : pad) + pretty(x, opts, indent + open.length, key, depth + 1)).join('\n') + close;
  };
  if (Array.isArray(v)) return seq('[', ']', v);
  if (v instanceof EdnList) return seq('(', ')', v.items);
  if (v instanceof EdnSet) return seq('#{', '}', v.items);
  if (v instanceof EdnMap) {
    const pad = ' '.repeat(indent + 1);
    return (
      '{' +
      v.entries
        .map(([k, x], i) => {
          const kk = pr(k, key, opts, depth + 1);
          return (i === 0 ? '' : pad) + kk + ' ' + pretty(x, opts, indent + 2 + kk.length, key, depth + 1);
        })
        .join(',\n') +
      '}'
    );
  }
  if (v instanceof EdnTagged || v instanceof Keyword) return flat;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  const pad = ' '.repeat(indent + 1);
  return (
    '{' +
    entries
      .map(([k, x], i) => {
        const kk = prKey(k);
        const line = kk + ' ' + pretty(x, opts, indent + 2 + kk.length, k, depth + 1);
        return (i === 0 ? '' : pad) + line;
      })
      .join(',\n') +
    '}'
  );
}

/** The forms of a history text, as plain values, with the line each starts on. */
export interface EdnRecords {
  /** The top-level forms, or the items of the only top-level form when it is a vector or a list. */
  records: JsonValue[];
  /** The 1-based line on which each record starts. */
  lines: number[];
}

/**
 * A fast reader for the usual shape of EDN history files: one map per line, or one vector or list
 * of maps, made of keywords, strings, integers of at most 15 digits, `nil`, `true`, `false`,
 * vectors, lists, sets and maps with keyword or string keys, with commas and `;` comments. It gives
 * exactly what {@link parseEdnAll} followed by {@link ednToPlain} gives (keywords become their
 * names, lists and sets arrays), several times faster. It returns undefined as soon as the text
 * holds anything beyond that (floats, longer or prefixed integers, symbols, characters, tagged
 * literals, `#_` discards, other map keys) or is not valid EDN: the full reader then decides, with
 * its exact values and errors.
 */
export function parseEdnRecords(text: string): EdnRecords | undefined {
  const r = new FastEdn(text);
  try {
    return r.all();
  } catch (e) {
    if (e === BAIL) return undefined;
    throw e;
  }
}

const BAIL = Symbol('bail');

/** Delimiters of EDN tokens, as {@link DELIMS}, by char code. */
const DELIM_CODES = new Uint8Array(128);
for (const c of DELIMS) DELIM_CODES[c.charCodeAt(0)] = 1;

class FastEdn {
  private i = 0;
  private line = 1;
  private depth = 0;
  constructor(private readonly s: string) {}

  all(): EdnRecords {
    const records: JsonValue[] = [];
    const lines: number[] = [];
    let firstItems: { records: JsonValue[]; lines: number[] } | undefined;
    for (;;) {
      this.skip();
      if (this.i >= this.s.length) break;
      lines.push(this.line);
      const c = this.s.charCodeAt(this.i);
      if (records.length === 0 && (c === 91 || c === 40)) {
        // A vector or list first: keep its items' lines, in case it is the only form.
        this.i++;
        const items = { records: [] as JsonValue[], lines: [] as number[] };
        this.seq(c === 91 ? 93 : 41, items.records, items.lines);
        records.push(items.records);
        firstItems = items;
      } else records.push(this.value());
    }
    if (firstItems) {
      if (records.length !== 1) throw BAIL;
      return firstItems;
    }
    return { records, lines };
  }

  private skip(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 10) {
        this.line++;
        i++;
      } else if (c === 32 || c === 44 || c === 13 || c === 9 || c === 12) i++;
      else if (c === 59) {
        while (i < s.length && s.charCodeAt(i) !== 10) i++;
      } else break;
    }
    this.i = i;
  }

  private value(): JsonValue {
    this.skip();
    const c = this.s.charCodeAt(this.i);
    if (c === 34) return this.string();
    if (c !== 91 && c !== 40 && c !== 123 && c !== 35) return this.atom();
    // Too deep: the full reader says where (MAX_NESTING), rather than this one overflowing the stack.
    if (++this.depth > MAX_NESTING) throw BAIL;
    const v = this.compound(c);
    this.depth--;
    return v;
  }

  private compound(c: number): JsonValue {
    switch (c) {
      case 91: // [
        this.i++;
        return this.seq(93, [], undefined);
      case 40: // (
        this.i++;
        return this.seq(41, [], undefined);
      case 123: // {
        this.i++;
        return this.map();
      default: // #
        if (this.s.charCodeAt(this.i + 1) !== 123) throw BAIL;
        this.i += 2;
        return this.seq(125, [], undefined);
    }
  }

  private seq(close: number, out: JsonValue[], lines: number[] | undefined): JsonValue[] {
    for (;;) {
      this.skip();
      const c = this.s.charCodeAt(this.i);
      if (c === close) {
        this.i++;
        return out;
      }
      if (c !== c || c === 41 || c === 93 || c === 125) throw BAIL;
      lines?.push(this.line);
      out.push(this.value());
    }
  }

  private map(): JsonValue {
    const out: { [k: string]: JsonValue } = {};
    for (;;) {
      this.skip();
      const c = this.s.charCodeAt(this.i);
      if (c === 125) {
        this.i++;
        return out;
      }
      let key: string;
      if (c === 58) {
        const tok = this.token();
        if (tok.length === 1) throw BAIL;
        key = tok.charCodeAt(1) === 58 ? tok.slice(2) : tok.slice(1);
      } else if (c === 34) key = this.string();
      else throw BAIL;
      if (key === '__proto__') throw BAIL;
      this.skip();
      const d = this.s.charCodeAt(this.i);
      if (d !== d || d === 41 || d === 93 || d === 125) throw BAIL;
      out[key] = this.value();
    }
  }

  private token(): string {
    const s = this.s;
    const start = this.i;
    let i = start;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c !== c || (c < 128 && DELIM_CODES[c] === 1)) break;
      i++;
    }
    this.i = i;
    return s.slice(start, i);
  }

  private atom(): JsonValue {
    const c = this.s.charCodeAt(this.i);
    if (c === 92 /* \ */ || c !== c) throw BAIL;
    const tok = this.token();
    if (tok === '') throw BAIL;
    if (c === 58 /* : */) {
      if (tok.length === 1) throw BAIL;
      return tok.charCodeAt(1) === 58 ? tok.slice(2) : tok.slice(1);
    }
    if (tok === 'nil') return null;
    if (tok === 'true') return true;
    if (tok === 'false') return false;
    // Integers of at most 15 digits, optionally signed; anything else numeric or symbolic bails.
    let k = 0;
    const sign = tok.charCodeAt(0);
    if (sign === 45 || sign === 43) k = 1;
    const digits = tok.length - k;
    if (digits < 1 || digits > 15) throw BAIL;
    for (let j = k; j < tok.length; j++) {
      const d = tok.charCodeAt(j);
      if (d < 48 || d > 57) throw BAIL;
    }
    return Number(sign === 45 ? tok : k === 1 ? tok.slice(1) : tok);
  }

  private string(): string {
    const s = this.s;
    const start = ++this.i;
    let i = start;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        this.i = i + 1;
        return s.slice(start, i);
      }
      if (c === 92) break;
      if (c !== c) throw BAIL;
      if (c === 10) this.line++;
      i++;
    }
    let out = s.slice(start, i);
    for (;;) {
      const c = s.charCodeAt(i);
      if (c !== c) throw BAIL;
      if (c === 34) {
        this.i = i + 1;
        return out;
      }
      if (c === 92) {
        const e = s.charCodeAt(i + 1);
        i += 2;
        if (e === 110) out += '\n';
        else if (e === 116) out += '\t';
        else if (e === 114) out += '\r';
        else if (e === 98) out += '\b';
        else if (e === 102) out += '\f';
        else if (e === 34) out += '"';
        else if (e === 92) out += '\\';
        else if (e === 117) {
          const hex = s.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw BAIL;
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
        } else throw BAIL;
      } else {
        if (c === 10) this.line++;
        out += s[i];
        i++;
      }
    }
  }
}
