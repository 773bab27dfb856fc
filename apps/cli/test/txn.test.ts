/**
 * End to end: the transactional workloads, checked with the Elle-style checker, and the Gossip
 * Glomers 6a-6c command lines as published (time limits shortened).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTCOME } from '../src/outcome';
import { example, gyre } from './helpers';

const split = (line: string) => line.split(' ').filter((x) => x !== '');

describe('gyre test -w txn-list-append', () => {
  it('is strict-serializable when one node applies every transaction', async () => {
    const r = await gyre(['test', '-w', 'txn-list-append', '--bin', example('txn-list-append'), '--node-count', '3', '--time-limit', '4', '--rate', '100']);
    expect(r.stdout).toContain(OUTCOME.valid);
    expect(r.code).toBe(0);
    expect(r.results()['workload']).toEqual({ 'valid?': true });
  });

  it('is not serializable when each node applies locally and replicates later, with anomalies explained', async () => {
    const r = await gyre(['test', '-w', 'txn-list-append', '--bin', example('txn-list-append-replicated'), '--node-count', '3', '--time-limit', '4', '--rate', '100', '--consistency-models', 'serializable']);
    expect(r.stdout).toContain(OUTCOME.invalid);
    expect(r.code).toBe(1);
    const w = r.results()['workload'] as Record<string, unknown>;
    expect(w['valid?']).toBe(false);
    expect((w['anomaly-types'] as string[]).length).toBeGreaterThan(0);
    expect(w['not']).toBeDefined();
    const files = readdirSync(join(r.latest, 'elle'));
    expect(files.some((f) => f.endsWith('.txt'))).toBe(true);
  });

  it('rejects unknown consistency models before running (exit 254)', async () => {
    const r = await gyre(['test', '-w', 'txn-list-append', '--bin', example('txn-list-append'), '--consistency-models', 'serializible']);
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/serializible/);
    expect(r.stderr).toMatch(/serializable/);
  });
});

describe('Gossip Glomers 6 (txn-rw-register), as published', () => {
  it('6a: single node, read uncommitted, total availability', async () => {
    const r = await gyre(split(`test -w txn-rw-register --bin ${example('txn-rw-register')} --node-count 1 --time-limit 4 --rate 1000 --concurrency 2n --consistency-models read-uncommitted --availability total`));
    expect(r.stdout).toContain(OUTCOME.valid);
    expect(r.code).toBe(0);
  });

  it('6b: two nodes, read uncommitted, with and without partitions', async () => {
    const a = await gyre(split(`test -w txn-rw-register --bin ${example('txn-rw-register')} --node-count 2 --concurrency 2n --time-limit 4 --rate 1000 --consistency-models read-uncommitted`));
    expect(a.code).toBe(0);
    const b = await gyre(split(`test -w txn-rw-register --bin ${example('txn-rw-register')} --node-count 2 --concurrency 2n --time-limit 4 --rate 1000 --consistency-models read-uncommitted --availability total --nemesis partition`));
    expect(b.code).toBe(0);
    expect(b.results()['availability']).toMatchObject({ 'valid?': true, 'ok-fraction': 1 });
  });

  it('6c: the published line with its en dash still runs, warns, and passes', async () => {
    const line = `test -w txn-rw-register --bin ${example('txn-rw-register')} --node-count 2 --concurrency 2n --time-limit 4 --rate 1000 --consistency-models read-committed --availability total –-nemesis partition`;
    const r = await gyre(split(line));
    expect(r.stderr).toMatch(/WARNING: The argument "–-nemesis" starts with an en dash/);
    expect(r.stdout).toContain(OUTCOME.valid);
    expect(r.code).toBe(0);
    expect(existsSync(join(r.latest, 'history.jsonl'))).toBe(true);
  });
});
