/**
 * End to end: `gyre sim` (one seed, many seeds, shards, shrinking), `gyre sim merge` and
 * `gyre replay`, through the built CLI.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTCOME } from '../src/outcome';
import { example, gyre, repo } from './helpers';

const node = (name: string) => join(repo, 'examples/nodes', `${name}.ts`);
const dirOf = (stdout: string, label: RegExp) => {
  const m = label.exec(stdout);
  if (!m) throw new Error(`no ${label} in:\n${stdout}`);
  return m[1]!.trim();
};

describe('gyre sim', () => {
  it('runs a TypeScript node under virtual time; the seed replays byte for byte', async () => {
    const args = ['sim', '-w', 'echo', '--node', node('echo'), '--node-count', '3', '--time-limit', '30', '--seed', '5', '--check-determinism'];
    const a = await gyre(args);
    expect(a.stdout).toContain(OUTCOME.valid);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/determinism: the seed ran twice with identical histories and journals/);
    expect(Number(/simulated (\d+\.\d) s in/.exec(a.stdout)?.[1])).toBeGreaterThan(29);
    for (const f of ['history.jsonl', 'history.txt', 'results.json', 'net-journal/journal.jsonl', 'node-logs/n0.log', 'messages.html', 'test.json']) {
      expect(existsSync(join(a.latest, f)), f).toBe(true);
    }
    const b = await gyre(args);
    expect(readFileSync(join(b.latest, 'history.jsonl'), 'utf8')).toBe(readFileSync(join(a.latest, 'history.jsonl'), 'utf8'));
    expect(readFileSync(join(b.latest, 'net-journal/journal.jsonl'), 'utf8')).toBe(readFileSync(join(a.latest, 'net-journal/journal.jsonl'), 'utf8'));
    const replay = await gyre(['replay', a.latest, '--store', a.store]);
    expect(replay.stdout).toMatch(/identical: same history and journal/);
    expect(replay.code).toBe(0);
  });

  it('sweeps seeds on worker threads, reports the smallest failing one, shards merge, and shrinking finds two colliding ids', async () => {
    const base = ['sim', '-w', 'unique-ids', '--node', node('unique-ids-colliding'), '--node-count', '3', '--time-limit', '3', '--rate', '1'];
    const all = await gyre([...base, '--seeds', '6', '--workers', '2', '--shrink']);
    expect(all.code).toBe(1);
    expect(all.stdout).toContain(OUTCOME.invalid);
    const smallest = dirOf(all.stdout, /smallest failing seed: (\d+)/);
    expect(all.stdout).toMatch(/seeds: 6 run: \d+ passed, \d+ invalid/);
    expect(all.stdout).toMatch(/shrunk in \d+ runs: \d+ → 2 operations/);
    const shrunkDir = dirOf(all.stdout, /smallest failing run: (\S+)/);
    expect(existsSync(join(shrunkDir, 'messages.html'))).toBe(true);
    expect(all.stdout).toMatch(/reproduce it: gyre sim -w unique-ids .*--node-count 2 /);

    const one = await gyre([...base, '--seeds', '6', '--shard', '1/2', '--workers', '0', '--summary', join(all.store, 'a.json')]);
    const two = await gyre([...base, '--seeds', '6', '--shard', '2/2', '--workers', '0', '--summary', join(all.store, 'b.json')]);
    expect([one.code, two.code].sort()).toContain(1);
    const merged = await gyre(['sim', 'merge', join(all.store, 'a.json'), join(all.store, 'b.json'), '--out', join(all.store, 'all.json')]);
    expect(merged.stdout).toMatch(/seeds: 6 run/);
    expect(dirOf(merged.stdout, /smallest failing seed: (\d+)/)).toBe(smallest);
    expect(JSON.parse(readFileSync(join(all.store, 'all.json'), 'utf8'))).toMatchObject({ ran: 6, smallestFailing: smallest });
  });

  it('rejects a module that says nothing about how to install a node', async () => {
    const r = await gyre(['sim', '-w', 'echo', '--node', join(repo, 'examples/lib/txn.ts'), '--time-limit', '1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/default export/);
  });
});

describe('gyre replay of a gyre test run', () => {
  it('gives fresh processes the recorded messages and finds the same output', async () => {
    const t = await gyre(['test', '-w', 'unique-ids', '--bin', example('unique-ids'), '--node-count', '3', '--time-limit', '3', '--rate', '20', '--seed', '9']);
    expect(t.code).toBe(0);
    const r = await gyre(['replay', t.latest, '--store', t.store]);
    expect(r.stdout).toMatch(/identical: every node wrote what it wrote in the recorded run/);
    expect(r.code).toBe(0);
    const dirs = readdirSync(join(t.store, 'unique-ids')).filter((d) => /^\d/.test(d));
    expect(dirs.length).toBe(2);
  });
});
