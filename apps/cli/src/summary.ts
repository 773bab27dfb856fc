/**
 * What `gyre test` and `gyre analyze` print at the end: the short summary and Maelstrom's outcome line.
 */

/** Exactly Maelstrom's outcome lines (maelstrom.md §6.2). */
export const OUTCOME = {
  valid: 'Everything looks good! ヽ(‘ー`)ノ',
  invalid: 'Analysis invalid! (ﾉಥ益ಥ）ﾉ ┻━┻',
  unknown: 'Errors occurred during analysis, but no anomalies found. ಠ~ಠ',
} as const;

/** The short summary printed at the end of a run. */
export function summary(results: Record<string, unknown>, dir: string): string {
  const lines: string[] = [];
  const get = (...path: string[]): unknown => path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), results);
  const v = (x: unknown) => (x === true ? 'valid' : x === false ? 'INVALID' : 'unknown');
  const stats = get('stats') as Record<string, unknown> | undefined;
  if (stats) lines.push(`ops: ${stats['count']} completed (${stats['ok-count']} ok, ${stats['fail-count']} fail, ${stats['info-count']} info)  [${v(stats['valid?'])}]`);
  const avail = get('availability', 'ok-fraction');
  if (typeof avail === 'number') lines.push(`availability: ${(avail * 100).toFixed(1)}% ok  [${v(get('availability', 'valid?'))}]`);
  const mpo = get('net', 'servers', 'msgs-per-op');
  const all = get('net', 'all', 'msg-count');
  if (all !== undefined) lines.push(`network: ${all} messages${typeof mpo === 'number' ? `, ${mpo.toFixed(2)} server msgs per op` : ''}`);
  const sl = get('workload', 'stable-latencies') as Record<string, number> | undefined;
  if (sl) lines.push(`stable latency (ms): median ${sl['0.5']}, 95% ${sl['0.95']}, max ${sl['1']}`);
  const pe = get('protocol-errors', 'count');
  if (pe) lines.push(`protocol errors from nodes: ${pe} (see results.json "protocol-errors")`);
  const dropped = get('stdin-drops', 'message-count');
  if (dropped) lines.push(`messages dropped because a node stopped reading its STDIN: ${dropped} (see results.json "stdin-drops")`);
  const lag = get('perf', 'generator-lag', 'quantiles') as Record<string, number> | undefined;
  const rate = get('perf', 'generator-lag', 'achieved-rate');
  if (lag) lines.push(`generator lag (ms): median ${lag['0.5']}, 99% ${lag['0.99']}, max ${lag['1']}${typeof rate === 'number' ? `; ${rate.toFixed(0)} ops/s issued` : ''}`);
  if (results['interrupted'] === true) lines.push('interrupted: these results cover what was recorded before the run was stopped');
  lines.push(`workload: ${v(get('workload', 'valid?'))}`);
  lines.push(`results: ${dir}/results.edn`);
  return lines.join('\n');
}

/** The outcome line for a validity. */
export function outcomeLine(valid: unknown): string {
  return valid === true ? OUTCOME.valid : valid === false ? OUTCOME.invalid : OUTCOME.unknown;
}
