/**
 * Draws a cycle anomaly as a standalone SVG: transactions as boxes listing their micro-ops (the
 * ones behind the cycle's edges in bold), placed on a ring, joined by curved arrows labelled and
 * coloured by relation. Layout is computed here; no Graphviz.
 */
import type { CycleAnomaly, CycleStep } from './explain';
import { fmt, fmtMop } from './explain';

/** Colours per relation. */
export const RELATION_COLORS: Readonly<Record<CycleStep['type'], string>> = {
  ww: '#1f77b4',
  wr: '#2ca02c',
  rw: '#d62728',
  process: '#9467bd',
  realtime: '#e6820e',
};

const TYPE_FILL: Record<string, string> = { ok: '#f3faf3', info: '#fff8e1', fail: '#fdecea' };
const FONT = 12;
const CHAR_W = 7.3;
const LINE_H = 16;
const PAD = 8;
const MAX_LINES = 12;
const MAX_CHARS = 52;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function clip(s: string): string {
  return s.length > MAX_CHARS ? s.slice(0, MAX_CHARS - 1) + '…' : s;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
  lines: { text: string; color?: string }[];
  header: string;
  fill: string;
}

function num(x: number): string {
  return (Math.round(x * 10) / 10).toString();
}

/** The point where a ray from the box centre in direction (dx, dy) leaves the box. */
function border(b: Box, dx: number, dy: number): [number, number] {
  const ax = Math.abs(dx) < 1e-9 ? Infinity : b.w / 2 / Math.abs(dx);
  const ay = Math.abs(dy) < 1e-9 ? Infinity : b.h / 2 / Math.abs(dy);
  const t = Math.min(ax, ay);
  return [b.x + dx * t, b.y + dy * t];
}

/** Renders a cycle anomaly (as found under a cycle type in a result's `anomalies`) as SVG text. */
export function renderCycleSvg(anomaly: CycleAnomaly): string {
  const n = anomaly.steps.length;
  const ops = anomaly.cycle.slice(0, n);
  const boxes: Box[] = ops.map((op, i) => {
    const mops = Array.isArray(op.value) ? (op.value as unknown[]) : [];
    const marks = new Map<number, string>();
    const out = anomaly.steps[i]!;
    const into = anomaly.steps[(i + n - 1) % n]!;
    if (out.aMopIndex !== undefined) marks.set(out.aMopIndex, RELATION_COLORS[out.type]);
    if (into.bMopIndex !== undefined) marks.set(into.bMopIndex, RELATION_COLORS[into.type]);
    let shown: number[];
    if (mops.length <= MAX_LINES) shown = mops.map((_, j) => j);
    else {
      const set = new Set(marks.keys());
      for (let j = 0; j < mops.length && set.size < MAX_LINES - 1; j++) set.add(j);
      shown = [...set].sort((a, b) => a - b);
    }
    const lines: Box['lines'] = [];
    let prev = -1;
    for (const j of shown) {
      if (j > prev + 1) lines.push({ text: '…' });
      const color = marks.get(j);
      lines.push(color === undefined ? { text: clip(fmtMop(mops[j])) } : { text: clip(fmtMop(mops[j])), color });
      prev = j;
    }
    if (prev < mops.length - 1) lines.push({ text: `… (${mops.length} micro-ops)` });
    const header = clip(`T${i + 1} · op ${op.index}${op.process === undefined ? '' : ' · process ' + fmt(op.process)} · ${op.type}`);
    const chars = Math.max(header.length, ...lines.map((l) => l.text.length));
    return {
      x: 0,
      y: 0,
      w: chars * CHAR_W + 2 * PAD,
      h: (lines.length + 1) * LINE_H + 2 * PAD,
      lines,
      header,
      fill: TYPE_FILL[op.type] ?? '#ffffff',
    };
  });

  const maxW = Math.max(...boxes.map((b) => b.w));
  const maxH = Math.max(...boxes.map((b) => b.h));
  if (n === 1) {
    boxes[0]!.x = 0;
    boxes[0]!.y = 0;
  } else if (n === 2) {
    const gap = 120;
    boxes[0]!.x = -(maxW + gap) / 2;
    boxes[1]!.x = (maxW + gap) / 2;
  } else {
    // On an ellipse, clockwise from the top: wide enough that neighbours at the top and bottom
    // clear each other's width, tall enough that those on the sides clear each other's height;
    // grown until no two boxes overlap.
    const step = (2 * Math.PI) / n;
    let rx = Math.max((maxW + 50) / step, maxW * 0.6 + 80);
    let ry = Math.max((maxH + 50) / step, maxH * 0.6 + 60);
    const place = () =>
      boxes.forEach((b, i) => {
        const a = -Math.PI / 2 + i * step;
        b.x = rx * Math.cos(a);
        b.y = ry * Math.sin(a);
      });
    const overlap = () => {
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const a = boxes[i]!;
          const b = boxes[j]!;
          if (Math.abs(a.x - b.x) < (a.w + b.w) / 2 + 24 && Math.abs(a.y - b.y) < (a.h + b.h) / 2 + 24) return true;
        }
      }
      return false;
    };
    place();
    for (let tries = 0; tries < 30 && overlap(); tries++) {
      rx *= 1.12;
      ry *= 1.12;
      place();
    }
  }

  const parts: string[] = [];
  const edgeParts: string[] = [];
  const labelParts: string[] = [];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const extend = (x: number, y: number) => {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  };
  for (const b of boxes) {
    extend(b.x - b.w / 2, b.y - b.h / 2);
    extend(b.x + b.w / 2, b.y + b.h / 2);
  }

  for (let i = 0; i < n; i++) {
    const a = boxes[i]!;
    const b = boxes[(i + 1) % n]!;
    const step = anomaly.steps[i]!;
    const color = RELATION_COLORS[step.type];
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    // Bow each edge to its left, so edges in opposite directions between two boxes do not overlap.
    const bow = n === 1 ? 0 : Math.max(30, len * 0.18);
    const cx = (a.x + b.x) / 2 + (dy / len) * bow;
    const cy = (a.y + b.y) / 2 - (dx / len) * bow;
    const [sx, sy] = border(a, cx - a.x, cy - a.y);
    const [ex, ey] = border(b, cx - b.x, cy - b.y);
    edgeParts.push(
      `<path d="M${num(sx)},${num(sy)} Q${num(cx)},${num(cy)} ${num(ex)},${num(ey)}" fill="none" stroke="${color}" stroke-width="2" marker-end="url(#arrow-${step.type})"/>`,
    );
    const lx = 0.25 * sx + 0.5 * cx + 0.25 * ex;
    const ly = 0.25 * sy + 0.5 * cy + 0.25 * ey;
    const text = step.key === undefined ? step.type : `${step.type} ${clip(fmt(step.key))}`;
    const tw = text.length * CHAR_W + 8;
    labelParts.push(
      `<g><title>${esc(step.text)}</title><rect x="${num(lx - tw / 2)}" y="${num(ly - 10)}" width="${num(tw)}" height="18" rx="4" fill="#ffffff" stroke="${color}"/>` +
        `<text x="${num(lx)}" y="${num(ly + 3)}" text-anchor="middle" fill="${color}">${esc(text)}</text></g>`,
    );
    extend(lx - tw / 2, ly - 10);
    extend(lx + tw / 2, ly + 8);
    extend(cx, cy);
  }

  boxes.forEach((b, i) => {
    const x0 = b.x - b.w / 2;
    const y0 = b.y - b.h / 2;
    let s = `<g><title>${esc(`T${i + 1}: op ${ops[i]!.index}`)}</title>`;
    s += `<rect x="${num(x0)}" y="${num(y0)}" width="${num(b.w)}" height="${num(b.h)}" rx="6" fill="${b.fill}" stroke="#555"/>`;
    s += `<text x="${num(x0 + PAD)}" y="${num(y0 + PAD + LINE_H - 4)}" font-weight="bold">${esc(b.header)}</text>`;
    b.lines.forEach((l, j) => {
      const y = y0 + PAD + (j + 2) * LINE_H - 4;
      const attrs = l.color ? ` fill="${l.color}" font-weight="bold"` : '';
      s += `<text x="${num(x0 + PAD)}" y="${num(y)}"${attrs}>${esc(l.text)}</text>`;
    });
    parts.push(s + '</g>');
  });

  const margin = 20;
  const titleH = 28;
  const legendH = 26;
  const width = maxX - minX + 2 * margin;
  const height = maxY - minY + 2 * margin + titleH + legendH;
  const ox = margin - minX;
  const oy = margin + titleH - minY;
  const markers = (Object.keys(RELATION_COLORS) as CycleStep['type'][])
    .map(
      (r) =>
        `<marker id="arrow-${r}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${RELATION_COLORS[r]}"/></marker>`,
    )
    .join('');
  const used = [...new Set(anomaly.steps.map((s) => s.type))];
  const legend = used
    .map((r, i) => {
      const x = margin + i * 110;
      const y = height - legendH / 2;
      return `<line x1="${x}" y1="${y}" x2="${x + 24}" y2="${y}" stroke="${RELATION_COLORS[r]}" stroke-width="2"/><text x="${x + 30}" y="${y + 4}" fill="${RELATION_COLORS[r]}">${r}</text>`;
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" font-family="ui-monospace, Menlo, Consolas, monospace" font-size="${FONT}">` +
    `<defs>${markers}</defs>` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    `<text x="${margin}" y="${margin + 4}" font-size="15" font-weight="bold">${esc(`${anomaly.type}: ${n} transactions`)}</text>` +
    `<g transform="translate(${num(ox)},${num(oy)})">${edgeParts.join('')}${parts.join('')}${labelParts.join('')}</g>` +
    legend +
    `</svg>`
  );
}
