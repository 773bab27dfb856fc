/**
 * End to end: the lin-kv workload, a proxy to the lin-kv service (valid), the same proxy on the
 * weaker services (invalid), and a node serving stale reads from a cache (invalid, explained).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTCOME } from '../src/outcome';
import { example, gyre } from './helpers';

const base = ['test', '-w', 'lin-kv', '--node-count', '3', '--concurrency', '2n', '--time-limit', '4', '--rate', '50'];

describe('gyre test -w lin-kv', () => {
  it('a proxy to the lin-kv service is linearizable', async () => {
    const r = await gyre([...base, '--bin', example('lin-kv-proxy')]);
    expect(r.stdout).toContain(OUTCOME.valid);
    expect(r.code).toBe(0);
    const w = r.results()['workload'] as { results: Record<string, { 'valid?': unknown }>; failures: unknown[] };
    expect(Object.keys(w.results)).toContain('0');
    expect(w.failures).toEqual([]);
    expect(existsSync(join(r.latest, 'independent', '0', 'history.edn'))).toBe(true);
    expect(existsSync(join(r.latest, 'independent', '0', 'linear.svg'))).toBe(false);
  });

  for (const service of ['seq-kv', 'lww-kv']) {
    it(`the same proxy on ${service} is not linearizable`, async () => {
      const r = await gyre([...base, '--bin', example('lin-kv-proxy'), '--', service]);
      expect(r.stdout).toContain(OUTCOME.invalid);
      expect(r.code).toBe(1);
      const w = r.results()['workload'] as { failures: unknown[] };
      expect(w.failures.length).toBeGreaterThan(0);
    });
  }

  it('stale reads from a cache are caught, and the explanation shows the stale read', async () => {
    const r = await gyre([...base, '--bin', example('lin-kv-stale-cache')]);
    expect(r.code).toBe(1);
    const w = r.results()['workload'] as { results: Record<string, { linearizable: Record<string, unknown> }>; failures: unknown[] };
    const bad = String(w.failures[0]);
    const lin = w.results[bad]!.linearizable;
    expect(lin['explanation']).toMatch(/read → \d+ .* cannot be linearized \(can't read \d+ from register \d+\)/);
    expect((lin['op'] as { f: string }).f).toBe('read');
    expect(readdirSync(join(r.latest, 'independent', bad))).toContain('linear.svg');
    expect(r.stdout).toMatch(/cannot be linearized/);
  });

  it('rejects a concurrency that is not a multiple of 2N at option parsing (exit 254)', async () => {
    const r = await gyre(['test', '-w', 'lin-kv', '--bin', example('lin-kv-proxy'), '--node-count', '3', '--concurrency', '4']);
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/positive multiple of 2 × node count \(6 for 3 nodes\)/);
  });
});
