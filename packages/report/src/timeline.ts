/**
 * `timeline.html`: operations per process on a time axis, coloured by outcome as Jepsen's
 * timeline is (ok blue, info orange, fail pink), with hover details and links to the messages.
 */
import { pairs, stringifyJson, type Op } from '@gyre/history';
import { TIMELINE_JS } from './client/timeline';
import { page } from './html';
import { nemesisPeriods } from './nemesis';
import { clip, esc, groupDigits, scriptJson } from './text';

/** Options of {@link timelineHtml}. */
export interface TimelineOptions {
  /** Page title. @defaultValue "Timeline" */
  title?: string;
  /** A line under the title. */
  subtitle?: string;
  /** Relative URL of the Lamport view that a click opens at `#op=<index>`; null for none. @defaultValue "messages.html" */
  messagesHref?: string | null;
  /** Longest value text kept per operation. @defaultValue 200 */
  maxValueChars?: number;
}

const CSS = `
html,body{height:100%;overflow:hidden}
body{display:flex;flex-direction:column}
header.bar{display:flex;gap:14px;align-items:center;padding:8px 14px;border-bottom:1px solid var(--line);background:var(--soft);flex-wrap:wrap}
header.bar h1{font-size:16px}
header.bar .sub{color:var(--muted);font-size:12px}
.key{display:flex;gap:10px;font-size:12px;color:var(--muted)}
.key i{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-2px;margin-right:4px}
button{font:inherit;font-size:12px;padding:2px 8px;border:1px solid #cfd4dc;border-radius:5px;background:#fff;cursor:pointer}
#tl-zoom{font-size:12px;color:var(--muted);min-width:70px}
#tl-view{position:relative;flex:1;min-height:0}
#tl-canvas{position:absolute;left:0;top:0}
#tl-scroller{position:absolute;inset:0;overflow:auto}
#tl-tip{position:absolute;z-index:5;max-width:520px;background:#fff;border:1px solid #d0d5dd;border-radius:6px;box-shadow:0 8px 28px rgba(0,0,0,.16);padding:8px 10px;font-size:12px;pointer-events:none}
#tl-tip code{word-break:break-all}
#tl-tip .hint{color:var(--muted);margin-top:4px}
.t-ok{color:#1f78d1}.t-info{color:#c77700}.t-fail{color:#d92d6b}
`;

const TYPE_CODE: Record<string, number> = { ok: 0, info: 1, fail: 2 };

function valueText(v: unknown, max: number): string {
  if (v === undefined) return '';
  return clip(stringifyJson(v), max);
}

/**
 * The timeline page for a history. Lanes are client processes in numeric order; the nemesis's fault
 * periods are drawn as a band across the top.
 */
export function timelineHtml(history: readonly Op[], options: TimelineOptions = {}): string {
  const max = options.maxValueChars ?? 200;
  const procs = [...new Set(history.filter((o) => typeof o.process === 'number').map((o) => o.process as number))].sort((a, b) => a - b);
  const lane = new Map(procs.map((p, i) => [p, i]));
  const fs: string[] = [];
  const fIdx = new Map<string, number>();
  let end = 0;
  for (const op of history) if (op.time > end) end = op.time;
  const ops: unknown[] = [];
  for (const { invoke, completion } of pairs(history)) {
    if (typeof invoke.process !== 'number') continue;
    let f = fIdx.get(invoke.f);
    if (f === undefined) {
      fIdx.set(invoke.f, (f = fs.length));
      fs.push(invoke.f);
    }
    const err = completion?.error;
    ops.push([
      lane.get(invoke.process),
      invoke.time,
      completion ? completion.time : end,
      completion ? (TYPE_CODE[completion.type] ?? 3) : 3,
      f,
      invoke.index,
      completion ? completion.index : -1,
      valueText(invoke.value, max),
      completion ? valueText(completion.value, max) : '',
      err === undefined ? '' : valueText(err, max),
    ]);
  }
  const periods = nemesisPeriods(history).map((p) => [p.kind, p.start, p.end]);
  const messages = options.messagesHref === undefined ? 'messages.html' : options.messagesHref;
  const data = { lanes: procs.map(String), fs, ops, periods, end: Math.max(end, 1), messages };
  const title = options.title ?? 'Timeline';
  const body = `<header class="bar"><h1>${esc(title)}</h1>${options.subtitle ? `<span class="sub">${esc(options.subtitle)}</span>` : ''}
<span class="key"><span><i style="background:#6DB6FE"></i>ok</span><span><i style="background:#FFAA26"></i>info</span><span><i style="background:#FEB5DA"></i>fail</span><span><i style="background:#d0d5dd"></i>never completed</span>${periods.length ? '<span><i style="background:#E9DCA0"></i>fault</span>' : ''}</span>
<button id="tl-out" type="button" title="zoom out">−</button><span id="tl-zoom"></span><button id="tl-in" type="button" title="zoom in">+</button><button id="tl-fit" type="button">fit</button>
<span class="sub">${groupDigits(ops.length)} operations · ${procs.length} processes · ctrl+wheel zooms · hover for details</span></header>
<div id="tl-view"><canvas id="tl-canvas"></canvas><div id="tl-scroller"><div id="tl-spacer"></div></div><div id="tl-tip" hidden></div></div>
<script type="application/json" id="timeline-data">${scriptJson(data)}</script>`;
  return page(title, body, { css: CSS, script: TIMELINE_JS });
}
