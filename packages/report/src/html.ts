/**
 * The shared look of Gyre's HTML pages: one small stylesheet, no framework, no external resources.
 */
import { esc } from './text';

/**
 * Verdict colours, as Maelstrom's web UI uses them; `crashed` (a run that crashed: no verdict) is
 * neither pass nor fail, and `neutral` is for counts that are no verdict (late replies).
 */
export const VALIDITY_COLORS = { true: '#6DB6FE', unknown: '#FFAA26', false: '#FEB5DA', incomplete: '#eaeaea', crashed: '#B9B4C7', neutral: '#D5D9DF' } as const;

/** The base stylesheet of every page. */
const BASE_CSS = `
:root{--fg:#1d2330;--muted:#667085;--line:#e4e7ec;--bg:#fff;--soft:#f7f8fa;--accent:#2f7fc8;
--ok:#6DB6FE;--info:#FFAA26;--fail:#FEB5DA;--bad:#d92d6b;--good:#1f78d1;--warn:#c77700}
*{box-sizing:border-box}
html,body{margin:0;padding:0;background:var(--bg);color:var(--fg);
font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
h1,h2,h3{line-height:1.2;margin:0}
h2{font-size:19px;margin:36px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:18px 0 8px}
.muted{color:var(--muted)}
table{border-collapse:collapse}
th,td{text-align:left;padding:5px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.03em}
`;

/** A complete HTML document. */
export function page(title: string, body: string, opts: { css?: string; script?: string; head?: string; bodyClass?: string } = {}): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><link rel="icon" href="data:,">
<style>${BASE_CSS}${opts.css ?? ''}</style>${opts.head ?? ''}
</head><body${opts.bodyClass ? ` class="${esc(opts.bodyClass)}"` : ''}>
${body}
${opts.script ? `<script>${opts.script}</script>` : ''}
</body></html>
`;
}
