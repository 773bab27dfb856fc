/**
 * `report.html`: one self-contained page per run. The verdict first, then the figures people
 * look for (messages per op, stable latencies, availability, outcomes), the anomalies with links to
 * the messages around them, the plots, the timeline and the Lamport view (sibling files, embedded),
 * and the raw results. Opens from disk (file://); no network, no framework.
 */
import { pairIndex, stringifyJson, type Op } from '@gyre/history';
import { findAnomalies, type Finding } from './findings';
import { page, VALIDITY_COLORS } from './html';
import { latencyQuantilesSvg, latencyRawSvg, rateSvg } from './plots';
import { base64, clip, duration, esc, groupDigits, num } from './text';

/** A verdict as the pages show it: `crashed` for a run that crashed (no verdict), `incomplete` when there are no results. */
export type Verdict = true | false | 'unknown' | 'crashed' | 'incomplete';

/** What {@link reportHtml} draws. */
export interface ReportInput {
  /** The run's history. */
  history: readonly Op[];
  /** The results map (`results.json`), when analysis finished. */
  results?: Record<string, unknown> | undefined;
  /** The run's `test.json`: `{ name, argv, seed, nodes, concurrency, startTime }`. */
  test?: Record<string, unknown> | undefined;
  /** A name for the run, such as `broadcast/20261125T120301.972+0000`. */
  runName?: string;
  /** Plot SVGs to inline; computed from the history when absent. */
  plots?: { latencyRaw: string; latencyQuantiles: string; rate: string };
  /** Sibling files to link (relative paths). `messages.html` / `timeline.html` are embedded when listed. */
  files?: readonly string[];
  /** Relative paths of checker drawings (such as `elle/G1c/0.svg`) to show as images. */
  images?: readonly string[];
}

type Rec = Record<string, unknown>;

function get(o: unknown, ...path: string[]): unknown {
  let cur = o;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Rec)[k];
  }
  return cur;
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v !== null && typeof v === 'object' && 'value' in v && typeof (v as { value: unknown }).value === 'number') return (v as { value: number }).value;
  return undefined;
}

/**
 * The verdict of a results map: `crashed` when the run crashed (a `crash`, or the `error` of
 * results written before it), whatever else it says; `incomplete` without results.
 */
export function verdictOf(results: unknown): Verdict {
  if (results !== null && typeof results === 'object' && (get(results, 'crash') !== undefined || typeof get(results, 'error') === 'string')) return 'crashed';
  const v = get(results, 'valid?');
  if (v === true || v === false) return v;
  if (v === 'unknown' || v === ':unknown') return 'unknown';
  return 'incomplete';
}

const VERDICT_TEXT: Record<string, { word: string; line: string }> = {
  true: { word: 'Valid', line: 'Everything looks good: every checker passed.' },
  false: { word: 'Invalid', line: 'Analysis invalid: the anomalies below show what went wrong.' },
  unknown: { word: 'Unknown', line: 'Errors occurred during analysis, but no anomalies were found.' },
  crashed: { word: 'Crashed', line: 'The run crashed, so there is no verdict: see why below.' },
  incomplete: { word: 'Incomplete', line: 'No results: the run did not finish its analysis.' },
};

/** Run-level sections that count something and judge nothing: shown in a neutral colour. */
const NEUTRAL = new Set(['late-replies']);

function findKey(o: unknown, key: string, depth = 0): unknown {
  if (o === null || typeof o !== 'object' || depth > 6) return undefined;
  if (key in (o as Rec)) return (o as Rec)[key];
  for (const v of Object.values(o as Rec)) {
    const hit = findKey(v, key, depth + 1);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

function pct(x: number): string {
  return `${num(x * 100, x > 0.999 && x < 1 ? 2 : 1)}%`;
}

/** Pretty JSON text that keeps big integers and floats; short values stay on one line. */
export function prettyJson(v: unknown, indent = 0): string {
  const flat = stringifyJson(v);
  if (flat.length + indent <= 96 || v === null || typeof v !== 'object' || !(Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype)) return flat;
  const pad = ' '.repeat(indent + 2);
  if (Array.isArray(v)) return '[\n' + v.map((x) => pad + prettyJson(x, indent + 2)).join(',\n') + '\n' + ' '.repeat(indent) + ']';
  const entries = Object.entries(v as Rec).filter(([, x]) => x !== undefined);
  return '{\n' + entries.map(([k, x]) => `${pad}${JSON.stringify(k)}: ${prettyJson(x, indent + 2)}`).join(',\n') + '\n' + ' '.repeat(indent) + '}';
}

const CSS = `
body{background:#fbfbfc}
.wrap{max-width:1160px;margin:0 auto;padding:0 24px 80px}
.hero{padding:28px 0 22px;border-bottom:1px solid var(--line);background:#fff}
.hero .wrap{padding-bottom:0;display:flex;gap:28px;align-items:center;flex-wrap:wrap}
.verdict{font-size:44px;font-weight:800;letter-spacing:-.02em;padding:10px 26px;border-radius:14px;line-height:1}
.v-true{background:#6DB6FE;color:#0b3a6a}.v-false{background:#FEB5DA;color:#7a0b3f}.v-unknown{background:#FFAA26;color:#5a3300}.v-crashed{background:#B9B4C7;color:#2b2540}.v-incomplete{background:#eaeaea;color:#444}
.run-note{margin-top:8px;padding:6px 10px;border-radius:8px;background:#f3f1f8;border:1px solid #dcd7e8;font-size:13px;white-space:pre-wrap}
.hero h1{font-size:24px;font-weight:700}
.hero .meta{color:var(--muted);margin-top:4px}
.hero .line{margin-top:6px;font-size:13px}
nav.toc{position:sticky;top:0;z-index:3;background:rgba(251,251,252,.95);backdrop-filter:blur(4px);border-bottom:1px solid var(--line)}
nav.toc .wrap{padding-bottom:0;display:flex;gap:18px;height:40px;align-items:center;font-size:13px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:14px}
.card{background:#fff;border:1px solid var(--line);border-radius:12px;padding:14px 16px}
.card .k{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.card .big{font-size:30px;font-weight:700;margin-top:2px;font-variant-numeric:tabular-nums}
.card .small{color:var(--muted);font-size:12.5px;margin-top:2px}
.card table{width:100%;margin-top:6px}.card td{padding:2px 0;border:0;font-variant-numeric:tabular-nums}.card td:last-child{text-align:right;font-weight:600}
.bar{display:flex;height:8px;border-radius:4px;overflow:hidden;margin-top:8px;background:#eee}.bar span{display:block;height:100%}
.badges{display:flex;flex-wrap:wrap;gap:8px;margin-top:14px}
.badge{display:inline-flex;gap:6px;align-items:center;font-size:12.5px;padding:3px 10px;border-radius:999px;border:1px solid var(--line);background:#fff}
.dot{width:9px;height:9px;border-radius:50%;display:inline-block}
.target-pass{border-color:#9ccaf5}.target-fail{border-color:#f3a6c8}
.finding{background:#fff;border:1px solid var(--line);border-left:5px solid #FEB5DA;border-radius:10px;padding:14px 18px;margin:14px 0}
.finding.unknown{border-left-color:#FFAA26}
.finding h3{margin:0 0 8px;font-size:16px}
.finding .facts{font-size:12.5px;color:var(--muted);margin-bottom:8px}
.finding .facts b{color:var(--fg);font-weight:600}
.finding pre.explain{white-space:pre-wrap;background:#fff8e6;border:1px solid #f5e2b8;border-radius:8px;padding:10px 12px;margin:8px 0}
.finding ul{margin:6px 0 0;padding-left:20px}
.finding li{margin:3px 0}
.finding li code{background:#f4f5f7;border-radius:4px;padding:1px 5px;word-break:break-all}
.op-link{font-size:12.5px;margin-left:6px;white-space:nowrap}
.group-name{font-weight:600;margin-top:10px}
.omitted{color:var(--muted);font-size:12px}
.finding img{max-width:100%;border:1px solid var(--line);border-radius:6px;margin-top:8px;background:#fff}
.none{background:#fff;border:1px solid var(--line);border-radius:10px;padding:16px 18px;color:var(--muted)}
figure{margin:0 0 18px;background:#fff;border:1px solid var(--line);border-radius:12px;padding:10px;overflow:auto}
figure svg{max-width:100%;height:auto;display:block}
figcaption{font-size:12px;color:var(--muted);padding:4px 6px 0}
iframe.embed{width:100%;border:1px solid var(--line);border-radius:12px;background:#fff;display:block}
.files{columns:3 220px;font-size:13px}
.files a{display:block}
details.raw summary{cursor:pointer;color:var(--accent)}
details.raw pre{background:#fff;border:1px solid var(--line);border-radius:10px;padding:12px;overflow:auto;max-height:70vh}
.links{font-size:12.5px;margin:-4px 0 8px}
`;

const SCRIPT = `
document.addEventListener('click', function (ev) {
  var a = ev.target.closest ? ev.target.closest('a[target=lamport]') : null;
  if (!a) return;
  var sec = document.getElementById('messages');
  if (sec) setTimeout(function () { sec.scrollIntoView({ behavior: 'instant', block: 'start' }); }, 0);
});
`;

interface Ctx {
  history: readonly Op[];
  byIndex: Map<number, Op>;
  partner: Int32Array;
  pos: Map<number, number>;
  messages: boolean;
}

function opLabel(c: Ctx, index: number): string {
  const op = c.byIndex.get(index);
  if (!op) return `op ${index}`;
  const p = c.pos.get(index);
  const other = p !== undefined && c.partner[p]! >= 0 ? c.history[c.partner[p]!] : undefined;
  const inv = op.type === 'invoke' ? op : (other ?? op);
  const done = op.type === 'invoke' ? other : op;
  const v = inv.value === null || inv.value === undefined ? '' : ` ${clip(stringifyJson(inv.value), 24)}`;
  return `#${index} · p${String(inv.process)} ${inv.f}${v}${done ? ` → ${done.type}` : ''}`;
}

function opLink(c: Ctx, index: number): string {
  const label = esc(opLabel(c, index));
  if (!c.messages) return `<span class="op-link mono">${label}</span>`;
  return `<a class="op-link" data-op="${index}" href="messages.html#op=${index}" target="lamport" title="show the messages around this operation">${label}</a>`;
}

function findingHtml(c: Ctx, f: Finding): string {
  const name = f.path.length ? f.path.join(' › ') : 'results';
  const out: string[] = [`<div class="finding${f.valid === 'unknown' ? ' unknown' : ''}" data-path="${esc(f.path.join('/'))}">`];
  out.push(`<h3>${esc(name)} <span class="badge"><span class="dot" style="background:${f.valid === false ? VALIDITY_COLORS.false : VALIDITY_COLORS.unknown}"></span>${f.valid === false ? 'invalid' : 'unknown'}</span></h3>`);
  if (f.facts.length) out.push(`<div class="facts">${f.facts.map(([k, v]) => `${esc(k)}: <b>${esc(clip(v, 80))}</b>`).join(' · ')}</div>`);
  for (const e of f.explanations) out.push(`<pre class="explain">${esc(clip(e, 20_000))}</pre>`);
  for (const g of f.groups) {
    out.push(`<div class="group-name">${esc(g.name)} <span class="muted">(${g.items.length + g.omitted})</span></div><ul>`);
    for (const it of g.items) {
      out.push(`<li><code>${esc(clip(it.text, 300))}</code>${it.ops.slice(0, 8).map((i) => opLink(c, i)).join('')}${it.ops.length > 8 ? ` <span class="omitted">+${it.ops.length - 8} ops</span>` : ''}`);
      for (const e of it.explanations) out.push(`<pre class="explain">${esc(clip(e, 5000))}</pre>`);
      out.push('</li>');
    }
    if (g.omitted) out.push(`<li class="omitted">… and ${g.omitted} more (see results.json)</li>`);
    out.push('</ul>');
  }
  for (const s of f.svgs) out.push(`<img alt="checker drawing" src="data:image/svg+xml;base64,${base64(new TextEncoder().encode(s))}">`);
  out.push('</div>');
  return out.join('\n');
}

function badge(label: string, v: unknown, count?: number): string {
  const key = v === 'neutral' ? 'neutral' : v === true ? 'true' : v === false ? 'false' : v === 'unknown' ? 'unknown' : 'incomplete';
  return `<span class="badge" data-checker="${esc(label)}" data-valid="${key}"><span class="dot" style="background:${VALIDITY_COLORS[key]}"></span>${esc(label)}${count !== undefined ? ` ${groupDigits(count)}` : ''}</span>`;
}

/** What the hero says besides the verdict: why a run crashed, was interrupted, or never finished. */
function runNotes(results: Rec | undefined): string {
  const notes: string[] = [];
  const crash = get(results, 'crash');
  const crashText = typeof get(crash, 'message') === 'string' ? (get(crash, 'message') as string) : typeof get(results, 'error') === 'string' ? (get(results, 'error') as string) : undefined;
  if (crashText !== undefined) notes.push(`<div class="run-note" data-crash="${esc(String(get(crash, 'by') ?? 'node'))}">${esc(clip(crashText, 4000))}</div>`);
  if (get(results, 'interrupted') === true) notes.push(`<div class="run-note" data-interrupted="true">The run was interrupted: these results cover what was recorded before it stopped.</div>`);
  const incomplete = get(results, 'incomplete');
  if (typeof incomplete === 'string') notes.push(`<div class="run-note" data-incomplete="true">Incomplete: ${esc(incomplete)}.</div>`);
  return notes.join('');
}

function countsFromHistory(history: readonly Op[]): { ok: number; fail: number; info: number; invoke: number } {
  const c = { ok: 0, fail: 0, info: 0, invoke: 0 };
  for (const op of history) if (typeof op.process === 'number') c[op.type]++;
  return c;
}

/** The report page (see the module comment). */
export function reportHtml(input: ReportInput): string {
  const { history, results, test } = input;
  const files = new Set(input.files ?? []);
  const verdict = verdictOf(results);
  const vt = VERDICT_TEXT[String(verdict)]!;
  const workload = String(get(results, 'workload', 'workload') ?? get(test, 'name') ?? input.runName?.split('/')[0] ?? 'run');
  let end = 0;
  for (const op of history) if (op.time > end) end = op.time;
  const nodes = get(test, 'nodes');
  const nodeCount = Array.isArray(nodes) ? nodes.length : undefined;
  const metaBits = [
    input.runName,
    nodeCount !== undefined ? `${nodeCount} node${nodeCount === 1 ? '' : 's'}` : undefined,
    get(test, 'concurrency') !== undefined ? `concurrency ${String(get(test, 'concurrency'))}` : undefined,
    `${duration(end)} of history`,
    get(test, 'seed') !== undefined ? `seed ${String(get(test, 'seed'))}` : undefined,
  ].filter(Boolean) as string[];
  const argv = get(test, 'argv');

  const c: Ctx = {
    history,
    byIndex: new Map(history.map((op) => [op.index, op])),
    partner: pairIndex(history),
    pos: new Map(history.map((op, i) => [op.index, i])),
    messages: files.has('messages.html'),
  };

  // Figures.
  const cards: string[] = [];
  const mpo = asNumber(get(results, 'net', 'servers', 'msgs-per-op'));
  const mpoAll = asNumber(get(results, 'net', 'all', 'msgs-per-op'));
  const msgCount = asNumber(get(results, 'net', 'all', 'msg-count'));
  if (mpo !== undefined || mpoAll !== undefined) {
    cards.push(
      `<div class="card" data-figure="msgs-per-op"><div class="k">Messages per op</div><div class="big">${mpo !== undefined ? num(mpo, 2) : '—'}</div><div class="small">between servers · ${mpoAll !== undefined ? num(mpoAll, 2) : '—'} including clients${msgCount !== undefined ? ` · ${groupDigits(msgCount)} messages` : ''}</div></div>`,
    );
  }
  const sl = (get(results, 'workload', 'stable-latencies') ?? findKey(results, 'stable-latencies')) as Rec | undefined;
  if (sl && typeof sl === 'object') {
    const row = (k: string, label: string) => (sl[k] !== undefined ? `<tr><td>${label}</td><td>${esc(num(asNumber(sl[k]) ?? NaN, 1))} ms</td></tr>` : '');
    cards.push(
      `<div class="card" data-figure="stable-latencies"><div class="k">Stable latency</div><div class="big">${esc(num(asNumber(sl['0.5']) ?? NaN, 0))} ms</div><div class="small">median, from acknowledgement to visible everywhere</div><table>${row('0.95', 'p95')}${row('0.99', 'p99')}${row('1', 'max')}</table></div>`,
    );
  }
  const avail = asNumber(get(results, 'availability', 'ok-fraction'));
  const hc = countsFromHistory(history);
  const ok = asNumber(get(results, 'stats', 'ok-count')) ?? hc.ok;
  const fail = asNumber(get(results, 'stats', 'fail-count')) ?? hc.fail;
  const info = asNumber(get(results, 'stats', 'info-count')) ?? hc.info;
  const total = Math.max(1, ok + fail + info);
  cards.push(
    `<div class="card" data-figure="availability"><div class="k">Availability</div><div class="big">${avail !== undefined ? pct(avail) : pct(ok / Math.max(1, hc.invoke))}</div><div class="small">of operations completed ok</div></div>`,
  );
  cards.push(
    `<div class="card" data-figure="outcomes"><div class="k">Operations</div><div class="big">${groupDigits(ok + fail + info)}</div>` +
      `<div class="bar"><span style="width:${(100 * ok) / total}%;background:#6DB6FE"></span><span style="width:${(100 * info) / total}%;background:#FFAA26"></span><span style="width:${(100 * fail) / total}%;background:#FEB5DA"></span></div>` +
      `<table><tr><td>ok</td><td data-count="ok">${groupDigits(ok)}</td></tr><tr><td>info</td><td data-count="info">${groupDigits(info)}</td></tr><tr><td>fail</td><td data-count="fail">${groupDigits(fail)}</td></tr></table></div>`,
  );

  // Gossip Glomers targets for broadcast (challenges 3d and 3e).
  let targets = '';
  if (workload === 'broadcast' && mpo !== undefined && sl) {
    const med = asNumber(sl['0.5']);
    const mx = asNumber(sl['1']);
    const t = (name: string, pass: boolean | undefined, text: string) =>
      pass === undefined ? '' : `<span class="badge ${pass ? 'target-pass' : 'target-fail'}" data-target="${esc(name)}" data-pass="${pass}">${pass ? '✓' : '✗'} ${esc(text)}</span>`;
    targets =
      `<div class="badges" title="Fly.io Gossip Glomers targets (only meaningful for 25 nodes, rate 100, latency 100)">` +
      t('3d-mpo', mpo < 30, `3d msgs/op < 30`) +
      t('3d-median', med === undefined ? undefined : med < 400, '3d median < 400 ms') +
      t('3d-max', mx === undefined ? undefined : mx < 600, '3d max < 600 ms') +
      t('3e-mpo', mpo < 20, '3e msgs/op < 20') +
      t('3e-median', med === undefined ? undefined : med < 1000, '3e median < 1 s') +
      t('3e-max', mx === undefined ? undefined : mx < 2000, '3e max < 2 s') +
      `</div>`;
  }

  const checkers = results
    ? Object.entries(results)
        .filter(([, v]) => v !== null && typeof v === 'object' && 'valid?' in (v as Rec))
        .map(([k, v]) => (NEUTRAL.has(k) ? badge(k, 'neutral', asNumber((v as Rec)['count'])) : badge(k, (v as Rec)['valid?'])))
        .join('')
    : '';

  const findings = results ? findAnomalies(results, history) : [];
  const anomalies = findings.length
    ? findings.map((f) => findingHtml(c, f)).join('\n')
    : `<div class="none">${verdict === 'incomplete' ? 'No results yet: nothing was checked.' : 'No anomalies: every checker passed.'}</div>`;

  const plots = input.plots ?? {
    latencyRaw: latencyRawSvg(history),
    latencyQuantiles: latencyQuantilesSvg(history),
    rate: rateSvg(history),
  };
  const fig = (svg: string, file: string, caption: string) =>
    `<figure data-file="${file}">${svg}<figcaption>${esc(caption)} · <a href="${file}">${file}</a></figcaption></figure>`;

  const images = (input.images ?? []).slice(0, 24);
  const fileLinks = [...files].sort().map((f) => `<a href="${esc(f)}">${esc(f)}</a>`).join('');

  const toc = [
    ['summary', 'Summary'],
    ['anomalies', `Anomalies${findings.length ? ` (${findings.length})` : ''}`],
    ['plots', 'Plots'],
    files.has('timeline.html') ? ['timeline', 'Timeline'] : undefined,
    files.has('messages.html') || files.has('messages.svg') ? ['messages', 'Messages'] : undefined,
    ['files', 'Files'],
    results ? ['results', 'Results'] : undefined,
  ].filter(Boolean) as [string, string][];

  const body = `<div class="hero"><div class="wrap">
<div class="verdict v-${verdict}" id="verdict" data-valid="${verdict}">${vt.word}</div>
<div><h1>${esc(workload)}</h1><div class="meta">${metaBits.map(esc).join(' · ')}</div>
<div class="line">${esc(vt.line)}</div>${runNotes(results)}
${Array.isArray(argv) ? `<div class="meta mono">gyre ${esc(argv.map(String).join(' '))}</div>` : ''}</div>
</div></div>
<nav class="toc"><div class="wrap">${toc.map(([id, t]) => `<a href="#${id}">${esc(t)}</a>`).join('')}</div></nav>
<div class="wrap">
<section id="summary"><h2>Summary</h2><div class="cards">${cards.join('')}</div>
${checkers ? `<div class="badges">${checkers}</div>` : ''}${targets}</section>
<section id="anomalies"><h2>Anomalies</h2>${anomalies}
${images.length ? `<h3>Checker drawings</h3>${images.map((p) => `<figure><img src="${esc(p)}" alt="${esc(p)}" style="max-width:100%"><figcaption><a href="${esc(p)}">${esc(p)}</a></figcaption></figure>`).join('')}` : ''}</section>
<section id="plots"><h2>Plots</h2>
${fig(plots.latencyRaw, 'latency-raw.svg', 'Every operation’s latency; colour by outcome, shape by function; shaded: faults')}
${fig(plots.latencyQuantiles, 'latency-quantiles.svg', 'Latency quantiles of ok operations per window')}
${fig(plots.rate, 'rate.svg', 'Completed operations per second')}</section>
${files.has('timeline.html') ? `<section id="timeline"><h2>Timeline</h2><div class="links"><a href="timeline.html">open timeline.html</a> · click an operation to see its messages</div><iframe class="embed" src="timeline.html" title="timeline" style="height:440px" loading="lazy"></iframe></section>` : ''}
${files.has('messages.html') ? `<section id="messages"><h2>Messages</h2><div class="links"><a href="messages.html">open messages.html</a>${files.has('messages.svg') ? ' · <a href="messages.svg">messages.svg</a> (first 10,000 events, as Maelstrom draws it)' : ''}</div><iframe class="embed" name="lamport" src="messages.html" title="messages" style="height:680px"></iframe></section>` : files.has('messages.svg') ? `<section id="messages"><h2>Messages</h2><div class="links"><a href="messages.svg">messages.svg</a></div></section>` : ''}
<section id="files"><h2>Files</h2><div class="files">${fileLinks}</div></section>
${results ? `<section id="results"><h2>Results</h2><details class="raw"><summary>results.json</summary><pre>${esc(clip(prettyJson(results), 400_000))}</pre></details></section>` : ''}
</div>`;
  return page(`${VERDICT_TEXT[String(verdict)]!.word} · ${workload}${input.runName ? ` · ${input.runName}` : ''}`, body, { css: CSS, script: SCRIPT });
}
