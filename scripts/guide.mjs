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
//   node scripts/guide.mjs           fills every included block in (rewrites the Markdown)
//   node scripts/guide.mjs --check   exits 1, naming each listing that differs from its file
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
export const guideDir = join(root, 'docs', 'guide');

const MARKER = /^<!--\s*include:\s*(\S+?)\s*-->\s*$/;
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

/** The text a marker stands for, from the file's full text. Throws with a clear message. */
export function extract(text, spec) {
  const { region, from, to } = parseSpec(spec);
  let lines = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
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
    lines = dedent(lines.slice(start + 1, end));
  } else if (from !== undefined) {
    if (from < 1 || to < from || to > lines.length) throw new Error(`lines ${from}-${to} are outside the file (1-${lines.length})`);
    lines = dedent(lines.slice(from - 1, to));
  }
  return lines.filter((l) => !REGION_START.test(l) && !REGION_END.test(l)).join('\n');
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
  for (let i = 0; i < lines.length; i++) {
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
    try {
      body = extract(read(parseSpec(spec).path), spec);
    } catch (e) {
      problems.push({ line: i + 1, spec, message: e.code === 'ENOENT' ? `no such file ${parseSpec(spec).path}` : e.message });
      continue;
    }
    includes.push(spec);
    const ext = parseSpec(spec).path.split('.').pop();
    out.push(`${fence[1]}${fence[2] || LANG[ext] || ''}`, ...(body === '' ? [] : body.split('\n')), fence[1]);
    i = close;
  }
  return { text: out.join('\n'), problems, includes };
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
    const { text, problems, includes } = render(before, read);
    const drift = text !== before;
    if (drift && write) writeFileSync(join(root, file), text);
    report.push({ file, drift, problems, includes });
  }
  return report;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes('--check');
  const report = processGuide({ write: !check });
  let bad = false;
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
