import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest global setup: every test file of the run makes its scratch directories (`os.tmpdir()`) in
 * one directory of its own, removed when the run ends, so a test run leaves nothing behind in the
 * system's temporary directory even where a test forgets to clean up. Gyre's own promise (no
 * temporary file outlives a run) is tested where it is made, against the directory Gyre was given.
 */
export default function setup(): () => void {
  const before = process.env['TMPDIR'];
  const dir = mkdtempSync(join(tmpdir(), 'gyre-tests-'));
  process.env['TMPDIR'] = dir;
  return () => {
    if (before === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = before;
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
}
