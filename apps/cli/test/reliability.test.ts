/**
 * End to end: what Gyre does when nodes misbehave (issue 8). Each test runs the built CLI against a
 * node written to misbehave in one way (test/nodes/), and checks that the run goes on, reports
 * the problem clearly, and leaves nothing behind.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Op } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import { OUTCOME } from '../src/outcome';
import { example, gyre, testNode } from './helpers';
import { alive, historyOf, pidsIn, readJson, startGyre, tempFile, until } from './reliability-helpers';

const echoOks = (h: Op[]) => h.filter((o) => o.type === 'ok' && o.f === 'echo');

describe('bad output from a node: logged, counted, and the node is still read', () => {
  it('every kind of malformed line, one after another', async () => {
    const kinds = ['not-json', 'blank', 'not-an-object', 'extra-key', 'missing-src', 'missing-dest', 'unknown-src', 'unknown-dest', 'invalid-utf8'];
    const r = await gyre(['test', '-w', 'echo', '--bin', testNode('misbehave.py'), '--node-count', '1', '--time-limit', '4', '--rate', '20', '--', kinds.join(',')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(OUTCOME.valid);
    expect(r.results()['protocol-errors']).toEqual({
      'valid?': true,
      count: 10,
      'by-kind': {
        'not-json': 1,
        'blank-line': 2,
        'not-an-object': 1,
        'extra-key': 1,
        'bad-src': 1,
        'bad-dest': 1,
        'unknown-src': 1,
        'unknown-dest': 1,
        'invalid-utf8': 1,
      },
    });
    // One clear line each, naming the node, the kind, the reason and the text.
    const warns = r.stderr.split('\n').filter((l) => l.startsWith('WARN  Node n0 wrote a bad message'));
    expect(warns).toHaveLength(10);
    expect(warns[0]).toMatch(/\(not-json\): not valid JSON.*The line was: "this is not JSON \{"/);
    expect(r.stderr).toMatch(/\(extra-key\): unexpected top-level key "extra"/);
    expect(r.stderr).toMatch(/\(bad-src\): "src" must be a string, got nothing/);
    expect(r.stderr).toMatch(/\(unknown-src\): Invalid source "n77"/);
    expect(r.stderr).toMatch(/\(unknown-dest\): Invalid dest "n42"/);
    expect(r.stderr).toMatch(/\(invalid-utf8\): invalid UTF-8/);
    // Every echo succeeded, including many after the last bad line (echo 11).
    const h = historyOf(r.latest);
    expect(h.filter((o) => o.type !== 'invoke' && o.type !== 'ok')).toEqual([]);
    expect(echoOks(h).length).toBeGreaterThan(11 + 10);
    expect(readFileSync(join(r.latest, 'gyre.log'), 'utf8')).toMatch(/Node n0 wrote a bad message \(blank-line\)/);
  });

  it('a 50 MB line', async () => {
    // The 50 MB line comes with the first echo. On a loaded machine it may still be on its way when
    // the run ends (the node is then stopped in the middle of writing it): what arrived of it is
    // still one line, counted once.
    const r = await gyre(['test', '-w', 'echo', '--bin', testNode('misbehave.py'), '--node-count', '1', '--time-limit', '6', '--rate', '20', '--', 'huge-line', '1']);
    // Never a crash. Echoes queued behind the 50 MB line may time out on a slow machine (the
    // echo checker then says invalid, as Maelstrom's would); every other echo comes back.
    expect([0, 1], r.stderr).toContain(r.code);
    expect(r.results()['protocol-errors']).toMatchObject({ count: 1, 'by-kind': { 'not-json': 1 } });
    const huge = r.stderr.split('\n').find((l) => /\(\d+ characters\)/.test(l) && l.includes('xxxx'));
    expect(huge).toBeDefined();
    expect(huge!.length).toBeLessThan(600);
    const h = historyOf(r.latest);
    expect(h.filter((o) => o.type === 'fail')).toEqual([]);
    expect(echoOks(h).length).toBeGreaterThan(10);
  });

  it('a last line without a newline', async () => {
    // The node writes its last line with no newline at echo 20 and answers nothing after it, so
    // the line is still unterminated when Gyre stops the node: it must be read at the end all the
    // same. (Written by the node's SIGTERM handler instead, the line would depend on the node
    // being scheduled within Gyre's 1 s grace on a loaded machine.)
    const r = await gyre(['test', '-w', 'echo', '--bin', testNode('misbehave.py'), '--node-count', '1', '--time-limit', '3', '--rate', '20', '--', 'unterminated-then-silent', '20']);
    // The echoes after the last line go unanswered, which the echo checker may count against it.
    expect([0, 1, 2], r.stderr).toContain(r.code);
    expect(r.results()['protocol-errors']).toMatchObject({ count: 1, 'by-kind': { 'not-json': 1 } });
    expect(r.stderr).toMatch(/\(not-json\).*The line was: "bye-without-newline"/);
  });

  it('a reply to a client that has timed out, and a malformed reply', async () => {
    // Echo 3 gets a malformed echo_ok; echo 4's reply comes 6 s late, after its client closed.
    const r = await gyre(['test', '-w', 'echo', '--bin', testNode('misbehave.py'), '--node-count', '1', '--time-limit', '9', '--rate', '10', '--', 'malformed-reply,late-reply']);
    expect(r.code).toBe(1);
    const h = historyOf(r.latest);
    const infos = h.filter((o) => o.type === 'info');
    expect(infos).toHaveLength(2);
    expect(infos[0]!.error).toMatch(/Malformed RPC response to echo: disallowed key "extra"/);
    expect(infos[1]!.error).toBe('net-timeout');
    // The late reply is not bad output: counted apart (late-replies), not as a protocol error.
    expect(r.results()['protocol-errors']).toEqual({ 'valid?': true, count: 1, 'by-kind': { 'malformed-reply': 1 } });
    expect(r.results()['late-replies']).toEqual({ 'valid?': true, count: 1, 'by-node': { n0: 1 } });
    expect(r.stderr).toMatch(/INFO {2}Node n0 replied to c\d+ after that client had timed out or closed: a late reply/);
    // The late reply came at ~7 s; echoes went on being answered after it.
    const late = infos[1]!.time;
    expect(echoOks(h).filter((o) => o.time > late).length).toBeGreaterThan(5);
  });
});

describe('a node that dies mid-run', () => {
  const dies = async (args: string[]) => {
    const r = await gyre(['test', '-w', 'echo', '--bin', testNode('crasher.py'), '--node-count', '2', '--time-limit', '60', '--rate', '20', '--', ...args]);
    return { r };
  };
  /** The crash ended the run at once: its main phase (60 s long) was cut short, not waited out. */
  const endedAtOnce = (r: Awaited<ReturnType<typeof dies>>['r']) => expect((r.results()['phases'] as Record<string, string>)['main']).toBe('cut-short');
  const expectReported = (r: Awaited<ReturnType<typeof dies>>['r'], how: RegExp) => {
    expect(r.code).toBe(255);
    expect(r.stdout).toMatch(how);
    expect(r.stdout).toMatch(/Its last lines on STDOUT:\n(.*\n)*  last words on stdout\n/);
    // The last 32 lines of STDERR: 8 to 39.
    expect(r.stdout).toContain('  stderr line 8\n');
    expect(r.stdout).toContain('  stderr line 39\n');
    expect(r.stdout).not.toContain('  stderr line 7\n');
    const res = r.results();
    expect(res['valid?']).toBe('unknown');
    expect((res['crash'] as { message: string }).message).toMatch(how);
    expect(res['stats']).toBeDefined();
    const h = historyOf(r.latest);
    expect(echoOks(h).length).toBeGreaterThanOrEqual(5);
  };

  it('exits with a code: reported at once, exit 255, history and partial analysis kept', async () => {
    const { r } = await dies(['exit', '5']);
    expectReported(r, /Node n\d crashed: it exited with code 3\./);
    endedAtOnce(r);
  });

  it('is killed by a signal', async () => {
    const { r } = await dies(['segv', '5']);
    expectReported(r, /Node n\d crashed: it was killed by SIGSEGV\./);
    endedAtOnce(r);
  });

  it('is killed from outside with SIGKILL (as the OOM killer does)', async () => {
    const pidFile = tempFile('pid');
    const g = startGyre(['test', '-w', 'echo', '--bin', testNode('crasher.py'), '--node-count', '1', '--time-limit', '60', '--rate', '20', '--', 'wait', '0', pidFile]);
    expect(await until(() => g.stderr().includes('All 1 nodes initialised'), 20_000)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    process.kill(pidsIn(pidFile)[0]!, 'SIGKILL');
    const r = await g.done;
    expect(r.code).toBe(255);
    endedAtOnce(r);
    expect(r.stdout).toMatch(/Node n0 crashed: it was killed by SIGKILL \(by Gyre, by another process, or by the kernel OOM killer\)/);
    expect(r.results()['crash']).toMatchObject({ by: 'node', node: 'n0', how: expect.stringMatching(/^was killed by SIGKILL/) });
  });

  it('under --nemesis kill, deaths the nemesis causes are expected, not crashes', async () => {
    const r = await gyre(['test', '-w', 'echo', '--bin', example('echo'), '--node-count', '3', '--time-limit', '8', '--rate', '20', '--nemesis', 'kill', '--nemesis-interval', '1']);
    expect(r.code).not.toBe(255);
    expect(r.stdout).not.toMatch(/crashed/);
    const h = historyOf(r.latest);
    const kills = h.filter((o) => o.process === 'nemesis' && o.f === 'kill' && o.type === 'info' && o.value !== null && JSON.stringify(o.value).includes('killed'));
    expect(kills.length).toBeGreaterThan(0);
    expect(r.results()['crash']).toBeUndefined();
  });
});

describe('no process outlives a run', () => {
  it('children that escape the group (setsid), ignore SIGTERM, or are stopped; a node that stops itself', async () => {
    const pidFile = tempFile('pids');
    const r = await gyre(['test', '-w', 'echo', '--bin', testNode('escape.py'), '--node-count', '1', '--time-limit', '3', '--rate', '20', '--', 'setsid,ignore-term,stopped,self-stop', pidFile]);
    expect(r.code).toBe(1); // echoes after the node stopped itself time out
    const pids = pidsIn(pidFile);
    expect(pids.length).toBe(4);
    expect(pids.filter(alive)).toEqual([]);
  });

  it('a wrapper that exits after starting the real node in the background', async () => {
    const pidFile = tempFile('pids');
    const r = await gyre(['test', '-w', 'echo', '--bin', testNode('escape.py'), '--node-count', '1', '--time-limit', '3', '--', 'wrapper-exit', pidFile]);
    expect(r.code).toBe(255);
    expect(r.stdout).toMatch(/Node n0 crashed: it exited with code 0/);
    const pids = pidsIn(pidFile);
    expect(pids.length).toBe(2);
    expect(await until(() => pids.filter(alive).length === 0, 2000)).toBe(true);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} to gyre: no child outlives gyre, history complete, results say interrupted, analyze checks it`, async () => {
      const pidFile = tempFile('pids');
      const g = startGyre(['test', '-w', 'echo', '--bin', testNode('escape.py'), '--node-count', '3', '--time-limit', '60', '--rate', '50', '--', 'setsid,ignore-term,stopped', pidFile]);
      expect(await until(() => g.stderr().includes('All 3 nodes initialised'), 20_000)).toBe(true);
      await new Promise((r) => setTimeout(r, 1500));
      const pids = pidsIn(pidFile);
      expect(pids.length).toBe(12);
      expect(pids.filter(alive).length).toBe(12);
      g.child.kill(signal);
      const r = await g.done;
      // Once gyre has exited, none of its nodes' processes is left (reaping may lag a moment).
      expect(await until(() => pids.filter(alive).length === 0, 10_000)).toBe(true);
      expect(r.code).toBe(255);
      expect(r.stderr).toContain(`${signal}: stopping`);
      const h = historyOf(r.latest);
      expect(echoOks(h).length).toBeGreaterThan(20);
      // Every invocation has its completion: operations in flight were completed, not lost.
      expect(h.filter((o) => o.type === 'invoke').length).toBe(h.filter((o) => o.type !== 'invoke').length);
      const res = r.results();
      expect(res['interrupted']).toBe(true);
      expect(res['phases']).toEqual({ start: 'completed', init: 'completed', main: 'cut-short' });
      // Echo's checker counts an echo cut off by the stop as an error: it judges only a whole main phase.
      expect(res['workload']).toEqual({ 'valid?': 'unknown', 'not-checked': expect.stringMatching(/needs the main phase, which was cut short/) });
      expect(res['valid?']).toBe('unknown');

      // gyre analyze re-checks the partial run (and rewrites history.edn, as if gyre had been killed).
      rmSync(join(r.latest, 'results.json'));
      const edn = readFileSync(join(r.latest, 'history.edn'), 'utf8');
      expect(edn.split('\n').length - 1).toBe(h.length);
      writeFileSync(join(r.latest, 'history.edn'), '');
      const a = await gyre(['analyze', '--store', r.store]);
      expect(a.stderr).toMatch(new RegExp(`Analysed ${h.length} history entries`));
      expect(a.code).toBe(2);
      const again = readJson(join(r.latest, 'results.json'));
      expect(again['stats']).toEqual(res['stats']);
      // Without its results, analyze cannot know how far the run got: it says so.
      expect(again['incomplete']).toMatch(/^the run never finished/);
      expect(again['workload']).toEqual({ 'valid?': 'unknown', 'not-checked': expect.stringMatching(/needs the main phase, which may not have run to its end/) });
      expect(again['net']).toEqual(res['net']);
      expect(readFileSync(join(r.latest, 'history.edn'), 'utf8')).toBe(edn);
    });
  }
});

describe('gyre analyze', () => {
  it('re-runs the checkers on a stored run, by index or path, and exits like test', async () => {
    const r = await gyre(['test', '-w', 'echo', '--bin', example('echo-wrong'), '--node-count', '2', '--time-limit', '3', '--rate', '20']);
    expect(r.code).toBe(1);
    const before = r.results();
    const dir = join(r.store, 'echo', readdirSync(join(r.store, 'echo')).find((d) => d !== 'latest')!);
    writeFileSync(join(dir, 'results.json'), '{}');
    for (const t of ['-1', '0', dir]) {
      const a = await gyre(['analyze', '--store', r.store, '-t', t]);
      expect(a.code).toBe(1);
      expect(a.stdout).toContain(OUTCOME.invalid);
      const after = readJson(join(dir, 'results.json'));
      for (const k of ['stats', 'workload', 'net', 'availability', 'exceptions', 'valid?', 'seed']) expect(after[k], k).toEqual(before[k]);
      expect(readFileSync(join(dir, 'results.edn'), 'utf8')).toMatch(/:valid\? false/);
    }
  });

  it('says clearly when there is no such run', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'gyre-empty-'));
    const a = await gyre(['analyze', '--store', empty]);
    expect(a.code).toBe(254);
    expect(a.stderr).toMatch(/No runs in the store/);
    const b = await gyre(['analyze', '--store', empty, '-t', '/nonexistent/run']);
    expect(b.code).toBe(254);
    expect(b.stderr).toMatch(/is not a Gyre run directory/);
    const c = await gyre(['analyze', '--frobnicate']);
    expect(c.code).toBe(254);
  });
});

describe('bad input from users', () => {
  it('--bin that is missing, a directory, or not executable: exit 254 before anything starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-bin-'));
    const plain = join(dir, 'node.py');
    writeFileSync(plain, '#!/usr/bin/env python3\n');
    chmodSync(plain, 0o644);
    for (const [bin, msg] of [
      [join(dir, 'missing'), /no such file/],
      [dir, /is a directory/],
      [plain, /is not executable.*chmod \+x/],
    ] as const) {
      const r = await gyre(['test', '-w', 'echo', '--bin', bin]);
      expect(r.code).toBe(254);
      expect(r.stderr).toMatch(msg);
      expect(readdirSync(r.store)).toEqual([]);
    }
  });

  it('a store that cannot be written: a clear error, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-store-bad-'));
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    // The store is a file; the store is under a file; the workload's directory is a file.
    for (const store of [file, join(file, 'store')]) {
      const r = await gyre(['test', '-w', 'echo', '--bin', example('echo'), '--store', store]);
      expect(r.code).toBe(254);
      expect(r.stderr).toMatch(/--store .*(not a directory|cannot create)/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const store = join(dir, 'store');
    mkdirSync(store);
    writeFileSync(join(store, 'echo'), '');
    const r = await gyre(['test', '-w', 'echo', '--bin', example('echo'), '--store', store]);
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/Cannot create a run directory in the store/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.skipIf(process.getuid?.() === 0)('a store directory without write permission', async () => {
    const store = mkdtempSync(join(tmpdir(), 'gyre-store-ro-'));
    chmodSync(store, 0o500);
    const r = await gyre(['test', '-w', 'echo', '--bin', example('echo'), '--store', store]);
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/not writable/);
  });
});

describe('every gyre test option with a wrong value', () => {
  const cases: [string[], RegExp][] = [
    [['-w', 'nosuch'], /Unknown workload "nosuch"/],
    [['--node-count', '0'], /--node-count must be a positive integer, got "0"/],
    [['--node-count', 'three'], /--node-count must be a positive integer/],
    [['--nodes', 'a,b,a'], /Node ids must be unique/],
    [['--nodes-file', '/nonexistent/nodes.txt'], /--nodes-file .*nodes\.txt: cannot read it \(ENOENT\)/],
    [['--concurrency', '2x'], /--concurrency must be an integer, optionally followed by n/],
    [['--concurrency', '0'], /--concurrency must be positive/],
    [['--time-limit', '-1'], /--time-limit must be a positive integer/],
    [['--time-limit', '1.5'], /--time-limit must be a positive integer/],
    [['--test-count', '0'], /--test-count must be a positive integer/],
    [['--rate', 'fast'], /--rate must be a number/],
    [['--rate', '-1'], /--rate must be at least 0/],
    [['--latency', '-5'], /--latency must be a non-negative integer/],
    [['--latency-dist', 'normal'], /--latency-dist must be one of constant, uniform, exponential/],
    [['--nemesis', 'flood'], /--nemesis: unknown fault "flood"/],
    [['--nemesis-interval', '0'], /--nemesis-interval must be a positive number/],
    [['--topology', 'ring'], /--topology must be one of/],
    [['--availability', '1.5'], /--availability must be total or a number from 0 to 1/],
    [['--key-count', '0'], /--key-count must be a positive integer/],
    [['--max-txn-length', 'x'], /--max-txn-length must be a positive integer/],
    [['--max-writes-per-key', '-2'], /--max-writes-per-key must be a positive integer/],
    [['--recovery-time', '-1'], /--recovery-time must be at least 0/],
    [['--log-stderr=yes'], /"--log-stderr" takes no value/],
    [['--rate'], /Missing argument for "--rate"/],
    [['--time-limt', '5'], /Unknown option: "--time-limt"; did you mean "--time-limit"\?/],
  ];
  it.each(cases)('%j: exit 254, naming the option', async (args, message) => {
    const { main } = await import('../src/main');
    let err = '';
    const code = await main(['test', '--bin', example('echo'), '-w', 'echo', '--store', mkdtempSync(join(tmpdir(), 'gyre-opt-')), ...args], {
      out: () => {},
      err: (s) => (err += s),
      isTTY: false,
      cwd: process.cwd(),
    });
    expect(code).toBe(254);
    expect(err).toMatch(message);
  });
});
