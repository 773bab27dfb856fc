/**
 * A simulated run written out in full: the run directory of `gyre test` (history, journal, node
 * logs, results) plus the report pages (messages.html with the Lamport view, timeline, plots).
 */
import { writeReport } from '@gyre/report/node';
import { JournalReader, type JournalEvent } from '@gyre/net';
import { runSim, type SimConfig, type SimResult } from './run';
import { specConfig, type SimSpec } from './spec';

/** Parses a journal's text into events (the header and blank lines skipped). */
export function journalEvents(text: string): JournalEvent[] {
  const reader = new JournalReader();
  const out: JournalEvent[] = [];
  for (const line of text.split('\n')) {
    const e = reader.read(line);
    if (e) out.push(e);
  }
  return out;
}

/**
 * Runs `seed` of `spec` again, writing its run directory under `store`, then its report pages
 * (`messages.html`, `timeline.html`, `report.html`, plots). Resolves with the run, `dir` set.
 * Report pages that cannot be written do not lose the run, nor change its verdict: `reportError`
 * says why (in one line), and results.json is where its results are.
 */
export async function recordRun(spec: SimSpec, seed: string, store: string, extra: Partial<SimConfig> = {}): Promise<RecordedRun> {
  const r = await runSim(await specConfig(spec, seed, { ...extra, store, keepJournal: true }));
  const dir = r.dir!;
  try {
    await writeReport(dir, { events: journalEvents(r.journal ?? ''), history: r.history, results: r.results });
  } catch (e) {
    return { ...r, dir, reportError: e instanceof Error ? e.message : String(e) };
  }
  return { ...r, dir };
}

/** A run {@link recordRun} wrote to the store. */
export interface RecordedRun extends SimResult {
  dir: string;
  /** Why the report pages could not be written, when they could not (the run directory stands). */
  reportError?: string;
}
