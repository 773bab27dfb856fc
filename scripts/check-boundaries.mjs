// Enforces DEVELOPERS.md's package table on every workspace package and app:
// 1. each one imports only the packages its row allows (Node's built-ins aside);
// 2. the pure entries (checker, history, generator, and report's `.`) import no Node built-in
//    (`node:*` or bare `fs`, …) and no zod, and name no `Buffer`.
// Only shipped code is checked (src/, and the example programs); tests and benchmarks may import
// what they need. Imports are read with TypeScript's parser, so comments and strings never count.
// Exits 1 naming, for each violation, the file and line, the import and the rule broken.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** DEVELOPERS.md's "may import" column; `all` is every @gyre package. Third-party packages by name. */
const allowed = {
  'packages/history': [],
  'packages/checker': ['history'],
  'packages/generator': ['history'],
  'packages/protocol': ['history', 'zod'],
  'packages/net': ['protocol', 'history'],
  'packages/nemesis': ['history', 'generator'],
  'packages/services': ['protocol', 'history'],
  'packages/workloads': ['history', 'protocol', 'generator', 'checker'],
  'packages/node': ['protocol', 'history'],
  'packages/report': ['history'],
  'packages/runner': ['history', 'checker', 'generator', 'protocol', 'net', 'nemesis', 'services', 'workloads'],
  'packages/sim': ['history', 'checker', 'generator', 'protocol', 'net', 'nemesis', 'services', 'workloads', 'runner', 'node', 'report', 'tsx', 'esbuild'],
  'apps/cli': ['all'],
  examples: ['all', 'tsx'],
};

/**
 * Pure entries: `src` for every file of the package, or the export names whose source files, and
 * every file they import, must stay pure.
 */
const pure = {
  'packages/history': 'src',
  'packages/checker': 'src',
  'packages/generator': 'src',
  'packages/report': ['.'],
};

/** Where each package's shipped code lives (default `src`). */
const sourceDirs = { examples: ['nodes', 'lib', 'guide', 'readme'] };

const builtins = new Set(builtinModules.filter((m) => !m.startsWith('_')));
const isBuiltin = (spec) => spec.startsWith('node:') || builtins.has(spec.split('/')[0]) || builtins.has(spec);
const CODE = /\.(ts|mts|cts|tsx|js|mjs)$/;
const SKIP = /\.(test|spec)\.\w+$|\.d\.ts$/;

function* files(dir) {
  for (const e of readdirSync(dir)) {
    if (e === 'node_modules' || e === 'dist') continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (CODE.test(e) && !SKIP.test(e)) yield p;
  }
}

/** Every import specifier of a file with its line, and every line that names `Buffer`. */
function scan(path) {
  const text = readFileSync(path, 'utf8');
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const imports = [];
  const buffers = [];
  const line = (node) => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      imports.push({ spec: node.moduleSpecifier.text, line: line(node) });
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) imports.push({ spec: node.arguments[0].text, line: line(node) });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      imports.push({ spec: node.argument.literal.text, line: line(node) });
    } else if (ts.isIdentifier(node) && node.text === 'Buffer') {
      const p = node.parent;
      const isMemberName = (ts.isPropertyAccessExpression(p) && p.name === node) || (ts.isPropertyAssignment(p) && p.name === node) || (ts.isQualifiedName(p) && p.right === node);
      if (!isMemberName) buffers.push(line(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { imports, buffers };
}

/** A relative import's file: `./x` → x.ts (or .tsx, …) or x/index.ts. */
function resolveRelative(from, spec) {
  const base = join(dirname(from), spec);
  for (const c of [base, ...['.ts', '.tsx', '.mts', '.js', '.mjs'].map((e) => base + e), join(base, 'index.ts')]) {
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  return undefined;
}

/** The files of `entries` and everything they import relatively. */
function reachable(root, pkgDir, entries) {
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const todo = [];
  for (const name of entries) {
    const source = manifest.exports?.[name]?.['@gyre/source'];
    if (!source) throw new Error(`${relative(root, pkgDir)}/package.json: export "${name}" has no @gyre/source condition`);
    todo.push(join(pkgDir, source));
  }
  const seen = new Set();
  while (todo.length) {
    const f = todo.pop();
    if (seen.has(f)) continue;
    seen.add(f);
    for (const { spec } of scan(f).imports) {
      if (!spec.startsWith('.')) continue;
      const target = resolveRelative(f, spec);
      if (target) todo.push(target);
    }
  }
  return seen;
}

/**
 * Checks every package and app under `root` (the repository). Returns the workspace directories
 * checked and one line per violation.
 */
export function checkBoundaries(root) {
  const workspace = ['packages', 'apps']
    .flatMap((dir) => (existsSync(join(root, dir)) ? readdirSync(join(root, dir)).map((d) => `${dir}/${d}`) : []))
    .concat('examples')
    .filter((d) => existsSync(join(root, d, 'package.json')));
  const problems = [];
  for (const pkg of workspace) check(root, pkg, problems);
  return { workspace, problems };
}

function check(root, pkg, problems) {
  const may = allowed[pkg];
  if (!may) {
    problems.push(`${pkg}: has no row in scripts/check-boundaries.mjs; add its row of DEVELOPERS.md's package table there`);
    return;
  }
  const dir = join(root, pkg);
  const name = pkg.split('/').pop();
  const pureRule = pure[pkg];
  const pureFiles = pureRule === undefined ? new Set() : pureRule === 'src' ? null : reachable(root, dir, pureRule);
  const pureWhat = pureRule === 'src' ? `@gyre/${name} is pure` : `@gyre/${name}'s ${pureRule?.map((e) => `'${e}'`).join(', ')} entry is pure`;
  for (const sub of sourceDirs[pkg] ?? ['src']) {
    if (!existsSync(join(dir, sub))) continue;
    for (const f of files(join(dir, sub))) {
      const rel = relative(root, f);
      const isPure = pureFiles === null || pureFiles.has(f);
      const { imports, buffers } = scan(f);
      for (const { spec, line } of imports) {
        if (spec.startsWith('.')) continue;
        const at = `${rel}:${line}: imports '${spec}'`;
        if (isBuiltin(spec)) {
          if (isPure) problems.push(`${at}, but ${pureWhat}: no Node built-ins (DEVELOPERS.md)`);
          continue;
        }
        const target = spec.startsWith('@gyre/') ? spec.slice(6).split('/')[0] : spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (isPure && target === 'zod') problems.push(`${at}, but ${pureWhat}: no zod (DEVELOPERS.md)`);
        else if (target === name) continue;
        else if (spec.startsWith('@gyre/') && may.includes('all')) continue;
        else if (!may.includes(target)) {
          const list = may.map((m) => (m === 'all' ? 'any @gyre package' : m)).join(', ') || 'nothing';
          problems.push(`${at}, but ${pkg} may import only ${list} (DEVELOPERS.md's package table)`);
        }
      }
      if (isPure) for (const line of new Set(buffers)) problems.push(`${rel}:${line}: uses 'Buffer', but ${pureWhat}: use Uint8Array (DEVELOPERS.md)`);
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { workspace, problems } = checkBoundaries(join(dirname(fileURLToPath(import.meta.url)), '..'));
  if (problems.length) {
    console.error('Package boundary violations:\n' + problems.map((p) => '  ' + p).join('\n'));
    process.exit(1);
  }
  console.log(`package boundaries: ok (${workspace.length} packages and apps)`);
}
