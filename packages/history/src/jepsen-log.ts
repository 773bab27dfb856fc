/**
 * Readers for two public test-data formats used to validate linearizability checkers (the
 * histories Porcupine ships): Jepsen's etcd log lines and Porcupine's key-value traces.
 * Text in, ops out; no I/O.
 */
import { Keyword, ednToPlain, parseEdn, type EdnValue } from './edn';
import { HistoryFormatError, parseHistoryEdn } from './format';
import type { Op, OpType } from './op';
import { quoteInput } from './quote';

const LOG_LINE = /jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:([A-Za-z0-9_?!*+\-.]+)\s+(.*?)\s*$/;
/** The start of an event line, to tell a malformed event from noise. */
const LOG_START = /jepsen\.util\s+-\s+\d+\s/;
/** Values that need no EDN reader: nil, short integers, and pairs of them (a CAS). */
const SHORT_INT = /^-?\d{1,15}$/;
const PAIR = /^\[(nil|-?\d{1,15})[ ,]+(nil|-?\d{1,15})\]$/;

const clip = (s: string): string => (s.length <= 100 ? s : s.slice(0, 100) + '…');

function logValue(v: string): EdnValue {
  if (v === '' || v === 'nil') return null;
  if (SHORT_INT.test(v)) return Number(v);
  const m = PAIR.exec(v);
  if (m) return [m[1] === 'nil' ? null : Number(m[1]), m[2] === 'nil' ? null : Number(m[2])];
  return parseEdn(v);
}

/**
 * Reads a Jepsen log of the etcd kind, one event per line:
 * `INFO  jepsen.util - 3	:invoke	:cas	[1 4]` (process, type, function, EDN value; tabs or
 * spaces). Every other line is noise and is skipped.
 *
 * - Values are EDN: `nil` → `null`, integers, `[from to]` → `[from, to]`.
 * - A completion whose value is a keyword (`:info :cas :timed-out`, `:fail :read :timed-out`)
 *   keeps the invocation's value and records the keyword's name as `error` (`'timed-out'`).
 * - `:info` stays `info`: the operation may or may not have happened, so a checker must treat it as
 *   open until the end of the history. `:fail` stays `fail`: it certainly did not happen (for a
 *   CAS in these logs, the compare did not match).
 * - The logs carry no timestamps: `time` is 0 and `index` is the position in the returned array.
 *
 * Throws {@link HistoryFormatError} (with the 1-based line) only for a matching line whose value
 * is not valid EDN.
 */
export function parseJepsenLog(text: string): Op[] {
  return parseJepsenLogLines(text).ops;
}

/**
 * {@link parseJepsenLog}, with the 1-based line of each op. With `strict`, a line that starts like
 * an event (`jepsen.util - 3 `) but lacks its type, function or value throws
 * {@link HistoryFormatError} instead of being skipped as noise.
 */
export function parseJepsenLogLines(text: string, strict = false): { ops: Op[]; lines: number[] } {
  const out: Op[] = [];
  const lines: number[] = [];
  const openValue = new Map<number, unknown>();
  let lineNo = 0;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const row = text.slice(start, end);
    start = end + 1;
    lineNo++;
    if (!row.includes('jepsen.util')) continue;
    const m = LOG_LINE.exec(row);
    if (!m || (strict && m[4] === '')) {
      if (strict && LOG_START.test(row)) throw new HistoryFormatError(`malformed log line (expected PROCESS :TYPE :F VALUE): ${clip(row.trim())}`, lineNo);
      continue;
    }
    const process = Number(m[1]);
    const type = m[2] as OpType;
    const f = m[3]!;
    let raw: EdnValue;
    try {
      raw = logValue(m[4]!);
    } catch (e) {
      throw new HistoryFormatError(`bad value ${quoteInput(m[4]!)}: ${(e as Error).message}`, lineNo);
    }
    const op: Op = { index: out.length, time: 0, type, process, f, value: null };
    if (raw instanceof Keyword && type !== 'invoke') {
      op.value = openValue.get(process) ?? null;
      op.error = raw.name;
    } else {
      op.value = ednToPlain(raw);
    }
    if (type === 'invoke') openValue.set(process, op.value);
    else openValue.delete(process);
    out.push(op);
    lines.push(lineNo);
  }
  return { ops: out, lines };
}

/**
 * Reads a key-value trace in Porcupine's format: one EDN map per line,
 * `{:process 3, :type :invoke, :f :append, :key "7", :value "x 3 1 y"}`, with `:f` one of
 * `:get`, `:put`, `:append` and string values (`nil` on a get's invocation). Each op keeps its
 * `key` field (a string). Blank lines are skipped; `index` is the position, `time` is 0.
 * Throws {@link HistoryFormatError} on a malformed line or an op without a string `key`.
 */
export function parseKvTrace(text: string): Op[] {
  const ops = parseHistoryEdn(text);
  for (const op of ops) {
    if (typeof op['key'] !== 'string') throw new HistoryFormatError(`operation ${op.index} has no string :key`, op.index + 1);
  }
  return ops;
}
