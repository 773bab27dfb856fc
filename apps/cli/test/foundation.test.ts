/**
 * End to end: the foundation issue's promises, with real processes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHistoryJsonl } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import { OUTCOME } from '../src/outcome';
import { example, gyre, jsonRunLog, python, testNode, textRunLog } from './helpers';

function alive(pid: number): boolean {
  try {
    const stat = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return stat !== '' && !stat.startsWith('Z');
  } catch {
    return false;
  }
}

describe('gyre test -w echo', () => {
  it('is valid for the TypeScript example with 3 nodes', async () => {
    const r = await gyre(['test', '-w', 'echo', '--bin', example('echo'), '--node-count', '3', '--time-limit', '3', '--seed', '7']);
    expect(r.stdout).toContain(OUTCOME.valid);
    expect(r.code).toBe(0);
    const res = r.results();
    expect(res['valid?']).toBe(true);
    expect((res['workload'] as Record<string, unknown>)['valid?']).toBe(true);
    const stats = res['stats'] as Record<string, number>;
    expect(stats['ok-count']).toBeGreaterThan(5);
    expect(res['net']).toMatchObject({ 'valid?': true, clients: { 'send-count': expect.any(Number) } });
    for (const f of ['history.jsonl', 'history.edn', 'history.txt', 'results.edn', 'results.json', 'gyre.log', 'node-logs/n0.log', 'node-logs/n2.log']) {
      expect(existsSync(join(r.latest, f)), f).toBe(true);
    }
    const history = parseHistoryJsonl(readFileSync(join(r.latest, 'history.jsonl'), 'utf8'));
    expect(history.length).toBe(stats['count']! * 2);
    expect(readFileSync(join(r.latest, 'results.edn'), 'utf8')).toMatch(/:valid\? true/);
    expect(existsSync(join(r.store, 'echo', 'latest'))).toBe(true);
    expect(r.stderr).toMatch(/seed 7/);
  });

  it('is valid for the Python example', async () => {
    const r = await gyre(['test', '-w', 'echo', '--bin', python('echo'), '--node-count', '3', '--time-limit', '3']);
    expect(r.stdout).toContain(OUTCOME.valid);
    expect(r.code).toBe(0);
  });

  it('is invalid (exit 1) for a node that answers some echoes wrongly', async () => {
    const r = await gyre(['test', '-w', 'echo', '--bin', example('echo-wrong'), '--node-count', '3', '--time-limit', '3', '--rate', '20']);
    expect(r.stdout).toContain(OUTCOME.invalid);
    expect(r.code).toBe(1);
    const w = r.results()['workload'] as { 'valid?': boolean; errors: unknown[] };
    expect(w['valid?']).toBe(false);
    expect(w.errors.length).toBeGreaterThan(0);
  });
});

describe('gyre test --logging-json', () => {
  it('writes gyre.log as one JSON object per line, {time, level, thread, message}, with the events a text run logs', async () => {
    const args = ['test', '-w', 'echo', '--bin', example('echo-wrong'), '--node-count', '1', '--time-limit', '2', '--rate', '20', '--seed', '7'];
    const text = await gyre(args);
    const json = await gyre([...args, '--logging-json']);
    for (const r of [text, json]) expect([r.code, r.stdout]).toEqual([1, expect.stringContaining(OUTCOME.invalid)]);
    const lines = readFileSync(join(json.latest, 'gyre.log'), 'utf8');
    const entries = jsonRunLog(lines);
    expect(entries).toHaveLength(lines.split('\n').length - 1);
    for (const e of entries) {
      expect(Object.keys(e)).toEqual(['time', 'level', 'thread', 'message']);
      expect(e).toEqual({ time: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}$/), level: expect.stringMatching(/^(INFO|WARN|ERROR)$/), thread: expect.stringMatching(/^(gyre|worker \d+|nemesis)$/), message: expect.any(String) });
    }
    expect(readFileSync(join(json.latest, 'jepsen.log'), 'utf8')).toBe(lines);
    const plain = textRunLog(readFileSync(join(text.latest, 'gyre.log'), 'utf8'));
    // The same events: every operation under its worker, as history.txt has them, and the harness's own messages.
    for (const [r, log] of [
      [text, plain],
      [json, entries as unknown as typeof plain],
    ] as const) {
      const history = readFileSync(join(r.latest, 'history.txt'), 'utf8').trimEnd().split('\n');
      expect(log.filter((e) => e.thread === 'worker 0').map((e) => e.message)).toEqual(history);
    }
    const own = (log: typeof plain) => log.filter((e) => e.thread === 'gyre').map((e) => `${e.level} ${e.message.replace(/; store: \S+$/, '; store: DIR')}`);
    expect(own(entries as unknown as typeof plain)).toEqual(own(plain));
    expect(own(plain)[0]).toBe('INFO Running echo test with seed 7 (replay with --seed 7); store: DIR');
  });
});

describe('gyre test -w unique-ids', () => {
  it('is valid for a correct node at rate 1000', async () => {
    const r = await gyre(['test', '-w', 'unique-ids', '--bin', example('unique-ids'), '--node-count', '3', '--rate', '1000', '--time-limit', '3']);
    expect(r.stdout).toContain(OUTCOME.valid);
    expect(r.code).toBe(0);
    const w = r.results()['workload'] as Record<string, number>;
    expect(w['acknowledged-count']).toBeGreaterThan(500);
    expect(w['duplicated-count']).toBe(0);
  });

  it('is invalid, listing the duplicates, when ids collide across nodes', async () => {
    const r = await gyre(['test', '-w', 'unique-ids', '--bin', example('unique-ids-colliding'), '--node-count', '3', '--rate', '1000', '--time-limit', '3']);
    expect(r.stdout).toContain(OUTCOME.invalid);
    expect(r.code).toBe(1);
    const w = r.results()['workload'] as Record<string, unknown>;
    expect(w['duplicated-count']).toBeGreaterThan(0);
    expect(JSON.stringify(w['duplicated'])).not.toBe('{}');
  });

  // 2**53 + 1, + 2, + 3, ...: distinct integers, but neighbours are one double. A checker that
  // read them as JavaScript numbers would see duplicates in the first run and miss none in the second.
  it('keeps ids beyond 2**53 exact: distinct big integers from a Python node are valid', async () => {
    const r = await gyre(['test', '-w', 'unique-ids', '--bin', testNode('bigids.py'), '--node-count', '3', '--rate', '200', '--time-limit', '3']);
    expect(r.code, r.stderr).toBe(0);
    const w = r.results()['workload'] as Record<string, unknown>;
    expect(w['duplicated-count']).toBe(0);
    expect(Number(w['acknowledged-count'])).toBeGreaterThan(100);
    const history = readFileSync(join(r.latest, 'history.jsonl'), 'utf8');
    for (const id of ['9007199254740993', '9007199254740994', '9007199254740995']) expect(history).toContain(`"value":${id}`);
    expect(readFileSync(join(r.latest, 'history.edn'), 'utf8')).toContain(':value 9007199254740993');
  });

  it('and the same big ids from every node are duplicates, listed with every digit', async () => {
    const r = await gyre(['test', '-w', 'unique-ids', '--bin', testNode('bigids.py'), '--node-count', '3', '--rate', '200', '--time-limit', '3', '--', '--collide']);
    expect(r.code).toBe(1);
    const w = r.results()['workload'] as Record<string, unknown>;
    expect(Number(w['duplicated-count'])).toBeGreaterThan(10);
    expect(readFileSync(join(r.latest, 'results.json'), 'utf8')).toMatch(/"9007199254740993"|9007199254740993/);
  });
});

describe('crashes and cleanup', () => {
  it('a node that never answers init is a clear error, exit 255, no hang', async () => {
    const r = await gyre(['test', '-w', 'echo', '--bin', testNode('silent.sh'), '--node-count', '1', '--time-limit', '5'], { timeoutMs: 40_000 });
    expect(r.code).toBe(255);
    expect(r.stdout + r.stderr).toMatch(/Expected node n0 to respond to an init message, but node did not respond/);
  });

  it('a node that forks a child ignoring SIGTERM leaves nothing running', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'gyre-fork-')), 'child.pid');
    const r = await gyre(['test', '-w', 'echo', '--bin', testNode('forker.py'), '--node-count', '1', '--time-limit', '2', '--', pidFile]);
    expect(r.code).toBe(0);
    const child = Number(readFileSync(pidFile, 'utf8'));
    expect(child).toBeGreaterThan(0);
    expect(alive(child)).toBe(false);
  });
});

describe('bad options', () => {
  it('exit 254 with a clear message', async () => {
    const r = await gyre(['test', '-w', 'echo', '--node-count', '1']);
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/Expected a --bin PATH_TO_BINARY/);
    const r2 = await gyre(['test', '-w', 'echo', '--bin', example('echo'), '--time-limit', 'ten']);
    expect(r2.code).toBe(254);
    expect(r2.stderr).toMatch(/--time-limit must be a positive integer/);
    const r3 = await gyre(['test', '-w', 'echo', '--bin', '/nonexistent/node']);
    expect(r3.code).toBe(254);
    expect(r3.stderr).toMatch(/no such file/);
    const r4 = await gyre(['frobnicate']);
    expect(r4.code).toBe(254);
    const r5 = await gyre(['test', '-w', 'nosuch', '--bin', example('echo')]);
    expect(r5.code).toBe(254);
    expect(r5.stderr).toMatch(/Unknown workload "nosuch"/);
    expect(readdirSync(r.store)).toEqual([]);
  });

  it('--help explains everything and exits 0', async () => {
    const r = await gyre(['test', '--help']);
    expect(r.code).toBe(0);
    for (const opt of ['--bin', '--workload', '--node-count', '--concurrency', '--rate', '--latency', '--nemesis', '--seed', 'Exit codes']) expect(r.stdout).toContain(opt);
  });
});
