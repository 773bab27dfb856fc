import type { Op } from '@gyre/history';
import { stringifyJson } from '@gyre/history';
import type { LinearizableResult } from './linearizable';

/** Options for {@link renderLinearSvg}. */
export interface LinearSvgOptions {
  /**
   * Above this many ops, only the ops overlapping the failing stretch (with some context) are drawn.
   * @defaultValue 400
   */
  maxOps?: number;
}

const show = (v: unknown): string => (v === null || v === undefined ? 'nil' : stringifyJson(v));
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const COLORS = {
  linearized: '#9fd89f',
  failing: '#f4a3a3',
  stretch: '#ffd37a',
  other: '#dde3ea',
  open: '#eeeeee',
};

/**
 * Draws why a partition is not linearizable, as SVG text (no I/O): its operations on a time axis
 * (history order) with one row per process; the ops of the longest linearizable prefix found, green
 * and numbered in linearization order; the op that could not be linearized, red with a thick border;
 * the ops of the shrunk failing stretch, with an amber border (amber fill when not linearized); ops that never completed or completed `info`
 * fade out towards the right edge. A legend and the one-line explanation sit on top. Every op has a
 * tooltip (`<title>`).
 *
 * Uses `result.failure`; when the result has none (a valid or undecided history) it draws nothing
 * but a note.
 */
export function renderLinearSvg(result: LinearizableResult, history: readonly Op[], options: LinearSvgOptions = {}): string {
  const failure = result.failure;
  if (!failure) {
    const note = result.valid === true ? 'Linearizable: nothing to explain.' : `No invalid partition to draw (verdict ${String(result.valid)}).`;
    return `<svg xmlns="http://www.w3.org/2000/svg" width="420" height="40" class="gyre-linear" font-family="sans-serif" font-size="13"><text x="10" y="24">${esc(note)}</text></svg>`;
  }
  const byIndex = new Map<number, number>();
  history.forEach((op, pos) => byIndex.set(op.index, pos));
  const posOf = (index: number): number => byIndex.get(index) ?? index;
  const order = new Map<number, number>();
  failure.longestPrefix.forEach((index, k) => order.set(index, k + 1));
  const inStretch = new Set([...failure.stretch.ops, ...failure.stretch.uncertain]);

  interface Bar {
    index: number;
    start: number;
    end: number;
    open: boolean;
    op: Op;
    completion: Op | undefined;
  }
  let bars: Bar[] = failure.ops.map((index) => {
    const start = posOf(index);
    const op = history[start]!;
    let completion: Op | undefined;
    let end = history.length;
    for (let j = start + 1; j < history.length; j++) {
      const c = history[j]!;
      if (c.process === op.process && c.type !== 'invoke') {
        completion = c;
        end = j;
        break;
      }
      if (c.process === op.process && c.type === 'invoke') break;
    }
    return { index, start, end, open: completion === undefined || completion.type !== 'ok', op, completion };
  });
  const maxOps = options.maxOps ?? 400;
  if (bars.length > maxOps) {
    const lo = posOf(failure.stretch.from);
    const hi = posOf(failure.op.completionIndex >= 0 ? failure.op.completionIndex : failure.stretch.to);
    const inWindow = bars.filter((b) => b.end >= lo && b.start <= hi);
    bars = inWindow.length > 0 ? inWindow.slice(-maxOps) : bars.slice(0, maxOps);
  }
  const failingPos = posOf(failure.op.index);

  // Compress the time axis to the positions of the drawn events.
  const points = [...new Set(bars.flatMap((b) => [b.start, b.end]))].sort((a, b) => a - b);
  const rank = new Map(points.map((p, i) => [p, i]));
  const processes = [...new Set(bars.map((b) => String(b.op.process)))].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  const row = new Map(processes.map((p, i) => [p, i]));

  const unit = Math.max(14, Math.min(28, Math.floor(1600 / Math.max(1, points.length))));
  const left = 90;
  const top = 86;
  const rowH = 32;
  const width = left + points.length * unit + 40;
  const height = top + processes.length * rowH + 30;
  const x = (pos: number): number => left + rank.get(pos)! * unit + unit / 2;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" class="gyre-linear" font-family="sans-serif" font-size="11">`);
  out.push('<defs><linearGradient id="gyre-open" x1="0" x2="1" y1="0" y2="0"><stop offset="0" stop-color="#cccccc" stop-opacity="1"/><stop offset="1" stop-color="#cccccc" stop-opacity="0"/></linearGradient></defs>');
  const keyText = failure.key === undefined ? '' : ` (key ${stringifyJson(failure.key)})`;
  out.push(`<text class="title" x="10" y="18" font-size="14" font-weight="bold">Not linearizable${esc(keyText)}: ${esc(result.model)}</text>`);
  out.push(`<text class="explanation" x="10" y="36">${esc(failure.explanation)}</text>`);
  const legend: [string, string][] = [
    [COLORS.linearized, 'in the longest linearization found (numbered in order)'],
    [COLORS.failing, 'could not be linearized'],
    [COLORS.stretch, 'in the smallest failing stretch (amber border)'],
    [COLORS.other, 'other operation'],
  ];
  out.push('<g class="legend">');
  let lx = 10;
  for (const [color, label] of legend) {
    const border = color === COLORS.stretch ? '#d68910" stroke-width="2' : '#555';
    out.push(`<rect x="${lx}" y="48" width="14" height="10" fill="${color}" stroke="${border}"/><text x="${lx + 18}" y="57">${esc(label)}</text>`);
    lx += 24 + label.length * 6;
  }
  out.push(`<rect x="${lx}" y="48" width="14" height="10" fill="url(#gyre-open)" stroke="#555" stroke-dasharray="2 2"/><text x="${lx + 18}" y="57">outcome unknown (info or never completed)</text>`);
  out.push('</g>');

  out.push('<g class="processes">');
  for (const p of processes) {
    const y = top + row.get(p)! * rowH;
    out.push(`<text x="10" y="${y + 18}">process ${esc(p)}</text><line x1="${left}" x2="${width - 20}" y1="${y + 26}" y2="${y + 26}" stroke="#eeeeee"/>`);
  }
  out.push('</g>');
  out.push(`<line class="failure-point" x1="${x(bars.find((b) => b.start === failingPos)?.end ?? points[points.length - 1]!)}" x2="${x(bars.find((b) => b.start === failingPos)?.end ?? points[points.length - 1]!)}" y1="${top - 6}" y2="${height - 10}" stroke="#c0392b" stroke-dasharray="4 3"/>`);

  out.push('<g class="ops">');
  for (const b of bars) {
    const y = top + row.get(String(b.op.process))! * rowH + 4;
    const x0 = x(b.start) - unit / 2 + 1;
    const x1 = x(b.end) + unit / 2 - 1;
    const k = order.get(b.index);
    const failing = b.start === failingPos;
    const cls = failing ? 'op failing' : k !== undefined ? 'op linearized' : inStretch.has(b.index) ? 'op stretch' : 'op';
    const stretch = inStretch.has(b.index);
    const fill = failing ? COLORS.failing : k !== undefined ? COLORS.linearized : stretch ? COLORS.stretch : COLORS.other;
    const stroke = failing ? '#c0392b' : stretch ? '#d68910' : '#555555';
    const sw = failing || stretch ? 2.5 : 1;
    const value = b.completion?.type === 'ok' ? b.completion.value : b.op.value;
    const full = `${b.op.f} ${show(value)}`;
    const room = Math.floor((x1 - x0 - 4) / 6);
    const short = `${b.op.f.charAt(0)} ${show(value)}`;
    const label = full.length <= room ? full : short.length <= room ? short : room >= 3 ? short.slice(0, room - 1) + '…' : '';
    const tip = `op ${b.index}, process ${String(b.op.process)}: ${b.op.f} ${show(b.op.value)} → ${b.completion ? `${b.completion.type} ${show(b.completion.value)}` : 'never completed'}${k !== undefined ? `; #${k} in the longest linearization` : ''}${stretch ? '; in the failing stretch' : ''}${failing ? '; could not be linearized' : ''}`;
    out.push(`<g class="${cls}" data-index="${b.index}"><title>${esc(tip)}</title>`);
    out.push(`<rect x="${x0}" y="${y}" width="${Math.max(2, x1 - x0)}" height="20" rx="3" fill="${b.open ? 'url(#gyre-open)' : fill}" stroke="${stroke}" stroke-width="${sw}"${b.open ? ' stroke-dasharray="3 2"' : ''}/>`);
    if (b.open) out.push(`<rect x="${x0}" y="${y}" width="${Math.min(unit, Math.max(2, x1 - x0))}" height="20" rx="3" fill="${fill}"/>`);
    if (label) out.push(`<text x="${x0 + 3}" y="${y + 14}">${esc(label)}</text>`);
    if (failing && label !== full) out.push(`<text x="${x1 + 4}" y="${y + 14}" fill="#c0392b" font-weight="bold">${esc(full)}</text>`);
    if (k !== undefined) out.push(`<text class="order" x="${x0 + 1}" y="${y - 1}" font-size="8" fill="#2e7d32">${k}</text>`);
    out.push('</g>');
  }
  out.push('</g>');
  out.push(`<text class="axis" x="${left}" y="${height - 8}" fill="#777777">time → (history order)</text>`);
  out.push('</svg>');
  return out.join('\n');
}
