/**
 * History files: Gyre's JSON Lines (`history.jsonl`), Jepsen's `history.edn` and `history.txt`.
 * Text in, text out; reading and writing files is the caller's job.
 */
import { EdnMap, Keyword, parseEdnAll, parseEdnRecords, ednToPlain, printEdn, type EdnValue, EdnSyntaxError } from './edn';
import { JsonSyntaxError, parseJson, stringifyJson } from './json';
import type { Op, OpType, ProcessId } from './op';
import { showInput } from './quote';

const TYPES: ReadonlySet<string> = new Set(['invoke', 'ok', 'fail', 'info']);

/** A history file that cannot be read, with the 1-based line it failed on. */
export class HistoryFormatError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(`line ${line}: ${message}`);
    this.name = 'HistoryFormatError';
    this.line = line;
  }
}

/** One op as a JSON line (no trailing newline). Fields in the order index, time, type, process, f, value, then the rest. */
export function formatOpJson(op: Op): string {
  const { index, time, type, process, f, value, ...rest } = op;
  return stringifyJson({ index, time, type, process, f, value, ...rest });
}

/**
 * Validates a decoded object as an op; returns a message naming the bad field, or the op.
 * `index` may be absent (it is filled in from the position); `time` defaults to 0. With `reuse`,
 * the object itself becomes the op (for objects the caller just decoded and owns); the result is
 * the same either way.
 */
export function toOp(raw: unknown, position: number, reuse = false): Op | string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return 'expected an object for an operation';
  const o = raw as Record<string, unknown>;
  const type = o['type'];
  if (typeof type !== 'string' || !TYPES.has(type)) {
    return `"type" must be one of invoke, ok, fail, info (got ${stringifyJson(type)})`;
  }
  let process = o['process'];
  if (typeof process === 'bigint') return `"process" is too large: ${process}`;
  if (process === undefined || process === null) process = 0;
  if (!(typeof process === 'number' && Number.isInteger(process)) && typeof process !== 'string') {
    return `"process" must be an integer or "nemesis" (got ${stringifyJson(process)})`;
  }
  const f = o['f'];
  if (f !== undefined && f !== null && typeof f !== 'string') return `"f" must be a string (got ${stringifyJson(f)})`;
  const time = o['time'] ?? 0;
  if (typeof time !== 'number' && typeof time !== 'bigint') return `"time" must be a number (got ${stringifyJson(time)})`;
  const index = o['index'] ?? position;
  if (typeof index !== 'number' || !Number.isInteger(index)) return `"index" must be an integer (got ${stringifyJson(index)})`;
  let op: Op;
  if (reuse) {
    // The same keys in the same order as the copy below: existing keys keep their place.
    op = o as Op;
    op.index = index;
    op.time = Number(time);
    op.type = type as OpType;
    op.process = process as ProcessId;
    op.f = (f as string | undefined) ?? '';
    op.value = o['value'] ?? null;
  } else op = { ...o, index, time: Number(time), type: type as OpType, process: process as ProcessId, f: (f as string | undefined) ?? '', value: o['value'] ?? null };
  if ('final?' in o) {
    op.final = o['final?'] === true;
    delete op['final?'];
  }
  return op;
}

/** Reads Gyre's JSON Lines history. Blank lines are skipped; any other bad line throws {@link HistoryFormatError}. */
export function parseHistoryJsonl(text: string): Op[] {
  const out: Op[] = [];
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '') continue;
    let raw: unknown;
    try {
      raw = parseJson(line);
    } catch (e) {
      throw new HistoryFormatError(`not valid JSON (${(e as JsonSyntaxError).message}): ${showInput(line)}`, lineNo);
    }
    const op = toOp(raw, out.length);
    if (typeof op === 'string') throw new HistoryFormatError(`${op}: ${showInput(line)}`, lineNo);
    out.push(op);
  }
  return out;
}

/**
 * Reads a JSON array of ops (elle-cli's JSON input). Throws {@link HistoryFormatError}; the line
 * is 1 for the array itself and the op's position otherwise.
 */
export function parseHistoryJsonArray(text: string): Op[] {
  let raw: unknown;
  try {
    raw = parseJson(text);
  } catch (e) {
    throw new HistoryFormatError(`not valid JSON: ${(e as Error).message}`, lineOf(text, (e as JsonSyntaxError).offset ?? 0));
  }
  if (!Array.isArray(raw)) throw new HistoryFormatError('expected a JSON array of operations', 1);
  return raw.map((r, i) => {
    const op = toOp(r, i);
    if (typeof op === 'string') throw new HistoryFormatError(`operation ${i}: ${op}`, 1);
    return op;
  });
}

/**
 * Reads a Jepsen / Maelstrom `history.edn`: one op map per line, or a single vector or list of
 * maps. Keywords become strings (`:ok` → `"ok"`), `:final?` becomes `final`.
 */
export function parseHistoryEdn(text: string): Op[] {
  const fast = parseEdnRecords(text);
  if (fast) {
    const out: Op[] = [];
    for (const r of fast.records) {
      const op = toOp(r, out.length, true);
      if (typeof op === 'string') break; // the full reader below names the problem
      out.push(op);
    }
    if (out.length === fast.records.length) return out;
  }
  let forms: EdnValue[];
  try {
    forms = parseEdnAll(text);
  } catch (e) {
    if (e instanceof EdnSyntaxError) throw new HistoryFormatError(e.message.replace(/ at line \d+, column \d+$/, ` (column ${e.column})`), e.line);
    throw e;
  }
  const first = forms[0];
  if (forms.length === 1 && first !== undefined && (Array.isArray(first) || (first !== null && typeof first === 'object' && 'items' in first && !(first instanceof EdnMap)))) {
    forms = Array.isArray(first) ? first : (first as { items: EdnValue[] }).items;
  }
  const out: Op[] = [];
  for (const form of forms) {
    const plain = ednToPlain(form);
    const op = toOp(plain, out.length);
    if (typeof op === 'string') throw new HistoryFormatError(`operation ${out.length}: ${op}: ${showInput(printEdn(form))}`, lineOfForm(text, out.length));
    out.push(op);
  }
  return out;
}

function lineOfForm(text: string, n: number): number {
  // Best effort for one-op-per-line files: the n-th non-blank, non-comment line.
  let count = -1;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (l === '' || l.startsWith(';')) continue;
    if (++count === n) return i + 1;
  }
  return lines.length;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Which keys of an op hold keywords in Jepsen's EDN form. */
const KEYWORD_FIELDS = new Set(['type', 'f']);

/**
 * One op as Jepsen's EDN has it, as a value for {@link printEdn} / {@link prettyEdn}: `type`, `f`,
 * the `'nemesis'` process and an error name (`'net-timeout'` or the first element of
 * `[name, text]`) become keywords; `final` becomes `final?`. `valueToEdn` may rewrite the value
 * (txn workloads turn micro-op names into keywords); the value is otherwise kept as it is.
 */
export function opToEdn(op: Op, valueToEdn?: (value: unknown, op: Op) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(op)) {
    if (v === undefined) continue;
    if (k === 'final') out['final?'] = v;
    else if (KEYWORD_FIELDS.has(k) && typeof v === 'string') out[k] = new Keyword(v);
    else if (k === 'process') out[k] = v === 'nemesis' ? new Keyword('nemesis') : v;
    else if (k === 'error') out[k] = errorToEdn(v);
    else if (k === 'value') out[k] = valueToEdn ? valueToEdn(v, op) : v;
    else out[k] = v;
  }
  return out;
}

/** One op as a line of Jepsen's `history.edn`: `{:index 0, :time 12, :type :invoke, ...}` ({@link opToEdn}). */
export function formatOpEdn(op: Op, valueToEdn?: (value: unknown, op: Op) => unknown): string {
  return printEdn(opToEdn(op, valueToEdn));
}

function errorToEdn(e: unknown): unknown {
  if (typeof e === 'string' && /^[a-z][a-z0-9-]*$/.test(e)) return new Keyword(e);
  if (Array.isArray(e) && typeof e[0] === 'string') return [new Keyword(e[0]), ...e.slice(1)];
  return e;
}

/** One line of Jepsen's `history.txt`: `process \t :type \t :f \t value [\t error]`. */
export function formatOpText(op: Op, valueToEdn?: (value: unknown, op: Op) => unknown): string {
  const cols = [
    op.process === 'nemesis' ? ':nemesis' : String(op.process),
    ':' + op.type,
    ':' + op.f,
    printEdn(valueToEdn ? valueToEdn(op.value, op) : op.value),
  ];
  if (op.error !== undefined) cols.push(printEdn(errorToEdn(op.error)));
  return cols.join('\t');
}
