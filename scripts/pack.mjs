// `npm run pack`: every public package as npm would receive it, in packed/ at the repository root
// (gitignored): the @gyre/* packages with their workspace: and catalog: ranges replaced by
// versions, and `gyre` (apps/cli) as one self-contained package (Gyre's own packages bundled in,
// the demo nodes included, only third-party dependencies). Builds first, then checks each tarball:
// its manifest, its files, and publint on the tarball itself. Exit 0 when all is well.
//
//   node scripts/pack.mjs [--out DIR] [--no-build]       (or `npm run pack`)
//
// release-check.mjs and the packaging tests use the functions exported here.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pnpm, pnpmSync, root } from './pnpm.mjs';

/** Every workspace package: `{ dir, pkg }` for packages/*, apps/* and examples (dir relative to the root). */
export function workspacePackages() {
  const dirs = ['packages', 'apps'].flatMap((d) => readdirSync(join(root, d)).map((n) => `${d}/${n}`)).filter((d) => existsSync(join(root, d, 'package.json')));
  dirs.push('examples');
  return dirs.map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) }));
}

/** The file name `pnpm pack` gives a package: `@gyre/node` 0.1.0 → `gyre-node-0.1.0.tgz`. */
export const tarballName = (pkg) => `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`;

/** The package.json inside a tarball. */
export const packedManifest = (file) => JSON.parse(execFileSync('tar', ['-xOzf', file, 'package/package.json'], { encoding: 'utf8' }));

/**
 * The workspace packages in a package (names): its workspace dependencies and dev dependencies (the
 * CLI bundles the latter), and what they depend on, transitively.
 */
export function workspaceClosure(name, all = workspacePackages()) {
  const byName = new Map(all.map((p) => [p.pkg.name, p.pkg]));
  const seen = new Set();
  const visit = (deps) => {
    for (const dep of Object.keys(deps ?? {})) {
      if (!byName.has(dep) || seen.has(dep)) continue;
      seen.add(dep);
      visit(byName.get(dep).dependencies);
    }
  };
  visit({ ...byName.get(name)?.dependencies, ...byName.get(name)?.devDependencies });
  return seen;
}

/**
 * What is wrong with the tarball `file` of the workspace package `{ dir, pkg }`: ranges left
 * unreplaced, files missing or extra, and for the CLI anything that would make it not
 * self-contained; then publint's errors and warnings on the tarball. An empty list when all is well.
 */
export async function tarballProblems(file, { dir, pkg }, all = workspacePackages()) {
  const problems = [];
  const problem = (m) => problems.push(`${pkg.name}: ${m}`);
  const files = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const manifest = packedManifest(file);
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|catalog):/.test(String(range))) problem(`the packed manifest still says ${field}.${dep}: ${range}`);
    }
  }
  if (!files.includes('package/CHANGELOG.md')) problem('CHANGELOG.md is not in the tarball');
  if (!files.includes('package/README.md')) problem('README.md is not in the tarball');
  if (files.some((f) => /\.test\.ts$/.test(f))) problem('the tarball contains tests');
  if (!files.some((f) => f.startsWith('package/dist/'))) problem('the tarball has no dist/');
  for (const [sub, target] of Object.entries(manifest.exports ?? {})) {
    for (const out of typeof target === 'string' ? [target] : [target.types, target.default].filter(Boolean)) {
      if (!files.includes(join('package', out))) problem(`exports["${sub}"] names ${out}, which is not in the tarball`);
    }
  }
  if (pkg.bin) {
    // The CLI: one package, Gyre's own code bundled in.
    const workspace = new Set(all.map((p) => p.pkg.name));
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies })) {
      if (workspace.has(dep)) problem(`depends on ${dep}, which it must bundle`);
    }
    // What the bundled packages import from third parties stays an import: the CLI must depend on it.
    for (const inside of workspaceClosure(pkg.name, all)) {
      const bundled = all.find((p) => p.pkg.name === inside).pkg;
      for (const [dep, range] of Object.entries(bundled.dependencies ?? {})) {
        if (workspace.has(dep)) continue;
        if (pkg.dependencies?.[dep] !== range) problem(`${inside}, which it bundles, depends on ${dep}@${range}: ${dir}/package.json must list the same in "dependencies"`);
      }
    }
    for (const target of new Set(Object.values(manifest.bin))) if (!files.includes(join('package', target))) problem(`bin ${target} is not in the tarball`);
    if (!files.includes('package/dist/worker.js')) problem("dist/worker.js (gyre sim's worker thread) is not in the tarball");
    for (const d of demosFromSource(join(root, dir, 'src/demos.ts'))) {
      if (!files.includes(`package/dist/examples/${d}`)) problem(`the demo node dist/examples/${d} is not in the tarball (build @gyre/examples, then gyre)`);
    }
  }
  const { publint } = await import('publint');
  const { formatMessage } = await import('publint/utils');
  const bytes = readFileSync(file);
  const lint = await publint({ pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }, level: 'warning', strict: true });
  for (const m of lint.messages) problem(`publint: ${formatMessage(m, lint.pkg) ?? m.code}`);
  return problems;
}

/** The `bin` paths of the CLI's src/demos.ts (data only), read as text: Node 20 cannot import TypeScript. */
function demosFromSource(file) {
  return [...readFileSync(file, 'utf8').matchAll(/\bbin: '([^']+)'/g)].map((m) => m[1]);
}

/**
 * Packs every public workspace package into `out` (emptied of tarballs first) with `pnpm pack`,
 * and checks each. Returns the tarballs (`{ name, version, file }`) and the problems found.
 */
export async function packAll(out) {
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(out)) if (f.endsWith('.tgz')) rmSync(join(out, f));
  const all = workspacePackages();
  const pub = all.filter((x) => !x.pkg.private);
  // One recursive pnpm pack: a dozen separate ones take several times longer.
  const filters = pub.flatMap((p) => ['--filter', p.pkg.name]);
  const r = pnpmSync(['-r', ...filters, 'pack', '--pack-destination', out], { encoding: 'utf8' });
  const problems = r.status === 0 ? [] : [`pnpm pack failed (exit ${r.status}): ${(r.stderr || r.stdout).slice(-3000)}`];
  const tarballs = [];
  for (const p of pub) {
    const file = join(out, tarballName(p.pkg));
    if (!existsSync(file)) {
      problems.push(`${p.pkg.name}: pnpm pack wrote no ${tarballName(p.pkg)}`);
      continue;
    }
    tarballs.push({ name: p.pkg.name, version: p.pkg.version, file });
    problems.push(...(await tarballProblems(file, p, all)));
  }
  return { tarballs, problems };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--out');
  const out = at >= 0 ? resolve(args[at + 1] ?? '') : join(root, 'packed');
  if (!args.includes('--no-build')) pnpm('turbo', 'run', 'build', '--output-logs=errors-only');
  const { tarballs, problems } = await packAll(out);
  if (problems.length) {
    console.error(problems.map((p) => `- ${p}`).join('\n'));
    console.error(`\n${problems.length} problem(s) in the tarballs in ${out}.`);
    process.exit(1);
  }
  const rel = (f) => {
    const r = relative(process.cwd(), f);
    return r.startsWith('..') || isAbsolute(r) ? f : `./${r}`;
  };
  const file = (name) => rel(tarballs.find((t) => t.name === name).file);
  console.log(`${tarballs.length} tarballs in ${rel(out)}:\n${tarballs.map((t) => `  ${rel(t.file)}`).join('\n')}\n`);
  console.log(`The gyre command:       npm install --global ${file('gyre')}`);
  console.log(`The SDK, in a project:  npm install ${['@gyre/history', '@gyre/protocol', '@gyre/node'].map(file).join(' ')}`);
  console.log(`The checker alone:      npm install ${['@gyre/history', '@gyre/checker'].map(file).join(' ')}`);
}
