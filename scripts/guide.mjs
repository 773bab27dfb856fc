// The guide's listings are included from real files, so they cannot rot.
//
// In docs/guide/*.md and in the packages' READMEs (packages/*/README.md, apps/*/README.md), a
// marker line names a file (or part of one) and the fenced block right after it holds that file's
// text:
//
//   <!-- include: examples/guide/02-echo/echo.ts -->             the whole file
//   <!-- include: examples/guide/07-linearizability/raft.ts#election -->   a named region
//   <!-- include: examples/guide/02-echo/echo.ts:3-9 -->         lines 3 to 9 (1-based, inclusive)
//
// A region is delimited in the source by `// #region NAME` and `// #endregion` (or `#` comments);
// region marker lines never appear in a listing, and a region's common indentation is removed.
//
// The README examples (examples/readme/) are also run, their output compared with the
// `.out.txt` file next to them, by examples/test/readme-examples.test.ts.
//
// A program the guide shows in parts must be shown whole: copied in the guide's order, its listings
// are the program (see checkListings). A marker `<!-- builds-on: examples/…/stage-1.ts -->` before
// the first listing of a program makes it the next stage of another: its listings then hold what it
// adds or changes.
//
//   node scripts/guide.mjs           fills every included block in (rewrites the Markdown)
//   node scripts/guide.mjs --check   exits 1, naming each listing that differs from its file, and
//                                    each program whose listings leave out some of its code
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
export const guideDir = join(root, 'docs', 'guide');

const MARKER = /^<!--\s*include:\s*(\S+?)\s*-->\s*$/;
const BUILDS_ON = /^<!--\s*builds-on:\s*(\S+?)\s*-->\s*$/;
const RUN = /^<!--\s*run:\s*(\S+?)\s*-->\s*$/;
const REGION_START = /^\s*(?:\/\/|#)\s*#region\s+(\S+)\s*$/;
const REGION_END = /^\s*(?:\/\/|#)\s*#endregion\b.*$/;
const LANG = { ts: 'ts', mts: 'ts', js: 'js', mjs: 'js', py: 'python', sh: 'sh', json: 'json', jsonl: 'json', edn: 'clojure', txt: 'text' };

/** Splits `path#region` / `path:from-to` into its parts. */
export function parseSpec(spec) {
  const hash = spec.indexOf('#');
  if (hash >= 0) return { path: spec.slice(0, hash), region: spec.slice(hash + 1) };
  const m = /^(.*):(\d+)-(\d+)$/.exec(spec);
  if (m) return { path: m[1], from: Number(m[2]), to: Number(m[3]) };
  return { path: spec };
}

function dedent(lines) {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)[0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut));
}

/**
 * The line numbers (1-based) of the file that a marker shows, region marker lines left out. Throws
 * with a clear message.
 */
export function shownLines(text, spec) {
  const { region, from, to } = parseSpec(spec);
  const lines = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  let first = 0;
  let last = lines.length - 1;
  if (region !== undefined) {
    const start = lines.findIndex((l) => REGION_START.exec(l)?.[1] === region);
    if (start < 0) throw new Error(`no region "${region}" (a line "// #region ${region}")`);
    let depth = 0;
    let end = -1;
    for (let i = start + 1; i < lines.length; i++) {
      if (REGION_START.test(lines[i])) depth++;
      else if (REGION_END.test(lines[i])) {
        if (depth === 0) {
          end = i;
          break;
        }
        depth--;
      }
    }
    if (end < 0) throw new Error(`region "${region}" has no "// #endregion"`);
    [first, last] = [start + 1, end - 1];
  } else if (from !== undefined) {
    if (from < 1 || to < from || to > lines.length) throw new Error(`lines ${from}-${to} are outside the file (1-${lines.length})`);
    [first, last] = [from - 1, to - 1];
  }
  const out = [];
  for (let i = first; i <= last; i++) if (!REGION_START.test(lines[i]) && !REGION_END.test(lines[i])) out.push(i + 1);
  return out;
}

/** The text a marker stands for, from the file's full text (a region or range dedented). Throws with a clear message. */
export function extract(text, spec) {
  const lines = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  const shown = shownLines(text, spec).map((n) => lines[n - 1]);
  const { region, from } = parseSpec(spec);
  return (region !== undefined || from !== undefined ? dedent(shown) : shown).join('\n');
}

/**
 * The lines of a program that a reader must type to rebuild it (1-based): not blank, not only a
 * comment (`//`, `/* … *\/`, a `#!` line), not a region marker.
 */
export function codeLines(text) {
  const out = [];
  let inBlock = false;
  text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .forEach((line, i) => {
      const t = line.trim();
      if (inBlock) {
        if (t.includes('*/')) inBlock = false;
        return;
      }
      if (t === '' || t.startsWith('//') || t.startsWith('#!')) return;
      if (t.startsWith('/*')) {
        inBlock = !t.includes('*/');
        return;
      }
      out.push(i + 1);
    });
  return out;
}

/** Indices into `b` of a longest common subsequence of `a` and `b` (lists of strings). */
function common(a, b) {
  const n = a.length;
  const m = b.length;
  const len = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) len[i][j] = a[i] === b[j] ? len[i + 1][j + 1] + 1 : Math.max(len[i + 1][j], len[i][j + 1]);
  const kept = new Set();
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i] === b[j]) {
      kept.add(j);
      i++;
      j++;
    } else if (len[i + 1][j] >= len[i][j + 1]) i++;
    else j++;
  }
  return kept;
}

/** `[3, 4, 5, 9]` → `"3-5, 9"`. */
function ranges(ns) {
  const out = [];
  for (let i = 0; i < ns.length; ) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j] + 1) j++;
    out.push(i === j ? `${ns[i]}` : `${ns[i]}-${ns[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}

const PROGRAM = /\.(?:[cm]?ts|[cm]?js)$/;

/**
 * Whether a reader who copies the guide's listings gets every program whole. For each program
 * (a `.ts` or `.js` file the guide includes and one of its `<!-- run: -->` commands runs, as
 * source or as the bundle under examples/dist/):
 * - every line of code of it is in one of its listings, and its listings, in the order the guide
 *   shows them, follow the file's order without overlapping: copied one after the other, they are
 *   the program;
 * - a program marked `<!-- builds-on: BASE -->` (before its first listing) is the next stage of
 *   BASE: its listings must hold every line of code it adds or changes, in any order.
 * Returns one message per program that falls short (empty when all are whole).
 */
export function checkListings(report, read = readFromRoot) {
  const shown = new Map();
  const bases = new Map();
  for (const r of report) {
    for (const inc of r.includeSpans ?? []) {
      if (!shown.has(inc.path)) shown.set(inc.path, []);
      shown.get(inc.path).push(inc);
    }
    for (const [program, base] of r.buildsOn ?? []) bases.set(program, base);
  }
  const problems = [];
  const runs = report.flatMap((r) => r.runs ?? []).join('\n');
  const isRun = (path) => runs.includes(path) || runs.includes(path.replace(/^examples\//, 'examples/dist/').replace(/\.[cm]?ts$/, '.js'));
  for (const [path, listings] of shown) {
    if (!PROGRAM.test(path) || !isRun(path)) continue;
    const text = read(path);
    const lines = text.replace(/\r\n/g, '\n').split('\n');
    let must = codeLines(text);
    const base = bases.get(path);
    if (base !== undefined) {
      const baseText = read(base);
      const baseLines = baseText.replace(/\r\n/g, '\n').split('\n');
      const theirs = codeLines(baseText).map((n) => baseLines[n - 1].trim());
      const same = common(theirs, must.map((n) => lines[n - 1].trim()));
      must = must.filter((_, k) => !same.has(k));
    }
    const covered = new Set(listings.flatMap((l) => l.lines));
    const missing = must.filter((n) => !covered.has(n));
    if (missing.length > 0) {
      problems.push(`${path}: lines ${ranges(missing)} are in no listing${base !== undefined ? ` (of what it adds to ${base})` : ''}: a reader who copies the listings does not get the whole program`);
    }
    if (base === undefined) {
      for (let k = 1; k < listings.length; k++) {
        const prev = listings[k - 1].lines;
        const next = listings[k].lines;
        if (prev.length && next.length && Math.max(...prev) >= Math.min(...next)) {
          problems.push(`${path}: listing ${listings[k].spec} (${listings[k].file}) comes before or overlaps ${listings[k - 1].spec} in the file: copied in the guide's order, the listings are not the program`);
        }
      }
    }
  }
  return problems;
}

/**
 * Fills in every included block of one Markdown text. `read(path)` returns a file's text (path
 * relative to the repository root). Returns the new text and the problems found (a marker not
 * followed by a fenced block, a missing file or region); blocks with problems are left as they were.
 */
export function render(markdown, read) {
  const lines = markdown.split('\n');
  const out = [];
  const problems = [];
  const includes = [];
  const includeSpans = [];
  const buildsOn = [];
  const runs = [];
  let base;
  for (let i = 0; i < lines.length; i++) {
    const b = BUILDS_ON.exec(lines[i]);
    if (b) base = b[1];
    if (RUN.test(lines[i])) {
      let end = i + 2;
      while (end < lines.length && !lines[end].startsWith('```')) end++;
      runs.push(lines.slice(i + 2, end).join('\n'));
    }
    const m = MARKER.exec(lines[i]);
    out.push(lines[i]);
    if (!m) continue;
    const spec = m[1];
    const open = lines[i + 1];
    const fence = open === undefined ? null : /^(`{3,})(\S*)\s*$/.exec(open);
    if (!fence) {
      problems.push({ line: i + 1, spec, message: 'the marker must be followed directly by a fenced code block' });
      continue;
    }
    let close = i + 2;
    while (close < lines.length && lines[close] !== fence[1]) close++;
    if (close >= lines.length) {
      problems.push({ line: i + 1, spec, message: 'the fenced block after the marker is never closed' });
      continue;
    }
    let body;
    let shown;
    try {
      const text = read(parseSpec(spec).path);
      body = extract(text, spec);
      shown = shownLines(text, spec);
    } catch (e) {
      problems.push({ line: i + 1, spec, message: e.code === 'ENOENT' ? `no such file ${parseSpec(spec).path}` : e.message });
      continue;
    }
    includes.push(spec);
    includeSpans.push({ spec, path: parseSpec(spec).path, lines: shown });
    if (base !== undefined) {
      buildsOn.push([parseSpec(spec).path, base]);
      base = undefined;
    }
    const ext = parseSpec(spec).path.split('.').pop();
    out.push(`${fence[1]}${fence[2] || LANG[ext] || ''}`, ...(body === '' ? [] : body.split('\n')), fence[1]);
    i = close;
  }
  if (base !== undefined) problems.push({ line: lines.length, spec: base, message: 'a builds-on marker must come before an include marker' });
  return { text: out.join('\n'), problems, includes, includeSpans, buildsOn, runs };
}

/** The guide's Markdown files, in chapter order (paths relative to the repository root). */
export function guideFiles() {
  return readdirSync(guideDir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => relative(root, join(guideDir, f)));
}

/** The packages' and apps' READMEs (paths relative to the repository root). */
export function readmeFiles() {
  return ['packages', 'apps']
    .flatMap((dir) => readdirSync(join(root, dir)).map((p) => join(dir, p, 'README.md')))
    .filter((p) => existsSync(join(root, p)))
    .sort();
}

const readFromRoot = (p) => readFileSync(join(root, p), 'utf8');

/**
 * Checks (or, with `write`, updates) every chapter and README. Returns one entry per file, saying
 * whether its listings differ from their files (`drift`), with the problems found.
 */
export function processGuide({ write = false, read = readFromRoot } = {}) {
  const report = [];
  for (const file of [...guideFiles(), ...readmeFiles()]) {
    const before = readFromRoot(file);
    const { text, problems, includes, includeSpans, buildsOn, runs } = render(before, read);
    const drift = text !== before;
    if (drift && write) writeFileSync(join(root, file), text);
    report.push({ file, drift, problems, includes, includeSpans: includeSpans.map((s) => ({ ...s, file })), buildsOn, runs });
  }
  return report;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  const report = processGuide({ write: !check });
  let bad = false;
  for (const p of checkListings(report)) {
    bad = true;
    console.error(p);
  }
  for (const r of report) {
    for (const p of r.problems) {
      bad = true;
      console.error(`${r.file}:${p.line}: include ${p.spec}: ${p.message}`);
    }
    if (r.drift) {
      if (check) {
        bad = true;
        console.error(`${r.file}: a listing differs from its file; run \`node scripts/guide.mjs\` to update it`);
      } else console.log(`updated ${r.file}`);
    }
  }
  process.exit(bad ? 1 : 0);
}
