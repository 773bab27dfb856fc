import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJUnit as parse, validateJUnit } from '../test/junit-schema';
import { main } from './main';
import { JUnitFile, junitProblem, junitXml, summaryMessage, verdictFailure, type JUnitSuite } from './junit';

const suite: JUnitSuite = {
  name: 'gyre test broadcast',
  timestamp: new Date(2026, 0, 31, 14, 5, 9, 123),
  hostname: 'ci-runner-7',
  seconds: 21.23456,
  properties: [
    ['command', 'gyre test -w broadcast --bin ./b.rb --node-count 5'],
    ['seed', '42'],
  ],
  cases: [
    { name: 'broadcast #1', classname: 'gyre.test.broadcast', seconds: 20.5 },
    {
      name: 'broadcast #2',
      classname: 'gyre.test.broadcast',
      seconds: 0.0004,
      failure: {
        type: 'invalid',
        message: 'INVALID: workload › lost (3): 3, 10, 17',
        // Colours, XML's special characters, a control character XML cannot hold, a tab and an emoji.
        text: '\x1b[1;35mINVALID\x1b[0m  broadcast\n  anomalies    workload › lost (3): 3, 10, 17 <&> "q" \'a\'\x07\tend 🎉\n  see          store/broadcast/x/report.html',
      },
    },
    { name: 'broadcast #3', classname: 'gyre.test.broadcast', seconds: 1, failure: { type: 'crashed', message: 'Node n1 crashed: it exited with code 3.\nIts last lines', text: 'see store/broadcast/y/report.html' } },
  ],
  out: 'store/broadcast/x/report.html\nstore/broadcast/y/report.html',
};

describe('junitXml', () => {
  it('validates against the common JUnit schema (Ant’s rules and Jenkins’/Surefire’s), with libxml2', async () => {
    const r = await validateJUnit(junitXml(suite));
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it('the schema check is real: it refuses a case without a classname and a time zone on the timestamp', async () => {
    const bad = junitXml(suite).replace(' classname="gyre.test.broadcast"', '').replace(/timestamp="([^"]+)"/, 'timestamp="$1Z"');
    const r = await validateJUnit(bad);
    expect(r.valid).toBe(false);
    expect(r.errors.join('\n')).toMatch(/classname/);
    expect(r.errors.join('\n')).toMatch(/timestamp/);
  });

  it('is read by a JUnit parser of the kind CI systems use (junit2json, on xml2js): suites, cases, failures and their text', async () => {
    const out = await parse(junitXml(suite));
    const s = out.testsuite[0]!;
    expect([s.name, s.tests, s.failures, s.errors, s.time, s.timestamp]).toEqual(['gyre test broadcast', 3, 2, 0, 21.235, '2026-01-31T14:05:09']);
    expect(s.properties).toContainEqual({ name: 'command', value: 'gyre test -w broadcast --bin ./b.rb --node-count 5' });
    expect(s.testcase.map((c) => [c.name, c.classname, c.time, c.failure?.[0]?.type])).toEqual([
      ['broadcast #1', 'gyre.test.broadcast', 20.5, undefined],
      ['broadcast #2', 'gyre.test.broadcast', 0, 'invalid'],
      ['broadcast #3', 'gyre.test.broadcast', 1, 'crashed'],
    ]);
    const f = s.testcase[1]!.failure![0]!;
    expect(f.message).toBe('INVALID: workload › lost (3): 3, 10, 17');
    expect(f.inner).toBe('INVALID  broadcast\n  anomalies    workload › lost (3): 3, 10, 17 <&> "q" \'a\'\ufffd\tend 🎉\n  see          store/broadcast/x/report.html');
    // A newline in an attribute survives as a newline.
    expect(s.testcase[2]!.failure![0]!.message).toBe('Node n1 crashed: it exited with code 3.\nIts last lines');
    expect(s['system-out'][0]).toContain('store/broadcast/y/report.html');
  });

  it('holds a sweep of many seeds', async () => {
    const many: JUnitSuite = { ...suite, cases: Array.from({ length: 2000 }, (_, i) => ({ name: `seed ${i}`, classname: 'gyre.sim.echo', seconds: 0.01, ...(i === 7 ? { failure: verdictFailure(1, 'invalid', 'x')! } : {}) })) };
    const xml = junitXml(many);
    expect((await validateJUnit(xml)).valid).toBe(true);
    const out = await parse(xml);
    expect([out.testsuite[0]!.tests, out.testsuite[0]!.failures]).toEqual([2000, 1]);
  });
});

describe('verdictFailure and summaryMessage', () => {
  it('map exit codes to failure types, and take the anomaly line of a summary', () => {
    expect([0, 1, 2, 255].map((c) => verdictFailure(c, 'm', 't')?.type)).toEqual([undefined, 'invalid', 'unknown', 'crashed']);
    expect(summaryMessage('INVALID  broadcast\n  ops          3\n  anomalies    workload › lost (1): 3\n  see          x', 'invalid')).toBe('INVALID  broadcast: workload › lost (1): 3');
    expect(summaryMessage('UNKNOWN', 'unknown')).toBe('UNKNOWN');
  });
});

describe('junitProblem: a --junit path checked before a command starts', () => {
  const scratch = () => mkdtempSync(join(tmpdir(), 'gyre-junit-path-'));

  it('takes a new file, one to overwrite, and one in directories yet to be made, and creates nothing', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'old.xml'), 'x');
    for (const value of ['new.xml', 'old.xml', 'a/b/c.xml', join(dir, 'abs.xml')]) expect([value, junitProblem(value, dir)]).toEqual([value, undefined]);
    expect(readdirSync(dir)).toEqual(['old.xml']);
    rmSync(dir, { recursive: true });
  });

  it('names a directory, and a file standing where a directory must be, with the path at fault', () => {
    const dir = scratch();
    mkdirSync(join(dir, 'reports'));
    writeFileSync(join(dir, 'file'), '');
    expect(junitProblem('reports', dir)).toBe(`--junit reports: ${join(dir, 'reports')} is a directory, not a file. Choose another with --junit FILE.`);
    expect(junitProblem('file/a/j.xml', dir)).toBe(`--junit file/a/j.xml: ${join(dir, 'file')} is not a directory, so ${join(dir, 'file/a/j.xml')} cannot be created. Choose another with --junit FILE.`);
    expect(readdirSync(dir).sort()).toEqual(['file', 'reports']);
    rmSync(dir, { recursive: true });
  });

  // Root writes anywhere, so a read-only directory stops only other users.
  it.skipIf(process.getuid?.() === 0)('names a read-only directory and a read-only file, with the reason', () => {
    const dir = scratch();
    mkdirSync(join(dir, 'ro'));
    writeFileSync(join(dir, 'ro', 'old.xml'), '');
    chmodSync(join(dir, 'ro', 'old.xml'), 0o444);
    chmodSync(join(dir, 'ro'), 0o555);
    expect(junitProblem('ro/sub/j.xml', dir)).toBe(`--junit ro/sub/j.xml: ${join(dir, 'ro')} is not writable (EACCES), so ${join(dir, 'ro/sub/j.xml')} cannot be created. Choose another with --junit FILE.`);
    expect(junitProblem('ro/old.xml', dir)).toBe(`--junit ro/old.xml: ${join(dir, 'ro/old.xml')} cannot be written (EACCES). Choose another with --junit FILE.`);
    chmodSync(join(dir, 'ro'), 0o755);
    rmSync(dir, { recursive: true });
  });
});

describe('JUnitFile', () => {
  it('never throws on a file it cannot write: says why (the path and the system\'s reason) once, and writes again once it can', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-junit-file-'));
    const path = join(dir, 'j.xml');
    mkdirSync(path);
    const file = new JUnitFile(path, 'gyre check register', ['check']);
    const one = { name: 'a.jsonl', classname: 'gyre.check.register', seconds: 0 };
    expect(file.add(one)).toMatch(new RegExp(`^Could not write the JUnit report ${path}: EISDIR: `));
    expect(file.add({ ...one, name: 'b.jsonl' })).toBeUndefined();
    rmSync(path, { recursive: true });
    expect(file.add({ ...one, name: 'c.jsonl' })).toBeUndefined();
    expect(readFileSync(path, 'utf8')).toMatch(/tests="3"/);
    expect(existsSync(path)).toBe(true);
    rmSync(dir, { recursive: true });
  });
});

describe('gyre demo --junit', () => {
  it('is refused: each demo is a gyre test of its own, and one file would keep only the last', async () => {
    let err = '';
    const code = await main(['demo', '--junit', 'x.xml'], { out: () => {}, err: (s) => (err += s), isTTY: false, cwd: '/' });
    expect(code).toBe(254);
    expect(err).toContain('gyre demo writes no JUnit report; gyre test --junit FILE does');
  });
});
