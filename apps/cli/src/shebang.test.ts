import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main';
import { shebangProblem } from './shebang';

const dir = mkdtempSync(join(tmpdir(), 'gyre-shebang-'));
function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  chmodSync(p, 0o755);
  return p;
}

describe('shebangProblem', () => {
  it('accepts scripts that start with #!', () => {
    expect(shebangProblem(file('ok.py', '#!/usr/bin/env python3\nprint(1)\n'), 'ok.py')).toBeUndefined();
  });

  it('refuses a text file without #!, naming its first line', () => {
    const m = shebangProblem(file('no-shebang.py', 'import sys\nprint(1)\n'), 'no-shebang.py');
    expect(m).toContain('--bin no-shebang.py: not executable: no #! line');
    expect(m).toContain('"import sys"');
    expect(m).toContain('exec format error');
  });

  it('refuses an empty file', () => {
    expect(shebangProblem(file('empty', ''), 'empty')).toContain('the file is empty');
  });

  it('says when a byte-order mark hides the #!', () => {
    expect(shebangProblem(file('bom.py', '\ufeff#!/usr/bin/env python3\n'), 'bom.py')).toContain('byte-order mark');
  });

  it('says when the #! line ends with a carriage return', () => {
    const m = shebangProblem(file('crlf.py', '#!/usr/bin/env python3\r\nprint(1)\r\n'), 'crlf.py');
    expect(m).toContain('carriage return');
    expect(m).toContain('"python3\\r"');
  });

  it('leaves binaries to the kernel: a real ELF executable and a file with NUL bytes', () => {
    // The node binary running this test is a native executable with no #!.
    expect(shebangProblem(process.execPath, 'node')).toBeUndefined();
    expect(shebangProblem(file('elf-like', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0])), 'elf-like')).toBeUndefined();
  });
});

describe('gyre test --bin FILE without #!', () => {
  it('fails at once with exit 254 and the reason, before any node starts', async () => {
    const bin = file('echo.rb', 'require "json"\nwhile line = STDIN.gets\nend\n');
    let err = '';
    const code = await main(['test', '-w', 'echo', '--bin', bin, '--node-count', '1', '--time-limit', '1', '--store', join(dir, 'store')], {
      out: () => {},
      err: (s) => (err += s),
      isTTY: false,
      cwd: dir,
    });
    expect(code).toBe(254);
    expect(err).toContain('not executable: no #! line');
    expect(err).toContain('"require \\"json\\""');
  });
});
