/**
 * End to end: the built binary (dist/cli.js) around `main`: exit codes and messages of usage
 * errors without stack traces, --version, and which modules a command loads (each command's
 * module is loaded only when it runs).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, gyre, packagesLoadedBy, repo, sourcesLoadedBy } from './helpers';

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

  it("gyre check loads a model's checker only when it checks a file, and only that model's", () => {
    const checker = (args: string[]) => [...sourcesLoadedBy(cli, args)].filter((f) => f.includes('packages/checker/src/')).map((f) => f.slice(f.indexOf('packages/checker/src/') + 21));
    const help = checker(['check', '--help']);
    expect(help.filter((f) => f.startsWith('linear/') || f.startsWith('elle/'))).toEqual([]);
    const data = mkdtempSync(join(tmpdir(), 'gyre-bin-'));
    const lines = (ops: object[]) => ops.map((o) => JSON.stringify(o)).join('\n') + '\n';
    writeFileSync(join(data, 'register-ok.jsonl'), lines([{ type: 'invoke', process: 0, f: 'write', value: 1 }, { type: 'ok', process: 0, f: 'write', value: 1 }]));
    const [append, read] = [[['append', 'x', 1]], [['r', 'x', null]]];
    writeFileSync(
      join(data, 'list-append-ok.jsonl'),
      lines([
        { type: 'invoke', process: 0, f: 'txn', value: append },
        { type: 'ok', process: 0, f: 'txn', value: append },
        { type: 'invoke', process: 1, f: 'txn', value: read },
        { type: 'ok', process: 1, f: 'txn', value: [['r', 'x', [1]]] },
      ]),
    );
    const lin = checker(['check', '--model', 'register', join(data, 'register-ok.jsonl')]);
    expect(lin).toContain('linear/search.ts');
    expect(lin.filter((f) => f.startsWith('elle/'))).toEqual([]);
    const elle = checker(['check', '--model', 'list-append', join(data, 'list-append-ok.jsonl')]);
    expect(elle).toContain('elle/list-append.ts');
    expect(elle.filter((f) => f.startsWith('linear/'))).toEqual([]);
    rmSync(data, { recursive: true, force: true });
  });

  it('gyre test --help loads the runner and zod (the check above can see them)', () => {
    const test = packagesLoadedBy(cli, ['test', '--help']);
    for (const p of ['runner', 'workloads', 'zod']) expect([p, test.has(p)]).toEqual([p, true]);
  });
});
