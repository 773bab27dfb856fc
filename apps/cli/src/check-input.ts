/**
 * Reading a history file for `gyre check`: telling its format from its content, parsing it, and
 * remembering the line each operation came from, so that errors and explanations can point at the
 * file.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import {
  EdnList,
  EdnMap,
  EdnSyntaxError,
  EdnTagged,
  JsonSyntaxError,
  JsonlHistoryReader,
  JsonlLineError,
  ednToPlain,
  HistoryFormatError,
  exceedsMaxNesting,
  needsLosslessJson,
  parseEdnAll,
  parseEdnRecords,
  parseJepsenLogLines,
  parseJson,
  printEdn,
  showInput,
  stringifyJson,
  toOp,
  type EdnValue,
  type Op,
} from '@gyre/history';

/** The history formats `gyre check` reads. */
export const HISTORY_FORMATS = ['jsonl', 'json', 'edn', 'etcd-log', 'kv-trace'] as const;
export type HistoryFormat = (typeof HISTORY_FORMATS)[number];

/** What each format is, for the help text. */
export const FORMAT_DOCS: Record<HistoryFormat, string> = {
  jsonl: "Gyre's history.jsonl: one JSON op per line",
  json: "a JSON array of ops (elle-cli's JSON: keywords as strings)",
  edn: "Jepsen / Maelstrom history.edn: one op map per line, or a vector or list of op maps",
  'etcd-log': 'a Jepsen log with lines like `INFO  jepsen.util - 3  :invoke  :cas  [1 4]` (the etcd logs)',
  'kv-trace': "Porcupine's key-value traces: EDN maps with :f :get/:put/:append and a string :key",
};

/** A file that cannot be read as a history; `line` is 1-based when known. */
export class InputError extends Error {
  override name = 'InputError';
  readonly line: number | undefined;
  constructor(message: string, line?: number) {
    super(message);
    this.line = line;
  }
}

/** A parsed history: the ops, and for each op the 1-based line of the file it starts on. */
export interface ParsedHistory {
  format: HistoryFormat;
  ops: Op[];
  lines: number[];
}

/** How many characters of a file {@link detectFormat} looks at. */
const DETECT_CHARS = 64 * 1024;

const LOG_LINE = /jepsen\.util\s+-\s+\d+\s+:(invoke|ok|fail|info)\s/;

/** The first character that is not white space or inside an EDN `;` comment, and what follows it. */
function firstSignificant(text: string, from = 0): { ch: string; at: number } | undefined {
  let i = from;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ';') {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return undefined;
      i = nl + 1;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ',') {
      i++;
    } else {
      return { ch: c, at: i };
    }
  }
  return undefined;
}

/**
 * Tells the format from the content, or undefined when it cannot. Etcd logs are recognised by their
 * `jepsen.util - N :type` lines; otherwise the first characters decide: `{"` is JSON Lines, `[{"`
 * (or `[]`) a JSON array, `{:`, `[{:`, `(` or `#` EDN. EDN whose ops carry a `:key` and
 * `:f :get`/`:put`/`:append` is a kv trace. Only the first 64 K characters are
 * looked at: a file that starts with more blank lines or comments than that needs `--format`.
 */
export function detectFormat(text: string): HistoryFormat | undefined {
  const head = text.length > DETECT_CHARS ? text.slice(0, DETECT_CHARS) : text;
  if (LOG_LINE.test(head)) return 'etcd-log';
  const a = firstSignificant(head);
  if (!a) return undefined;
  const b = firstSignificant(head, a.at + 1);
  let edn = false;
  if (a.ch === '{') {
    if (b?.ch === '"' || b?.ch === '}') return 'jsonl';
    edn = true;
  } else if (a.ch === '[') {
    if (b?.ch === ']') return 'json';
    if (b?.ch === '{') {
      const c = firstSignificant(head, b.at + 1);
      if (c?.ch === '"' || c?.ch === '}') return 'json';
    }
    edn = true;
  } else if (a.ch === '(' || a.ch === '#') {
    edn = true;
  }
  if (!edn) return undefined;
  const firstLine = head.slice(a.at, head.indexOf('\n', a.at) < 0 ? undefined : head.indexOf('\n', a.at));
  if (/:key\s/.test(firstLine) && /:f\s+:(get|put|append)\b/.test(firstLine)) return 'kv-trace';
  return 'edn';
}

/**
 * The line (1-based) on which each top-level form of a JSON array or EDN text starts: forms at
 * depth 0, or depth 1 when the whole text is one vector or list. A tagged form (`#tag {...}`) or a
 * set (`#{...}`) counts once.
 */
export function opStartLines(text: string, edn: boolean): number[] {
  const first = firstSignificant(text);
  const opDepth = first && (first.ch === '[' || first.ch === '(') ? 1 : 0;
  const out: number[] = [];
  let line = 1;
  let depth = 0;
  let tagged = false;
  const delimiter = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 44 || c === 123 || c === 125 || c === 91 || c === 93 || c === 40 || c === 41 || c === 34 || c === 59;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 44 || c === 58 /* JSON's : */) continue;
    if (edn && c === 59 /* ; */) {
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10) i++;
      continue;
    }
    if (c === 125 || c === 93 || c === 41) {
      depth--;
      continue;
    }
    const atOp = depth === opDepth;
    if (atOp && !tagged) out.push(line);
    tagged = false;
    if (c === 123 || c === 91 || c === 40) {
      depth++;
    } else if (c === 34 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
        else if (d === 10) line++;
      }
    } else if (edn && c === 35 /* # */) {
      if (text.charCodeAt(i + 1) === 123) {
        i++;
        depth++;
      } else {
        while (i + 1 < text.length && !delimiter(text.charCodeAt(i + 1))) i++;
        if (atOp) tagged = true;
      }
    } else if (edn && c === 92 /* \ char literal */) {
      i++;
      while (i + 1 < text.length && !delimiter(text.charCodeAt(i + 1))) i++;
    } else {
      while (i + 1 < text.length && !delimiter(text.charCodeAt(i + 1))) i++;
    }
  }
  return out;
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Input shown in an error: cut to 100 characters, control characters escaped. */
const clip = (s: string) => showInput(s, 100);

function parseJsonl(text: string): ParsedHistory {
  const ops: Op[] = [];
  const lines: number[] = [];
  const rows = text.split('\n');
  // Native JSON.parse for every line when no number anywhere needs the lossless reader, else line by line.
  const native = !needsLosslessJson(text);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!.trim();
    if (row === '') continue;
    let raw: unknown;
    try {
      raw = native ? nativeJson(row) : parseJson(row);
    } catch (e) {
      throw badJsonlLine(`not valid JSON (${(e as Error).message})`, row, rows.slice(i + 1).every((r) => r.trim() === ''), i + 1);
    }
    const op = toOp(raw, ops.length, true);
    if (typeof op === 'string') throw badJsonlLine(op, row, false, i + 1);
    ops.push(op);
    lines.push(i + 1);
  }
  return { format: 'jsonl', ops, lines };
}

/** A line of a JSON Lines history that is not an op: what is wrong, whether the file looks cut short there, the line. */
function badJsonlLine(problem: string, row: string, truncated: boolean, line: number): InputError {
  return new InputError(`${problem}${truncated ? '; the file ends in the middle of an operation: is it truncated?' : ''}: ${clip(row)}`, line);
}

/** `JSON.parse`, with the lossless reader's precise error when the text is not JSON. */
function nativeJson(row: string): unknown {
  let v: unknown;
  try {
    v = JSON.parse(row);
  } catch {
    return parseJson(row);
  }
  // Nested deeper than Gyre reads (MAX_NESTING): the lossless reader refuses it, saying where.
  return exceedsMaxNesting(row) ? parseJson(row) : v;
}

function parseJsonArray(text: string): ParsedHistory {
  let raw: unknown;
  try {
    raw = parseJson(text);
  } catch (e) {
    const offset = e instanceof JsonSyntaxError ? (e.offset ?? 0) : 0;
    const truncated = offset >= text.trimEnd().length;
    throw new InputError(`not valid JSON (${(e as Error).message})${truncated ? '; the file ends before the array is closed: is it truncated?' : ''}`, lineOfOffset(text, offset));
  }
  if (!Array.isArray(raw)) throw new InputError('expected a JSON array of operations', 1);
  const starts = opStartLines(text, false);
  const ops: Op[] = [];
  for (let i = 0; i < raw.length; i++) {
    const op = toOp(raw[i], i);
    if (typeof op === 'string') throw new InputError(`operation ${i}: ${op}: ${clip(stringifyJson(raw[i]))}`, starts[i]);
    ops.push(op);
  }
  return { format: 'json', ops, lines: ops.map((_, i) => starts[i] ?? 1) };
}

function parseEdnHistory(text: string, format: HistoryFormat): ParsedHistory {
  const fast = parseEdnRecords(text);
  if (fast) {
    const ops: Op[] = [];
    for (const r of fast.records) {
      if (r === null || typeof r !== 'object' || Array.isArray(r)) break;
      const op = toOp(r, ops.length, true);
      if (typeof op === 'string' || (format === 'kv-trace' && typeof op['key'] !== 'string')) break;
      ops.push(op);
    }
    // Anything odd: the full reader below names it.
    if (ops.length === fast.records.length) return { format, ops, lines: fast.lines };
  }
  let forms: EdnValue[];
  try {
    forms = parseEdnAll(text);
  } catch (e) {
    if (!(e instanceof EdnSyntaxError)) throw e;
    const msg = e.message.replace(/ at line \d+, column \d+$/, '');
    const truncated = /^missing /.test(msg) || /unterminated|end of input/.test(msg);
    throw new InputError(`not valid EDN: ${msg} (column ${e.column})${truncated ? '; the file ends before this is closed: is it truncated?' : ''}`, e.line);
  }
  const only = forms[0];
  if (forms.length === 1 && (Array.isArray(only) || only instanceof EdnList)) forms = Array.isArray(only) ? only : only.items;
  const starts = opStartLines(text, true);
  const ops: Op[] = [];
  for (let i = 0; i < forms.length; i++) {
    const form = forms[i]!;
    const isMap = form instanceof EdnMap || (form instanceof EdnTagged && form.value instanceof EdnMap);
    if (!isMap) throw new InputError(`operation ${i}: expected an op map such as {:type :invoke, :f :read, :process 0}, got ${clip(printEdn(form))}`, starts[i] ?? lineGuess(text, i));
    const op = toOp(ednToPlain(form), i);
    if (typeof op === 'string') throw new InputError(`operation ${i}: ${op}: ${clip(printEdn(form))}`, starts[i]);
    if (format === 'kv-trace' && typeof op['key'] !== 'string') throw new InputError(`operation ${i} has no string :key, as kv traces need: ${clip(printEdn(form))}`, starts[i]);
    ops.push(op);
  }
  return { format, ops, lines: ops.map((_, i) => starts[i] ?? 1) };
}

/** For a non-map form: the i-th non-blank, non-comment line. */
function lineGuess(text: string, n: number): number {
  let count = -1;
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const l = rows[i]!.trim();
    if (l === '' || l.startsWith(';')) continue;
    if (++count === n) return i + 1;
  }
  return rows.length;
}

function parseEtcdLog(text: string): ParsedHistory {
  try {
    const { ops, lines } = parseJepsenLogLines(text, true);
    return { format: 'etcd-log', ops, lines };
  } catch (e) {
    if (!(e instanceof HistoryFormatError)) throw e;
    const message = e.message.replace(/^line \d+: /, '');
    const last = /^malformed/.test(message) && text.split('\n').slice(e.line).every((r) => r.trim() === '');
    throw new InputError(last ? message.replace(/^malformed log line \(expected PROCESS :TYPE :F VALUE\)/, '$&; it is the last line: is the file truncated?') : message, e.line);
  }
}

/** Parses a history in the given format; throws {@link InputError} with the line at fault. */
export function parseHistoryText(text: string, format: HistoryFormat): ParsedHistory {
  switch (format) {
    case 'jsonl':
      return parseJsonl(text);
    case 'json':
      return parseJsonArray(text);
    case 'edn':
    case 'kv-trace':
      return parseEdnHistory(text, format);
    case 'etcd-log':
      return parseEtcdLog(text);
  }
}

const CHUNK = 1 << 20;
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** How many bytes of a larger file are decoded for {@link detectFormat}: at least its 64 K characters. */
const PROBE = 4 * 64 * 1024;

/**
 * Streams a regular, non-empty file a megabyte at a time into the sink that `open` returns for it.
 * `open` gets the file's head decoded, its size, and whether that head is the whole file: the
 * whole text when the file fits in one chunk, else enough of it for {@link detectFormat}.
 * Undefined when the file cannot be opened, is a pipe, a device or empty (read those as text), or
 * when `open` returns undefined. The sink's errors propagate.
 */
export function streamFile<S extends { push(chunk: Uint8Array): void }>(path: string, open: (head: string, size: number, whole: boolean) => S | undefined): S | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size === 0) return undefined;
    const buf = new Uint8Array(Math.min(CHUNK, stat.size));
    let n = 0;
    while (n < buf.length) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    const whole = n === stat.size && n < CHUNK;
    const sink = open(utf8.decode(buf.subarray(0, whole ? n : Math.min(n, PROBE))), stat.size, whole);
    if (!sink) return undefined;
    while (n > 0) {
      sink.push(n === buf.length ? buf : buf.subarray(0, n));
      n = readSync(fd, buf, 0, buf.length, null);
    }
    return sink;
  } finally {
    closeSync(fd);
  }
}

/** A history file read: the history, or what is wrong with it (with its line when known). */
export type ReadHistory = ParsedHistory | string | { message: string; line: number | undefined };

const EMPTY_FILE = 'the file is empty: there is no history to check';

/**
 * Reads and parses a history file, in the format `forced` or told from its content
 * ({@link detectFormat}): the history, or what is wrong. The file is opened once:
 * - JSON Lines are read chunk by chunk, never as one string: the same ops and lines as
 *   {@link parseHistoryText}. A line that is not an op gives the same message and line, found as
 *   the file is read (the rest is not read).
 * - A file of another format that fits in one chunk (a megabyte) is parsed from that chunk.
 * - Anything else (a larger file of another format, a pipe, a device) is read as text.
 */
export function readHistoryFile(path: string, forced: HistoryFormat | undefined): ReadHistory {
  let small: { text: string; format: HistoryFormat | undefined } | undefined;
  let streamed: ParsedHistory | undefined;
  try {
    const reader = streamFile(path, (head, _size, whole) => {
      const format = forced ?? detectFormat(head);
      if (format === 'jsonl') return new JsonlHistoryReader();
      if (whole) small = { text: head, format };
      return undefined;
    });
    if (reader) {
      const { ops, lines } = reader.end();
      streamed = { format: 'jsonl', ops, lines };
    }
  } catch (e) {
    if (e instanceof JsonlLineError) return unreadable('jsonl', badJsonlLine(e.problem, e.input, e.notJson && e.last, e.line));
    // A file that cannot be read to its end: the text reader names the problem.
  }
  if (streamed) return streamed.ops.length > 0 ? streamed : EMPTY_FILE;
  return small ? parseText(small.text, small.format) : readAsText(path, forced);
}

/** What is wrong with a history file that {@link parseHistoryText} refused. */
function unreadable(format: HistoryFormat, e: unknown): ReadHistory {
  if (e instanceof InputError) return { message: `not a readable ${format} history: ${e.message}`, line: e.line };
  throw e;
}

/** Reads and parses a history file as text. */
function readAsText(path: string, forced: HistoryFormat | undefined): ReadHistory {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') return 'is a directory, not a history file';
    return code === 'ENOENT' ? `no such file (looked for ${path})` : `cannot read: ${(e as Error).message}`;
  }
  return parseText(text, forced ?? detectFormat(text));
}

/** Parses a history file's text in `format` (undefined: not told from its content). */
function parseText(text: string, format: HistoryFormat | undefined): ReadHistory {
  if (text.trim() === '') return EMPTY_FILE;
  if (!format) return { message: `cannot tell the format of this file from its content; use --format (${HISTORY_FORMATS.join(', ')})`, line: 1 };
  try {
    return parseHistoryText(text, format);
  } catch (e) {
    return unreadable(format, e);
  }
}
