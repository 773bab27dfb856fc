/**
 * `gyre check` on JSON Lines files bigger than the megabyte it reads at a time, with a bad line: the
 * streamed reader names the line itself, with the text reader's message, instead of handing the
 * file to the text reader (which cannot read a file over V8's 512 MB string limit). Runs the built
 * CLI. Where Linux counts the bytes a process reads (/proc/self/io), it also shows that the file
 * was not read again as text.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseHistoryText } from '../src/check-input';
import { gyre } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'gyre-check-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MB = 1 << 20;
const op = (i: number) => `{"index":${i},"time":${i},"type":"${i % 2 ? 'ok' : 'invoke'}","process":${(i >> 1) % 3},"f":"write","value":${i >> 1}}\n`;

/** Ops from `from` until the text is `bytes` long or more. */
function ops(from: number, bytes: number): { text: string; next: number } {
  const parts: string[] = [];
  let n = 0;
  let i = from;
  while (n < bytes) {
    const l = op(i++);
    parts.push(l);
    n += l.length;
  }
  return { text: parts.join(''), next: i };
}

/** Bytes a process reads, counted by Linux; undefined elsewhere. */
const countsReads = existsSync('/proc/self/io');
const preload = join(dir, 'count-reads.cjs');
writeFileSync(preload, "process.on('exit', () => require('fs').writeFileSync(process.env.GYRE_TEST_READS, /rchar: (\\d+)/.exec(require('fs').readFileSync('/proc/self/io', 'utf8'))[1]));\n");

/** `gyre check --model register FILE` in `dir`, and the bytes the process read when Linux counts them. */
async function check(file: string, ...more: string[]) {
  const reads = join(dir, `${file}.reads`);
  const env: Record<string, string> = countsReads ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require "${preload}"`.trim(), GYRE_TEST_READS: reads } : {};
  const r = await gyre(['check', '--model', 'register', ...more, file], { cwd: dir, env });
  return { ...r, read: countsReads ? Number(readFileSync(reads, 'utf8')) : undefined };
}

/** What the text reader says of the file: `FILE:LINE: not a readable jsonl history: MESSAGE`. */
function textReaderSays(file: string): string {
  try {
    parseHistoryText(readFileSync(join(dir, file), 'utf8'), 'jsonl');
  } catch (e) {
    return `${file}:${(e as { line: number }).line}: not a readable jsonl history: ${(e as Error).message}\n`;
  }
  throw new Error(`${file} has no bad line`);
}

describe('gyre check on a big JSON Lines file with a bad line', () => {
  it('names a bad line past the first megabyte, exits 254, and reads the file only up to it', async () => {
    writeFileSync(join(dir, 'tiny.jsonl'), op(0) + op(1));
    const before = ops(0, 1.5 * MB);
    const bad = '{"type":"ok","process":0,"f":"write","value":[1,}\n';
    const after = ops(before.next, 2.5 * MB);
    writeFileSync(join(dir, 'bad.jsonl'), before.text + bad + after.text);
    const line = before.next + 1;

    const r = await check('bad.jsonl');
    expect(r.code).toBe(254);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`bad.jsonl:${line}: not a readable jsonl history: not valid JSON (unexpected character "}" at position 48): {"type":"ok","process":0,"f":"write","value":[1,}\n`);
    expect(r.stderr).toBe(textReaderSays('bad.jsonl'));
    const json = await check('bad.jsonl', '--json');
    expect(json.code).toBe(254);
    expect(JSON.parse(json.stdout)).toMatchObject({ 'valid?': null, file: 'bad.jsonl', line, error: expect.stringMatching(/^not a readable jsonl history: not valid JSON/) });

    if (r.read !== undefined) {
      // Node's start-up reads the same in both runs; reading the 4 MB file as text would read it whole.
      const base = (await check('tiny.jsonl')).read!;
      expect(r.read - base).toBeLessThan(statSync(join(dir, 'bad.jsonl')).size);
    }
  });

  it('names a cut last line as the text reader does (is it truncated?), reading the file once', async () => {
    const body = ops(0, 3 * MB);
    writeFileSync(join(dir, 'cut.jsonl'), body.text + '{"index":1,"time":1,"type":"ok","pro');
    writeFileSync(join(dir, 'tiny.jsonl'), op(0) + op(1));

    const r = await check('cut.jsonl');
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(new RegExp(`^cut\\.jsonl:${body.next + 1}: not a readable jsonl history: not valid JSON \\(.*\\); the file ends in the middle of an operation: is it truncated\\?: \\{"index":1,"time":1,"type":"ok","pro\\n$`));
    expect(r.stderr).toBe(textReaderSays('cut.jsonl'));

    if (r.read !== undefined) {
      const base = (await check('tiny.jsonl')).read!;
      const size = statSync(join(dir, 'cut.jsonl')).size;
      // Read whole once (the count is about right: give or take what start-up reads), not twice.
      expect(r.read - base).toBeGreaterThan(0.9 * size);
      expect(r.read - base).toBeLessThan(1.5 * size);
    }
  });

  it('reads a file of another format that fits in one chunk once, not once to tell its format and again as text', async () => {
    const edn = (i: number) => `{:index ${i}, :time ${i}, :type ${i % 2 ? ':ok' : ':invoke'}, :process ${(i >> 1) % 3}, :f :write, :value ${i >> 1}}\n`;
    let text = '';
    for (let i = 0; text.length < 0.75 * MB; i++) text += edn(i);
    writeFileSync(join(dir, 'h.edn'), text);
    writeFileSync(join(dir, 'tiny.edn'), edn(0) + edn(1));

    const r = await check('h.edn');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^h\.edn: register, edn, \d+ history entries/);
    if (r.read !== undefined) {
      const base = (await check('tiny.edn')).read!;
      expect(r.read - base).toBeGreaterThan(0.9 * text.length);
      expect(r.read - base).toBeLessThan(1.5 * text.length);
    }
  });
});
