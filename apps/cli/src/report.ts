/**
 * Writes the human side of a run (plots, Lamport views, timeline, report.html) from its files.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Op } from '@gyre/history';
import { readJournal } from '@gyre/net';
import { writeReport } from '@gyre/report/node';
import { fileLines, RUN_FILES } from '@gyre/runner/store';

/**
 * Writes report files for a run directory; returns the files written, or why they could not be
 * (in one line). The network journal is streamed, in 1 MiB pieces, so a journal of any size (more
 * than a string can hold) gives its pages. Never throws: a report problem must not lose a run.
 */
export async function writeRunReport(dir: string, input: { history?: Op[]; results?: Record<string, unknown> } = {}): Promise<{ files: string[]; error?: string }> {
  try {
    const journal = join(dir, RUN_FILES.journal);
    const events = existsSync(journal) ? readJournal(fileLines(journal)) : undefined;
    const r = await writeReport(dir, { ...input, events });
    return { files: r.files };
  } catch (e) {
    return { files: [], error: e instanceof Error ? e.message : String(e) };
  }
}
