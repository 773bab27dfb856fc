/**
 * Gyre outside this repository, as a user gets it: the tarballs `npm run pack` makes
 * (scripts/pack.mjs), installed with npm from a registry on 127.0.0.1 that serves them and the
 * third-party packages they need, taken from the pnpm store (test/registry.ts). No network.
 *
 * - The CLI, `npm install --global` from its one tarball into an empty prefix: gyre test, gyre
 *   demo, gyre check, gyre serve, the `maelstrom` alias, and which packages `gyre check` loads.
 * - A CommonJS project (`npm init -y`), set up as the guide's chapter 0 says with the SDK from its
 *   tarballs: a node in TypeScript (run by tsx, and compiled by tsc against the packed types) and
 *   one in JavaScript, under gyre test and gyre sim (the user's own @gyre/node finds the
 *   simulator bundled in the CLI; `--seeds` runs in the bundle's worker threads).
 * - Chapter 0's project exactly as written (an ES module project, `npm install @gyre/node` from
 *   the registry), and in it the README's workload plugin, installed from the tarballs.
 *
 * The install commands are read from the guide and the README, and run as written (`../gyre/packed/`
 * is where the tarballs are). The checker on its own is packages/checker/test/standalone.test.ts.
 * Needs the packages and the examples built (turbo builds them before the tests).
 */
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { parseJson } from '@gyre/history';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packAll, packedManifest } from '../../../scripts/pack.mjs';
import { OUTCOME } from '../src/outcome';
import { packagesLoadedBy, repo } from './helpers';
import { startRegistry, storeTarballs, type Registry } from './registry';

const work = mkdtempSync(join(tmpdir(), 'gyre-packed-'));
/** Where the tarballs are: `../gyre/packed/` seen from each project directory in `work`. */
const packed = join(work, 'gyre', 'packed');
const prefix = join(work, 'prefix');
const installed = join(prefix, 'lib', 'node_modules', 'gyre');
/** Where the CLI is installed from and run outside any project. */
const anywhere = join(work, 'anywhere');
let registry: Registry;
let env: Record<string, string>;
/** What npm asked the registry for while installing the CLI. */
let globalInstallRequests: string[] = [];

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (killed after `timeoutMs`), in `cwd`, with the test's environment. */
function run(cmd: string, args: string[], cwd: string, timeoutMs = 240_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs a shell command line as written (globs and all); fails the test unless it exits 0. */
async function sh(line: string, cwd: string): Promise<Ran> {
  const r = await run('sh', ['-c', line], cwd);
  expect(r.code, `${line}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
}

/** `gyre ARGS` (or `maelstrom ARGS`) as installed, in `cwd`. */
const gyre = (args: string[], cwd: string, bin = 'gyre') => run(join(prefix, 'bin', bin), args, cwd);

/** A run that must be valid: exit 0 and Maelstrom's happy line. */
function valid(r: Ran): void {
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.stdout + r.stderr).toContain(OUTCOME.valid);
}

/** The fenced block after the first line matching `heading` in a Markdown file (`lang` its info string). */
function block(file: string, heading: RegExp, lang: string): string {
  const text = readFileSync(join(repo, file), 'utf8');
  const at = text.search(heading);
  if (at < 0) throw new Error(`${file}: nothing matches ${heading}`);
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(text.slice(at));
  if (!m) throw new Error(`${file}: no \`\`\`${lang} block after ${heading}`);
  return m[1]!;
}

/** The one line of a Markdown file's `sh` blocks that matches `re`. */
function line(file: string, re: RegExp): string {
  const text = readFileSync(join(repo, file), 'utf8');
  const lines = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n')).filter((l) => re.test(l));
  if (lines.length !== 1) throw new Error(`${file}: expected one command line matching ${re}, found ${lines.length}`);
  return lines[0]!;
}

const CHAPTER0 = 'docs/guide/00-your-project.md';

beforeAll(async () => {
  const { tarballs, problems } = await packAll(packed);
  expect(problems).toEqual([]);
  const third = join(work, 'third-party');
  mkdirSync(third);
  // What the CLI depends on, and tsx, which chapter 0 installs next to the SDK.
  const cliDeps = Object.keys(packedManifest(tarballs.find((t) => t.name === 'gyre')!.file).dependencies ?? {});
  const fromStore = storeTarballs([...new Set([...cliDeps, 'tsx'])], join(repo, 'apps/cli'), third);
  registry = await startRegistry([...tarballs.map((t) => t.file), ...fromStore]);
  const userconfig = join(work, 'npmrc');
  writeFileSync(userconfig, '');
  env = {
    ...(process.env as Record<string, string>),
    PATH: [join(prefix, 'bin'), dirname(process.execPath), process.env['PATH'] ?? ''].join(delimiter),
    npm_config_registry: registry.url,
    npm_config_userconfig: userconfig,
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_prefix: prefix,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  // The CLI first: the projects below run it.
  const install = line(CHAPTER0, /^npm install --global \.\.\//);
  expect(line('README.md', /^npm install --global \.\.\//)).toBe(install);
  const asked = registry.requests.length;
  mkdirSync(anywhere);
  await sh(install, anywhere);
  globalInstallRequests = registry.requests.slice(asked);
}, 600_000);

afterAll(async () => {
  await registry?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the gyre command, installed globally from its one tarball', () => {
  const store = join(anywhere, 'store');

  it('installs from the tarball alone: npm fetched no @gyre package for it', () => {
    expect(globalInstallRequests.length).toBeGreaterThan(0);
    expect(globalInstallRequests.filter((r) => r.includes('@gyre'))).toEqual([]);
  });

  it('brings only its third-party dependencies, and both commands', () => {
    expect(readdirSync(join(installed, 'node_modules')).filter((f) => !f.startsWith('.')).sort()).toEqual(['@esbuild', 'esbuild', 'tsx', 'zod']);
    expect(existsSync(join(prefix, 'bin', 'gyre')) && existsSync(join(prefix, 'bin', 'maelstrom'))).toBe(true);
  });

  it('gyre check loads none of the runner, report, simulator, workloads or zod', () => {
    const check = packagesLoadedBy(join(installed, 'dist/cli.js'), ['check', '--help'], work);
    expect(check.has('checker')).toBe(true);
    for (const p of ['runner', 'report', 'sim', 'workloads', 'protocol', 'net', 'zod']) expect([p, check.has(p)]).toEqual([p, false]);
  });

  it('maelstrom test -w echo runs a packaged example node copied anywhere', async () => {
    const node = join(work, 'anywhere', 'echo.js');
    copyFileSync(join(installed, 'dist/examples/dist/echo.js'), node);
    chmodSync(node, 0o755);
    valid(await gyre(['test', '-w', 'echo', '--bin', node, '--node-count', '1', '--time-limit', '2', '--store', store], anywhere, 'maelstrom'));
  }, 240_000);

  it('gyre demo finds and runs every packaged example node', async () => {
    // One node each where the demo does not say otherwise, and short: such runs may fail a
    // statistic (an operation that never succeeded), but none may crash.
    const r = await gyre(['demo', '--node-count', '1', '--time-limit', '1', '--rate', '20', '--recovery-time', '0', '--store', store], anywhere);
    expect(r.stdout, r.stderr).toMatch(/\n0 crashed\n/);
    for (const name of ['echo dist/echo.js', 'echo python/echo.py', 'unique-ids', 'broadcast', 'g-set', 'g-counter', 'pn-counter', 'lin-kv', 'kafka', 'txn-list-append', 'txn-rw-register']) {
      expect(r.stdout).toContain(name);
    }
    expect(r.stdout).toMatch(/# Successful tests\n\necho dist\/echo\.js\n/);
  }, 300_000);

  it('gyre check gives the verdicts of histories with known answers', async () => {
    const ops = (read: number) =>
      `[{:process 0, :type :invoke, :f :write, :value 1} {:process 0, :type :ok, :f :write, :value 1} {:process 1, :type :invoke, :f :read, :value nil} {:process 1, :type :ok, :f :read, :value ${read}}]`;
    writeFileSync(join(work, 'anywhere', 'good.edn'), ops(1));
    writeFileSync(join(work, 'anywhere', 'bad.edn'), ops(2));
    const good = await gyre(['check', '--model', 'cas-register', 'good.edn'], anywhere);
    expect(good.code, good.stderr).toBe(0);
    const bad = await gyre(['check', '--model', 'cas-register', 'bad.edn'], anywhere);
    expect(bad.code, bad.stderr).toBe(1);
    expect(bad.stdout).toMatch(/read → 2 by process 1[\s\S]*can't read 2 from register 1/);
  }, 240_000);

  it('gyre serve serves the store over HTTP', async () => {
    const child = spawn(join(prefix, 'bin', 'gyre'), ['serve', '-p', '0', '--store', store], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
          if (m) resolve(m[0]);
        });
        child.on('exit', (code) => reject(new Error(`gyre serve exited ${code}: ${out}`)));
      });
      const index = await fetch(url);
      expect(index.status).toBe(200);
      const html = await index.text();
      const run = /href="(\/run\/echo\/[^"]+)"/.exec(html)?.[1];
      expect(run, html.slice(0, 2000)).toBeDefined();
      const page = await fetch(new URL(run!, url));
      expect(page.status).toBe(200);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }, 240_000);
});

describe('a project of its own, CommonJS, with the SDK from its tarballs (guide chapter 0)', () => {
  const dir = join(work, 'commonjs');
  const chapterFile = (name: string) => readFileSync(join(repo, 'examples/guide/00-your-project', name), 'utf8');

  beforeAll(async () => {
    mkdirSync(dir);
    await sh('npm init -y', dir);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).type ?? 'commonjs').toBe('commonjs');
    await sh(line(CHAPTER0, /^npm install \.\.\/gyre\/packed\/.*gyre-node-/), dir);
    await sh('npm install --save-dev tsx', dir);
    // The chapter's echo.ts, with `node.run();` for CommonJS (top-level await is ESM's), its
    // launcher echo.mjs, and the same node in JavaScript.
    expect(chapterFile('echo.ts')).toContain('\nawait node.run();\n');
    writeFileSync(join(dir, 'echo.ts'), chapterFile('echo.ts').replace('\nawait node.run();\n', '\nnode.run();\n'));
    writeFileSync(join(dir, 'echo.mjs'), chapterFile('echo.mjs'));
    writeFileSync(
      join(dir, 'echo.js'),
      "#!/usr/bin/env node\nconst { createNode } = require('@gyre/node');\n\nconst node = createNode();\nnode.on('echo', (req) => ({ type: 'echo_ok', echo: req.body.echo }));\nnode.run();\n",
    );
    chmodSync(join(dir, 'echo.mjs'), 0o755);
    chmodSync(join(dir, 'echo.js'), 0o755);
  }, 300_000);

  it('installed the SDK and what it needs, nothing else of Gyre', () => {
    expect(readdirSync(join(dir, 'node_modules', '@gyre')).sort()).toEqual(['history', 'node', 'protocol']);
  });

  it('a TypeScript node through tsx passes gyre test, and gyre sim runs the same file', async () => {
    valid(await gyre(['test', '-w', 'echo', '--bin', './echo.mjs', '--node-count', '1', '--time-limit', '2'], dir));
    valid(await gyre(['sim', '-w', 'echo', '--node', 'echo.ts', '--node-count', '3', '--time-limit', '10'], dir));
  }, 240_000);

  it('a JavaScript node passes gyre test, and gyre sim --seeds in worker threads', async () => {
    valid(await gyre(['test', '-w', 'echo', '--bin', './echo.js', '--node-count', '1', '--time-limit', '2'], dir));
    const r = await gyre(['sim', '-w', 'echo', '--node', 'echo.js', '--node-count', '3', '--time-limit', '10', '--seeds', '4', '--workers', '2'], dir);
    valid(r);
    expect(r.stdout + r.stderr).toMatch(/seeds: 4 run: 4 passed/);
  }, 240_000);

  it('compiles with tsc against the packed types, and the compiled node passes gyre test', async () => {
    // This repository's TypeScript, which the chapter installs (guide.test.ts runs its commands).
    writeFileSync(join(dir, 'tsconfig.json'), chapterFile('tsconfig.json'));
    await sh(`${JSON.stringify(process.execPath)} ${JSON.stringify(join(repo, 'node_modules/typescript/bin/tsc'))}`, dir);
    chmodSync(join(dir, 'dist/echo.js'), 0o755);
    valid(await gyre(['test', '-w', 'echo', '--bin', 'dist/echo.js', '--node-count', '1', '--time-limit', '2'], dir));
  }, 300_000);
});

describe("chapter 0's project as written, and the README's workload plugin in it", () => {
  const dir = join(work, 'my-nodes');

  beforeAll(async () => {
    // The chapter's block, `mkdir my-nodes && cd my-nodes` included, from the registry.
    const setup = block(CHAPTER0, /^## A project$/m, 'sh');
    expect(setup).toContain('npm install @gyre/node');
    await sh(setup.trim().split('\n').join(' && '), work);
    for (const f of ['echo.ts', 'echo.mjs']) copyFileSync(join(repo, 'examples/guide/00-your-project', f), join(dir, f));
    chmodSync(join(dir, 'echo.mjs'), 0o755);
  }, 300_000);

  it('the echo node passes gyre test and gyre sim', async () => {
    valid(await gyre(['test', '-w', 'echo', '--bin', './echo.mjs', '--node-count', '1', '--time-limit', '2'], dir));
    valid(await gyre(['sim', '-w', 'echo', '--node', 'echo.ts', '--node-count', '3', '--time-limit', '10'], dir));
  }, 240_000);

  it("the README's plugin, installed from the tarballs, runs its checker", async () => {
    await sh(line('README.md', /^npm install \.\.\/gyre\/packed\/.*gyre-workloads-/), dir);
    writeFileSync(join(dir, 'my-workload.mjs'), block('README.md', /^`my-workload\.mjs`/m, 'js'));
    const r = await gyre(['test', '-w', './my-workload.mjs', '--bin', './echo.mjs', '--node-count', '1', '--time-limit', '2', '--store', 'store'], dir);
    valid(r);
    const results = parseJson(readFileSync(join(dir, 'store', 'latest', 'results.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(results['workload']).toMatchObject({ 'valid?': true, 'wrong-count': 0 });
    expect(Number(results['workload']!['ok-count'])).toBeGreaterThan(0);
  }, 300_000);
});
