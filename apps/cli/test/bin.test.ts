/**
 * End to end: the built binary (dist/cli.js) around `main`: exit codes and messages of usage
 * errors without stack traces, --version, and which modules a command loads (each command's
 * module is loaded only when it runs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, gyre, packagesLoadedBy, repo } from './helpers';

const VERSION = (JSON.parse(readFileSync(join(repo, 'apps/cli/package.json'), 'utf8')) as { version: string }).version;

describe('the gyre binary', () => {
  it('--version, for gyre and for a command', async () => {
    for (const args of [['--version'], ['check', '--version'], ['sim', 'merge', '--version']]) {
      const r = await gyre(args);
      expect([args, r.code, r.stdout]).toEqual([args, 0, `gyre ${VERSION}\n`]);
    }
  });

  it('gyre sim --nodes-file on a missing file: exit 254 with one clear line, no stack trace (it crashed with 255)', async () => {
    const r = await gyre(['sim', '-w', 'echo', '--node', 'examples/nodes/echo.ts', '--nodes-file', 'missing-nodes.txt']);
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/^--nodes-file \S*missing-nodes\.txt: cannot read it \(ENOENT\)\n\nRun `gyre sim --help` for every option\.\n$/);
  });

  it('a misspelt command or option: exit 254 with a suggestion', async () => {
    const command = await gyre(['tset', '-w', 'echo']);
    expect(command.code).toBe(254);
    expect(command.stderr).toContain('Unknown command: "tset"; did you mean "test"?');
    const option = await gyre(['test', '-w', 'echo', '--node-cuont', '1']);
    expect(option.code).toBe(254);
    expect(option.stderr).toContain('Unknown option: "--node-cuont"; did you mean "--node-count"?');
    expect(option.stderr).not.toMatch(/\n\s+at /);
  });

  it('gyre check and gyre --version load none of the runner, report, simulator, workloads or zod', () => {
    const heavy = ['runner', 'report', 'sim', 'workloads', 'protocol', 'net', 'zod'];
    const check = packagesLoadedBy(cli, ['check', '--help']);
    expect(check.has('checker')).toBe(true);
    for (const p of heavy) expect([p, check.has(p)]).toEqual([p, false]);
    expect([...packagesLoadedBy(cli, ['--version'])]).toEqual(['cli']);
  });

  it('gyre test --help loads the runner and zod (the check above can see them)', () => {
    const test = packagesLoadedBy(cli, ['test', '--help']);
    for (const p of ['runner', 'workloads', 'zod']) expect([p, test.has(p)]).toEqual([p, true]);
  });
});
