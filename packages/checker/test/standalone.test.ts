/**
 * The checker alone: @gyre/checker and @gyre/history packed as they would be published, installed
 * into an empty project with the repository README's command (npm, offline: they need nothing
 * else), then the five-line example of this package's README run in Node and, bundled for
 * browsers by esbuild, in headless Chromium. (apps/cli/test/packed.test.ts does the same for the
 * CLI, the SDK and a workload plugin.)
 *
 * Builds the two packages first when their dist is older than their sources (under turbo they are
 * already built). GYRE_SKIP_STANDALONE=1 skips it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = import.meta.dirname;
const packages = resolve(here, '../..');
const CHROMIUM = process.env['GYRE_CHROMIUM'] ?? '/usr/bin/chromium';

/** The example from the README, between its ```js fences under "Standalone". */
function readmeExample(): string {
  const readme = readFileSync(resolve(here, '../README.md'), 'utf8');
  const m = /## Standalone[\s\S]*?```js\n([\s\S]*?)```/.exec(readme);
  if (!m) throw new Error('packages/checker/README.md has no ```js example under "## Standalone"');
  return m[1]!;
}

/** The root README's command that installs the two from `npm run pack`'s tarballs in `../gyre/packed/`. */
function readmeInstall(): string {
  const readme = readFileSync(resolve(packages, '../README.md'), 'utf8');
  const lines = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n')).filter((l) => /^npm install( \.\.\/gyre\/packed\/gyre-(history|checker)-\*\.tgz)+$/.test(l));
  if (lines.length !== 1) throw new Error(`README.md: expected one line installing ../gyre/packed/gyre-history-*.tgz and gyre-checker-*.tgz, found ${lines.length}`);
  return lines[0]!;
}

const skip = process.env['GYRE_SKIP_STANDALONE'] === '1';
const work = mkdtempSync(join(tmpdir(), 'gyre-standalone-'));
const project = join(work, 'project');

/** Newest modification time of a package's sources (tests excluded) and manifest. */
function newestSource(dir: string): number {
  let newest = statSync(join(dir, 'package.json')).mtimeMs;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(join(dir, 'src'));
  return newest;
}

/** Builds a package unless its dist is newer than its sources (turbo builds before tests). */
function ensureBuilt(dir: string): void {
  const out = join(dir, 'dist', 'index.js');
  if (existsSync(out) && existsSync(join(dir, 'dist', 'index.d.ts')) && statSync(out).mtimeMs >= newestSource(dir)) return;
  run('pnpm', ['run', 'build'], dir);
}

function run(cmd: string, args: string[], cwd: string): string {
  const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env });
}

describe.skipIf(skip)('@gyre/checker and @gyre/history on their own', () => {
  beforeAll(() => {
    // Where the README's command finds them: ../gyre/packed/, as `npm run pack` leaves them.
    const tarballs = join(work, 'gyre', 'packed');
    mkdirSync(tarballs, { recursive: true });
    for (const pkg of ['history', 'checker']) {
      ensureBuilt(join(packages, pkg));
      run('pnpm', ['pack', '--pack-destination', tarballs], join(packages, pkg));
    }
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-gyre-checker', private: true, type: 'module' }, null, 2));
    run('sh', ['-c', readmeInstall()], project);
    writeFileSync(join(project, 'check.mjs'), readmeExample());
  }, 300_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('installs with nothing but the two packages', () => {
    const modules = readdirSync(join(project, 'node_modules')).filter((f) => !f.startsWith('.'));
    expect(modules).toEqual(['@gyre']);
    expect(readdirSync(join(project, 'node_modules', '@gyre')).sort()).toEqual(['checker', 'history']);
    for (const pkg of ['checker', 'history']) {
      const manifest = JSON.parse(readFileSync(join(project, 'node_modules', '@gyre', pkg, 'package.json'), 'utf8'));
      expect(Object.keys(manifest.dependencies ?? {})).toEqual(pkg === 'checker' ? ['@gyre/history'] : []);
      expect(existsSync(join(project, 'node_modules', '@gyre', pkg, 'dist', 'index.d.ts'))).toBe(true);
    }
  });

  it('runs the README example in Node', () => {
    const out = run(process.execPath, ['check.mjs'], project);
    expect(out).toMatch(/^false read → 2 by process 1 .* cannot be linearized \(can't read 2 from register 1\)/);
  });

  it('exposes the Elle checkers under @gyre/checker/elle, with types', () => {
    writeFileSync(
      join(project, 'elle.mjs'),
      "import { parseHistoryEdn } from '@gyre/history';\nimport { checkListAppend } from '@gyre/checker/elle';\n" +
        "const h = parseHistoryEdn('[{:process 0, :type :invoke, :value [[:append :x 1]]} {:process 0, :type :ok, :value [[:append :x 1]]} {:process 1, :type :invoke, :value [[:r :x nil]]} {:process 1, :type :ok, :value [[:r :x []]]}]');\n" +
        'const r = checkListAppend(h);\nconsole.log(r.valid, r.anomalyTypes.join(","));\n',
    );
    expect(run(process.execPath, ['elle.mjs'], project)).toBe('false G-single-realtime\n');
    expect(existsSync(join(project, 'node_modules', '@gyre', 'checker', 'dist', 'elle.d.ts'))).toBe(true);
  });

  it('runs the README example in a browser (esbuild bundle in headless Chromium)', async () => {
    const missing = existsSync(CHROMIUM) ? undefined : `Chromium not found at ${CHROMIUM} (set GYRE_CHROMIUM)`;
    if (missing && process.env['CI']) throw new Error(`${missing}; CI is set, so this fails rather than skips.`);
    if (missing) {
      console.warn(`${missing}: browser check skipped.`);
      return;
    }
    // esbuild comes with tsup, a dev dependency of this package.
    const esbuild = createRequire(createRequire(import.meta.url).resolve('tsup'))('esbuild') as typeof import('esbuild');
    const bundle = await esbuild.build({ entryPoints: [join(project, 'check.mjs')], bundle: true, platform: 'browser', format: 'esm', write: false, absWorkingDir: project, logLevel: 'silent' });
    const code = bundle.outputFiles[0]!.text;
    expect(code).not.toMatch(/from ["']node:/);
    const { chromium } = await import('playwright-core');
    const profile = mkdtempSync(join(work, 'chromium-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    try {
      const page = await context.newPage();
      const logs: string[] = [];
      const errors: string[] = [];
      page.on('console', (m) => logs.push(m.text()));
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.setContent('<!doctype html><title>gyre</title>');
      await page.addScriptTag({ content: code, type: 'module' });
      for (let i = 0; i < 100 && logs.length === 0 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(errors).toEqual([]);
      expect(logs[0]).toMatch(/^false read → 2 by process 1 .* cannot be linearized \(can't read 2 from register 1\)/);
    } finally {
      await context.close();
    }
  }, 60_000);
});
