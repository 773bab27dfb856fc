/**
 * Reading a stored run: its test.json, its history, its previous results and its network journal.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { parseHistoryJsonl, parseJson, type Op } from '@gyre/history';
import { netResultFromJournal, type NetResult } from '@gyre/net';
import { RUN_FILES } from './layout';

/** A run cannot be read: no such run, or a file of it is missing or unreadable. The message says which. */
export class RunReadError extends Error {
  override name = 'RunReadError';
}

/**
 * A run's test.json: what was run, written when the run began. Every run has `name` (the
 * workload), `argv` (the command line), `seed`, `nodes`, `concurrency` and `startTime` (ISO);
 * a `gyre test` run adds `runId`, `bin` and `binArgs`; a `gyre sim` run has `mode: "sim"`,
 * `node`, `nodeArgs`, `maxOps` and `options`. Callers check the fields they use.
 */
export type TestRecord = Record<string, unknown>;

/** Reads `dir/test.json`; throws {@link RunReadError} when there is none or it does not parse. */
export function readTest(dir: string): TestRecord {
  const path = join(dir, RUN_FILES.test);
  if (!existsSync(path)) throw new RunReadError(`${dir} is not a Gyre run directory (it has no test.json).`);
  try {
    // Gyre's own file, of plain values: JSON.parse keeps 2.5 a number (the lossless parser would make it a JsonFloat).
    const t = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (t === null || typeof t !== 'object' || Array.isArray(t)) throw new Error('not a JSON object');
    return t as TestRecord;
  } catch (e) {
    throw new RunReadError(`Cannot read ${path}: ${(e as Error).message}`);
  }
}

/** A run's recorded history, and whether its file ended in an incomplete line (dropped). */
export interface StoredHistory {
  history: Op[];
  /** history.jsonl ended in a partial line (the run was killed mid-write); it was left out. */
  partialLine: boolean;
}

/** Reads every complete line of `dir/history.jsonl`; throws {@link RunReadError} when it cannot. */
export function readHistory(dir: string): StoredHistory {
  try {
    let text = readFileSync(join(dir, RUN_FILES.history), 'utf8');
    const lastNl = text.lastIndexOf('\n');
    const partialLine = lastNl < text.length - 1;
    if (partialLine) text = text.slice(0, lastNl + 1);
    return { history: parseHistoryJsonl(text), partialLine };
  } catch (e) {
    throw new RunReadError(`Cannot read the history of ${dir}: ${(e as Error).message}`);
  }
}

/** The results.json a run has (parsed losslessly), or undefined when it has none (killed before its analysis). */
export function readResults(dir: string): Record<string, unknown> | undefined {
  try {
    const r = parseJson(readFileSync(join(dir, RUN_FILES.results), 'utf8'));
    return r !== null && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Maelstrom's `:net` result re-tallied from a journal file (`net-journal/journal.jsonl`), read in
 * chunks so that journals larger than a string can hold are fine. A partial last line (a run
 * killed mid-write) is ignored.
 */
export function netResultFromJournalFile(path: string, clientInvocations: number): NetResult {
  return netResultFromJournal(fileLines(path), clientInvocations);
}

/** The complete lines of a file (without their newlines), read in 1 MiB chunks. */
export function* fileLines(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let rest: Buffer = Buffer.alloc(0);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) return;
      const chunk = rest.length ? Buffer.concat([rest, buf.subarray(0, n)]) : buf.subarray(0, n);
      const last = chunk.lastIndexOf(10);
      if (last === -1) {
        rest = Buffer.from(chunk);
        continue;
      }
      const text = chunk.toString('utf8', 0, last);
      rest = Buffer.from(chunk.subarray(last + 1));
      let start = 0;
      for (;;) {
        const nl = text.indexOf('\n', start);
        if (nl === -1) {
          yield text.slice(start);
          break;
        }
        yield text.slice(start, nl);
        start = nl + 1;
      }
    }
  } finally {
    closeSync(fd);
  }
}
