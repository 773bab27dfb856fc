/**
 * End to end: a verdict that never lies (issue 15). Crashed, interrupted and cut-short runs are
 * never recorded as valid, nor as invalid on a correct node; Gyre's own failures (a bug in a
 * callback, a full disk) exit 255 with one clear paragraph and the results written; late replies
 * are not bad output; a node that logs to STDOUT is told where logs go. Real processes, real
 * signals, the built CLI.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseJson, type Op } from '@gyre/history';
import { startServer } from '@gyre/report/node';
import { listRuns } from '@gyre/runner/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyDisk } from '../../../scripts/tiny-disk';
import { OUTCOME } from '../src/outcome';
import { example, gyre, repo, testNode } from './helpers';
import { historyOf, readJson, startGyre, until } from './reliability-helpers';

const echoArgs = (bin: string, ...more: string[]) => ['test', '-w', 'echo', '--bin', bin, '--node-count', '1', ...more];
/** No line of output looks like a stack trace. */
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .*[(:]\d+/);

/** The report's verdict and the `gyre serve` index row of the only run in `store`. */
async function shownAs(store: string, dir: string): Promise<{ report: string; row: string }> {
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  const report = /id="verdict" data-valid="([^"]+)"/.exec(html)?.[1] ?? '(none)';
  const server = await startServer({ store, runs: () => listRuns(store), port: 0 });
  try {
    const index = await (await fetch(server.url)).text();
    return { report, row: /<tr class="run" data-run="[^"]+" data-valid="([^"]+)"/.exec(index)?.[1] ?? '(none)' };
  } finally {
    await server.close();
  }
}

describe('a crashed run is never recorded as valid', () => {
  it('a node that exits mid-run: valid? unknown, the crash under its own key, shown as crashed', async () => {
    const r = await gyre(echoArgs(testNode('crasher.py'), '--time-limit', '60', '--rate', '20', '--', 'exit', '5'));
    expect(r.code).toBe(255);
    const res = r.results();
    expect(res['valid?']).toBe('unknown');
    expect(res['crash']).toMatchObject({ by: 'node', node: 'n0', how: 'exited with code 3', log: 'node-logs/n0.log' });
    const crash = res['crash'] as { stdout: string[]; stderr: string[]; message: string };
    expect(crash.stdout.at(-1)).toBe('last words on stdout');
    expect(crash.stderr).toHaveLength(32);
    expect(crash.stderr.at(-1)).toBe('stderr line 39');
    expect(crash.message).toMatch(/^Node n0 crashed: it exited with code 3\./);
    expect(res['error']).toBeUndefined();
    // The console never says VALID for it, nor Everything looks good.
    expect(r.stdout).toMatch(/^CRASHED$/m);
    expect(r.stdout).not.toMatch(/\bVALID\b/);
    expect(r.stdout).not.toContain(OUTCOME.valid);
    expect(r.stdout).toMatch(/Gyre broke. Here's why:\nNode n0 crashed/);
    expect(readFileSync(join(r.latest, 'results.edn'), 'utf8')).toMatch(/:valid\? :unknown/);
    expect(await shownAs(r.store, r.latest)).toEqual({ report: 'crashed', row: 'crashed' });
  });

  it('a node that never answers init: valid? unknown, which node, how, where its output is', async () => {
    const r = await gyre(['test', '-w', 'echo', '--bin', testNode('silent.sh'), '--node-count', '2', '--time-limit', '5']);
    expect(r.code).toBe(255);
    const res = r.results();
    expect(res['valid?']).toBe('unknown');
    expect(res['crash']).toMatchObject({ by: 'node', node: expect.stringMatching(/^n[01]$/), how: 'did not answer init within 10 s', stdout: [], stderr: [] });
    expect(res['phases']).toEqual({ start: 'completed', init: 'cut-short', main: 'not-reached' });
    expect(r.stdout).toMatch(/^CRASHED/m);
    expect(r.stdout).not.toMatch(/\bVALID\b/);
  });
});

describe('an interrupted run', () => {
  it('SIGTERM during broadcast\'s recovery wait: unknown, not "lost" on a correct node; results say which phases ran', async () => {
    // Gossip takes 3 s (--latency 3000), so reads during the main phase miss the latest values;
    // only the final reads, after the recovery wait, see them all.
    const g = startGyre(['test', '-w', 'broadcast', '--bin', example('broadcast'), '--node-count', '3', '--time-limit', '3', '--rate', '20', '--latency', '3000']);
    expect(await until(() => g.stderr().includes('Waiting for recovery...'), 60_000)).toBe(true);
    g.child.kill('SIGTERM');
    const r = await g.done;
    expect(r.code).toBe(255);
    const res = r.results();
    expect(res['interrupted']).toBe(true);
    expect(res['phases']).toEqual({ start: 'completed', init: 'completed', main: 'completed', final: 'cut-short' });
    expect(res['valid?']).toBe('unknown');
    expect(res['workload']).toEqual({ 'valid?': 'unknown', 'not-checked': expect.stringMatching(/needs the final phase.*cut short/) });
    expect(r.stdout).not.toContain(OUTCOME.invalid);
    expect(r.stdout).toMatch(/^UNKNOWN$/m);
  });
});

describe('gyre killed outright (SIGKILL), then gyre analyze', () => {
  it('the journal and the history are on disk; invocations never completed are info; the run is marked incomplete', async () => {
    // The node answers 5 echoes and then none: the sixth stays in flight (its timeout is 5 s).
    const g = startGyre(echoArgs(testNode('verdicts.py'), '--time-limit', '60', '--rate', '20', '--', 'hang-after', '5'));
    // `current` points at the run under way (`latest` moves only once a run has its results).
    const dir = () => join(g.store, 'current');
    const onDisk = (file: string) => (existsSync(join(dir(), file)) ? readFileSync(join(dir(), file), 'utf8') : '');
    // Wait until the hanging echo's request is in the journal on disk (the journal is flushed as the
    // run goes), and its invocation in the history.
    const dangling = () => {
      const lines = onDisk('history.jsonl').split('\n').filter((l) => l.endsWith('}'));
      const ops = lines.map((l) => parseJson(l) as Op);
      return ops.filter((o) => o.type === 'ok').length === 5 && ops.filter((o) => o.type === 'invoke').length === 6;
    };
    expect(await until(() => dangling() && (onDisk('net-journal/journal.jsonl').match(/"type":"echo"/g) ?? []).length === 6, 60_000)).toBe(true);
    g.child.kill('SIGKILL');
    const r = await g.done;
    expect(r.code).toBe(null);
    const run = realpathSync(join(r.store, 'current'));
    expect(existsSync(join(run, 'results.json'))).toBe(false);
    // Every line on disk is whole.
    const journal = readFileSync(join(run, 'net-journal/journal.jsonl'), 'utf8');
    expect(journal.endsWith('\n')).toBe(true);
    for (const l of journal.trimEnd().split('\n')) JSON.parse(l);
    const h = historyOf(run);
    expect(h.filter((o) => o.type === 'invoke')).toHaveLength(6);

    const a = await gyre(['analyze', '--store', r.store]);
    expect(a.code).toBe(2);
    expect(a.stdout).toContain(OUTCOME.unknown);
    const res = readJson(join(run, 'results.json'));
    expect(res['valid?']).toBe('unknown');
    expect(res['incomplete']).toMatch(/never finished.*: 1 invocation never completed and counts as indeterminate \(info\)/);
    expect(res['phases']).toEqual({ start: 'completed', init: 'completed', main: 'unknown' });
    // Echo's checker counts an echo that did not come back ok as an error: it judges only a whole main phase.
    expect(res['workload']).toEqual({ 'valid?': 'unknown', 'not-checked': expect.stringMatching(/needs the main phase/) });
    expect(res['stats']).toMatchObject({ count: 6, 'ok-count': 5, 'info-count': 1 });
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toMatch(/data-incomplete="true"/);
  });
});

describe("Gyre's own failures: exit 255, one paragraph, results written, latest moved", () => {
  let project: string;
  const dist = (pkg: string) => pathToFileURL(join(repo, 'packages', pkg, 'dist/index.js')).href;
  /** An echo workload plugin whose client does `bug` once, after its third echo. */
  const plugin = (name: string, bug: string) => {
    writeFileSync(
      join(project, `${name}.mjs`),
      `import { WORKLOAD_RPCS } from ${JSON.stringify(dist('protocol'))};
import { defineWorkload } from ${JSON.stringify(dist('workloads'))};
const [echo] = WORKLOAD_RPCS.echo;
let n = 0;
export default defineWorkload({
  name: '${name}',
  doc: 'Echo with a bug in a callback.',
  rpcs: [echo],
  generator: () => () => ({ f: 'echo', value: 'e' + n++ }),
  client: {
    async invoke(op, conn) {
      const reply = await conn.call(echo, { echo: op.value });
      if (op.value === 'e3') { ${bug} }
      return { type: 'ok', value: reply.echo };
    },
  },
  check: () => ({ valid: true }),
});
`,
    );
    return join(project, `${name}.mjs`);
  };
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'gyre-bugs-'));
  });

  for (const [name, bug, said] of [
    ['timer-throws', `setTimeout(() => { throw new Error('a bug in a timer callback'); }, 0);`, /a bug in a timer callback/],
    ['unhandled-rejection', `Promise.reject(new Error('a promise nobody awaited'));`, /a promise nobody awaited/],
  ] as const) {
    it(`${name}: the run stops as crashed, with its results`, async () => {
      const r = await gyre(['test', '-w', plugin(name, bug), '--bin', example('echo'), '--node-count', '1', '--time-limit', '30', '--rate', '20']);
      expect(r.code).toBe(255);
      noStack(r.stdout + r.stderr);
      expect(r.stdout).toMatch(/Gyre broke. Here's why:\nGyre crashed: /);
      expect(r.stdout).toMatch(said);
      expect(r.stdout).toMatch(/This is a bug in Gyre or in the workload plugin, not in your node/);
      const res = r.results();
      expect(res['valid?']).toBe('unknown');
      expect(res['crash']).toMatchObject({ by: 'gyre', how: expect.stringMatching(said) });
      expect(readlinkSync(join(r.store, 'latest'))).toMatch(new RegExp(`^${name}/`));
      expect(readFileSync(join(r.latest, 'gyre.log'), 'utf8')).toMatch(/\n\s+at /); // the stack is kept for the developers
    });
  }
});

describe('a full disk', () => {
  const disks: (() => void)[] = [];
  afterAll(() => disks.forEach((d) => d()));
  const diskOr = (size: string, skip: (why: string) => void) => {
    const d = tinyDisk(size);
    if (typeof d === 'string') {
      console.warn(`skipped: ${d}`);
      skip(d);
      return undefined;
    }
    disks.push(d.done);
    return d.path;
  };
  /** Every file of the run directory that Gyre writes in lines holds whole lines only. */
  const wholeLines = (dir: string) => {
    for (const f of ['history.jsonl', 'net-journal/journal.jsonl', 'gyre.log']) {
      const p = join(dir, f);
      if (!existsSync(p) || statSync(p).size === 0) continue;
      const text = readFileSync(p, 'utf8');
      expect(text.endsWith('\n'), f).toBe(true);
      if (f.endsWith('.jsonl')) for (const l of text.trimEnd().split('\n')) JSON.parse(l);
    }
  };

  it('while writing the history and the journal: "disk full while writing FILE", exit 255, what is on disk readable', async (ctx) => {
    const disk = diskOr('512k', (why) => ctx.skip(why));
    if (!disk) return;
    const store = join(disk, 'store');
    mkdirSync(store);
    const r = await gyre(['test', '-w', 'echo', '--bin', example('echo'), '--node-count', '1', '--time-limit', '60', '--rate', '200', '--store', store]);
    expect(r.code).toBe(255);
    noStack(r.stdout + r.stderr);
    expect(r.stdout + r.stderr).toMatch(/disk full while writing \S+/);
    const run = join(store, 'echo', readlinkSync(join(store, 'echo', 'latest')));
    wholeLines(run);
    // Written whole or not at all; and no report page was left empty.
    if (existsSync(join(run, 'results.json'))) expect(readJson(join(run, 'results.json'))['valid?']).toBe('unknown');
    for (const page of ['report.html', 'messages.html', 'timeline.html']) if (existsSync(join(run, page))) expect(statSync(join(run, page)).size, page).toBeGreaterThan(0);
  });

  it("while writing a node's log (its STDERR): the same", async (ctx) => {
    const disk = diskOr('512k', (why) => ctx.skip(why));
    if (!disk) return;
    const store = join(disk, 'store');
    mkdirSync(store);
    const r = await gyre(['test', '-w', 'echo', '--bin', testNode('verdicts.py'), '--node-count', '1', '--time-limit', '60', '--rate', '0', '--store', store, '--', 'stderr-flood', '2048']);
    expect(r.code).toBe(255);
    noStack(r.stdout + r.stderr);
    expect(r.stdout + r.stderr).toMatch(/disk full while writing \S*node-logs\/n0\.log/);
    wholeLines(join(store, 'echo', readlinkSync(join(store, 'echo', 'latest'))));
  });
});

describe('what nodes write', () => {
  it('a late reply (after its client timed out) is counted under late-replies, not as a protocol error', async () => {
    // Echo 3's reply comes 6 s late, after its client timed out and closed.
    const r = await gyre(echoArgs(testNode('misbehave.py'), '--time-limit', '9', '--rate', '10', '--', 'late-reply'));
    const res = r.results();
    expect(res['late-replies']).toEqual({ 'valid?': true, count: 1, 'by-node': { n0: 1 } });
    expect(res['protocol-errors']).toBeUndefined();
    expect(r.stderr).not.toMatch(/WARN .*unknown-dest/);
    expect(r.stderr).toMatch(/INFO {2}Node n0 replied to c\d+ after that client had timed out or closed/);
    expect(readFileSync(join(r.latest, 'report.html'), 'utf8')).toMatch(/data-checker="late-replies" data-valid="neutral"/);
  });

  it('a node that logs to STDOUT is asked whether the line was meant for STDERR, and told how to log', async () => {
    const r = await gyre(echoArgs(testNode('verdicts.py'), '--time-limit', '3', '--rate', '10', '--', 'stdout-log'));
    const first = r.stderr.split('\n').find((l) => l.includes('(not-json)'));
    expect(first).toMatch(/The line was: "got echo /);
    expect(r.stderr).toMatch(/Was this line meant for STDERR\?/);
    for (const how of ['node.log(', 'console.error(', 'sys.stderr', 'os.Stderr', 'eprintln!']) expect(r.stderr).toContain(how);
    // Said once, not for every line.
    expect(r.stderr.split('meant for STDERR').length - 1).toBe(1);
  });
});

describe('the report', () => {
  it('the summary never names a file that was not written', async () => {
    const r = await gyre(echoArgs(example('echo'), '--time-limit', '2', '--rate', '10'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/see +\S+\/report\.html/);
    // report.html cannot be written (a directory is in the way).
    rmSync(join(r.latest, 'report.html'));
    mkdirSync(join(r.latest, 'report.html'));
    const a = await gyre(['analyze', '--store', r.store]);
    expect(a.code).toBe(0);
    expect(a.stderr).toMatch(/WARN {2}Could not write the report pages: .*EISDIR/);
    noStack(a.stderr);
    expect(a.stdout).not.toMatch(/report\.html/);
    expect(a.stdout).toMatch(/see +\S+\/results\.json/);
  });
});
