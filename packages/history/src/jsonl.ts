/**
 * Reading Gyre's JSON Lines history from bytes, chunk by chunk, without decoding the file into one
 * string. Each line is scanned byte by byte for the common shape of a history entry (an object of
 * plain keys whose values are integers of up to 15 digits, ASCII strings without escapes, `true`,
 * `false`, `null`, and arrays and objects of these); any other line (escapes, non-ASCII text,
 * floats, big integers, `-0`, deep nesting, odd keys or bytes, bad JSON) is decoded and read with
 * {@link parseJson}, the lossless reader. Either way the line's op is exactly what
 * `toOp(parseJson(line.trim()), position, true)` gives.
 */
import { parseJson } from './json';
import { HistoryFormatError, toOp } from './format';
import { ChunkedLines } from './lines';
import type { Op } from './op';
import { showInput } from './quote';

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

const NL = 10;
const QUOTE = 34;
const COMMA = 44;
const MINUS = 45;
const COLON = 58;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;

/** What the scanner returns for a value it leaves to the lossless reader. */
const SLOW: unique symbol = Symbol('slow');
/** Deeper values are left to the lossless reader (which allows up to MAX_NESTING). */
const MAX_FAST_DEPTH = 32;
/** Strings up to this many bytes are shared through a small cache (types, functions, keys). */
const CACHED = 24;
const CACHE_SLOTS = 1024;

const NULL_BYTES = new Uint8Array([110, 117, 108, 108]);
const TRUE_BYTES = new Uint8Array([116, 114, 117, 101]);
const FALSE_BYTES = new Uint8Array([102, 97, 108, 115, 101]);

/** The keys of Gyre's own lines, in their order, and as quoted bytes. */
const GYRE_KEYS = ['index', 'time', 'type', 'process', 'f', 'value'];
const KEY_BYTES = GYRE_KEYS.map((k) => new TextEncoder().encode(`"${k}"`));

const isWs = (c: number) => c === 32 || c === 9 || c === 13;
/** What may follow a number or a literal. */
const ends = (c: number | undefined) => c === undefined || c === COMMA || c === RBRACE || c === RBRACKET || c === 32 || c === 9 || c === 13 || c === NL;

/**
 * A line of a JSON Lines history that is not an op, as {@link JsonlHistoryReader} finds it. The
 * message and the line are `parseHistoryJsonl`'s (`line N: PROBLEM: INPUT`); the parts are there
 * for a caller that words its own message.
 */
export class JsonlLineError extends HistoryFormatError {
  constructor(
    /** What is wrong: `not valid JSON (…)` with the lossless reader's message, or what {@link toOp} said of the line's value. */
    readonly problem: string,
    /** The line, trimmed, as it is in the file: escape it before printing it (see `showInput`). */
    readonly input: string,
    /** True when the line is not JSON; false when it is JSON but not an op. */
    readonly notJson: boolean,
    /** True when nothing but blank lines follows it: a line that is not JSON was then most likely cut short. */
    readonly last: boolean,
    line: number,
  ) {
    super(`${problem}: ${showInput(input)}`, line);
    this.name = 'JsonlLineError';
  }
}

/**
 * Reads a JSON Lines history: {@link push} each chunk of bytes as it is read (the chunk may be
 * reused afterwards), then {@link end}. Blank lines are skipped. The result is the same as
 * `parseHistoryJsonl` on the decoded text, with the line each op came from; so is the error for the
 * first line that is not an op, a {@link JsonlLineError}, thrown once the reader has seen whether
 * anything but blank lines follows it: by the {@link push} that brings the next line that is not
 * blank, or by {@link end}.
 */
export class JsonlHistoryReader {
  /** The ops read so far. */
  readonly ops: Op[] = [];
  /** For each op, the 1-based line it is on. */
  readonly lines: number[] = [];
  /** Lines read with the lossless reader (not of the common shape). */
  slowLines = 0;
  private lineNo = 0;
  private readonly split = new ChunkedLines((b, s, bound) => {
    let e = b.indexOf(NL, s);
    if (e < 0 || e >= bound) e = bound;
    this.line(b, s, e);
    return e + 1;
  });
  private p = 0;
  private readonly cacheStr: (string | undefined)[] = new Array<string | undefined>(CACHE_SLOTS).fill(undefined);
  private readonly cacheBytes = new Uint8Array(CACHE_SLOTS * CACHED);
  private readonly cacheLen = new Uint8Array(CACHE_SLOTS);

  /** Reads the complete lines of `chunk`; the rest waits for the next chunk (or {@link end}). */
  push(chunk: Uint8Array): void {
    this.split.push(chunk);
  }

  /** Reads the last line (one without a newline) and returns the ops and their lines. */
  end(): { ops: Op[]; lines: number[] } {
    this.split.end();
    if (this.bad) throw this.failure(true);
    return { ops: this.ops, lines: this.lines };
  }

  /** The first line that is not an op, kept until the reader knows whether it is the last line that is not blank. */
  private bad: { problem: string; input: string; notJson: boolean; line: number } | undefined;

  private failure(last: boolean): JsonlLineError {
    const { problem, input, notJson, line } = this.bad!;
    return new JsonlLineError(problem, input, notJson, last, line);
  }

  /** One line: bytes s..e of b, without its newline. */
  private line(b: Uint8Array, s: number, e: number): void {
    const lineNo = ++this.lineNo;
    if (this.bad) {
      if (!blank(b, s, e)) throw this.failure(false);
      return;
    }
    let p = s;
    while (p < e && isWs(b[p]!)) p++;
    if (p === e) return;
    let raw: unknown = SLOW;
    if (b[p] === LBRACE) {
      this.p = p;
      const v = this.top(b, e);
      if (v !== SLOW) {
        p = this.p;
        while (p < e && isWs(b[p]!)) p++;
        if (p === e) raw = v;
      }
    }
    let text: string | undefined;
    if (raw === SLOW) {
      text = decoder.decode(b.subarray(s, e)).trim();
      if (text === '') return;
      this.slowLines++;
      try {
        raw = parseJson(text);
      } catch (err) {
        this.bad = { problem: `not valid JSON (${(err as Error).message})`, input: text, notJson: true, line: lineNo };
        return;
      }
    }
    const op = toOp(raw, this.ops.length, true);
    if (typeof op === 'string') {
      this.bad = { problem: op, input: text ?? decoder.decode(b.subarray(s, e)).trim(), notJson: false, line: lineNo };
      return;
    }
    this.ops.push(op);
    this.lines.push(lineNo);
  }

  private skip(b: Uint8Array, e: number): number {
    let p = this.p;
    while (p < e && isWs(b[p]!)) p++;
    this.p = p;
    return p < e ? b[p]! : -1;
  }

  private readonly keys: string[] = [];
  private readonly vals: unknown[] = [];

  /**
   * The line's object at this.p (its `{`), or SLOW. Gyre's own lines, `index`, `time`, `type`,
   * `process`, `f` and `value` in this order, become objects of one shape, built at once.
   */
  private top(b: Uint8Array, e: number): Record<string, unknown> | typeof SLOW {
    const keys = this.keys;
    const vals = this.vals;
    let n = 0;
    this.p++;
    let c = this.skip(b, e);
    if (c !== RBRACE) {
      for (;;) {
        if (c !== QUOTE || n === 16) return SLOW;
        // Gyre's keys, in Gyre's order, are matched as bytes; any other key is read as a string.
        const k = n < 6 && this.match(b, e, KEY_BYTES[n]!) ? GYRE_KEYS[n]! : this.string(b, e);
        if (k === undefined || !plainKey(k)) return SLOW;
        if (this.skip(b, e) !== COLON) return SLOW;
        this.p++;
        this.skip(b, e);
        const v = this.value(b, e, 0);
        if (v === SLOW) return SLOW;
        keys[n] = k;
        vals[n++] = v;
        c = this.skip(b, e);
        this.p++;
        if (c === RBRACE) break;
        if (c !== COMMA) return SLOW;
        c = this.skip(b, e);
      }
    } else this.p++;
    if (n === 6 && keys[0] === GYRE_KEYS[0] && keys[1] === GYRE_KEYS[1] && keys[2] === GYRE_KEYS[2] && keys[3] === GYRE_KEYS[3] && keys[4] === GYRE_KEYS[4] && keys[5] === GYRE_KEYS[5]) {
      return { index: vals[0], time: vals[1], type: vals[2], process: vals[3], f: vals[4], value: vals[5] };
    }
    const o: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) o[keys[i]!] = vals[i];
    return o;
  }

  /** Whether `word` (a quoted key) is at this.p; if so, this.p moves past it. */
  private match(b: Uint8Array, e: number, word: Uint8Array): boolean {
    const p = this.p;
    if (p + word.length > e) return false;
    for (let i = 0; i < word.length; i++) if (b[p + i] !== word[i]) return false;
    this.p = p + word.length;
    return true;
  }

  /** The object at this.p (its `{`), or SLOW. */
  private object(b: Uint8Array, e: number, depth: number): Record<string, unknown> | typeof SLOW {
    if (depth >= MAX_FAST_DEPTH) return SLOW;
    const o: Record<string, unknown> = {};
    this.p++;
    let c = this.skip(b, e);
    if (c === RBRACE) {
      this.p++;
      return o;
    }
    for (;;) {
      if (c !== QUOTE) return SLOW;
      const k = this.string(b, e);
      // Index-like keys and __proto__: property order and prototypes are the lossless reader's call.
      if (k === undefined || !plainKey(k)) return SLOW;
      if (this.skip(b, e) !== COLON) return SLOW;
      this.p++;
      this.skip(b, e);
      const v = this.value(b, e, depth);
      if (v === SLOW) return SLOW;
      o[k] = v;
      c = this.skip(b, e);
      this.p++;
      if (c === RBRACE) return o;
      if (c !== COMMA) return SLOW;
      c = this.skip(b, e);
    }
  }

  /** Elements of the arrays being read, from `sp` down; an array is cut from it at its end, at its size. */
  private readonly stack: unknown[] = [];
  private sp = 0;

  private array(b: Uint8Array, e: number, depth: number): unknown[] | typeof SLOW {
    if (depth >= MAX_FAST_DEPTH) return SLOW;
    this.p++;
    let c = this.skip(b, e);
    if (c === RBRACKET) {
      this.p++;
      return [];
    }
    const base = this.sp;
    for (;;) {
      const v = this.value(b, e, depth);
      if (v === SLOW) {
        this.sp = base;
        return SLOW;
      }
      this.stack[this.sp++] = v;
      c = this.skip(b, e);
      this.p++;
      if (c === RBRACKET) break;
      if (c !== COMMA) {
        this.sp = base;
        return SLOW;
      }
      this.skip(b, e);
    }
    const n = this.sp - base;
    const st = this.stack;
    this.sp = base;
    return n === 2 ? [st[base], st[base + 1]] : n === 1 ? [st[base]] : st.slice(base, base + n);
  }

  /** The value at this.p (not white space), or SLOW. */
  private value(b: Uint8Array, e: number, depth: number): unknown {
    const p = this.p;
    if (p >= e) return SLOW;
    const c = b[p]!;
    if (c === QUOTE) return this.string(b, e) ?? SLOW;
    if ((c >= 48 && c <= 57) || c === MINUS) return this.integer(b, e);
    if (c === LBRACKET) return this.array(b, e, depth + 1);
    if (c === LBRACE) return this.object(b, e, depth + 1);
    if (c === 110) return this.literal(b, e, NULL_BYTES, null);
    if (c === 116) return this.literal(b, e, TRUE_BYTES, true);
    if (c === 102) return this.literal(b, e, FALSE_BYTES, false);
    return SLOW;
  }

  /** The literal `word` at this.p, ending at a delimiter: `v`; else SLOW. */
  private literal(b: Uint8Array, e: number, word: Uint8Array, v: unknown): unknown {
    const p = this.p;
    const end = p + word.length;
    if (end > e) return SLOW;
    for (let i = 1; i < word.length; i++) if (b[p + i] !== word[i]) return SLOW;
    if (end < e && !ends(b[end])) return SLOW;
    this.p = end;
    return v;
  }

  /** An integer of 1 to 15 digits, not `-0` and without a leading zero, ending at a delimiter; else SLOW. */
  private integer(b: Uint8Array, e: number): number | typeof SLOW {
    let p = this.p;
    const neg = b[p] === MINUS;
    if (neg) p++;
    const start = p;
    let n = 0;
    while (p < e) {
      const d = b[p]! - 48;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
      p++;
    }
    const len = p - start;
    if (len === 0 || len > 15 || (b[start] === 48 && (len > 1 || neg))) return SLOW;
    if (p < e && !ends(b[p])) return SLOW;
    this.p = p;
    return neg ? -n : n;
  }

  /** The string at this.p (its opening quote) when it is printable ASCII without escapes; else undefined. */
  private string(b: Uint8Array, e: number): string | undefined {
    const s = this.p + 1;
    let p = s;
    let h = 0x811c9dc5;
    for (;;) {
      if (p >= e) return undefined;
      const c = b[p]!;
      if (c === QUOTE) break;
      if (c < 32 || c > 126 || c === BACKSLASH) return undefined;
      h = Math.imul(h ^ c, 0x01000193);
      p++;
    }
    this.p = p + 1;
    const len = p - s;
    if (len > CACHED) return latin1(b, s, p);
    const slot = (h >>> 0) & (CACHE_SLOTS - 1);
    const at = slot * CACHED;
    const cached = this.cacheStr[slot];
    if (cached !== undefined && this.cacheLen[slot] === len) {
      let i = 0;
      while (i < len && this.cacheBytes[at + i] === b[s + i]) i++;
      if (i === len) return cached;
    }
    const str = latin1(b, s, p);
    this.cacheStr[slot] = str;
    this.cacheLen[slot] = len;
    this.cacheBytes.set(b.subarray(s, p), at);
    return str;
  }
}

/** Whether bytes s..e are white space only, as `String.prototype.trim` sees it (a no-break space, a byte-order mark...). */
function blank(b: Uint8Array, s: number, e: number): boolean {
  let p = s;
  while (p < e && isWs(b[p]!)) p++;
  if (p === e) return true;
  const c = b[p]!;
  if (c > 32 && c < 127) return false;
  return decoder.decode(b.subarray(p, e)).trim() === '';
}

/** Index-like keys and `__proto__` are left to the lossless reader (property order, prototypes). */
const plainKey = (k: string): boolean => k !== '' && !(k.charCodeAt(0) >= 48 && k.charCodeAt(0) <= 57) && k !== '__proto__';

/** Bytes s..e (printable ASCII) as a string. */
function latin1(b: Uint8Array, s: number, e: number): string {
  if (e - s <= 64) return String.fromCharCode.apply(null, b.subarray(s, e) as unknown as number[]);
  return decoder.decode(b.subarray(s, e));
}
