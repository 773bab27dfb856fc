/**
 * `gyre test` and `gyre sim` end a run the same way (`endRun` in src/console.ts): the report pages,
 * the summary, the JUnit file, the run's health rows, the crash, the outcome line, the interrupt
 * and the exit codes. The commands run in this process (on the sources), so that the test can act at a given
 * moment of the run: when the run says where its directory is, or once the nodes are up.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseJson } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import { OUTCOME } from '../src/outcome';
import { simCommand } from '../src/sim';
import { testCommand } from '../src/test';
import { example, repo, testNode } from './helpers';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  store: string;
}

/** How {@link run} runs a command. */
interface RunOptions {
  /** Sees every line on stderr as it is written, and may interrupt the run (Ctrl-C) with `abort`. */
  onErr?: (line: string, abort: () => void) => void;
  /** @defaultValue a fresh directory */
  store?: string;
  /** Ctrl-C came before the command started. @defaultValue false */
  aborted?: boolean;
}

/** Runs `gyre test` or `gyre sim` in this process. */
async function run(command: 'test' | 'sim', args: string[], o: RunOptions = {}): Promise<Ran> {
  const { onErr = () => {}, store = mkdtempSync(join(tmpdir(), 'gyre-run-end-')) } = o;
  let stdout = '';
  let stderr = '';
  const controller = new AbortController();
  if (o.aborted) controller.abort();
  const io = {
    out: (s: string) => (stdout += s),
    err: (s: string) => {
      stderr += s;
      for (const line of s.split('\n')) onErr(line, () => controller.abort());
    },
    isTTY: false,
    cwd: repo,
    signal: controller.signal,
  };
  const argv = ['--store', store, ...args];
  const code = await (command === 'test' ? testCommand(argv, io) : simCommand(argv, io));
  return { code, stdout, stderr, store };
}

/** The node each command runs for echo. */
const echo = { test: ['-w', 'echo', '--bin', example('echo')], sim: ['-w', 'echo', '--node', join(repo, 'examples/nodes/echo.ts')] } as const;
const commands = ['test', 'sim'] as const;

/** The run directory the run names in its first message ("...; store: DIR"). */
const runDirIn = (line: string) => /; store: (\S+)$/.exec(line)?.[1];

describe.each(commands)('gyre %s', (command) => {
  it('when the report pages cannot be written: a warning, and the summary points at results.json', async () => {
    // A directory where report.html goes, made as soon as the run directory exists.
    const r = await run(command, [...echo[command], '--node-count', '1', '--time-limit', '2', '--rate', '10'], {
      onErr: (line) => {
        const dir = runDirIn(line);
        if (dir) mkdirSync(join(dir, 'report.html'));
      },
    });
    expect(r.stderr).toMatch(/WARN {2}Could not write the report pages: .*EISDIR/);
    expect(r.stdout).toMatch(/^ {2}see +\S+\/results\.json$/m);
    expect(r.stdout).not.toMatch(/report\.html/);
    expect(r.stdout).toContain(OUTCOME.valid);
    expect(r.code).toBe(0);
  });

  it('when the report pages cannot be written: the JUnit file names results.json, never the missing report.html', async () => {
    const junit = join(mkdtempSync(join(tmpdir(), 'gyre-run-end-')), 'junit.xml');
    const node = command === 'test' ? ['-w', 'echo', '--bin', example('echo-wrong')] : ['-w', 'echo', '--node', join(repo, 'examples/nodes/echo-wrong.ts')];
    let dir = '';
    const r = await run(command, [...node, '--node-count', '1', '--time-limit', '2', '--rate', '10', '--junit', junit], {
      onErr: (line) => {
        const d = runDirIn(line);
        if (d) mkdirSync(join((dir = d), 'report.html'));
      },
    });
    expect(r.code).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).not.toMatch(/report\.html/);
    expect(xml).toMatch(/<failure type="invalid"[^>]*>[^<]*\n {2}see +\S+\/results\.json\n/);
    expect(xml).toContain(`<system-out>${dir}/results.json</system-out>`);
    expect(existsSync(join(dir, 'results.json'))).toBe(true);
  });

  it('a --junit path that cannot be written (a directory, under a file): exit 254 before anything starts, naming the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-run-end-'));
    writeFileSync(join(dir, 'file'), '');
    for (const [junit, problem] of [
      [dir, `${dir} is a directory, not a file`],
      [join(dir, 'file', 'out', 'junit.xml'), `${join(dir, 'file')} is not a directory, so ${join(dir, 'file', 'out', 'junit.xml')} cannot be created`],
    ] as const) {
      const r = await run(command, [...echo[command], '--node-count', '1', '--junit', junit]);
      expect(r.code).toBe(254);
      expect(r.stderr).toBe(`--junit ${junit}: ${problem}. Choose another with --junit FILE.\n`);
      expect(r.stderr).not.toMatch(/bug in Gyre/);
      expect(readdirSync(r.store)).toEqual([]);
    }
    expect(readdirSync(dir)).toEqual(['file']);
  });

  it('a --junit file that cannot be written at the end: a warning naming it and why, the verdict and exit code stand, the run is kept', async () => {
    const junit = join(mkdtempSync(join(tmpdir(), 'gyre-run-end-')), 'junit.xml');
    // A directory where the JUnit file goes, made once the run has started (after the checks).
    const r = await run(command, [...echo[command], '--node-count', '1', '--time-limit', '2', '--rate', '10', '--junit', junit], {
      onErr: (line) => {
        if (runDirIn(line)) mkdirSync(junit);
      },
    });
    expect(r.stderr).toMatch(new RegExp(`^WARN {2}Could not write the JUnit report ${junit}: EISDIR: .*$`, 'm'));
    expect(r.stderr).not.toMatch(/bug in Gyre/);
    expect(r.stdout).toMatch(/^ {2}see +\S+\/report\.html$/m);
    expect(r.stdout).toContain(`\n${OUTCOME.valid}\n`);
    expect(r.code).toBe(0);
    expect(readFileSync(join(r.store, 'latest', 'results.json'), 'utf8')).toMatch(/"valid\?":true/);
  });

  it('interrupted (Ctrl-C) once the nodes are up: unknown, says so under the summary and the verdict, exit 255, results kept', async () => {
    const more = command === 'sim' ? ['--check-determinism', '--shrink'] : [];
    const r = await run(command, [...echo[command], '--node-count', '1', '--time-limit', '600', '--rate', '10', ...more], {
      onErr: (line, abort) => {
        if (line.includes('All 1 nodes initialised')) abort();
      },
    });
    expect(r.stdout).toMatch(/^ {2}interrupted +the run was stopped early/m);
    expect(r.stdout).toContain(`\n${OUTCOME.unknown}\nThe run was interrupted, so this verdict covers only what was recorded before it stopped (exit 255).\n`);
    expect(r.code).toBe(255);
    const results = parseJson(readFileSync(join(r.store, 'latest', 'results.json'), 'utf8')) as Record<string, unknown>;
    expect(results['interrupted']).toBe(true);
    expect(results['valid?']).toBe('unknown');
    if (command === 'sim') {
      // A second run would not be cut short where this one was: no determinism check, no shrinking.
      expect(r.stdout).toMatch(/^determinism: not checked, the run was interrupted$/m);
      expect(r.stdout).not.toMatch(/NOT DETERMINISTIC/);
      expect(r.stderr).not.toMatch(/Shrinking/);
    }
  });

  it('interrupted before the run starts: recorded as interrupted, unknown, exit 255 (never a silent 0)', async () => {
    const r = await run(command, [...echo[command], '--node-count', '1', '--time-limit', '600'], { aborted: true });
    expect(r.stdout).toContain(`\n${OUTCOME.unknown}\nThe run was interrupted, so this verdict covers only what was recorded before it stopped (exit 255).\n`);
    expect(r.code).toBe(255);
    expect(readFileSync(join(r.store, 'latest', 'results.json'), 'utf8')).toMatch(/"interrupted":true/);
  });

  it('a store it cannot create a run directory in: one paragraph, exit 255, a crashed JUnit case', async () => {
    const store = mkdtempSync(join(tmpdir(), 'gyre-run-end-'));
    writeFileSync(join(store, 'echo'), '');
    const junit = join(store, 'junit.xml');
    const r = await run(command, [...echo[command], '--node-count', '1', '--time-limit', '1', '--junit', junit], { store });
    expect(r.code).toBe(255);
    expect(r.stderr).toMatch(/^Cannot create a run directory in the store .*: .*echo is not a directory\. Fix that, or choose another store with --store DIR\.\n$/);
    expect(r.stdout).toBe('');
    expect(readFileSync(junit, 'utf8')).toMatch(/<failure type="crashed" message="Cannot create a run directory/);
  });

  it('a --store that is not a directory, or a node that is not a file: exit 254 before anything starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-run-end-'));
    writeFileSync(join(dir, 'file'), '');
    const badStore = await run(command, [...echo[command], '--node-count', '1'], { store: join(dir, 'file', 'store') });
    expect(badStore.code).toBe(254);
    expect(badStore.stderr).toMatch(/^--store \S+: \S+file is not a directory\. Choose another with --store DIR, or fix its permissions\.\n$/);
    const flag = command === 'test' ? '--bin' : '--node';
    for (const [node, problem] of [
      [join(dir, 'nosuch.ts'), /no such file \(looked for \S+nosuch\.ts\)\./],
      [dir, /is a directory, not an? (executable file|node module)\./],
    ] as const) {
      const r = await run(command, ['-w', 'echo', flag, node, '--node-count', '1']);
      expect(r.code).toBe(254);
      expect(r.stderr).toMatch(new RegExp(`^${flag} \\S+: ${problem.source}\\n$`));
      expect(readdirSync(r.store)).toEqual([]);
    }
  });
});

describe('gyre sim --seeds', () => {
  it('a --junit path that cannot be written: exit 254 before a seed runs; one that fails at the end: a warning, and the verdict stands', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-run-end-'));
    const summary = join(dir, 'summary.json');
    const sweep = [...echo.sim, '--node-count', '1', '--time-limit', '1', '--seeds', '2', '--workers', '0', '--summary', summary];
    const early = await run('sim', [...sweep, '--junit', dir]);
    expect(early.code).toBe(254);
    expect(early.stderr).toBe(`--junit ${dir}: ${dir} is a directory, not a file. Choose another with --junit FILE.\n`);
    expect(existsSync(summary)).toBe(false);
    const junit = join(dir, 'junit.xml');
    const late = await run('sim', [...sweep, '--junit', junit], {
      onErr: (line) => {
        if (line.startsWith('INFO  Simulating echo')) mkdirSync(junit);
      },
    });
    expect(late.stderr).toMatch(new RegExp(`^WARN {2}Could not write the JUnit report ${junit}: EISDIR: .*$`, 'm'));
    expect(late.stdout).toContain(`\n${OUTCOME.valid}\n`);
    expect(late.code).toBe(0);
    expect(JSON.parse(readFileSync(summary, 'utf8'))).toMatchObject({ ran: 2, smallestFailing: null });
  });

  it('a --summary path that cannot be written: exit 254 before a seed runs; one that fails at the end: a warning, the verdict stands, no file named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-run-end-'));
    const sweep = [...echo.sim, '--node-count', '1', '--time-limit', '1', '--seeds', '2', '--workers', '0'];
    const early = await run('sim', [...sweep, '--summary', dir]);
    expect(early.code).toBe(254);
    expect(early.stderr).toBe(`--summary ${dir}: ${dir} is a directory, not a file. Choose another with --summary FILE.\n`);
    const summary = join(dir, 'summary.json');
    const junit = join(dir, 'junit.xml');
    const late = await run('sim', [...sweep, '--summary', summary, '--junit', junit], {
      onErr: (line) => {
        if (line.startsWith('INFO  Simulating echo')) mkdirSync(summary);
      },
    });
    expect(late.stderr).toMatch(new RegExp(`^WARN {2}Could not write the sweep summary ${summary}: EISDIR: .*$`, 'm'));
    expect(late.stdout).toContain('summary: not written (see the warning above)\n');
    expect(late.stdout).not.toContain(`summary: ${summary}`);
    expect(late.stdout).toContain(`\n${OUTCOME.valid}\n`);
    expect(late.code).toBe(0);
    expect(readFileSync(junit, 'utf8')).not.toContain(`summary: ${summary}`);
  });

  it('when the report pages of the runs it records cannot be written: a warning for each, the verdict stands, results.json named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-run-end-'));
    const junit = join(dir, 'junit.xml');
    // The node puts a directory where report.html goes in the runs recorded with their node directories.
    const node = ['-w', 'echo', '--node', testNode('echo-wrong-no-report.ts'), '--keep-node-dirs'];
    const r = await run('sim', [...node, '--node-count', '1', '--time-limit', '1', '--rate', '10', '--seeds', '2', '--workers', '0', '--summary', join(dir, 'summary.json'), '--junit', junit, '--shrink', '--shrink-budget', '3']);
    const recorded = /^smallest failing seed 0: (\S+) \(its results are in results\.json\)$/m.exec(r.stdout)?.[1];
    const shrunk = /^smallest failing run: (\S+) \(history\.txt, results\.json\)$/m.exec(r.stdout)?.[1];
    expect([recorded, shrunk], r.stdout).toEqual([expect.any(String), expect.any(String)]);
    for (const d of [recorded!, shrunk!]) {
      expect(r.stderr).toContain(`WARN  Could not write the report pages of ${d}: EISDIR`);
      expect(existsSync(join(d, 'results.json'))).toBe(true);
    }
    expect(r.stderr).not.toMatch(/crashed|bug in Gyre/i);
    expect(r.stdout).not.toMatch(/report\.html|messages\.html/);
    expect(r.stdout).toContain(`\n${OUTCOME.invalid}\n`);
    expect(r.code).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).not.toMatch(/report\.html/);
    expect(xml).toContain(`see ${recorded}/results.json`);
  });

  it('interrupted before every seed ran: unknown (never "Everything looks good"), says how many ran, exit 255, summary kept', async () => {
    const summary = join(mkdtempSync(join(tmpdir(), 'gyre-run-end-')), 'summary.json');
    const r = await run('sim', [...echo.sim, '--node-count', '1', '--time-limit', '1', '--seeds', '50', '--workers', '0', '--summary', summary], {
      onErr: (line, abort) => {
        if (line.startsWith('INFO  Simulating echo')) abort();
      },
    });
    expect(r.stdout).not.toContain(OUTCOME.valid);
    expect(r.stdout).toContain(`\n${OUTCOME.unknown}\nThe sweep was interrupted, so this verdict covers only the 0 of 50 seeds that ran (exit 255).\n`);
    expect(r.code).toBe(255);
    expect(existsSync(summary)).toBe(true);
    expect(JSON.parse(readFileSync(summary, 'utf8'))).toMatchObject({ ran: 0, stopped: true, smallestFailing: null });
  });
});
