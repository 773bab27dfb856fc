/**
 * The guide's listings are its files: every code block in docs/guide/ is filled in from a file
 * under examples/guide/ by scripts/guide.mjs, and this test fails when one differs from its file
 * (run `node scripts/guide.mjs` to update them). Running the commands is apps/cli/test/guide.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkListings, codeLines, extract, guideFiles, parseSpec, processGuide, render, root, shownLines } from '../../scripts/guide.mjs';

describe('the include mechanism', () => {
  const files: Record<string, string> = {
    'a.ts': ['// top', '// #region one', 'function f() {', '  // #region inner', '  return 1;', '  // #endregion', '}', '// #endregion', 'const x = 2;', ''].join('\n'),
    'b.py': ['def g():', '    # #region body', '    return 3', '    # #endregion', ''].join('\n'),
  };
  const read = (p: string) => {
    if (!(p in files)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    return files[p]!;
  };

  it('parses whole files, regions and line ranges', () => {
    expect(parseSpec('x/y.ts')).toEqual({ path: 'x/y.ts' });
    expect(parseSpec('x/y.ts#election')).toEqual({ path: 'x/y.ts', region: 'election' });
    expect(parseSpec('x/y.ts:3-9')).toEqual({ path: 'x/y.ts', from: 3, to: 9 });
  });

  it('includes a whole file without its region markers', () => {
    expect(extract(files['a.ts']!, 'a.ts')).toBe('// top\nfunction f() {\n  return 1;\n}\nconst x = 2;');
  });

  it('includes a region, dedented, with nested regions inside', () => {
    expect(extract(files['a.ts']!, 'a.ts#one')).toBe('function f() {\n  return 1;\n}');
    expect(extract(files['a.ts']!, 'a.ts#inner')).toBe('return 1;');
    expect(extract(files['b.py']!, 'b.py#body')).toBe('return 3');
  });

  it('includes a line range', () => {
    expect(extract(files['a.ts']!, 'a.ts:9-9')).toBe('const x = 2;');
    expect(() => extract(files['a.ts']!, 'a.ts:8-40')).toThrow(/outside the file/);
  });

  it('fills in blocks, and reports a stale block as drift', () => {
    const md = ['# T', '<!-- include: a.ts#inner -->', '```ts', 'return 0; // stale', '```', 'after'].join('\n');
    const r = render(md, read);
    expect(r.problems).toEqual([]);
    expect(r.text).toBe(['# T', '<!-- include: a.ts#inner -->', '```ts', 'return 1;', '```', 'after'].join('\n'));
    expect(r.text).not.toBe(md);
    expect(render(r.text, read).text).toBe(r.text);
  });

  it('names missing files and regions, and markers without a block', () => {
    const md = ['<!-- include: nope.ts -->', '```ts', '```', '<!-- include: a.ts#zzz -->', '```ts', '```', '<!-- include: a.ts -->', 'text'].join('\n');
    const msgs = render(md, read).problems.map((p) => p.message);
    expect(msgs).toEqual(['no such file nope.ts', 'no region "zzz" (a line "// #region zzz")', 'the marker must be followed directly by a fenced code block']);
  });
});

describe('whole programs from the listings', () => {
  const files: Record<string, string> = {
    'p.ts': ['/** A program. */', "import { x } from 'x';", '', '// #region a', 'const a = 1; // one', '// #endregion', '', '// #region b', 'const b = 2;', '/*', ' * c', ' */', 'x(a, b);', '// #endregion', ''].join('\n'),
    'q.ts': ['/** The next stage. */', "import { x } from 'x';", '', '// #region a', 'const a = 10;', '// #endregion', '', 'const b = 2;', 'x(a, b);', ''].join('\n'),
  };
  const read = (p: string) => files[p]!;
  /** A guide of one chapter whose Markdown is `lines`; `checkListings` of it. */
  const check = (...lines: string[]) => {
    const r = render(lines.join('\n'), read);
    expect(r.problems).toEqual([]);
    return checkListings([{ file: 'g.md', ...r, drift: false, includeSpans: r.includeSpans.map((x) => ({ ...x, file: 'g.md' })) }], read);
  };
  const run = ['<!-- run: it -->', '```sh', 'gyre test --bin examples/dist/p.js', '```'];

  it('knows which lines are code', () => {
    expect(codeLines(files['p.ts']!)).toEqual([2, 5, 9, 13]);
    expect(shownLines(files['p.ts']!, 'p.ts#b')).toEqual([9, 10, 11, 12, 13]);
    expect(shownLines(files['p.ts']!, 'p.ts')).toEqual([1, 2, 3, 5, 7, 9, 10, 11, 12, 13]);
  });

  it('accepts a program shown whole, in parts in order, and ignores programs no command runs', () => {
    expect(check('<!-- include: p.ts -->', '```ts', '```', ...run)).toEqual([]);
    expect(check('<!-- include: p.ts:1-2 -->', '```ts', '```', '<!-- include: p.ts#a -->', '```ts', '```', '<!-- include: p.ts#b -->', '```ts', '```', ...run)).toEqual([]);
    expect(check('<!-- include: p.ts#b -->', '```ts', '```')).toEqual([]);
  });

  it('names the lines of code no listing shows, and listings out of the file\'s order', () => {
    expect(check('<!-- include: p.ts#b -->', '```ts', '```', ...run)).toEqual([
      'p.ts: lines 2, 5 are in no listing: a reader who copies the listings does not get the whole program',
    ]);
    const [problem] = check('<!-- include: p.ts:1-2 -->', '```ts', '```', '<!-- include: p.ts#b -->', '```ts', '```', '<!-- include: p.ts#a -->', '```ts', '```', ...run);
    expect(problem).toMatch(/^p\.ts: listing p\.ts#a \(g\.md\) comes before or overlaps p\.ts#b/);
  });

  it('asks of a program that builds on another only what it adds or changes', () => {
    const guide = ['<!-- include: p.ts -->', '```ts', '```', '<!-- builds-on: p.ts -->'];
    const runs = ['<!-- run: q -->', '```sh', 'gyre test --bin examples/dist/q.js', '```'];
    expect(check(...guide, '<!-- include: q.ts#a -->', '```ts', '```', ...run, ...runs)).toEqual([]);
    expect(check(...guide, '<!-- include: q.ts:2-2 -->', '```ts', '```', ...run, ...runs)).toEqual([
      'q.ts: lines 5 are in no listing (of what it adds to p.ts): a reader who copies the listings does not get the whole program',
    ]);
  });
});

describe('docs/guide', () => {
  it('shows every program it runs whole: copied in order, the listings are the program (or all a stage adds)', () => {
    expect(checkListings(processGuide())).toEqual([]);
  });

  it('every listing is exactly its file', () => {
    const report = processGuide();
    expect(report.length).toBeGreaterThanOrEqual(10);
    for (const r of report) {
      expect(r.problems, r.file).toEqual([]);
      expect(r.drift, `${r.file} differs from its files: run \`node scripts/guide.mjs\``).toBe(false);
    }
  });

  it('has no hand-pasted code: every TypeScript or JavaScript block follows an include marker', () => {
    for (const file of guideFiles()) {
      const lines = readFileSync(join(root, file), 'utf8').split('\n');
      let inFence = false;
      lines.forEach((line, i) => {
        if (!line.startsWith('```')) return;
        if (!inFence && /^```(ts|js|typescript|javascript|python|py)\s*$/.test(line)) {
          expect(lines[i - 1], `${file}:${i + 1}`).toMatch(/^<!-- include: /);
        }
        inFence = !inFence;
      });
    }
  });

  it('shows every program under examples/guide/ somewhere', () => {
    const included = new Set(processGuide().flatMap((r) => r.includes.map((s) => parseSpec(s).path)));
    const dir = join(root, 'examples/guide');
    const programs = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => relative(root, join(dir, f)));
    expect(programs.filter((p) => !included.has(p))).toEqual([]);
  });

  it('links only to files and images that exist', () => {
    for (const file of guideFiles()) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const m of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        const target = m[1]!;
        if (/^https?:/.test(target)) continue;
        expect(() => readFileSync(join(root, file, '..', target)), `${file} → ${target}`).not.toThrow(/ENOENT/);
      }
    }
  });
});
