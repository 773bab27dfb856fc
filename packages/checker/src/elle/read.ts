/**
 * Reading a history file straight into a {@link TxnHistory}, chunk by chunk, without an object per
 * op: JSON Lines ({@link TxnJsonlReader}) or EDN with one op map per line ({@link TxnEdnReader},
 * Jepsen's `history.edn`). Each line is scanned byte by byte for the common shape (a map of
 * `index`, `time`, `type`, `process`, `f` and a `value` of `[f k v]` micro-ops over integers,
 * plain strings, keywords and null); any other line (other fields, escapes, floats, big integers,
 * nested values, tags) is decoded and read with the lossless readers of `@gyre/history`, exactly
 * as `parseHistoryJsonl` / `parseHistoryEdn` read it, and kept as that op.
 */
import { EdnMap, EdnTagged, ednToPlain, parseEdnAll, parseJson, toOp } from '@gyre/history';
import { type TxnHistory, M_APPEND, M_READ, M_WRITE, NIL, S_APPEND, S_LIST, S_NIL_WRITE, S_NOT_TXN, S_READ, S_WRITE, SCALAR, SMALL, T_FAIL, T_INFO, T_INVOKE, T_OK, TxnHistoryBuilder } from './compact';

/** A line that is not a history entry; `line` is 1-based. */
export class TxnReadError extends Error {
  override name = 'TxnReadError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

// Bytes.
const QUOTE = 34;
const COMMA = 44;
const MINUS = 45;
const COLON = 58;
const SEMICOLON = 59;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const NL = 10;
const NEWLINE = new Uint8Array([10]);
const N = 110;

/** Skips JSON whitespace (a line's newline is not skipped: it ends every scan). */
function ws(b: Uint8Array, p: number): number {
  let c = b[p];
  while (c === 32 || c === 9 || c === 13) c = b[++p];
  return p;
}
/** Skips EDN whitespace, commas included. */
function wsEdn(b: Uint8Array, p: number): number {
  let c = b[p];
  while (c === 32 || c === COMMA || c === 9 || c === 13) c = b[++p];
  return p;
}
/** Where a number or an EDN name ends. */
const isDelimiter = (c: number | undefined) =>
  c === COMMA || c === RBRACKET || c === 32 || c === NL || c === RBRACE || c === 9 || c === 13 || c === LBRACKET || c === LBRACE || c === 40 || c === 41 || c === QUOTE || c === SEMICOLON || c === undefined;

/** Field bits, to refuse a repeated field. */
const F_INDEX = 1;
const F_TIME = 2;
const F_TYPE = 4;
const F_PROCESS = 8;
const F_F = 16;
const F_VALUE = 32;

/**
 * Reads lines into a {@link TxnHistory}: {@link TxnLineReader.push} each chunk of bytes as it is
 * read, then {@link TxnLineReader.end}. Blank lines are skipped (and EDN comment lines); a line
 * that is not an op throws {@link TxnReadError}. Indices that do not increase strictly are
 * replaced by positions (`renumbered`), as `gyre check` does.
 *
 * Every line is scanned where it lies in the chunk (a line cut by the chunk's end is first copied
 * out and given its newline, and so is the file's last line), so each scan ends at a newline and
 * needs no bounds checks: every loop stops at that byte.
 */
abstract class TxnLineReader {
  protected readonly b: TxnHistoryBuilder;
  private carry: Uint8Array = new Uint8Array(4096);
  private carryLen = 0;
  protected lineNo = 0;
  private lastIndex = -Infinity;
  /** True when the indices did not increase strictly, so entries were renumbered. */
  renumbered = false;
  private bytesSeen = 0;
  private readonly bytes: number;
  private readonly edn: boolean;
  private fTxn = -1;
  private fEmpty = -1;
  // The scanner's results: a number; a string's or a keyword's bytes (`ns` .. `ne`); a value's end.
  private num = 0;
  private ns = 0;
  private ne = 0;
  private end_ = 0;
  private mopShape = 0;

  /** `bytes`: the size of the whole input, when known, to size the columns once. */
  constructor(edn: boolean, size: { bytes?: number }) {
    this.b = new TxnHistoryBuilder({ lines: true });
    this.bytes = size.bytes ?? 0;
    this.edn = edn;
  }

  /** The op a line holds, read the lossless way; throws {@link TxnReadError}. */
  protected abstract slowOp(text: string): unknown;

  /** Reads the complete lines of `chunk` (the rest is kept for the next one). The chunk may be reused afterwards. */
  push(chunk: Uint8Array): void {
    const first = this.bytesSeen === 0;
    this.bytesSeen += chunk.length;
    this.lines(chunk);
    if (first && this.bytes > this.bytesSeen && this.b.nOps > 0) {
      // Size the columns for the whole input from its first chunk, plus a tenth.
      const B = this.b;
      const scale = (this.bytes / this.bytesSeen) * 1.1 - 1;
      B.reserve(Math.ceil(B.nOps * scale), Math.ceil(B.nMops * scale), Math.ceil(B.nElems * scale));
    }
  }

  /** The history read (after the last line). */
  end(): TxnHistory {
    if (this.carryLen > 0) {
      this.keep(NEWLINE, 0, 1);
      this.line(this.carry, 0);
      this.carryLen = 0;
    }
    if (this.renumbered) this.b.renumber();
    return this.b.finish();
  }

  private lines(chunk: Uint8Array): void {
    let s = 0;
    if (this.carryLen > 0) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        this.keep(chunk, 0, chunk.length);
        return;
      }
      this.keep(chunk, 0, nl + 1);
      this.line(this.carry, 0);
      this.carryLen = 0;
      s = nl + 1;
    }
    // The complete lines end at the chunk's last newline; the rest waits for the next chunk.
    const last = chunk.lastIndexOf(NL);
    while (s <= last) s = this.line(chunk, s);
    if (s < chunk.length) this.keep(chunk, s, chunk.length);
  }

  private keep(chunk: Uint8Array, s: number, e: number): void {
    const need = this.carryLen + (e - s);
    if (need > this.carry.length) {
      const c = new Uint8Array(Math.max(need, this.carry.length * 2));
      c.set(this.carry.subarray(0, this.carryLen));
      this.carry = c;
    }
    this.carry.set(chunk.subarray(s, e), this.carryLen);
    this.carryLen = need;
  }

  /** Reads the line starting at s (a newline follows it in b); returns where the next line starts. */
  private line(b: Uint8Array, s: number): number {
    this.lineNo++;
    let p = s;
    let c = b[p];
    while (c === 32 || c === 9 || c === 13) c = b[++p];
    if (c === NL) return p + 1;
    if (c === SEMICOLON && this.edn) return b.indexOf(NL, p) + 1;
    const B = this.b;
    if (c === LBRACE) {
      const mops = B.nMops;
      const elems = B.nElems;
      B.reserve(1, 16, 64);
      const end = this.fast(b, p);
      if (end >= 0) return end + 1;
      B.nMops = mops;
      B.nElems = elems;
    }
    const e = b.indexOf(NL, p);
    const text = decoder.decode(b.subarray(s, e)).trim();
    // A line of other (Unicode) white space is blank too, as parseHistoryJsonl reads it.
    if (text === '') return e + 1;
    const op = toOp(this.slowOp(text), B.length);
    if (typeof op === 'string') throw new TxnReadError(op, this.lineNo);
    this.index(op.index);
    B.addOp(op, this.lineNo);
    return e + 1;
  }

  private index(i: number): void {
    if (!(i > this.lastIndex)) this.renumbered = true;
    this.lastIndex = i;
  }

  /**
   * Scans one op line from p (its `{`) up to its newline; the position of that newline, or -1 if
   * the line is not of the common shape.
   */
  private fast(b: Uint8Array, p: number): number {
    const B = this.b;
    const edn = this.edn;
    let seen = 0;
    let index = NaN;
    let time = 0;
    let type = -1;
    let process = 0;
    let f = -1;
    let shape = 0;
    p = edn ? wsEdn(b, p + 1) : ws(b, p + 1);
    for (;;) {
      // The field's name: "name": in JSON, :name in EDN.
      let c = b[p];
      if (edn) {
        if (c !== COLON) return -1;
        p = this.keyword(b, p);
        if (p < 0) return -1;
        p = wsEdn(b, p);
      } else {
        if (c !== QUOTE) return -1;
        p = this.string(b, p);
        if (p < 0) return -1;
        p = ws(b, p);
        if (b[p] !== COLON) return -1;
        p = ws(b, p + 1);
      }
      const field = fieldOf(b, this.ns, this.ne - this.ns);
      if (field === 0 || seen & field) return -1;
      seen |= field;
      c = b[p];
      if (c === N && field !== F_TYPE) {
        // null / nil: the default of every field but type.
        p = this.nil(b, p);
        if (p < 0) return -1;
      } else if (field === F_VALUE) {
        if (c !== LBRACKET) return -1;
        p = this.txn(b, p);
        if (p < 0) return -1;
        shape = this.mopShape;
      } else if (field === F_INDEX || field === F_TIME) {
        p = this.int(b, p);
        if (p < 0) return -1;
        if (field === F_INDEX) index = this.num;
        else time = this.num;
      } else if (field === F_PROCESS && c !== QUOTE && c !== COLON) {
        p = this.int(b, p);
        if (p < 0) return -1;
        process = B.processCode(this.num);
      } else {
        // type, f, or a named process: a string, or a keyword in EDN.
        p = this.name(b, p);
        if (p < 0) return -1;
        const s = this.ns;
        const len = this.ne - s;
        if (field === F_TYPE) {
          type = typeOf(b, s, len);
          if (type < 0) return -1;
        } else if (field === F_F) {
          if (len === 3 && b[s] === 116 && b[s + 1] === 120 && b[s + 2] === 110) {
            if (this.fTxn < 0) this.fTxn = B.fId('txn');
            f = this.fTxn;
          } else {
            f = B.fId(this.text(b));
            if (f === 0xffff) return -1;
          }
        } else process = B.processCode(this.text(b));
      }
      p = edn ? wsEdn(b, p) : ws(b, p);
      c = b[p];
      if (c === RBRACE) break;
      if (!edn) {
        if (c !== COMMA) return -1;
        p = ws(b, p + 1);
      }
    }
    p = edn ? wsEdn(b, p + 1) : ws(b, p + 1);
    if (b[p] !== NL || type < 0) return -1;
    if (f < 0) f = this.fEmpty < 0 ? (this.fEmpty = B.fId('')) : this.fEmpty;
    if (index !== index) index = B.length;
    this.index(index);
    B.endOp(type, process, index, time, f, shape & S_LIST ? shape : S_NOT_TXN, this.lineNo);
    return p;
  }

  /** A transaction, a list of micro-ops, at p (its `[`); the position after it, or -1. Sets `mopShape`. */
  private txn(b: Uint8Array, p: number): number {
    const edn = this.edn;
    let shape = S_LIST;
    p = edn ? wsEdn(b, p + 1) : ws(b, p + 1);
    if (b[p] !== RBRACKET) {
      for (;;) {
        p = this.mop(b, p);
        if (p < 0) return -1;
        shape |= this.mopShape;
        p = edn ? wsEdn(b, p) : ws(b, p);
        const c = b[p];
        if (c === RBRACKET) break;
        if (!edn) {
          if (c !== COMMA) return -1;
          p = ws(b, p + 1);
        }
      }
    }
    this.mopShape = shape;
    return p + 1;
  }

  /** One micro-op `[f k v]` at p; the position after it, or -1. Sets `mopShape`. */
  private mop(b: Uint8Array, p: number): number {
    if (b[p] !== LBRACKET) return -1;
    const edn = this.edn;
    p = edn ? wsEdn(b, p + 1) : ws(b, p + 1);
    p = this.name(b, p);
    if (p < 0) return -1;
    const s = this.ns;
    const len = this.ne - s;
    let kind: number;
    if (len === 1 && b[s] === 114 /* r */) kind = M_READ;
    else if (len === 6 && b[s] === 97 && b[s + 1] === 112 && b[s + 2] === 112 && b[s + 3] === 101 && b[s + 4] === 110 && b[s + 5] === 100) kind = M_APPEND;
    else if (len === 1 && b[s] === 119 /* w */) kind = M_WRITE;
    else return -1;
    p = this.separator(b, p);
    if (p < 0) return -1;
    const B = this.b;
    const key = this.scalar(b, p, true);
    if (key === -2) return -1;
    p = this.separator(b, this.end_);
    if (p < 0) return -1;
    let shape = kind === M_READ ? S_READ : kind === M_APPEND ? S_APPEND : S_WRITE;
    if (B.nMops === B.mopKind.length) B.reserve(0, 64, 0);
    const g = B.nMops++;
    B.mopKind[g] = kind;
    B.mopKey[g] = key;
    if (b[p] === LBRACKET) {
      if (kind !== M_READ) return -1;
      let elems = B.elems;
      const start = B.nElems;
      let n = start;
      p = edn ? wsEdn(b, p + 1) : ws(b, p + 1);
      if (b[p] !== RBRACKET) {
        for (;;) {
          // The usual element: a non-negative integer of at most 9 digits, its own code.
          let c = b[p]!;
          let code: number;
          if (c > 48 && c <= 57) {
            let x = c - 48;
            let q = p + 1;
            c = b[q]!;
            while (c >= 48 && c <= 57) {
              x = x * 10 + (c - 48);
              c = b[++q]!;
            }
            if (q - p < 10 && (c === COMMA || c === RBRACKET || c === 32)) {
              code = x;
              p = q;
            } else {
              code = this.scalar(b, p, false);
              if (code === -2) return -1;
              p = this.end_;
            }
          } else {
            code = this.scalar(b, p, false);
            if (code === -2) return -1;
            p = this.end_;
          }
          if (n === elems.length) {
            B.nElems = n;
            B.reserve(0, 0, 1024);
            elems = B.elems;
          }
          elems[n++] = code;
          p = edn ? wsEdn(b, p) : ws(b, p);
          c = b[p]!;
          if (c === RBRACKET) break;
          if (!edn) {
            if (c !== COMMA) return -1;
            p = ws(b, p + 1);
          }
        }
      }
      p++;
      B.nElems = n;
      B.mopValue[g] = start;
      B.mopLen[g] = n - start;
    } else {
      const code = this.scalar(b, p, false);
      if (code === -2) return -1;
      if (code === NIL && kind === M_WRITE) shape |= S_NIL_WRITE;
      p = this.end_;
      B.mopValue[g] = code;
      B.mopLen[g] = SCALAR;
    }
    p = edn ? wsEdn(b, p) : ws(b, p);
    if (b[p] !== RBRACKET) return -1;
    this.mopShape = shape;
    return p + 1;
  }

  /** The separator between the elements of a micro-op (`,` in JSON); the position after it, or -1. */
  private separator(b: Uint8Array, p: number): number {
    if (this.edn) return wsEdn(b, p);
    p = ws(b, p);
    if (b[p] !== COMMA) return -1;
    return ws(b, p + 1);
  }

  /**
   * An integer, a string, a keyword (EDN) or null at p: its key id (`key`) or value code, or -2
   * for anything else; `end_` is set to the position after it.
   */
  private scalar(b: Uint8Array, p: number, key: boolean): number {
    const B = this.b;
    const c = b[p];
    if (c === QUOTE || (c === COLON && this.edn)) {
      const q = this.name(b, p);
      if (q < 0) return -2;
      const t = this.text(b);
      this.end_ = q;
      return key ? B.keys.id(t) : B.values.code(t);
    }
    if (c === N) {
      const q = this.nil(b, p);
      if (q < 0) return -2;
      this.end_ = q;
      return key ? B.keys.id(null) : NIL;
    }
    const q = this.int(b, p);
    if (q < 0) return -2;
    this.end_ = q;
    const x = this.num;
    if (key) return B.keys.id(x);
    return (x & SMALL) === x ? x : B.values.code(x);
  }

  /** `null` (JSON) or `nil` (EDN) at p; the position after it, or -1. */
  private nil(b: Uint8Array, p: number): number {
    if (this.edn) return b[p + 1] === 105 && b[p + 2] === 108 && isDelimiter(b[p + 3]) ? p + 3 : -1;
    return b[p + 1] === 117 && b[p + 2] === 108 && b[p + 3] === 108 ? p + 4 : -1;
  }

  /** An integer of at most 15 digits at p, followed by a delimiter (no fraction, exponent, `N`, or `-0`); the position after it, or -1. Sets `num`. */
  private int(b: Uint8Array, p: number): number {
    let neg = false;
    if (b[p] === MINUS) {
      neg = true;
      p++;
    }
    const s = p;
    let x = 0;
    let c = b[p]!;
    while (c >= 48 && c <= 57) {
      x = x * 10 + (c - 48);
      c = b[++p]!;
    }
    const len = p - s;
    if (len === 0 || len > 15 || (b[s] === 48 && (len > 1 || neg)) || !isDelimiter(c)) return -1;
    this.num = neg ? -x : x;
    return p;
  }

  /** A string (without escapes) or, in EDN, a keyword at p; the position after it, or -1. Sets `ns` .. `ne` to its text. */
  private name(b: Uint8Array, p: number): number {
    const c = b[p];
    if (c === QUOTE) return this.string(b, p);
    if (c === COLON && this.edn) return this.keyword(b, p);
    return -1;
  }

  /** A string without escapes at p (its opening quote); the position after it, or -1. */
  private string(b: Uint8Array, p: number): number {
    const s = p + 1;
    let q = s;
    let c = b[q]!;
    while (c !== QUOTE) {
      if (c === BACKSLASH || c < 32) return -1;
      c = b[++q]!;
    }
    this.ns = s;
    this.ne = q;
    return q + 1;
  }

  /** A plain keyword `:name` at p (not `::name`); the position after it, or -1. */
  private keyword(b: Uint8Array, p: number): number {
    const s = p + 1;
    let q = s;
    while (!isDelimiter(b[q])) q++;
    if (q === s || b[s] === COLON) return -1;
    this.ns = s;
    this.ne = q;
    return q;
  }

  /** The text of the last string or keyword scanned. */
  private text(b: Uint8Array): string {
    const { ns, ne } = this;
    let ascii = ne - ns < 64;
    for (let i = ns; ascii && i < ne; i++) if (b[i]! >= 128) ascii = false;
    return ascii ? String.fromCharCode.apply(null, b.subarray(ns, ne) as unknown as number[]) : decoder.decode(b.subarray(ns, ne));
  }
}

/** Reads Gyre's JSON Lines history (see {@link TxnLineReader}). */
export class TxnJsonlReader extends TxnLineReader {
  constructor(size: { bytes?: number } = {}) {
    super(false, size);
  }
  protected slowOp(text: string): unknown {
    try {
      return parseJson(text);
    } catch (err) {
      throw new TxnReadError(`not valid JSON (${(err as Error).message})`, this.lineNo);
    }
  }
}

/**
 * Reads an EDN history with one op map per line, as Jepsen and Maelstrom write `history.edn`
 * (see {@link TxnLineReader}). Keywords read as strings. A file that is one vector, or has a map
 * spread over several lines, throws {@link TxnReadError}.
 */
export class TxnEdnReader extends TxnLineReader {
  constructor(size: { bytes?: number } = {}) {
    super(true, size);
  }
  protected slowOp(text: string): unknown {
    let forms;
    try {
      forms = parseEdnAll(text);
    } catch (err) {
      throw new TxnReadError(`not valid EDN (${(err as Error).message})`, this.lineNo);
    }
    const form = forms[0];
    if (forms.length !== 1 || !(form instanceof EdnMap || (form instanceof EdnTagged && form.value instanceof EdnMap))) throw new TxnReadError('expected one op map on the line', this.lineNo);
    return ednToPlain(form);
  }
}

/** The field a key names (by its bytes), or 0 for any other. */
function fieldOf(b: Uint8Array, s: number, len: number): number {
  switch (len) {
    case 1:
      return b[s] === 102 /* f */ ? F_F : 0;
    case 4:
      return b[s] === 116 && b[s + 1] === 105 && b[s + 2] === 109 && b[s + 3] === 101 ? F_TIME : b[s] === 116 && b[s + 1] === 121 && b[s + 2] === 112 && b[s + 3] === 101 ? F_TYPE : 0;
    case 5:
      return b[s] === 105 && b[s + 1] === 110 && b[s + 2] === 100 && b[s + 3] === 101 && b[s + 4] === 120 ? F_INDEX : b[s] === 118 && b[s + 1] === 97 && b[s + 2] === 108 && b[s + 3] === 117 && b[s + 4] === 101 ? F_VALUE : 0;
    case 7:
      return b[s] === 112 && b[s + 1] === 114 && b[s + 2] === 111 && b[s + 3] === 99 && b[s + 4] === 101 && b[s + 5] === 115 && b[s + 6] === 115 ? F_PROCESS : 0;
    default:
      return 0;
  }
}

/** The op type a name spells, or -1. */
function typeOf(b: Uint8Array, s: number, len: number): number {
  if (len === 2 && b[s] === 111 && b[s + 1] === 107) return T_OK;
  if (len === 4 && b[s] === 105 && b[s + 1] === 110 && b[s + 2] === 102 && b[s + 3] === 111) return T_INFO;
  if (len === 4 && b[s] === 102 && b[s + 1] === 97 && b[s + 2] === 105 && b[s + 3] === 108) return T_FAIL;
  if (len === 6 && b[s] === 105 && b[s + 1] === 110 && b[s + 2] === 118 && b[s + 3] === 111 && b[s + 4] === 107 && b[s + 5] === 101) return T_INVOKE;
  return -1;
}
