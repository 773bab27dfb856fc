// Checks that every public package can be released: its manifest, its changelog, the changesets
// configuration, and `pnpm -r publish --dry-run --no-git-checks`, then packs each package as
// `npm run pack` does and checks what npm would receive (scripts/pack.mjs). Needs built packages
// (`pnpm build`). Exit 0 when all is well.
//
//   node scripts/release-check.mjs          (or `pnpm release:check`)
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packAll, workspaceClosure, workspacePackages } from './pack.mjs';
import { pnpmSync, root } from './pnpm.mjs';

const problems = [];
const problem = (m) => problems.push(m);
const read = (p) => JSON.parse(readFileSync(join(root, p), 'utf8'));

const all = workspacePackages();
const pub = all.filter((p) => !p.pkg.private);
const names = new Set(all.map((p) => p.pkg.name));

// Changesets: each package versions on its own.
const cs = read('.changeset/config.json');
if ((cs.fixed ?? []).length || (cs.linked ?? []).length) problem('.changeset/config.json: "fixed" and "linked" must be empty so that each package versions independently');
if (cs.access !== 'public') problem('.changeset/config.json: "access" must be "public" (scoped packages are private on npm by default)');
for (const ignored of cs.ignore ?? []) if (!names.has(ignored)) problem(`.changeset/config.json: ignores ${ignored}, which is not a workspace package`);
/** Package name → the pending changesets that bump it. */
const bumped = new Map();
for (const f of readdirSync(join(root, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
  const text = readFileSync(join(root, '.changeset', f), 'utf8');
  const front = /^---\n([\s\S]*?)\n---/.exec(text);
  if (!front) {
    problem(`.changeset/${f}: no front matter`);
    continue;
  }
  for (const line of front[1].split('\n').filter((l) => l.trim() !== '')) {
    const m = /^\s*["']?([^"':]+)["']?\s*:\s*(major|minor|patch)\s*$/.exec(line);
    if (!m) problem(`.changeset/${f}: cannot read "${line}"`);
    else if (!names.has(m[1])) problem(`.changeset/${f}: names ${m[1]}, which is not a workspace package`);
    else if (all.find((p) => p.pkg.name === m[1]).pkg.private && !(cs.ignore ?? []).includes(m[1])) problem(`.changeset/${f}: names private package ${m[1]}`);
    else bumped.set(m[1], [...(bumped.get(m[1]) ?? []), f]);
  }
}
// The CLI bundles its @gyre packages (dev dependencies, which changesets does not follow): a
// release that changes one of them must release the CLI too.
for (const cli of pub.filter((p) => p.pkg.bin)) {
  const inside = [...workspaceClosure(cli.pkg.name, all)].filter((n) => bumped.has(n));
  if (inside.length && !bumped.has(cli.pkg.name)) {
    problem(`.changeset: ${inside.map((n) => `${n} (${bumped.get(n).join(', ')})`).join('; ')} change code that ${cli.pkg.name} bundles, and no changeset bumps ${cli.pkg.name}: add '${cli.pkg.name}': patch (or more) to one`);
  }
}

// Manifests.
for (const { dir, pkg } of pub) {
  const where = `${dir}/package.json`;
  for (const field of ['name', 'version', 'description', 'license']) if (!pkg[field]) problem(`${where}: no "${field}"`);
  if (pkg.type !== 'module') problem(`${where}: "type" must be "module" (Gyre ships ESM)`);
  if (!Array.isArray(pkg.files) || !pkg.files.includes('dist')) problem(`${where}: "files" must list dist`);
  if (!pkg.files?.includes('CHANGELOG.md')) problem(`${where}: "files" must list CHANGELOG.md`);
  if (!existsSync(join(root, dir, 'CHANGELOG.md'))) problem(`${dir}: no CHANGELOG.md (start one with "# ${pkg.name}"; \`pnpm changeset version\` writes the rest)`);
  if (pkg.name.startsWith('@') && pkg.publishConfig?.access !== 'public') problem(`${where}: a scoped package needs "publishConfig": { "access": "public" }`);
  for (const [sub, target] of Object.entries(pkg.exports ?? {})) {
    if (typeof target !== 'object' || sub === './package.json') continue;
    if (!target.default) problem(`${where}: exports["${sub}"] has no "default"`);
    if (!pkg.bin && !target.types) problem(`${where}: exports["${sub}"] has no "types"`);
    const built = target.default && join(root, dir, target.default);
    if (built && !existsSync(built)) problem(`${dir}: ${target.default} is missing: build first (pnpm build)`);
  }
  for (const field of ['dependencies', 'devDependencies']) {
    for (const [dep, range] of Object.entries(pkg[field] ?? {})) {
      const inWorkspace = names.has(dep);
      if (inWorkspace && !String(range).startsWith('workspace:')) problem(`${where}: ${field}.${dep} should be "workspace:^", not ${range}`);
      if (inWorkspace && all.find((p) => p.pkg.name === dep).pkg.private) problem(`${where}: ${field} names private package ${dep}`);
    }
  }
  if (pkg.bin) for (const dep of Object.keys(pkg.dependencies ?? {})) if (names.has(dep)) problem(`${where}: ${dep} must be a devDependency: the CLI bundles Gyre's packages (apps/cli/tsup.config.ts)`);
}
if (problems.length) {
  console.error(problems.map((p) => `- ${p}`).join('\n'));
  console.error(`\n${problems.length} problem(s); not running the dry run.`);
  process.exit(1);
}

// The dry run itself.
const dry = pnpmSync(['-r', 'publish', '--dry-run', '--no-git-checks'], { encoding: 'utf8' });
const output = `${dry.stdout}\n${dry.stderr}`;
if (dry.status !== 0) problem(`pnpm -r publish --dry-run failed (exit ${dry.status}):\n${output.slice(-3000)}`);
for (const { pkg } of pub) if (!output.includes(`+ ${pkg.name}@${pkg.version}`)) problem(`the dry run did not publish ${pkg.name}@${pkg.version}`);
for (const { pkg } of all.filter((p) => p.pkg.private)) if (output.includes(`+ ${pkg.name}@`)) problem(`the dry run would publish private package ${pkg.name}`);

// What npm would receive: the tarballs of `npm run pack`, checked as it checks them.
const out = mkdtempSync(join(tmpdir(), 'gyre-release-'));
try {
  problems.push(...(await packAll(out)).problems);
} finally {
  rmSync(out, { recursive: true, force: true });
}

if (problems.length) {
  console.error(problems.map((p) => `- ${p}`).join('\n'));
  process.exit(1);
}
console.log(`Release check passed: ${pub.length} public packages (${pub.map((p) => `${p.pkg.name}@${p.pkg.version}`).join(', ')}) pass the publish dry run; ${all.length - pub.length} private.`);
