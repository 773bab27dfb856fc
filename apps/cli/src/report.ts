/**
 * Writes the human side of a run (plots, Lamport views, timeline, report.html) from its files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Op } from '@gyre/history';
import { readJournal } from '@gyre/net';
import { writeReport } from '@gyre/report/node';

/** Lines of a text file without holding a split array of all of them at once. */
function* lines(text: string): Generator<string> {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    yield text.slice(start, end);
    start = end + 1;
  }
}

/** Writes report files for a run directory; returns the files written. Never throws: a report problem must not lose a run. */
export async function writeRunReport(dir: string, input: { history?: Op[]; results?: Record<string, unknown> } = {}): Promise<{ files: string[]; error?: string }> {
  try {
    const journal = join(dir, 'net-journal', 'journal.jsonl');
    const events = existsSync(journal) ? readJournal(lines(readFileSync(journal, 'utf8'))) : undefined;
    const r = await writeReport(dir, { ...input, events });
    return { files: r.files };
  } catch (e) {
    return { files: [], error: (e as Error).stack ?? String(e) };
  }
}
