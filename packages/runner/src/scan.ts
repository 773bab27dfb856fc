/**
 * An allocation-free check of the commonest line a node prints: a compact message from one node to
 * another. It validates the whole line as JSON without building anything, and finds `src` and
 * `dest`. It is conservative: anything unusual (escapes in keys or ids, an `id`, repeated or other
 * keys, deep nesting) is left to the full decoder, so whatever it accepts, `JSON.parse` accepts
 * with the same `src` and `dest`.
 */

const MAX_DEPTH = 64;

/** Where `src` and `dest` are in a line that is a plain `{"src","dest","body"}` message, or undefined. */
export interface EnvelopeSpan {
  src: string;
  dest: string;
}

/**
 * Scans `line` for a JSON object with exactly the keys `src`, `dest` (strings without escapes)
 * and `body` (an object), each once, in any order, and nothing after it but whitespace.
 * Returns their values, or undefined when the line is anything else.
 */
export function scanEnvelope(line: string): EnvelopeSpan | undefined {
  let i = ws(line, 0);
  if (line.charCodeAt(i) !== 123) return undefined;
  i = ws(line, i + 1);
  let src: string | undefined;
  let dest: string | undefined;
  let body = false;
  for (;;) {
    if (line.charCodeAt(i) !== 34) return undefined;
    const kEnd = plainString(line, i);
    if (kEnd < 0) return undefined;
    const klen = kEnd - i - 2;
    const k0 = line.charCodeAt(i + 1);
    let key = 0;
    if (klen === 3 && k0 === 115 && line.startsWith('src"', i + 1)) key = 1;
    else if (klen === 4 && k0 === 100 && line.startsWith('dest"', i + 1)) key = 2;
    else if (klen === 4 && k0 === 98 && line.startsWith('body"', i + 1)) key = 3;
    else return undefined;
    i = ws(line, kEnd);
    if (line.charCodeAt(i) !== 58) return undefined;
    i = ws(line, i + 1);
    if (key === 3) {
      if (body || line.charCodeAt(i) !== 123) return undefined;
      i = value(line, i, 1);
      if (i < 0) return undefined;
      body = true;
    } else {
      if (line.charCodeAt(i) !== 34) return undefined;
      const end = plainString(line, i);
      if (end < 0) return undefined;
      const v = line.slice(i + 1, end - 1);
      if (key === 1) {
        if (src !== undefined) return undefined;
        src = v;
      } else {
        if (dest !== undefined) return undefined;
        dest = v;
      }
      i = end;
    }
    i = ws(line, i);
    const c = line.charCodeAt(i);
    if (c === 44) {
      i = ws(line, i + 1);
      continue;
    }
    if (c !== 125) return undefined;
    if (ws(line, i + 1) !== line.length || src === undefined || dest === undefined || !body) return undefined;
    return { src, dest };
  }
}

function ws(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else return i;
  }
}

/** End (after the closing quote) of a string without escapes or control characters at `i`, or -1. */
function plainString(s: string, i: number): number {
  for (i++; ; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c === 92 || c < 32 || c !== c) return -1;
  }
}

/** End of any JSON string at `i` (escapes checked as JSON.parse checks them), or -1. */
function string(s: string, i: number): number {
  for (i++; ; ) {
    const c = s.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c === 92) {
      const e = s.charCodeAt(i + 1);
      if (e === 117) {
        for (let k = 2; k < 6; k++) {
          const h = s.charCodeAt(i + k);
          if (!((h >= 48 && h <= 57) || (h >= 65 && h <= 70) || (h >= 97 && h <= 102))) return -1;
        }
        i += 6;
      } else if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) i += 2;
      else return -1;
    } else if (c < 32 || c !== c) return -1;
    else i++;
  }
}

function digits(s: string, i: number): number {
  let c = s.charCodeAt(i);
  if (!(c >= 48 && c <= 57)) return -1;
  do c = s.charCodeAt(++i);
  while (c >= 48 && c <= 57);
  return i;
}

function number(s: string, i: number): number {
  if (s.charCodeAt(i) === 45) i++;
  const c = s.charCodeAt(i);
  if (c === 48) i++;
  else if (c >= 49 && c <= 57) i = digits(s, i);
  else return -1;
  if (s.charCodeAt(i) === 46) {
    i = digits(s, i + 1);
    if (i < 0) return -1;
  }
  const e = s.charCodeAt(i);
  if (e === 101 || e === 69) {
    i++;
    const sign = s.charCodeAt(i);
    if (sign === 43 || sign === 45) i++;
    i = digits(s, i);
  }
  return i;
}

/** End of the JSON value at `i`, or -1 if there is none (or it nests deeper than MAX_DEPTH). */
function value(s: string, i: number, depth: number): number {
  const c = s.charCodeAt(i);
  if (c === 34) return string(s, i);
  if (c === 123 || c === 91) {
    if (depth > MAX_DEPTH) return -1;
    const close = c === 123 ? 125 : 93;
    i = ws(s, i + 1);
    if (s.charCodeAt(i) === close) return i + 1;
    for (;;) {
      if (c === 123) {
        if (s.charCodeAt(i) !== 34) return -1;
        i = string(s, i);
        if (i < 0) return -1;
        i = ws(s, i);
        if (s.charCodeAt(i) !== 58) return -1;
        i = ws(s, i + 1);
      }
      i = value(s, i, depth + 1);
      if (i < 0) return -1;
      i = ws(s, i);
      const d = s.charCodeAt(i);
      if (d === 44) i = ws(s, i + 1);
      else if (d === close) return i + 1;
      else return -1;
    }
  }
  if (c === 116) return s.startsWith('true', i) ? i + 4 : -1;
  if (c === 102) return s.startsWith('false', i) ? i + 5 : -1;
  if (c === 110) return s.startsWith('null', i) ? i + 4 : -1;
  return number(s, i);
}
