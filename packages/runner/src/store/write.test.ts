import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineFile, RunStore } from './write';

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

describe('RunStore', () => {
  it('makes two runs in the same millisecond two directories', () => {
    const root = mkdtempSync(join(tmpdir(), 'gyre-st-'));
    const t = new Date();
    const a = new RunStore(root, 'echo', t);
    const b = new RunStore(root, 'echo', t);
    expect(a.dir).not.toBe(b.dir);
  });
});
