/**
 * `messages.html`: the interactive Lamport view, one self-contained page (data inline, no network).
 */
import { LAMPORT_JS } from './client/lamport';
import type { LamportData } from './lamport-data';
import { page } from './html';
import { base64, esc, groupDigits, scriptJson } from './text';

/** Options of {@link lamportHtml}. */
export interface LamportHtmlOptions {
  /** Page title. @defaultValue "Messages" */
  title?: string;
  /** A line under the title, such as the run's name and time. */
  subtitle?: string;
  /** Link back to the run's report (relative URL). @defaultValue "report.html" */
  reportHref?: string | null;
}

const CSS = `
html,body{height:100%;overflow:hidden}
body{display:flex;flex-direction:column}
header.bar{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:center;padding:8px 14px;border-bottom:1px solid var(--line);background:var(--soft)}
header.bar h1{font-size:16px;margin-right:6px}
header.bar .sub{color:var(--muted);font-size:12px}
header.bar label.inline{font-size:12px;color:var(--muted);display:flex;align-items:center;gap:4px}
header.bar input[type=text],header.bar input[type=number],header.bar select{font:inherit;font-size:12px;padding:3px 6px;border:1px solid #cfd4dc;border-radius:5px;background:#fff}
header.bar input[type=number]{width:90px}
details.pick{position:relative;font-size:12px}
details.pick summary{cursor:pointer;padding:3px 8px;border:1px solid #cfd4dc;border-radius:5px;background:#fff;list-style:none}
details.pick[open] summary{background:#eef4fb}
details.pick .menu{position:absolute;z-index:10;top:28px;left:0;background:#fff;border:1px solid var(--line);border-radius:6px;box-shadow:0 6px 24px rgba(0,0,0,.12);padding:8px 10px;max-height:60vh;overflow:auto;min-width:180px}
details.pick label{display:block;white-space:nowrap;padding:1px 0}
details.pick .count{color:var(--muted);font-size:11px}
.ck-actions{margin-bottom:6px}.ck-actions button{font-size:11px}
button{font:inherit;font-size:12px;padding:3px 8px;border:1px solid #cfd4dc;border-radius:5px;background:#fff;cursor:pointer}
#shown{font-size:12px;color:var(--muted)}
#status{padding:4px 14px;font-size:12px;min-height:24px;border-bottom:1px solid var(--line);color:#333;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
#status .tip-body{display:inline;margin:0 14px 0 8px}#status .tip-head,#status .tip-meta{display:inline;margin-right:8px}
#view{position:relative;flex:1;min-height:0}
#canvas{position:absolute;left:0;top:0}
#scroller{position:absolute;inset:0;overflow:auto}
#spacer{width:1px}
#tip{position:absolute;z-index:5;max-width:560px;background:#fff;border:1px solid #d0d5dd;border-radius:6px;box-shadow:0 8px 28px rgba(0,0,0,.16);padding:8px 10px;font-size:12px;pointer-events:none}
.tip-head{font-weight:600}.tip-type{font-weight:400;color:var(--muted);margin-left:6px}
.tip-body{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all;margin:4px 0;max-height:240px;overflow:hidden}
.tip-meta{color:var(--muted)}
.legend{display:flex;gap:10px;font-size:12px;color:var(--muted)}
.legend i{display:inline-block;width:16px;height:3px;vertical-align:middle;margin-right:4px}
`;

/**
 * The page's HTML for packed data from {@link LamportDataBuilder}. The data is embedded as base64
 * and inflated in the browser (`DecompressionStream`); deep links `#t=<ns>`, `#msg=<id>` and
 * `#op=<history index>` scroll to and highlight the messages around that point.
 */
export function lamportHtml(data: LamportData, options: LamportHtmlOptions = {}): string {
  const title = options.title ?? 'Messages';
  const report = options.reportHref === undefined ? 'report.html' : options.reportHref;
  const body = `<header class="bar">
<h1>${esc(title)}</h1>${options.subtitle ? `<span class="sub">${esc(options.subtitle)}</span>` : ''}
${report ? `<a href="${esc(report)}" style="font-size:12px">← report</a>` : ''}
<details class="pick"><summary>nodes ▾</summary><div class="menu" id="nodes"></div></details>
<details class="pick"><summary>message types ▾</summary><div class="menu" id="types"></div></details>
<label class="inline">from <input id="t-start" type="number" step="any" placeholder="ms"></label>
<label class="inline">to <input id="t-end" type="number" step="any" placeholder="ms"></label>
<label class="inline">body contains <input id="search" type="text" size="14" placeholder="text"></label>
<label class="inline">go to <input id="goto" type="number" step="any" placeholder="ms"></label>
<label class="inline">clients <select id="merge"><option value="1">one column</option><option value="0">one column each</option></select></label>
<label class="inline">rows <select id="density"><option value="0">20 px</option><option value="1">12 px</option><option value="2">5 px</option><option value="3">2 px</option></select></label>
<button id="clear" type="button">clear filters</button>
<span class="legend"><span><i style="background:#81BFFC"></i>client</span><span><i style="background:#000"></i>server</span><span><i style="background:#FF1E90"></i>error</span><span><i style="background:repeating-linear-gradient(90deg,#888 0 4px,transparent 4px 7px)"></i>dropped / undelivered</span></span>
<span id="shown"></span>
</header>
<div id="status">Loading ${groupDigits(data.meta.rows)} events…</div>
<div id="view"><canvas id="canvas"></canvas><div id="scroller"><div id="spacer"></div></div><div id="tip" hidden></div></div>
<script type="application/json" id="lamport-meta">${scriptJson(data.meta)}</script>
<script type="application/octet-stream" id="lamport-data">${base64(data.packed)}</script>`;
  return page(title, body, { css: CSS, script: LAMPORT_JS });
}
