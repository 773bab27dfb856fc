/**
 * End to end: Gyre against hostile input (issue 15): node output nested too deep, node ids that
 * are paths or collide, terminal escapes in quoted input, stores it cannot write. Each test runs
 * the built CLI, with misbehaving nodes from test/nodes/ where a node is needed.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Op } from '@gyre/history';
import { afterEach, describe, expect, it } from 'vitest';
import { makeReadOnly } from '../../../scripts/read-only';
import { OUTCOME } from '../src/outcome';
import { example, gyre, repo, testNode } from './helpers';
import { alive, historyOf, pidsIn, startGyre, until } from './reliability-helpers';

const echoOks = (h: Op[]) => h.filter((o) => o.type === 'ok' && o.f === 'echo');
const scratch = () => mkdtempSync(join(tmpdir(), 'gyre-hostile-'));
/** A stack trace's "    at …" line. */
const STACK = /\n\s+at /;

describe('values nested too deep', () => {
  it('a node reply nested 5,000 arrays deep is a protocol error; the run goes on and is valid', async () => {
    // Echo 3 gets a 10 kB reply 5,000 levels deep first, then its proper reply.
    const r = await gyre(['test', '-w', 'echo', '--bin', testNode('misbehave.py'), '--node-count', '1', '--time-limit', '4', '--rate', '10', '--', 'deep-reply']);
    expect(r.stderr).not.toMatch(/Maximum call stack/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(OUTCOME.valid);
    expect(r.results()['protocol-errors']).toMatchObject({ count: 1, 'by-kind': { 'too-deep': 1 } });
    expect(r.stderr).toMatch(/WARN {2}Node n0 wrote a bad message \(too-deep\): arrays and objects nested deeper than 1000 levels/);
    const h = historyOf(r.latest);
    expect(h.filter((o) => o.type !== 'invoke' && o.type !== 'ok')).toEqual([]);
    expect(echoOks(h).length).toBeGreaterThan(3);
  });

  const deep = '['.repeat(5000) + ']'.repeat(5000);
  const files: [string, string, RegExp][] = [
    ['deep.jsonl', `{"type":"invoke","f":"read","process":0,"value":null}\n{"type":"ok","f":"read","process":0,"value":${deep}}\n`, /^deep\.jsonl:2: .*nested deeper than 1000 levels/m],
    ['deep.json', `[{"type":"invoke","f":"read","process":0,"value":null},\n {"type":"ok","f":"read","process":0,"value":${deep}}]\n`, /^deep\.json:2: .*nested deeper than 1000 levels/m],
    ['deep.edn', `{:type :invoke, :f :read, :process 0, :value nil}\n{:type :ok, :f :read, :process 0, :value ${deep}}\n`, /^deep\.edn:2: .*nested deeper than 1000 levels/m],
  ];
  it.each(files)('gyre check on %s: exit 254 naming the file and line, no stack trace', async (name, text, message) => {
    const dir = scratch();
    writeFileSync(join(dir, name), text);
    const r = await gyre(['check', '-m', 'cas-register', name], { cwd: dir });
    expect(r.stderr).not.toMatch(/Maximum call stack|Gyre crashed/);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(message);
  });
});

/** Any character a terminal might act on, other than the newline that ends a line. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const ESCAPES = '\u001b[2J\u001b]0;pwned\u0007 \u009b31m \u202e';

describe('terminal escapes in input are never echoed raw', () => {
  const files: [string, string][] = [
    ['bad.jsonl', `{"type":"invoke","f":"read","process":0,"value":null}\n{"type":"ok","f":"read","process":0,"value":1} ${ESCAPES}\n`],
    ['bad-field.jsonl', `{"type":"invoke","f":"read","process":0,"value":null}\n{"type":"ok${ESCAPES}","f":"read","process":0,"value":1}\n`],
    ['bad.edn', `{:type :invoke, :f :read, :process 0, :value nil}\n{:type :ok, :f :read${ESCAPES}, :process 0, :value 1}\n`],
    ['bad-syntax.edn', `{:type :invoke, :f :read, :process 0, :value nil}\n{:type :ok, :f :read, :process 0, :value 12${ESCAPES}}\n`],
    ['bad.log', `INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:read\t[1 ${ESCAPES}\n`],
  ];
  it.each(files)('gyre check on %s: the message escapes them', async (name, text) => {
    const dir = scratch();
    writeFileSync(join(dir, name), text);
    const r = await gyre(['check', '-m', 'cas-register', name], { cwd: dir });
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(new RegExp(`^${name.replace('.', '\\.')}:2: `));
    expect(r.stderr).toMatch(/\\u001b/);
    expect(r.stderr + r.stdout).not.toMatch(RAW_CONTROL);
  });

  it('node lines with escapes: protocol-error messages escape them', async () => {
    const r = await gyre(['test', '-w', 'echo', '--bin', testNode('misbehave.py'), '--node-count', '1', '--time-limit', '3', '--rate', '10', '--', 'escapes']);
    expect(r.code).toBe(0);
    expect(r.results()['protocol-errors']).toMatchObject({ count: 2, 'by-kind': { 'not-json': 1, 'unknown-dest': 1 } });
    expect(r.stderr).toMatch(/\(not-json\).*The line was: "\\u001b\[2J\\u001b\]0;pwned\\u0007 not json \\u009b31m \\u202e"/);
    expect(r.stderr).toMatch(/\(unknown-dest\): Invalid dest "\\u001b\[2J\\u009b31m"/);
    expect(r.stderr + r.stdout).not.toMatch(RAW_CONTROL);
  });

  it("a crashed node's last lines, STDOUT and STDERR, are shown escaped", async () => {
    const r = await gyre(['test', '-w', 'echo', '--bin', testNode('misbehave.py'), '--node-count', '1', '--time-limit', '10', '--rate', '10', '--', 'die-with-escapes']);
    expect(r.code).toBe(255);
    expect(r.stdout).toMatch(/Its last lines on STDOUT:\n(.*\n)* {2}\\u001b\[2J\\u001b\]0;pwned\\u0007 last words \\u009b31m\n/);
    expect(r.stdout).toMatch(/Its last lines on STDERR:\n(.*\n)* {2}\\u001b\[2J\\u001b\]0;pwned\\u0007 on stderr \\u009b31m\n/);
    expect(r.stderr + r.stdout).not.toMatch(RAW_CONTROL);
  });
});

describe('a cap on one line from a node (--max-line-mib, 64 MiB by default)', () => {
  it('a 600 MiB line on STDOUT (past the longest string V8 can make) is skipped and counted; the node is read on', async () => {
    // 20 s: the node must finish writing 600 MiB into the pipe before the run stops it (about 5 s
    // on a loaded 2-core machine; the run stops early for no one).
    const r = await gyre(['test', '-w', 'echo', '--bin', testNode('misbehave.py'), '--node-count', '1', '--time-limit', '20', '--rate', '10', '--', 'giant-line']);
    expect(r.stderr).not.toMatch(STACK);
    // Never a crash; an echo queued behind the giant line may time out on a slow machine (invalid).
    expect([0, 1], r.stderr).toContain(r.code);
    expect(r.results()['protocol-errors']).toMatchObject({ count: 1, 'by-kind': { 'line-too-long': 1 } });
    expect(r.stderr).toMatch(/\(line-too-long\): a line of 629145600 bytes, longer than the limit of 64 MiB: skipped\. The line was: "g{200}"\n/);
    const h = historyOf(r.latest);
    expect(h.filter((o) => o.type === 'fail')).toEqual([]);
    // The node was read on: the reply it wrote after the giant line came back (the node answers
    // echo 3 with the line, then the reply); how many more in 5 s depends on how fast this
    // machine moves 600 MiB through a pipe.
    expect(echoOks(h).length).toBeGreaterThanOrEqual(3);
  });

  it('--max-line-mib 1: a 50 MB line on STDOUT and a 3 MiB one on STDERR are skipped; the log file keeps STDERR whole', async () => {
    const r = await gyre(['test', '-w', 'echo', '--bin', testNode('misbehave.py'), '--node-count', '1', '--time-limit', '4', '--rate', '10', '--max-line-mib', '1', '--', 'huge-line,huge-stderr-line']);
    expect([0, 1], r.stderr).toContain(r.code);
    expect(r.results()['protocol-errors']).toMatchObject({ count: 1, 'by-kind': { 'line-too-long': 1 } });
    expect(r.stderr).toMatch(/\(line-too-long\): a line of 52428800 bytes, longer than the limit of 1 MiB: skipped/);
    expect(readFileSync(join(r.latest, 'node-logs', 'n0.log'), 'utf8')).toContain('e'.repeat(3 * 1024 * 1024) + '\n');
    expect(echoOks(historyOf(r.latest)).length).toBeGreaterThan(5);
  });
});

describe('node ids are checked before any node starts', () => {
  const cases: [string[], RegExp][] = [
    [['--nodes', '../hostile-escape'], /Node id "..\/hostile-escape" is not allowed: a node id is letters, digits, "-", "_" and "."/],
    [['--nodes', 'a/b,n2'], /Node id "a\/b" is not allowed/],
    [['--nodes', 'c1,n2'], /Node id "c1" is a client's id: Gyre's clients are c0, c1, c2/],
    [['--node', 'lin-kv'], /Node id "lin-kv" is a service's id/],
  ];
  it.each(cases)('gyre test %j: exit 254, nothing written, nothing started', async (args, message) => {
    const tmp = scratch();
    const pids = join(scratch(), 'pids');
    const r = await gyre(['test', '-w', 'echo', '--bin', testNode('escape.py'), '--time-limit', '3', ...args, '--', 'setsid', pids], { env: { TMPDIR: tmp } });
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(message);
    expect(readdirSync(r.store)).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
    expect(existsSync(pids)).toBe(false);
  });

  it.each(cases)('gyre sim %j: exit 254', async (args, message) => {
    const r = await gyre(['sim', '-w', 'echo', '--node', example('echo'), '--time-limit', '3', ...args]);
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(message);
    expect(readdirSync(r.store)).toEqual([]);
  });
});

describe('a store Gyre cannot write: the message says which directory and what is wrong with it', () => {
  const undo: (() => void)[] = [];
  afterEach(() => {
    for (const f of undo.splice(0)) f();
  });

  it("a read-only <workload> sub-directory (gyre test and gyre sim)", async (ctx) => {
    const store = scratch();
    const echo = join(store, 'echo');
    mkdirSync(echo);
    if (!makeReadOnly(echo, undo)) return ctx.skip();
    for (const args of [
      ['test', '-w', 'echo', '--bin', example('echo'), '--node-count', '1', '--time-limit', '2', '--store', store],
      ['sim', '-w', 'echo', '--node', example('echo'), '--node-count', '1', '--time-limit', '2', '--store', store],
    ]) {
      const r = await gyre(args);
      expect(r.stderr).toContain(`Cannot create a run directory in the store ${store}: ${echo} is read-only (not writable).`);
      expect(r.stderr).not.toMatch(/ENOENT|EACCES|EPERM/);
      expect(r.stderr).not.toMatch(STACK);
      expect(r.code).toBe(255);
    }
  });

  it('a read-only store, a store under a read-only directory, a store under a file', async (ctx) => {
    const dir = scratch();
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    writeFileSync(join(dir, 'file'), '');
    if (!makeReadOnly(ro, undo)) return ctx.skip();
    for (const [store, message] of [
      [ro, `${ro} is read-only (not writable).`],
      [join(ro, 'store'), `${ro} is read-only (not writable), so ${join(ro, 'store')} cannot be created.`],
      [join(dir, 'file', 'store'), `${join(dir, 'file')} is not a directory.`],
    ] as const) {
      const r = await gyre(['test', '-w', 'echo', '--bin', example('echo'), '--store', store]);
      expect(r.code).toBe(254);
      expect(r.stderr).toContain(`--store ${store}: ${message}`);
    }
  });
});

/** The run's cgroup directory, if its test.json says it had one (same parent as this process's cgroup v2). */
function runCgroupDir(runDir: string): string | undefined {
  const test = JSON.parse(readFileSync(join(runDir, 'test.json'), 'utf8')) as { runId: string; containment: string };
  if (test.containment !== 'cgroup') return undefined;
  const own = /^0::(.*)$/m.exec(readFileSync('/proc/self/cgroup', 'utf8'))![1]!;
  const mount = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .find((l) => l.split(' - ')[1]?.startsWith('cgroup2 '))!
    .split(' ')[4]!;
  return join(mount, own, `gyre-${test.runId}`);
}

/** Whether cgroups are used here: one short run, and its test.json. */
let cgroupsHere: boolean | undefined;
async function cgroupsAvailable(): Promise<boolean> {
  if (cgroupsHere === undefined) {
    const r = await gyre(['test', '-w', 'echo', '--bin', example('echo'), '--node-count', '1', '--time-limit', '1']);
    cgroupsHere = JSON.parse(readFileSync(join(r.latest, 'test.json'), 'utf8')).containment === 'cgroup';
  }
  return cgroupsHere;
}

describe('nothing outlives a run: processes, working directories, cgroups', () => {
  const echoArgs = (node: string, count: number, seconds: number) => ['test', '-w', 'echo', '--bin', testNode(node), '--node-count', String(count), '--time-limit', String(seconds), '--rate', '20'];
  const fallback = { GYRE_CGROUP: 'off' };

  it('with cgroups: double forks into a new session with a cleared environment, even a daemon in /, are gone when gyre exits', async (ctx) => {
    if (!(await cgroupsAvailable())) return ctx.skip();
    const tmp = scratch();
    const pids = join(scratch(), 'pids');
    const r = await gyre([...echoArgs('escape.py', 2, 3), '--', 'clearenv,daemon,setsid,ignore-term,stopped', pids], { env: { TMPDIR: tmp } });
    expect(r.code).toBe(0);
    expect(pidsIn(pids)).toHaveLength(2 * 6);
    expect(pidsIn(pids).filter(alive)).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
    expect(existsSync(runCgroupDir(r.latest)!)).toBe(false);
  });

  it('without cgroups: the same, but for the daemon (see docs/reliability.md), by group, marker, tracking and working directory', async () => {
    const tmp = scratch();
    const pids = join(scratch(), 'pids');
    const r = await gyre([...echoArgs('escape.py', 2, 3), '--', 'clearenv,setsid,ignore-term,stopped', pids], { env: { TMPDIR: tmp, ...fallback } });
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(r.latest, 'test.json'), 'utf8')).containment).toBe('process-group');
    expect(pidsIn(pids)).toHaveLength(2 * 5);
    expect(pidsIn(pids).filter(alive)).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
  });

  for (const mode of ['cgroup', 'fallback'] as const) {
    it(`gyre SIGKILLed mid-run (${mode}): the watchdog kills what is left, SIGTERM-ignoring grandchildren included, and removes the working directories`, async (ctx) => {
      if (mode === 'cgroup' && !(await cgroupsAvailable())) return ctx.skip();
      const tmp = scratch();
      const pids = join(scratch(), 'pids');
      const modes = mode === 'cgroup' ? 'clearenv,daemon,setsid,ignore-term,stopped' : 'clearenv,setsid,ignore-term,stopped';
      const g = startGyre([...echoArgs('escape.py', 2, 60), '--', modes, pids], { env: { TMPDIR: tmp, ...(mode === 'fallback' ? fallback : {}) } });
      expect(await until(() => g.stderr().includes('All 2 nodes initialised'), 30_000)).toBe(true);
      const expected = mode === 'cgroup' ? 12 : 10;
      expect(await until(() => pidsIn(pids).length === expected, 30_000)).toBe(true);
      expect(pidsIn(pids).filter(alive)).toHaveLength(expected);
      g.child.kill('SIGKILL');
      await g.done;
      // The watchdog acts as soon as the pipe from gyre closes; the wait only allows for a loaded machine.
      expect(await until(() => pidsIn(pids).filter(alive).length === 0, 30_000)).toBe(true);
      expect(await until(() => readdirSync(tmp).length === 0, 30_000)).toBe(true);
      const cg = mode === 'cgroup' ? runCgroupDir(join(g.store, 'current')) : undefined;
      if (cg) expect(await until(() => !existsSync(cg), 30_000)).toBe(true);
    });
  }

  it('working directories: none left in TMPDIR after a normal end, a crashed node, or an interrupt', async () => {
    const tmp = scratch();
    const normal = await gyre([...echoArgs('escape.py', 2, 2), '--', 'write-file', join(scratch(), 'pids')], { env: { TMPDIR: tmp } });
    expect(normal.code).toBe(0);
    expect(readdirSync(tmp)).toEqual([]);
    const crashed = await gyre([...echoArgs('crasher.py', 2, 30), '--', 'exit', '3'], { env: { TMPDIR: tmp } });
    expect(crashed.code).toBe(255);
    expect(readdirSync(tmp)).toEqual([]);
    const g = startGyre([...echoArgs('escape.py', 2, 60), '--', 'write-file', join(scratch(), 'pids')], { env: { TMPDIR: tmp } });
    expect(await until(() => g.stderr().includes('All 2 nodes initialised'), 30_000)).toBe(true);
    expect(readdirSync(tmp)).toHaveLength(1);
    g.child.kill('SIGINT');
    expect((await g.done).code).toBe(255);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('--keep-node-dirs keeps them in the run directory, under node-dirs/', async () => {
    const tmp = scratch();
    const r = await gyre([...echoArgs('escape.py', 2, 2), '--keep-node-dirs', '--', 'write-file', join(scratch(), 'pids')], { env: { TMPDIR: tmp } });
    expect(r.code).toBe(0);
    for (const n of ['n0', 'n1']) expect(readFileSync(join(r.latest, 'node-dirs', n, 'hello.txt'), 'utf8')).toBe('hello from the node\n');
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("gyre sim's node directories: none left in TMPDIR after a normal end or an interrupt; kept with --keep-node-dirs", async () => {
    const tmp = scratch();
    const sim = ['sim', '-w', 'echo', '--node', example('echo'), '--node-count', '2'];
    const normal = await gyre([...sim, '--time-limit', '5'], { env: { TMPDIR: tmp } });
    expect(normal.code).toBe(0);
    expect(readdirSync(tmp)).toEqual([]);
    const kept = await gyre([...sim, '--time-limit', '5', '--keep-node-dirs'], { env: { TMPDIR: tmp } });
    expect(kept.code).toBe(0);
    expect(readdirSync(join(kept.latest, 'node-dirs')).sort()).toEqual(['n0', 'n1']);
    expect(readdirSync(tmp)).toEqual([]);
    const g = startGyre([...sim, '--time-limit', '100000000', '--rate', '1000'], { env: { TMPDIR: tmp } });
    expect(await until(() => readdirSync(tmp).length === 1, 30_000)).toBe(true);
    g.child.kill('SIGINT');
    expect((await g.done).code).toBe(255);
    expect(readdirSync(tmp)).toEqual([]);
  });
});

describe('a node that floods its STDOUT with garbage', () => {
  it('does not starve Gyre: every echo, to the flooding node and to the other, comes back ok; the bad lines are counted', async () => {
    // n1 writes a log line on STDOUT as fast as its pipe takes it, from its init on (millions a
    // second); before, Gyre spent ~20 µs on each and answered 2 echoes in 5 s, both timed out.
    const flooder = join(repo, 'packages/runner/bench/garbage-node.mjs');
    const r = await gyre(['test', '-w', 'echo', '--bin', flooder, '--node-count', '2', '--time-limit', '5', '--rate', '20', '--', 'flood']);
    expect(r.code).toBe(0);
    const h = historyOf(r.latest);
    const invokes = h.filter((o) => o.type === 'invoke' && o.f === 'echo');
    expect(invokes.length).toBeGreaterThan(20);
    expect(echoOks(h)).toHaveLength(invokes.length);
    // Clients alternate between the nodes: the flooding node answered its share too.
    expect(echoOks(h).some((o) => Number(o.process) % 2 === 1)).toBe(true);
    const pe = r.results()['protocol-errors'] as { count: number; 'by-kind': Record<string, number> };
    expect(pe['by-kind']['not-json']).toBeGreaterThan(10_000);
    // The first bad line is shown with the STDOUT hint; the rest are counted, not logged.
    expect(r.stderr.match(/wrote a bad message \(not-json\)/g)).toHaveLength(10);
  });
});
