/**
 * What `gyre test`, `gyre sim` and `gyre analyze` print at the end, besides @gyre/report's
 * summary: the report pages and the summary together ({@link showRun}), and the rows about the
 * run's own health (the outcome line is in outcome.ts).
 */
import type { Op } from '@gyre/history';
import { formatSummary, groupDigits } from '@gyre/report';
import type { Io } from './io';
import { writeRunReport } from './report';

/**
 * The end of a recorded run as `gyre test`, `gyre sim` and `gyre analyze` print it: writes its
 * report pages (a warning when they cannot be written: the run's files and verdict stand), then
 * prints `before` (if any), the summary (naming results.json when the pages are missing, and
 * `historyNote` after history.txt) and the health rows. Returns the summary and the file to look
 * at: report.html, or results.json when the pages could not be written.
 */
export async function showRun(io: Io, dir: string, run: { history?: Op[]; results: Record<string, unknown> }, o: { before?: string; historyNote?: string } = {}): Promise<{ summary: string; see: string }> {
  const report = await writeRunReport(dir, { ...(run.history ? { history: run.history } : {}), results: run.results });
  if (report.error) warn(io, `Could not write the report pages: ${report.error}`);
  const see = report.error ? 'results.json' : 'report.html';
  if (o.before) io.out(o.before);
  const summary = formatSummary(run.results, { dir, color: io.isTTY, ...(report.error ? { see } : {}), ...(o.historyNote ? { historyNote: o.historyNote } : {}) });
  io.out(summary + '\n');
  const health = reliabilitySummary(run.results);
  if (health) io.out(health + '\n');
  return { summary, see };
}

/**
 * Says a problem that does not change a run's verdict or exit code, if there is one: report pages
 * or a JUnit file that could not be written. The run's files and its verdict stand.
 */
export function warn(io: Io, problem: string | undefined): void {
  if (problem !== undefined) io.err(`WARN  ${problem}\n`);
}

/**
 * Rows for what the run itself noticed, printed under the summary in its layout: protocol errors
 * from nodes, messages dropped because a node stopped reading, how late the generator issued
 * operations, late replies, and whether the run was interrupted or never finished. Empty when
 * there is nothing to say.
 */
function reliabilitySummary(results: Record<string, unknown>): string {
  const lines: string[] = [];
  const row = (k: string, s: string) => lines.push(`  ${k.padEnd(12)} ${s}`);
  const get = (...path: string[]): unknown => path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), results);
  const num = (x: unknown) => (typeof x === 'number' ? x : typeof x === 'bigint' ? Number(x) : x && typeof x === 'object' && 'value' in x ? Number((x as { value: number }).value) : undefined);
  const pe = num(get('protocol-errors', 'count'));
  if (pe) {
    const kinds = Object.entries((get('protocol-errors', 'by-kind') as Record<string, unknown>) ?? {}).map(([k, n]) => `${k} ${num(n)}`);
    row('bad output', `${groupDigits(pe)} lines from nodes were not valid messages (${kinds.join(', ')})`);
  }
  const dropped = num(get('stdin-drops', 'message-count'));
  if (dropped) row('dropped', `${groupDigits(dropped)} messages to nodes that stopped reading their STDIN (${Object.keys((get('stdin-drops', 'by-node') as object) ?? {}).join(', ')})`);
  const q = get('perf', 'generator-lag', 'quantiles') as Record<string, unknown> | undefined;
  const rate = num(get('perf', 'generator-lag', 'achieved-rate'));
  if (q) row('lag', `generator lag (ms): median ${num(q['0.5'])}, p99 ${num(q['0.99'])}, max ${num(q['1'])}${rate !== undefined ? `; ${groupDigits(Math.round(rate))} ops/s issued` : ''}`);
  const late = num(get('late-replies', 'count'));
  if (late) row('late', `${groupDigits(late)} replies came after their client had timed out or closed (counted apart: not an error)`);
  if (results['interrupted'] === true) row('interrupted', 'the run was stopped early; these results cover what was recorded until then');
  if (typeof results['incomplete'] === 'string') row('incomplete', results['incomplete']);
  return lines.join('\n');
}
