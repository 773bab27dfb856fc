/**
 * End to end: the built binary (dist/cli.js) around `main`: exit codes and messages of usage
 * errors without stack traces, --version, and which modules a command loads (each command's
 * module is loaded only when it runs).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cli, gyre, repo } from './helpers';

const VERSION = (JSON.parse(readFileSync(join(repo, 'apps/cli/package.json'), 'utf8')) as { version: string }).version;

/** The URLs of every module `gyre ARGS` resolves, through a module resolve hook. */
function modulesLoadedBy(args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'gyre-modules-'));
  const hooks = join(dir, 'hooks.mjs');
  const log = join(dir, 'modules.txt');
  writeFileSync(log, '');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';\nexport async function resolve(specifier, context, next) {\n  const r = await next(specifier, context);\n  appendFileSync(${JSON.stringify(log)}, r.url + '\\n');\n  return r;\n}\n`,
  );
  const register = `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hooks).href)});`;
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, cli, ...args], { cwd: repo, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(log, 'utf8').split('\n').filter((l) => l !== '');
}

const gyrePackage = (url: string) => /\/packages\/([^/]+)\//.exec(url)?.[1] ?? /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];

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
    const check = new Set(modulesLoadedBy(['check', '--help']).map(gyrePackage));
    expect(check.has('checker')).toBe(true);
    for (const p of heavy) expect([p, check.has(p)]).toEqual([p, false]);
    const version = modulesLoadedBy(['--version']).filter((u) => !u.startsWith('node:'));
    expect(version.every((u) => u.includes('/apps/cli/dist/')), version.join('\n')).toBe(true);
  });
});
