import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A run directory whose journal is `mib` MiB: messages with 1 KiB bodies (all alike), so that the
 * file is large while what the drawings keep of it (a row per event, bodies interned) is small.
 */
function bigJournalRun(mib: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'gyre-bigjournal-'));
  mkdirSync(join(dir, 'net-journal'));
  writeFileSync(join(dir, 'test.json'), '{"name":"echo","nodes":["n0"]}\n');
  writeFileSync(join(dir, 'history.jsonl'), '');
  const pad = 'x'.repeat(1024);
  const fd = openSync(join(dir, 'net-journal', 'journal.jsonl'), 'w');
  writeSync(fd, '{"format":"gyre-net-journal","version":1}\n');
  let written = 0;
  for (let id = 0; written < mib * 1024 * 1024; id++) {
    const line = `[${id * 1000},"s",${id},"n0","n0",{"src":"n0","dest":"n0","body":{"type":"gossip","pad":"${pad}"}}]\n[${id * 1000 + 500},"r",${id}]\n`;
    writeSync(fd, line);
    written += line.length;
  }
  closeSync(fd);
  return dir;
}

describe('writeRunReport', () => {
  it('streams the network journal: a journal several times larger than the heap gives every page', () => {
    const dir = bigJournalRun(200);
    try {
      const src = new URL('./report.ts', import.meta.url).pathname;
      const code = `import { writeRunReport } from ${JSON.stringify(src)};
        const r = await writeRunReport(${JSON.stringify(dir)});
        if (r.error) { console.error(r.error); process.exit(3); }`;
      // A 64 MiB old generation cannot hold the journal's text (200 MiB) as one string.
      execFileSync(process.execPath, ['--max-old-space-size=64', '--conditions=@gyre/source', '--import', 'tsx', '--input-type=module', '-e', code], { stdio: 'pipe', timeout: 240_000 });
      for (const f of ['report.html', 'messages.html', 'messages.svg']) expect(existsSync(join(dir, f)), f).toBe(true);
      expect(readFileSync(join(dir, 'messages.html'), 'utf8')).toContain('<!doctype html>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
