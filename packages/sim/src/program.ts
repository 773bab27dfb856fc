/**
 * Node modules written as programs, for `gyre sim`: a module that calls `createNode()` at its top
 * level and then `await node.run()`, exactly as it runs as a process under `gyre test`.
 *
 * A process runs its module once; the simulator runs many nodes, and restarts them, in one thread.
 * So the module's own code (the file and every file it imports by a relative path) is bundled once
 * into one function, and each incarnation of each node calls that function afresh: new module
 * state, like a new process. Packages it imports (`@gyre/node`, `node:fs`, anything in
 * node_modules) are loaded once, by Node, and shared. While an incarnation's code runs up to its
 * first `await`, a {@link NodeHost} hands `createNode()` the simulator's input, output, clock,
 * randomness and directory. In the module's own code, `process.argv` is the node's (its arguments
 * from index 2), `import.meta` each file's own, and `__dirname` / `__filename` the module's.
 */
import { isBuiltin, createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileFunction } from 'node:vm';
import type { Plugin } from 'esbuild';
import { NODE_HOST, type Node, type NodeHost, type NodeOptions } from '@gyre/node';
import type { NodeProgram } from './instance';

/**
 * The thread's {@link NodeHost}, installed the first time a module is probed. Outside an
 * incarnation's start it lets through nodes made with their own input or output (tests, the
 * simulator's own) and refuses `createNode()` on STDIN/STDOUT, which in a simulator would read
 * and write the simulator's own streams.
 */
class ThreadHost implements NodeHost {
  current: NodeHost | undefined;

  createNode(options: NodeOptions, make: (options: NodeOptions) => Node): Node {
    if (this.current) return this.current.createNode(options, make);
    if (options.input !== undefined || options.output !== undefined) return make(options);
    throw new Error(
      'createNode() was called under gyre sim outside of starting a node. A node module must call createNode() before its first `await` ' +
        '(gyre sim runs its top-level code up to there for every node and every restart).',
    );
  }
}

function threadHost(): ThreadHost {
  const g = globalThis as { [NODE_HOST]?: NodeHost };
  const h = g[NODE_HOST];
  if (h instanceof ThreadHost) return h;
  if (h !== undefined) throw new Error('gyre sim: another node host is already installed in this thread');
  const mine = new ThreadHost();
  g[NODE_HOST] = mine;
  return mine;
}

/** An input that never yields and never ends: `node.run()` under the simulator waits for good. */
export const NEVER_INPUT: AsyncIterable<string> = {
  [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<string>>(() => {}) }),
};

const DEAD_CLOCK = { now: () => 0, setTimeout: () => ({}), clearTimeout: () => {} };

let probing: Promise<unknown> = Promise.resolve();

/**
 * Imports the module at `file` (with `load`), noting whether its top-level code calls
 * `createNode()`. Such a module is a program: its node is a stand-in that never receives anything,
 * and the import is not awaited to its end (its `await node.run()` never returns). Probes run one
 * at a time, since the host is per thread.
 */
export function probeModule(file: string, load: () => Promise<Record<string, unknown>>): Promise<{ program: true } | { program: false; module: Record<string, unknown> }> {
  const run = probing.then(async () => {
    const host = threadHost();
    let made!: () => void;
    const createdNode = new Promise<'program'>((resolve) => (made = () => resolve('program')));
    // The stand-in's directory: what the module writes there at its top level is thrown away.
    let dir: string | undefined;
    host.current = {
      createNode: (options, make) => {
        made();
        dir ??= mkdtempSync(join(tmpdir(), 'gyre-sim-probe-'));
        return make({ ...options, input: NEVER_INPUT, output: () => {}, log: () => {}, clock: DEAD_CLOCK, random: 'probe', dir });
      },
    };
    try {
      const r = await Promise.race([load(), createdNode]);
      return r === 'program' ? ({ program: true } as const) : ({ program: false, module: r } as const);
    } finally {
      host.current = undefined;
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    }
  });
  probing = run.catch(() => {});
  return run;
}

/** What the compiled module body gets: its imports, and what stands in for `import.meta` and `__dirname`. */
interface BodyContext {
  /** The namespaces (or CommonJS exports) of the packages the module imports, loaded once. */
  ext: unknown[];
  /** `process.argv` in the module's code: the node's. */
  argv: string[];
  dirname: string;
  filename: string;
  importMeta(url: string): { url: string; dirname: string; filename: string; resolve(spec: string): string };
  /** Called with an error the module's code throws (synchronously while starting, or later). */
  fail(e: unknown): void;
}

/** `--conditions` / `-C` of this process (Node's own resolution uses them; so does the bundling). */
function processConditions(): string[] {
  const args = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/).filter(Boolean)];
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^(?:--conditions|-C)(?:=(.*))?$/.exec(a);
    if (!m) continue;
    const v = m[1] ?? args[++i];
    if (v) out.push(v);
  }
  // Run from its TypeScript sources (this repository's tests), the simulator loads its packages
  // from theirs; the node module's packages must be the same ones.
  if (import.meta.url.endsWith('.ts')) out.push('@gyre/source');
  return out;
}

const META_RE = /\bimport\.meta\b/g;
const LOADERS: Record<string, 'ts' | 'tsx' | 'js' | 'jsx'> = { ts: 'ts', mts: 'ts', cts: 'ts', tsx: 'tsx', js: 'js', mjs: 'js', cjs: 'js', jsx: 'jsx' };

/**
 * Bundles the module's own files into one function body. Every bare import becomes a stand-in
 * module that re-exports what Node loaded for it (resolved from the importing file, as Node
 * would); `import.meta` in each file becomes that file's.
 */
async function bundle(file: string, ext: unknown[]): Promise<string> {
  const esbuild = await import('esbuild');
  const IMPORT = 'gyre-import';
  const REQUIRE = 'gyre-require';
  const inner = Symbol('inner');
  const plugin: Plugin = {
    name: 'gyre-sim-program',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        const p = args.path;
        if (args.pluginData === inner || args.namespace !== 'file' || p.startsWith('.') || p.startsWith('#') || isAbsolute(p) || (/^[a-z]+:/i.test(p) && !p.startsWith('node:'))) return undefined;
        if (isBuiltin(p)) return { path: p, namespace: IMPORT };
        if (args.kind === 'require-call' || args.kind === 'require-resolve') {
          return { path: createRequire(args.importer).resolve(p), namespace: REQUIRE, pluginData: { spec: p, importer: args.importer } };
        }
        const r = await b.resolve(p, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: inner });
        if (r.errors.length > 0) return { errors: r.errors };
        return { path: r.path, namespace: IMPORT };
      });
      b.onLoad({ filter: /.*/, namespace: IMPORT }, async (args) => {
        const ns = (await import(isBuiltin(args.path) ? args.path : pathToFileURL(args.path).href)) as Record<string, unknown>;
        const i = ext.push(ns) - 1;
        const names = Object.keys(ns);
        const lines = [`const m = __gyre_ctx.ext[${i}];`, ...names.map((n, j) => `var e${j} = m[${JSON.stringify(n)}];`)];
        if (names.length > 0) lines.push(`export { ${names.map((n, j) => `e${j} as ${JSON.stringify(n)}`).join(', ')} };`);
        return { contents: lines.join('\n'), loader: 'js' };
      });
      b.onLoad({ filter: /.*/, namespace: REQUIRE }, (args) => {
        const { spec, importer } = args.pluginData as { spec: string; importer: string };
        const i = ext.push(createRequire(importer)(spec)) - 1;
        return { contents: `module.exports = __gyre_ctx.ext[${i}];`, loader: 'js' };
      });
      b.onLoad({ filter: /\.[cm]?[jt]sx?$/, namespace: 'file' }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        META_RE.lastIndex = 0;
        if (!META_RE.test(text)) return undefined;
        // `import.meta` cannot appear in a function body: each file gets its own stand-in, declared
        // on its first line (after a #! line, kept as an empty line) so line numbers stay.
        const decl = `var __gyre_import_meta = __gyre_ctx.importMeta(${JSON.stringify(pathToFileURL(args.path).href)});`;
        const body = text.startsWith('#!') ? text.slice(text.indexOf('\n') < 0 ? text.length : text.indexOf('\n')) : text;
        return { contents: decl + body.replace(META_RE, '__gyre_import_meta'), loader: LOADERS[args.path.split('.').pop()!] ?? 'js' };
      });
    },
  };
  const result = await esbuild.build({
    stdin: { contents: `import ${JSON.stringify(file)};`, resolveDir: dirname(file), sourcefile: '<gyre sim>', loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node}`,
    // Every statement runs as written, side effects and `"sideEffects": false` packages alike.
    treeShaking: false,
    ignoreAnnotations: true,
    conditions: processConditions(),
    mainFields: ['main'],
    define: { __dirname: '__gyre_ctx.dirname', __filename: '__gyre_ctx.filename', 'process.argv': '__gyre_ctx.argv' },
    logLevel: 'silent',
    charset: 'utf8',
    legalComments: 'none',
    plugins: [plugin],
  });
  return result.outputFiles[0]!.text;
}

/**
 * Compiles the program at `file` (an absolute path) for the simulator: bundles its own files once
 * and returns a {@link NodeProgram} whose `start` runs them for one incarnation.
 *
 * @throws Error naming the file when it cannot be bundled.
 */
export async function compileProgram(file: string): Promise<NodeProgram> {
  const ext: unknown[] = [];
  let code: string;
  try {
    code = await bundle(file, ext);
  } catch (e) {
    const errors = (e as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors;
    const why = errors?.length ? errors.map((x) => (x.location ? `${x.location.file}:${x.location.line}: ${x.text}` : x.text)).join('; ') : String((e as Error)?.message ?? e);
    throw new Error(`gyre sim could not load ${file} as a program (createNode() at its top level): ${why}`);
  }
  const body = compileFunction(`"use strict";\nreturn (async () => {\ntry {\n${code}\n} catch (e) {\n__gyre_ctx.fail(e);\nthrow e;\n}\n})();`, ['__gyre_ctx'], { filename: file }) as (ctx: BodyContext) => Promise<unknown>;
  const dir = dirname(file);
  const importMeta = (url: string) => {
    const filename = fileURLToPath(url);
    return { url, dirname: dirname(filename), filename, resolve: (spec: string) => new URL(spec, url).href };
  };
  return {
    file,
    start(options, args) {
      const host = threadHost();
      let node: Node | undefined;
      let starting = true;
      let failure: { error: unknown } | undefined;
      const log = options.log ?? (() => {});
      const ctx: BodyContext = {
        ext,
        argv: [process.argv[0]!, file, ...args],
        dirname: dir,
        filename: file,
        importMeta,
        fail: (e) => {
          if (starting) failure = { error: e };
          else log(`the node's code failed: ${(e as Error)?.stack ?? String(e)}`);
        },
      };
      host.current = {
        createNode: (given, make) => {
          if (node) throw new Error('this module creates a second node; under gyre sim a module makes one node');
          node = make({ ...given, ...options, random: given.random ?? options.random });
          return node;
        },
      };
      try {
        void body(ctx).catch(() => {});
      } finally {
        starting = false;
        host.current = undefined;
      }
      if (failure) throw failure.error;
      if (!node) {
        throw new Error(
          `${file} did not call createNode() before its first \`await\`: gyre sim runs a module's top-level code up to there for every node, and needs its node by then`,
        );
      }
      return node;
    },
  };
}
