/**
 * Reading a JSON Lines history straight into a {@link TxnHistory}, chunk by chunk, without an
 * object per op. Each line is scanned byte by byte for the common shape (an object of `index`,
 * `time`, `type`, `process`, `f` and a `value` of `[f, k, v]` micro-ops over integers, plain
 * strings and null); any other line (other fields, escapes, floats, big integers, nested values)
 * is decoded and read with the lossless `parseJson` and `toOp` of `@gyre/history`, exactly as
 * `parseHistoryJsonl` reads it, and kept as that op.
 */
import { parseJson, toOp } from '@gyre/history';
import { type TxnHistory, M_APPEND, M_READ, M_WRITE, NIL, S_APPEND, S_NIL_WRITE, S_READ, S_WRITE, SCALAR, SMALL, T_FAIL, T_INFO, T_INVOKE, T_OK, TxnHistoryBuilder } from './compact';

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
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const NL = 10;

const isWs = (c: number) => c === 32 || c === 9 || c === 13;

/** Field bits, to refuse a repeated field. */
const F_INDEX = 1;
const F_TIME = 2;
const F_TYPE = 4;
const F_PROCESS = 8;
const F_F = 16;
const F_VALUE = 32;

/**
 * Reads JSON Lines into a {@link TxnHistory}: {@link TxnJsonlReader.push} each chunk of bytes as
 * it is read, then {@link TxnJsonlReader.end}. Blank lines are skipped; a line that is not an op
 * throws {@link TxnReadError}. Indices that do not increase strictly are replaced by positions
 * (`renumbered`), as `gyre check` does.
 */
export class TxnJsonlReader {
  private readonly b: TxnHistoryBuilder;
  private carry: Uint8Array = new Uint8Array(0);
  private carryLen = 0;
  private lineNo = 0;
  private lastIndex = -Infinity;
  /** True when the indices did not increase strictly, so entries were renumbered. */
  renumbered = false;
  private fTxn = -1;
  // The scanner's results: a number, a string.
  private num = 0;
  private str = '';

  private bytesSeen = 0;
  private readonly bytes: number;

  /** `bytes`: the size of the whole input, when known, to size the columns once. */
  constructor(size: { bytes?: number } = {}) {
    this.b = new TxnHistoryBuilder({ lines: true });
    this.bytes = size.bytes ?? 0;
  }

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

  private lines(chunk: Uint8Array): void {
    let s = 0;
    if (this.carryLen > 0) {
      const nl = chunk.indexOf(NL);
      const end = nl < 0 ? chunk.length : nl;
      this.keep(chunk, 0, end);
      if (nl < 0) return;
      this.line(this.carry, 0, this.carryLen);
      this.carryLen = 0;
      s = nl + 1;
    }
    const n = chunk.length;
    while (s < n) {
      const nl = chunk.indexOf(NL, s);
      if (nl < 0) {
        this.keep(chunk, s, n);
        return;
      }
      this.line(chunk, s, nl);
      s = nl + 1;
    }
  }

  /** The history read (after the last line). */
  end(): TxnHistory {
    if (this.carryLen > 0) {
      this.line(this.carry, 0, this.carryLen);
      this.carryLen = 0;
    }
    if (this.renumbered) this.b.renumber();
    return this.b.finish();
  }

  private keep(chunk: Uint8Array, s: number, e: number): void {
    const need = this.carryLen + (e - s);
    if (need > this.carry.length) {
      const c = new Uint8Array(Math.max(need, this.carry.length * 2, 4096));
      c.set(this.carry.subarray(0, this.carryLen));
      this.carry = c;
    }
    this.carry.set(chunk.subarray(s, e), this.carryLen);
    this.carryLen = need;
  }

  private line(b: Uint8Array, s: number, e: number): void {
    this.lineNo++;
    let p = s;
    while (p < e && isWs(b[p]!)) p++;
    if (p === e) return;
    const B = this.b;
    const mops = B.nMops;
    const elems = B.nElems;
    // A micro-op takes at least 9 bytes (`["r",0,0]`), an element at least 2.
    B.reserve(1, ((e - p) >> 3) + 1, ((e - p) >> 1) + 1);
    if (!this.fast(b, p, e)) {
      B.nMops = mops;
      B.nElems = elems;
      this.slow(b, s, e);
    }
  }

  private slow(b: Uint8Array, s: number, e: number): void {
    const text = decoder.decode(b.subarray(s, e)).trim();
    let raw: unknown;
    try {
      raw = parseJson(text);
    } catch (err) {
      throw new TxnReadError(`not valid JSON (${(err as Error).message})`, this.lineNo);
    }
    const op = toOp(raw, this.b.length);
    if (typeof op === 'string') throw new TxnReadError(op, this.lineNo);
    this.index(op.index);
    this.b.addOp(op, this.lineNo);
  }

  private index(i: number): void {
    if (!(i > this.lastIndex)) this.renumbered = true;
    this.lastIndex = i;
  }

  /** Scans one op line from p (its first non-blank byte); false if it is not of the common shape. */
  private fast(b: Uint8Array, p: number, e: number): boolean {
    if (b[p] !== LBRACE) return false;
    p++;
    const B = this.b;
    let seen = 0;
    let index = NaN;
    let time = 0;
    let type = -1;
    let process = 0;
    let f = -1;
    let isTxn = false;
    let shape = 0;
    p = skipWs(b, p, e);
    if (b[p] === RBRACE) return false;
    for (;;) {
      if (b[p] !== QUOTE) return false;
      const ks = p + 1;
      let ke = ks;
      while (ke < e && b[ke] !== QUOTE && b[ke] !== BACKSLASH) ke++;
      if (b[ke] !== QUOTE) return false;
      p = skipWs(b, ke + 1, e);
      if (b[p] !== COLON) return false;
      p = skipWs(b, p + 1, e);
      const field = fieldOf(b, ks, ke - ks);
      if (field === 0 || seen & field) return false;
      seen |= field;
      const c = b[p];
      switch (field) {
        case F_INDEX:
          p = this.int(b, p, e);
          if (p < 0) return false;
          index = this.num;
          break;
        case F_TIME:
          if (c === 110 /* n */) {
            p = literalNull(b, p, e);
            if (p < 0) return false;
            break;
          }
          p = this.int(b, p, e);
          if (p < 0) return false;
          time = this.num;
          break;
        case F_TYPE:
          if (c !== QUOTE) return false;
          type = typeOf(b, p + 1, e);
          if (type < 0) return false;
          p = b.indexOf(QUOTE, p + 1) + 1;
          break;
        case F_PROCESS:
          if (c === QUOTE) {
            p = this.string(b, p, e);
            if (p < 0) return false;
            process = B.processCode(this.str);
          } else if (c === 110) {
            p = literalNull(b, p, e);
            if (p < 0) return false;
          } else {
            p = this.int(b, p, e);
            if (p < 0) return false;
            process = B.processCode(this.num);
          }
          break;
        case F_F:
          if (c === 110) {
            p = literalNull(b, p, e);
            if (p < 0) return false;
            break;
          }
          if (c !== QUOTE) return false;
          if (b[p + 1] === 116 && b[p + 2] === 120 && b[p + 3] === 110 && b[p + 4] === QUOTE) {
            if (this.fTxn < 0) this.fTxn = B.fs.id('txn');
            f = this.fTxn;
            p += 5;
          } else {
            p = this.string(b, p, e);
            if (p < 0) return false;
            f = B.fs.id(this.str);
          }
          break;
        default: {
          // value
          if (c === 110) {
            p = literalNull(b, p, e);
            if (p < 0) return false;
            break;
          }
          if (c !== LBRACKET) return false;
          isTxn = true;
          p = skipWs(b, p + 1, e);
          if (b[p] === RBRACKET) {
            p++;
            break;
          }
          for (;;) {
            const r = this.mop(b, p, e);
            if (r < 0) return false;
            shape |= this.mopShape;
            p = skipWs(b, r, e);
            if (b[p] === COMMA) {
              p = skipWs(b, p + 1, e);
              continue;
            }
            if (b[p] !== RBRACKET) return false;
            p++;
            break;
          }
        }
      }
      p = skipWs(b, p, e);
      if (b[p] === COMMA) {
        p = skipWs(b, p + 1, e);
        continue;
      }
      if (b[p] !== RBRACE) return false;
      p = skipWs(b, p + 1, e);
      if (p !== e) return false;
      break;
    }
    if (type < 0) return false;
    if (f < 0) f = B.fs.id('');
    if (index !== index) index = B.length;
    this.index(index);
    B.endOp(type, process, index, time, f, isTxn, isTxn ? shape : 1, this.lineNo);
    return true;
  }

  private mopShape = 0;

  /** One micro-op `[f, k, v]` at p; the position after it, or -1. */
  private mop(b: Uint8Array, p: number, e: number): number {
    if (b[p] !== LBRACKET) return -1;
    p = skipWs(b, p + 1, e);
    if (b[p] !== QUOTE) return -1;
    let kind: number;
    if (b[p + 1] === 114 /* r */ && b[p + 2] === QUOTE) {
      kind = M_READ;
      p += 3;
    } else if (b[p + 1] === 119 /* w */ && b[p + 2] === QUOTE) {
      kind = M_WRITE;
      p += 3;
    } else if (b[p + 1] === 97 && b[p + 2] === 112 && b[p + 3] === 112 && b[p + 4] === 101 && b[p + 5] === 110 && b[p + 6] === 100 && b[p + 7] === QUOTE) {
      kind = M_APPEND;
      p += 8;
    } else return -1;
    p = skipWs(b, p, e);
    if (b[p] !== COMMA) return -1;
    p = skipWs(b, p + 1, e);
    const B = this.b;
    let key: number;
    if (b[p] === QUOTE) {
      p = this.string(b, p, e);
      if (p < 0) return -1;
      key = B.keys.id(this.str);
    } else {
      p = this.int(b, p, e);
      if (p < 0) return -1;
      key = B.keys.id(this.num);
    }
    p = skipWs(b, p, e);
    if (b[p] !== COMMA) return -1;
    p = skipWs(b, p + 1, e);
    const c = b[p];
    let shape = kind === M_READ ? S_READ : kind === M_APPEND ? S_APPEND : S_WRITE;
    if (c === LBRACKET) {
      if (kind !== M_READ) return -1;
      const elems = B.elems;
      const start = B.nElems;
      let n = start;
      p = skipWs(b, p + 1, e);
      if (b[p] !== RBRACKET) {
        for (;;) {
          const x = b[p];
          let code: number;
          if (x === QUOTE) {
            p = this.string(b, p, e);
            if (p < 0) return -1;
            code = B.values.code(this.str);
          } else if (x === 110) {
            p = literalNull(b, p, e);
            if (p < 0) return -1;
            code = NIL;
          } else {
            p = this.int(b, p, e);
            if (p < 0) return -1;
            const x = this.num;
            code = (x & SMALL) === x ? x : B.values.code(x);
          }
          elems[n++] = code;
          p = skipWs(b, p, e);
          if (b[p] === COMMA) {
            p = skipWs(b, p + 1, e);
            continue;
          }
          if (b[p] !== RBRACKET) return -1;
          break;
        }
      }
      p++;
      B.nElems = n;
      const g = B.nMops++;
      B.mopKind[g] = kind;
      B.mopKey[g] = key;
      B.mopValue[g] = start;
      B.mopLen[g] = n - start;
    } else {
      let code: number;
      if (c === QUOTE) {
        p = this.string(b, p, e);
        if (p < 0) return -1;
        code = B.values.code(this.str);
      } else if (c === 110) {
        p = literalNull(b, p, e);
        if (p < 0) return -1;
        code = NIL;
        if (kind === M_WRITE) shape |= S_NIL_WRITE;
      } else {
        p = this.int(b, p, e);
        if (p < 0) return -1;
        const x = this.num;
        code = (x & SMALL) === x ? x : B.values.code(x);
      }
      const g = B.nMops++;
      B.mopKind[g] = kind;
      B.mopKey[g] = key;
      B.mopValue[g] = code;
      B.mopLen[g] = SCALAR;
    }
    p = skipWs(b, p, e);
    if (b[p] !== RBRACKET) return -1;
    this.mopShape = shape;
    return p + 1;
  }

  /** An integer of at most 15 digits at p (no fraction, no exponent, no `-0`); the position after it, or -1. Sets `num`. */
  private int(b: Uint8Array, p: number, e: number): number {
    let neg = false;
    if (b[p] === MINUS) {
      neg = true;
      p++;
    }
    const s = p;
    let x = 0;
    while (p < e) {
      const d = b[p]! - 48;
      if (d < 0 || d > 9) break;
      x = x * 10 + d;
      p++;
    }
    const len = p - s;
    if (len === 0 || len > 15 || (b[s] === 48 && (len > 1 || neg))) return -1;
    const c = b[p];
    if (c === 46 /* . */ || c === 101 /* e */ || c === 69 /* E */) return -1;
    this.num = neg ? -x : x;
    return p;
  }

  /** A string without escapes at p (the opening quote); the position after it, or -1. Sets `str`. */
  private string(b: Uint8Array, p: number, e: number): number {
    const s = p + 1;
    let q = s;
    let ascii = true;
    while (q < e) {
      const c = b[q]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH || c < 32) return -1;
      if (c >= 128) ascii = false;
      q++;
    }
    if (q >= e) return -1;
    this.str = ascii && q - s < 64 ? String.fromCharCode.apply(null, b.subarray(s, q) as unknown as number[]) : decoder.decode(b.subarray(s, q));
    return q + 1;
  }
}

function skipWs(b: Uint8Array, p: number, e: number): number {
  while (p < e && isWs(b[p]!)) p++;
  return p;
}

function literalNull(b: Uint8Array, p: number, e: number): number {
  return p + 3 < e && b[p] === 110 && b[p + 1] === 117 && b[p + 2] === 108 && b[p + 3] === 108 ? p + 4 : -1;
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

/** The op type of the string starting at p (after its quote), or -1. */
function typeOf(b: Uint8Array, p: number, e: number): number {
  const c = b[p];
  if (c === 111 && b[p + 1] === 107 && b[p + 2] === QUOTE) return T_OK;
  if (c === 105) {
    if (b[p + 1] === 110 && b[p + 2] === 102 && b[p + 3] === 111 && b[p + 4] === QUOTE) return T_INFO;
    if (p + 6 < e && b[p + 1] === 110 && b[p + 2] === 118 && b[p + 3] === 111 && b[p + 4] === 107 && b[p + 5] === 101 && b[p + 6] === QUOTE) return T_INVOKE;
  }
  if (c === 102 && b[p + 1] === 97 && b[p + 2] === 105 && b[p + 3] === 108 && b[p + 4] === QUOTE) return T_FAIL;
  return -1;
}
