/**
 * Performance plots as SVG text: `latency-raw.svg`, `latency-quantiles.svg` and `rate.svg`, the
 * equivalents of Maelstrom's gnuplot PNGs, drawn without any external program.
 *
 * Each plot is a pure function of the history. Nemesis periods are shaded (`#E9DCA0`); latency
 * uses a log scale. The SVG's structure is stable for tests and tools: series are
 * `<g class="series" data-f=… data-type=…>` (plus `data-quantile` for quantiles), shaded periods
 * `<rect class="nemesis-period" data-kind=…>`, legend entries `<g class="legend-entry" data-key=…>`,
 * axes `<g class="axis x-axis">` / `<g class="axis y-axis">` with `<g class="tick" data-value=…>`.
 */
import { pairs, type Op } from '@gyre/history';
import { linearScale, logScale, niceStep, type Scale } from './scale';
import { nemesisPeriods, type NemesisPeriod } from './nemesis';
import { esc, num, px } from './text';

/** Options shared by the plots. */
export interface PlotOptions {
  /** Width in pixels. @defaultValue 900 */
  width?: number;
  /** Height in pixels. @defaultValue 440 */
  height?: number;
  /** Title drawn above the plot. @defaultValue the plot's name, with `subtitle` appended */
  title?: string;
  /** Text after the default title, such as the workload name. */
  subtitle?: string;
  /** Window length in nanoseconds for quantiles and rates. @defaultValue about 1/40 of the run, rounded to 1-2-5, at least 10 ms */
  windowNs?: number;
  /** Fault periods to shade. @defaultValue {@link nemesisPeriods} of the history */
  periods?: readonly NemesisPeriod[];
}

/** Outcome colours, as Jepsen's perf plots use them. */
export const OUTCOME_COLORS = { ok: '#81BFFC', info: '#FFA400', fail: '#FF1E90' } as const;
/** Colour of shaded fault periods. */
export const NEMESIS_COLOR = '#E9DCA0';
/** Colours of the quantile lines. */
const QUANTILE_COLORS: Record<string, string> = { '0.5': '#2A7DE1', '0.95': '#F28E2B', '0.99': '#D62976', '1': '#555555' };
/** The quantiles of `latency-quantiles.svg`. */
export const QUANTILES = [0.5, 0.95, 0.99, 1] as const;

const SHAPES = ['circle', 'square', 'triangle', 'diamond', 'down', 'plus', 'cross'] as const;
const DASHES = ['', '6 3', '2 3', '10 3 2 3', '1 2', '12 4'];
type Outcome = 'ok' | 'fail' | 'info';
const OUTCOMES: readonly Outcome[] = ['ok', 'info', 'fail'];

/** One completed client operation: when it was invoked, how long it took and how it ended. */
export interface LatencyPoint {
  /** Invocation time, ns since the start. */
  time: number;
  /** Completion time minus invocation time, ns. */
  latency: number;
  /** Completion time, ns. */
  end: number;
  f: string;
  type: Outcome;
  /** History index of the invocation. */
  index: number;
}

/** Completed client operations of a history, in invocation order. Ops never completed are left out. */
export function latencyPoints(history: readonly Op[]): LatencyPoint[] {
  const out: LatencyPoint[] = [];
  for (const { invoke, completion } of pairs(history)) {
    if (typeof invoke.process !== 'number' || !completion || completion.type === 'invoke') continue;
    out.push({
      time: invoke.time,
      latency: completion.time - invoke.time,
      end: completion.time,
      f: invoke.f,
      type: completion.type,
      index: invoke.index,
    });
  }
  return out;
}

/** The window length used when none is given: ~1/40 of the run, 1-2-5 rounded, at least 10 ms. */
export function defaultWindow(spanNs: number): number {
  return Math.max(1e7, niceStep(spanNs / 40));
}

function span(history: readonly Op[]): number {
  let t = 0;
  for (const op of history) if (op.time > t) t = op.time;
  return t;
}

function fsOf(points: readonly LatencyPoint[]): string[] {
  return [...new Set(points.map((p) => p.f))].sort();
}

interface Layout {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function layout(o: PlotOptions): Layout {
  const width = o.width ?? 900;
  const height = o.height ?? 440;
  return { width, height, left: 72, right: width - 190, top: 44, bottom: height - 52 };
}

interface LegendEntry {
  key: string;
  label: string;
  swatch: (x: number, y: number) => string;
}

function shapePath(shape: string, x: number, y: number, r: number): string {
  const X = px(x);
  const Y = px(y);
  const R = px(r);
  const D = px(2 * r);
  switch (shape) {
    case 'square':
      return `M${px(x - r)},${px(y - r)}h${D}v${D}h-${D}Z`;
    case 'triangle':
      return `M${X},${px(y - r)}l${R},${px(1.8 * r)}h-${D}Z`;
    case 'diamond':
      return `M${X},${px(y - r)}l${R},${R}l-${R},${R}l-${R},-${R}Z`;
    case 'down':
      return `M${X},${px(y + r)}l${R},-${px(1.8 * r)}h-${D}Z`;
    case 'plus':
      return `M${px(x - r)},${Y}h${D}M${X},${px(y - r)}v${D}`;
    case 'cross':
      return `M${px(x - r)},${px(y - r)}l${D},${D}M${px(x + r)},${px(y - r)}l-${D},${D}`;
    default:
      return `M${px(x - r)},${Y}a${R},${R} 0 1,0 ${D},0a${R},${R} 0 1,0 -${D},0Z`;
  }
}

const STYLE = `<style>
.gyre-plot{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:12px;fill:#333}
.gyre-plot .title{font-size:15px;font-weight:600;fill:#222}
.gyre-plot .axis line,.gyre-plot .axis path{stroke:#888;stroke-width:1}
.gyre-plot .grid line{stroke:#ececec;stroke-width:1}
.gyre-plot .grid line.minor{stroke:#f5f5f5}
.gyre-plot .axis-label{font-size:12px;fill:#555}
.gyre-plot .legend text{font-size:12px;fill:#333}
.gyre-plot .empty{font-size:14px;fill:#999}
</style>`;

interface ChartSpec {
  kind: string;
  title: string;
  x: Scale;
  y: Scale;
  xLabel: string;
  yLabel: string;
  periods: readonly NemesisPeriod[];
  series: string[];
  legend: LegendEntry[];
  empty?: string;
}

function chart(l: Layout, c: ChartSpec): string {
  const out: string[] = [];
  const clip = `clip-${c.kind}`;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="gyre-plot" data-plot="${esc(c.kind)}" width="${l.width}" height="${l.height}" viewBox="0 0 ${l.width} ${l.height}" role="img" aria-label="${esc(c.title)}">`,
  );
  out.push(`<title>${esc(c.title)}</title>`, STYLE);
  out.push(`<rect class="background" x="0" y="0" width="${l.width}" height="${l.height}" fill="#fff"/>`);
  out.push(`<text class="title" x="${l.left}" y="${l.top - 18}">${esc(c.title)}</text>`);
  out.push(`<defs><clipPath id="${clip}"><rect x="${l.left}" y="${l.top}" width="${l.right - l.left}" height="${l.bottom - l.top}"/></clipPath></defs>`);

  out.push(`<g class="nemesis" clip-path="url(#${clip})">`);
  for (const p of c.periods) {
    const x0 = c.x(p.start / 1e9);
    const x1 = Math.max(c.x(p.end / 1e9), x0 + 1);
    const what = `${p.kind}${p.open ? ' (never healed)' : ''}: ${num(p.start / 1e9, 3)} s – ${num(p.end / 1e9, 3)} s`;
    out.push(
      `<rect class="nemesis-period" data-kind="${esc(p.kind)}" data-start="${p.start}" data-end="${p.end}" x="${px(x0)}" y="${l.top}" width="${px(x1 - x0)}" height="${l.bottom - l.top}" fill="${NEMESIS_COLOR}" fill-opacity="0.6"><title>${esc(what)}</title></rect>`,
    );
  }
  out.push('</g>');

  const xt = c.x.ticks();
  const yt = c.y.ticks();
  out.push('<g class="grid">');
  for (const t of yt) out.push(`<line class="${t.major ? 'major' : 'minor'}" x1="${l.left}" x2="${l.right}" y1="${px(c.y(t.value))}" y2="${px(c.y(t.value))}"/>`);
  for (const t of xt) out.push(`<line x1="${px(c.x(t.value))}" x2="${px(c.x(t.value))}" y1="${l.top}" y2="${l.bottom}"/>`);
  out.push('</g>');

  out.push(`<g class="axis x-axis" data-unit="s"><line class="domain" x1="${l.left}" x2="${l.right}" y1="${l.bottom}" y2="${l.bottom}"/>`);
  for (const t of xt) {
    const x = px(c.x(t.value));
    out.push(`<g class="tick" data-value="${t.value}"><line x1="${x}" x2="${x}" y1="${l.bottom}" y2="${l.bottom + 5}"/><text x="${x}" y="${l.bottom + 18}" text-anchor="middle">${esc(t.label)}</text></g>`);
  }
  out.push(`<text class="axis-label" x="${(l.left + l.right) / 2}" y="${l.bottom + 38}" text-anchor="middle">${esc(c.xLabel)}</text></g>`);

  out.push(`<g class="axis y-axis"><line class="domain" x1="${l.left}" x2="${l.left}" y1="${l.top}" y2="${l.bottom}"/>`);
  for (const t of yt) {
    const y = px(c.y(t.value));
    const len = t.major ? 5 : 3;
    out.push(
      `<g class="tick${t.major ? '' : ' minor'}" data-value="${t.value}"><line x1="${l.left - len}" x2="${l.left}" y1="${y}" y2="${y}"/>${t.label ? `<text x="${l.left - 8}" y="${y}" dy="0.32em" text-anchor="end">${esc(t.label)}</text>` : ''}</g>`,
    );
  }
  const my = (l.top + l.bottom) / 2;
  out.push(`<text class="axis-label" x="${l.left - 52}" y="${my}" text-anchor="middle" transform="rotate(-90 ${l.left - 52} ${my})">${esc(c.yLabel)}</text></g>`);

  out.push(`<g class="plot-area" clip-path="url(#${clip})">`, ...c.series, '</g>');
  if (c.empty) out.push(`<text class="empty" x="${(l.left + l.right) / 2}" y="${my}" text-anchor="middle">${esc(c.empty)}</text>`);

  const lx = l.right + 20;
  out.push(`<g class="legend">`);
  let ly = l.top + 6;
  for (const e of c.legend) {
    out.push(`<g class="legend-entry" data-key="${esc(e.key)}">${e.swatch(lx + 8, ly)}<text x="${lx + 24}" y="${ly}" dy="0.32em">${esc(e.label)}</text></g>`);
    ly += 18;
  }
  out.push('</g></svg>');
  return out.join('\n');
}

function nemesisLegend(periods: readonly NemesisPeriod[]): LegendEntry[] {
  const kinds = [...new Set(periods.map((p) => p.kind))];
  return kinds.map((k) => ({
    key: `nemesis:${k}`,
    label: k,
    swatch: (x, y) => `<rect x="${x - 7}" y="${y - 6}" width="14" height="12" fill="${NEMESIS_COLOR}"/>`,
  }));
}

function timeScale(l: Layout, history: readonly Op[]): Scale {
  return linearScale([0, Math.max(span(history) / 1e9, 1e-3)], [l.left, l.right]);
}

function latencyScale(l: Layout, values: Iterable<number>): Scale {
  let lo = Infinity;
  let hi = 0;
  for (const v of values) {
    if (v > 0 && v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) [lo, hi] = [1, 10];
  return logScale([lo, hi * 1.25], [l.bottom, l.top]);
}

/**
 * `latency-raw.svg`: every completed client operation as a point at (invocation time, latency),
 * coloured by outcome and shaped by `f`, on a log latency axis in milliseconds.
 */
export function latencyRawSvg(history: readonly Op[], options: PlotOptions = {}): string {
  const l = layout(options);
  const points = latencyPoints(history);
  const periods = options.periods ?? nemesisPeriods(history);
  const x = timeScale(l, history);
  const y = latencyScale(l, points.map((p) => p.latency / 1e6));
  const fs = fsOf(points);
  const series: string[] = [];
  const legend: LegendEntry[] = [];
  const r = points.length > 20_000 ? 1.6 : 2.6;
  fs.forEach((f, fi) => {
    const shape = SHAPES[fi % SHAPES.length]!;
    for (const type of OUTCOMES) {
      const ps = points.filter((p) => p.f === f && p.type === type);
      if (ps.length === 0) continue;
      const color = OUTCOME_COLORS[type];
      let d = '';
      for (const p of ps) d += shapePath(shape, x(p.time / 1e9), y(Math.max(p.latency, 1) / 1e6), r);
      series.push(
        `<g class="series" data-f="${esc(f)}" data-type="${type}" data-count="${ps.length}"><path d="${d}" fill="${color}" fill-opacity="0.7" stroke="${color}" stroke-width="1"/></g>`,
      );
      legend.push({
        key: `${f}:${type}`,
        label: `${f} ${type}`,
        swatch: (sx, sy) => `<path d="${shapePath(shape, sx, sy, 4)}" fill="${color}" stroke="${color}"/>`,
      });
    }
  });
  legend.push(...nemesisLegend(periods));
  return chart(l, {
    kind: 'latency-raw',
    title: options.title ?? `Latency, every operation${options.subtitle ? ` — ${options.subtitle}` : ''}`,
    x,
    y,
    xLabel: 'time (s)',
    yLabel: 'latency (ms)',
    periods,
    series,
    legend,
    ...(points.length === 0 ? { empty: 'no completed operations' } : {}),
  });
}

/** The nearest-rank quantile of sorted values (`q` in [0, 1]). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
}

/** Latency quantiles of `ok` operations per window, per `f`: `[windowStart, {q: ns}]`. */
export function latencyQuantiles(history: readonly Op[], windowNs?: number): { window: number; byF: Map<string, { start: number; q: number[] }[]> } {
  const points = latencyPoints(history).filter((p) => p.type === 'ok');
  const window = windowNs ?? defaultWindow(span(history));
  const byF = new Map<string, { start: number; q: number[] }[]>();
  for (const f of fsOf(points)) {
    const buckets = new Map<number, number[]>();
    for (const p of points) {
      if (p.f !== f) continue;
      const b = Math.floor(p.time / window);
      let arr = buckets.get(b);
      if (!arr) buckets.set(b, (arr = []));
      arr.push(p.latency);
    }
    const rows = [...buckets.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([b, ls]) => {
        const s = Float64Array.from(ls).sort();
        return { start: b * window, q: QUANTILES.map((q) => quantile(s, q)) };
      });
    byF.set(f, rows);
  }
  return { window, byF };
}

function linePath(pts: [number, number][]): string {
  if (pts.length === 1) {
    const [a, b] = pts[0]!;
    return `M${px(a - 2)},${px(b)}h4`;
  }
  return pts.map(([a, b], i) => `${i === 0 ? 'M' : 'L'}${px(a)},${px(b)}`).join('');
}

/**
 * `latency-quantiles.svg`: for each window and each `f`, the 0.5, 0.95, 0.99 and 1 quantiles of
 * the latencies of `ok` operations invoked in it; colour by quantile, dash pattern by `f`.
 */
export function latencyQuantilesSvg(history: readonly Op[], options: PlotOptions = {}): string {
  const l = layout(options);
  const periods = options.periods ?? nemesisPeriods(history);
  const { window, byF } = latencyQuantiles(history, options.windowNs);
  const x = timeScale(l, history);
  const all: number[] = [];
  for (const rows of byF.values()) for (const r of rows) for (const v of r.q) all.push(v / 1e6);
  const y = latencyScale(l, all);
  const series: string[] = [];
  const legend: LegendEntry[] = [];
  [...byF.keys()].forEach((f, fi) => {
    const dash = DASHES[fi % DASHES.length]!;
    const rows = byF.get(f)!;
    QUANTILES.forEach((q, qi) => {
      const color = QUANTILE_COLORS[String(q)]!;
      const pts = rows.map((r): [number, number] => [x((r.start + window / 2) / 1e9), y(Math.max(r.q[qi]!, 1) / 1e6)]);
      series.push(
        `<g class="series" data-f="${esc(f)}" data-quantile="${q}" data-count="${rows.length}"><path d="${linePath(pts)}" fill="none" stroke="${color}" stroke-width="1.8"${dash ? ` stroke-dasharray="${dash}"` : ''}/></g>`,
      );
      legend.push({
        key: `${f}:${q}`,
        label: `${f} ${q === 1 ? 'max' : `p${num(q * 100, 1)}`}`,
        swatch: (sx, sy) => `<line x1="${sx - 8}" x2="${sx + 8}" y1="${sy}" y2="${sy}" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
      });
    });
  });
  legend.push(...nemesisLegend(periods));
  return chart(l, {
    kind: 'latency-quantiles',
    title: options.title ?? `Latency quantiles of ok operations, ${num(window / 1e9, 3)} s windows${options.subtitle ? ` — ${options.subtitle}` : ''}`,
    x,
    y,
    xLabel: 'time (s)',
    yLabel: 'latency (ms)',
    periods,
    series,
    legend,
    ...(byF.size === 0 ? { empty: 'no ok operations' } : {}),
  });
}

/** Completions per second per window, by `f` and outcome: key `f:type` → per-window rates. */
export function rates(history: readonly Op[], windowNs?: number): { window: number; windows: number; series: Map<string, { f: string; type: Outcome; rate: number[] }> } {
  const points = latencyPoints(history);
  const total = span(history);
  const window = windowNs ?? defaultWindow(total);
  const windows = Math.max(1, Math.ceil(total / window));
  const series = new Map<string, { f: string; type: Outcome; rate: number[] }>();
  for (const f of fsOf(points)) {
    for (const type of OUTCOMES) {
      const rate = new Array<number>(windows).fill(0);
      let any = false;
      for (const p of points) {
        if (p.f !== f || p.type !== type) continue;
        rate[Math.min(windows - 1, Math.floor(p.end / window))]! += 1e9 / window;
        any = true;
      }
      if (any) series.set(`${f}:${type}`, { f, type, rate });
    }
  }
  return { window, windows, series };
}

/**
 * `rate.svg`: throughput in completed operations per second, per window, one line per `f` and
 * outcome (colour by outcome, dash pattern by `f`).
 */
export function rateSvg(history: readonly Op[], options: PlotOptions = {}): string {
  const l = layout(options);
  const periods = options.periods ?? nemesisPeriods(history);
  const { window, windows, series: ss } = rates(history, options.windowNs);
  const x = timeScale(l, history);
  let hi = 0;
  for (const s of ss.values()) for (const v of s.rate) if (v > hi) hi = v;
  const y = linearScale([0, Math.max(hi, 1)], [l.bottom, l.top], 6);
  const fIndex = new Map(fsOf(latencyPoints(history)).map((f, i) => [f, i]));
  const series: string[] = [];
  const legend: LegendEntry[] = [];
  for (const [key, s] of ss) {
    const color = OUTCOME_COLORS[s.type];
    const dash = DASHES[(fIndex.get(s.f) ?? 0) % DASHES.length]!;
    const pts: [number, number][] = [];
    for (let i = 0; i < windows; i++) pts.push([x(((i + 0.5) * window) / 1e9), y(s.rate[i]!)]);
    series.push(
      `<g class="series" data-f="${esc(s.f)}" data-type="${s.type}" data-count="${windows}"><path d="${linePath(pts)}" fill="none" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/></g>`,
    );
    legend.push({
      key,
      label: `${s.f} ${s.type}`,
      swatch: (sx, sy) => `<line x1="${sx - 8}" x2="${sx + 8}" y1="${sy}" y2="${sy}" stroke="${color}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
    });
  }
  legend.push(...nemesisLegend(periods));
  return chart(l, {
    kind: 'rate',
    title: options.title ?? `Throughput, ${num(window / 1e9, 3)} s windows${options.subtitle ? ` — ${options.subtitle}` : ''}`,
    x,
    y,
    xLabel: 'time (s)',
    yLabel: 'throughput (ops/s)',
    periods,
    series,
    legend,
    ...(ss.size === 0 ? { empty: 'no completed operations' } : {}),
  });
}
