import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeReadOnly } from '../../../../scripts/read-only';
import { tinyDisk } from '../../../../scripts/tiny-disk';
import { RUN_FILES } from './layout';
import { describeWriteError, dirProblem, LineFile, RunStore } from './write';

describe('LineFile', () => {
  it('buffers, flushes on size, on close, and ignores writes after close', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'gyre-lf-')), 'f.txt');
    const f = new LineFile(path, 10, 60_000);
    f.write('abc\n');
    expect(readFileSync(path, 'utf8')).toBe('');
    f.write('defghij\n');
    expect(readFileSync(path, 'utf8')).toBe('abc\ndefghij\n');
    f.write('€\n');
    f.close();
    f.write('late\n');
    expect(readFileSync(path, 'utf8')).toBe('abc\ndefghij\n€\n');
  });

  it('leaves only whole lines on disk when the process exits abruptly', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'gyre-lf-')), 'f.txt');
    const src = new URL('./write.ts', import.meta.url).pathname;
    const code = `import { LineFile } from ${JSON.stringify(src)};
      const f = new LineFile(${JSON.stringify(path)});
      for (let i = 0; i < 1000; i++) f.write(JSON.stringify({ i, pad: 'x'.repeat(i % 50) }) + '\\n');
      process.exit(130);`;
    try {
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: 'pipe' });
    } catch (e) {
      expect((e as { status: number }).status).toBe(130);
    }
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l).i)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
});

describe('LineFile on a full disk', () => {
  it('keeps whole lines on disk, tells onError once (from a timer too), never throws, ignores later writes', async (ctx) => {
    const disk = tinyDisk('64k');
    if (typeof disk === 'string') {
      console.warn(`skipped: ${disk}`);
      return ctx.skip(disk);
    }
    try {
      const errors: string[] = [];
      const path = join(disk.path, 'history.jsonl');
      const f = new LineFile(path, 1000, 20, (e, p) => errors.push(describeWriteError(e, p)));
      const line = (i: number) => JSON.stringify({ i, pad: 'x'.repeat(300) }) + '\n';
      let i = 0;
      // Lines of 300 bytes, written 1000 characters at a time: the disk fills in the middle of a write.
      while (errors.length === 0 && i < 10_000) f.write(line(i++));
      expect(errors).toEqual([`disk full while writing ${path}`]);
      f.write(line(i++));
      f.close();
      const text = readFileSync(path, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l).i as number);
      expect(lines).toEqual(Array.from({ length: lines.length }, (_, k) => k));

      // A write that only the timer flushes: the error reaches onError, not the event loop.
      const other: string[] = [];
      const g = new LineFile(join(disk.path, 'gyre.log'), 1 << 20, 20, (e, p) => other.push(describeWriteError(e, p)));
      g.write('x'.repeat(100_000) + '\n');
      for (let k = 0; k < 200 && other.length === 0; k++) await new Promise((r) => setTimeout(r, 20));
      expect(other).toEqual([`disk full while writing ${join(disk.path, 'gyre.log')}`]);
      expect(readFileSync(join(disk.path, 'gyre.log'), 'utf8')).toBe('');
      g.close();
    } finally {
      disk.done();
    }
  });
});

describe('dirProblem: why a run directory cannot be made, in words', () => {
  const undo: (() => void)[] = [];
  afterEach(() => {
    for (const f of undo.splice(0)) f();
  });
  const root = () => mkdtempSync(join(tmpdir(), 'gyre-st-'));

  it('nothing wrong: an existing writable directory, or one that can be created', () => {
    const r = root();
    expect(dirProblem(r)).toBeUndefined();
    expect(dirProblem(join(r, 'a', 'b', 'c'))).toBeUndefined();
  });

  it('not a directory: the path, or a directory on the way, is a file', () => {
    const r = root();
    writeFileSync(join(r, 'file'), '');
    expect(dirProblem(join(r, 'file'))).toBe(`${join(r, 'file')} is not a directory`);
    expect(dirProblem(join(r, 'file', 'echo'))).toBe(`${join(r, 'file')} is not a directory`);
  });

  it('read-only: the directory itself, or the one in which the missing ones would be made', (ctx) => {
    const r = root();
    const echo = join(r, 'echo');
    mkdirSync(echo);
    if (!makeReadOnly(echo, undo)) return ctx.skip();
    expect(dirProblem(echo)).toBe(`${echo} is read-only (not writable)`);
    expect(dirProblem(join(echo, 'run', 'node-logs'))).toBe(`${echo} is read-only (not writable), so ${join(echo, 'run')} cannot be created`);
    expect(() => new RunStore(r, 'echo', new Date())).toThrow();
  });
});

describe('RunStore', () => {
  it('makes two runs in the same millisecond two directories', () => {
    const root = mkdtempSync(join(tmpdir(), 'gyre-st-'));
    const t = new Date();
    const a = new RunStore(root, 'echo', t);
    const b = new RunStore(root, 'echo', t);
    expect(a.dir).not.toBe(b.dir);
  });

  it('links jepsen.log to gyre.log, the name in Maelstrom’s tutorials', () => {
    const root = mkdtempSync(join(tmpdir(), 'gyre-st-'));
    const run = new RunStore(root, 'echo', new Date());
    expect(readlinkSync(run.path(RUN_FILES.jepsenLog))).toBe(RUN_FILES.log);
    writeFileSync(run.path(RUN_FILES.log), 'INFO [gyre] hello\n');
    expect(readFileSync(run.path(RUN_FILES.jepsenLog), 'utf8')).toBe('INFO [gyre] hello\n');
  });
});
