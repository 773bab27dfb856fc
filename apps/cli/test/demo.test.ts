/**
 * End to end: `gyre demo` runs every bundled example on its workload and summarises like
 * Maelstrom's demo.
 */
import { describe, expect, it } from 'vitest';
import { gyre } from './helpers';

describe('gyre demo', () => {
  it('runs every example and reports them all successful', async () => {
    const r = await gyre(['demo', '--time-limit', '3', '--rate', '50', '--recovery-time', '4'], { timeoutMs: 180_000 });
    expect(r.stdout).toMatch(/# Successful tests\n\n(.+\n)+/);
    for (const name of ['echo dist/echo.js', 'echo python/echo.py', 'unique-ids', 'broadcast', 'g-set', 'g-counter', 'pn-counter', 'lin-kv', 'kafka', 'txn-list-append', 'txn-rw-register']) {
      expect(r.stdout).toContain(name);
    }
    expect(r.stdout).toMatch(/\n11 successes\n0 unknown\n0 crashed\n0 failures\n/);
    expect(r.code).toBe(0);
  });

  it('refuses --bin and --workload', async () => {
    const r = await gyre(['demo', '--bin', 'x']);
    expect(r.code).toBe(254);
  });
});
