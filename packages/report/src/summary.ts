/**
 * The short summary printed at the end of a run: the verdict, the figures people look for, what
 * failed, and where to look next.
 */
import { findAnomalies } from './findings';
import { verdictOf } from './report';
import { groupDigits, num } from './text';

/** Options of {@link formatSummary}. */
export interface SummaryOptions {
  /** The run directory, for the "see" line. */
  dir?: string;
  /**
   * The file the "see" line points at, relative to {@link dir}: give `results.json` when the report
   * pages could not be written, so that the summary never names a file that is not there.
   * @defaultValue 'report.html'
   */
  see?: string;
  /** ANSI colours. @defaultValue false */
  color?: boolean;
  /** Most anomaly lines. @defaultValue 8 */
  maxAnomalies?: number;
  /** A note after the history.txt path (how to see the operations on the console). @defaultValue none */
  historyNote?: string;
}

function get(o: unknown, ...path: string[]): unknown {
  let cur = o;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function n(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v !== null && typeof v === 'object' && typeof (v as { value?: unknown }).value === 'number') return (v as { value: number }).value;
  return undefined;
}

/**
 * Formats the end-of-run summary from a results map, for example:
 * ```
 * INVALID  broadcast
 *   ops          1,023 (1,001 ok, 2 fail, 20 info)   availability 97.8%
 *   messages     12.41 per op between servers (25,812 in all)
 *   latency      stable: median 12 ms, p95 48 ms, p99 97 ms, max 153 ms
 *   anomalies    workload › lost (3): 3, 10, 17
 *   see          store/broadcast/…/report.html
 *   history      store/broadcast/…/history.txt
 *   log          store/broadcast/…/gyre.log (also jepsen.log)
 * ```
 */
export function formatSummary(results: Record<string, unknown> | undefined, options: SummaryOptions = {}): string {
  const c = options.color ?? false;
  const paint = (code: string, s: string) => (c ? `\x1b[${code}m${s}\x1b[0m` : s);
  const v = verdictOf(results);
  const word =
    v === true ? paint('1;34', 'VALID') : v === false ? paint('1;35', 'INVALID') : v === 'unknown' ? paint('1;33', 'UNKNOWN') : v === 'crashed' ? paint('1;37', 'CRASHED') : paint('1', 'INCOMPLETE');
  const workload = String(get(results, 'workload', 'workload') ?? '');
  const lines = [`${word}${workload ? `  ${workload}` : ''}`];
  const row = (k: string, s: string) => lines.push(`  ${k.padEnd(12)} ${s}`);
  const count = n(get(results, 'stats', 'count'));
  if (count !== undefined) {
    const ok = n(get(results, 'stats', 'ok-count')) ?? 0;
    const fail = n(get(results, 'stats', 'fail-count')) ?? 0;
    const info = n(get(results, 'stats', 'info-count')) ?? 0;
    const avail = n(get(results, 'availability', 'ok-fraction'));
    row('ops', `${groupDigits(count)} (${groupDigits(ok)} ok, ${groupDigits(fail)} fail, ${groupDigits(info)} info)${avail !== undefined ? `   availability ${num(avail * 100, 1)}%` : ''}`);
  }
  const mpo = n(get(results, 'net', 'servers', 'msgs-per-op'));
  const all = n(get(results, 'net', 'all', 'msg-count'));
  if (mpo !== undefined || all !== undefined) {
    row('messages', `${mpo !== undefined ? `${num(mpo, 2)} per op between servers` : ''}${all !== undefined ? ` (${groupDigits(all)} in all)` : ''}`.trim());
  }
  const sl = get(results, 'workload', 'stable-latencies') as Record<string, unknown> | undefined;
  if (sl && typeof sl === 'object') {
    const q = (k: string) => (n(sl[k]) !== undefined ? `${num(n(sl[k])!, 0)} ms` : '?');
    row('latency', `stable: median ${q('0.5')}, p95 ${q('0.95')}, p99 ${q('0.99')}, max ${q('1')}`);
  }
  if (results && v !== true) {
    const max = options.maxAnomalies ?? 8;
    let shown = 0;
    const said = new Set<string>();
    for (const f of findAnomalies(results)) {
      const where = f.path.join(' › ') || 'results';
      const fresh = f.explanations.filter((e) => !said.has(e));
      if (fresh.length > 0) {
        // A checker that explains itself says it better than its raw fields.
        for (const e of fresh.slice(0, 2)) {
          said.add(e);
          if (shown++ < max) row(shown === 1 ? 'anomalies' : '', `${where}: ${e.split('\n')[0]!.slice(0, 160)}`);
        }
        continue;
      }
      if (f.explanations.length > 0) continue;
      if (f.groups.length === 0) {
        if (shown++ < max) row(shown === 1 ? 'anomalies' : '', `${where}: ${f.valid === false ? 'invalid' : 'unknown'}`);
      }
      for (const g of f.groups) {
        if (shown++ >= max) break;
        const total = g.items.length + g.omitted;
        const sample = g.items.slice(0, 5).map((i) => (i.text.length > 30 ? i.text.slice(0, 29) + '…' : i.text)).join(', ');
        row(shown === 1 ? 'anomalies' : '', `${where} › ${g.name} (${total}): ${sample}${total > 5 ? ', …' : ''}`);
      }
    }
  }
  if (options.dir) {
    row('see', `${options.dir}/${options.see ?? 'report.html'}`);
    row('history', `${options.dir}/history.txt${options.historyNote ? ` (${options.historyNote})` : ''}`);
    row('log', `${options.dir}/gyre.log (also jepsen.log)`);
  }
  return lines.join('\n');
}
