/**
 * `--junit FILE` on `gyre test`, `gyre sim --seeds` and `gyre check`, end to end on the built CLI:
 * the files validate against the common JUnit schema, a CI system's JUnit parser reads them, and a
 * failing case carries the anomaly summary and the path of report.html (which exists). A path that
 * cannot be written (`gyre check` here; `gyre test` and `gyre sim` in run-end.test.ts) is a usage
 * error before anything is checked, and a warning if it fails only part way.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../src/check';
import { example, gyre, repo } from './helpers';
import { parseJUnit, validateJUnit } from './junit-schema';

const dir = mkdtempSync(join(tmpdir(), 'gyre-junit-'));

async function report(path: string) {
  const xml = readFileSync(path, 'utf8');
  const v = await validateJUnit(xml);
  expect(v.errors).toEqual([]);
  return (await parseJUnit(xml)).testsuite[0]!;
}

describe('gyre test --junit', () => {
  it('one passing case per run', async () => {
    const file = join(dir, 'test-valid.xml');
    const r = await gyre(['test', '-w', 'echo', '--bin', example('echo'), '--node-count', '1', '--time-limit', '2', '--test-count', '2', '--junit', file]);
    expect(r.code, r.stderr).toBe(0);
    const s = await report(file);
    expect([s.name, s.tests, s.failures]).toEqual(['gyre test echo', 2, 0]);
    expect(s.testcase.map((c) => [c.name, c.classname, c.failure])).toEqual([
      ['echo #1', 'gyre.test.echo', undefined],
      ['echo #2', 'gyre.test.echo', undefined],
    ]);
    expect(s.properties.find((p) => p.name === 'command')?.value).toMatch(/^gyre test .*-w echo --bin .* --junit /);
  });

  it('an invalid run is a failure with the anomaly summary and report.html', async () => {
    const file = join(dir, 'sub', 'test-invalid.xml');
    const r = await gyre(['test', '-w', 'echo', '--bin', example('echo-wrong'), '--node-count', '1', '--time-limit', '2', '--junit', file]);
    expect(r.code).toBe(1);
    const s = await report(file);
    expect([s.tests, s.failures]).toEqual([1, 1]);
    const f = s.testcase[0]!.failure![0]!;
    expect(f.type).toBe('invalid');
    expect(f.message).toMatch(/^INVALID: workload › errors \(\d+\)/);
    expect(f.inner).toMatch(/anomalies {4}workload › errors/);
    const reportPath = /see {10}(\S+report\.html)/.exec(f.inner)?.[1];
    expect(reportPath && existsSync(reportPath)).toBe(true);
    expect(f.inner).toMatch(/seed: \d+/);
  });
});

describe('gyre sim --seeds --junit', () => {
  it('one case per seed; a failing seed carries its anomalies, the command that reproduces it and, for the one recorded, report.html', async () => {
    const file = join(dir, 'sim.xml');
    const r = await gyre(['sim', '-w', 'echo', '--node', join(repo, 'examples/nodes/echo-wrong.ts'), '--node-count', '1', '--time-limit', '2', '--seeds', '3', '--seed', '10', '--workers', '1', '--junit', file], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(1);
    const s = await report(file);
    expect([s.name, s.tests, s.failures]).toEqual(['gyre sim echo', 3, 3]);
    expect(s.testcase.map((c) => c.name)).toEqual(['seed 10', 'seed 11', 'seed 12']);
    expect(s.properties).toContainEqual({ name: 'seeds', value: '10..12' });
    const first = s.testcase[0]!.failure![0]!;
    expect(first.message).toMatch(/^INVALID: workload › errors/);
    expect(first.inner).toMatch(/reproduce: gyre sim .*--seed 10/);
    const reportPath = /see (\S+report\.html)/.exec(first.inner)?.[1];
    expect(reportPath && existsSync(reportPath)).toBe(true);
    expect(s.testcase[1]!.failure![0]!.inner).not.toMatch(/report\.html/);
  });
});

describe('gyre check --junit', () => {
  const ok = join(dir, 'ok.jsonl');
  const bad = join(dir, 'bad.jsonl');
  const op = (index: number, type: string, process: number, f: string, value: unknown) => JSON.stringify({ index, time: index, type, process, f, value });
  writeFileSync(ok, [op(0, 'invoke', 0, 'write', 1), op(1, 'ok', 0, 'write', 1), op(2, 'invoke', 1, 'read', null), op(3, 'ok', 1, 'read', 1)].join('\n') + '\n');
  writeFileSync(bad, [op(0, 'invoke', 0, 'write', 1), op(1, 'ok', 0, 'write', 1), op(2, 'invoke', 1, 'read', null), op(3, 'ok', 1, 'read', 2)].join('\n') + '\n');

  it('one case per file: valid, invalid with what the checker found, unreadable', async () => {
    const file = join(dir, 'check.xml');
    const r = await gyre(['check', '-m', 'register', '--junit', file, ok, bad, join(dir, 'missing.jsonl')]);
    expect(r.code).toBe(254);
    const s = await report(file);
    expect([s.name, s.tests, s.failures]).toEqual(['gyre check register', 3, 2]);
    expect(s.testcase.map((c) => [c.name, c.classname, c.failure?.[0]?.type])).toEqual([
      [ok, 'gyre.check.register', undefined],
      [bad, 'gyre.check.register', 'invalid'],
      [join(dir, 'missing.jsonl'), 'gyre.check.register', 'unreadable'],
    ]);
    expect(s.testcase[1]!.failure![0]!.message).toMatch(/^INVALID: /);
    expect(s.testcase[2]!.failure![0]!.message).toMatch(/no such file/);
  });

  it('a --junit path that cannot be written: exit 254 before any file is checked, naming the path (it said "a bug in Gyre")', async () => {
    const r = await gyre(['check', '-m', 'register', '--junit', dir, ok]);
    expect(r.code).toBe(254);
    expect(r.stderr).toBe(`--junit ${dir}: ${dir} is a directory, not a file. Choose another with --junit FILE.\n`);
    expect(r.stdout).toBe('');
  });

  it('a --junit file that cannot be written part way: one warning naming it and why; every file is still checked and the exit code is theirs', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gyre-junit-')), 'check.xml');
    let out = '';
    let err = '';
    const io = {
      // A directory where the report goes, once the first file has been checked (after the checks of the path).
      out: (s: string) => {
        out += s;
        if (!existsSync(file)) mkdirSync(file);
      },
      err: (s: string) => (err += s),
      cwd: dir,
    };
    const code = await checkCommand(['-m', 'register', '--junit', file, ok, bad, ok], io);
    expect(code).toBe(1);
    expect(out).toMatch(new RegExp(`^${ok}\tVALID\n[^]*^${bad}\tINVALID\n[^]*^${ok}\tVALID\n`, 'm'));
    expect(err).toMatch(new RegExp(`^WARN {2}Could not write the JUnit report ${file}: EISDIR: [^\n]*\n$`));
  });
});
