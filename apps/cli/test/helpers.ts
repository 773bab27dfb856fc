import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseJson } from '@gyre/history';

export const repo = resolve(import.meta.dirname, '../../..');
export const cli = join(repo, 'apps/cli/dist/cli.js');
export const example = (name: string) => join(repo, 'examples/dist', `${name}.js`);
export const python = (name: string) => join(repo, 'examples/python', `${name}.py`);
export const testNode = (name: string) => join(repo, 'apps/cli/test/nodes', name);

/** /work/shared/data (histories with known verdicts), or GYRE_SHARED_DATA. */
export { requireSharedData as sharedData } from '../../../scripts/shared-data.mjs';

export interface GyreRun {
  code: number | null;
  stdout: string;
  stderr: string;
  store: string;
  /** results.json of the latest run, if any. */
  results: () => Record<string, unknown>;
  latest: string;
}

/** Runs the built `gyre` CLI with a fresh store (in `cwd`, the repository by default); resolves when it exits. */
export function gyre(args: string[], opts: { timeoutMs?: number; env?: Record<string, string>; cwd?: string } = {}): Promise<GyreRun> {
  const store = mkdtempSync(join(tmpdir(), 'gyre-store-'));
  const full = args[0] === 'test' || args[0] === 'demo' || (args[0] === 'sim' && args[1] !== 'merge') ? [args[0], '--store', store, ...args.slice(1)] : args;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, ...full], { cwd: opts.cwd ?? repo, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gyre ${full.join(' ')} did not finish in time.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    // 'close', not 'exit': after 'exit' the output may still be in the pipes (a loaded machine
    // showed an exit 0 with nothing read).
    child.on('close', (code) => {
      clearTimeout(timer);
      const latest = join(store, 'latest');
      resolvePromise({
        code,
        stdout,
        stderr,
        store,
        latest,
        results: () => parseJson(readFileSync(join(latest, 'results.json'), 'utf8')) as Record<string, unknown>,
      });
    });
  });
}

/**
 * The packages whose code `node CLI ARGS` loads, in the repository's build or an installed copy of
 * the package: a source file `packages/<name>/src/…` (see {@link sourcesLoadedBy}) counts as
 * `name`, the CLI's own files as `cli`, a module from node_modules as its package (`zod`), any
 * other module as its path.
 */
export function packagesLoadedBy(cliPath: string, args: string[], cwd = repo): Set<string> {
  const packageOf = (path: string) => /^(?:.*\/)?packages\/([^/]+)\/src\//.exec(path)?.[1] ?? /^(?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1];
  // Sources named by a chunk's map are relative; any other module is an absolute path.
  return new Set([...sourcesLoadedBy(cliPath, args, cwd)].map((f) => packageOf(f) ?? (isAbsolute(f) ? f : 'cli')));
}

/**
 * The source files whose code `node CLI ARGS` loads: every module Node resolves is noted by a
 * resolve hook; a chunk of the bundle counts as the sources its source map names (as the map
 * writes them, relative to the chunk), any other module as its path. Fails unless the command
 * exits 0.
 */
export function sourcesLoadedBy(cliPath: string, args: string[], cwd = repo): Set<string> {
  const dir = mkdtempSync(join(tmpdir(), 'gyre-modules-'));
  try {
    const hooks = join(dir, 'hooks.mjs');
    const log = join(dir, 'modules.txt');
    writeFileSync(log, '');
    writeFileSync(
      hooks,
      `import { appendFileSync } from 'node:fs';\nexport async function resolve(specifier, context, next) {\n  const r = await next(specifier, context);\n  appendFileSync(${JSON.stringify(log)}, r.url + '\\n');\n  return r;\n}\n`,
    );
    const register = `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hooks).href)});`;
    const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, cliPath, ...args], { cwd, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`node ${cliPath} ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
    const dist = dirname(cliPath);
    const out = new Set<string>();
    for (const url of readFileSync(log, 'utf8').split('\n')) {
      if (!url.startsWith('file:')) continue;
      const file = fileURLToPath(url);
      if (dirname(file) !== dist) {
        out.add(file);
        continue;
      }
      const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
      for (const source of map.sources) out.add(source);
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One entry of gyre.log: the fields of a JSON line (`--logging-json`). */
export interface RunLogEntry {
  time: string;
  level: string;
  thread: string;
  message: string;
}

/** The entries of a gyre.log written as text (`TIME\tLEVEL\t[THREAD] MESSAGE`; a stack trace runs on over the following lines). */
export function textRunLog(text: string): RunLogEntry[] {
  const entries: RunLogEntry[] = [];
  for (const line of text.replace(/\n$/, '').split('\n')) {
    const m = /^([^\t]+)\t(INFO|WARN|ERROR)\t\[([^\]]+)\] ([\s\S]*)$/.exec(line);
    if (m) entries.push({ time: m[1]!, level: m[2]!, thread: m[3]!, message: m[4]! });
    else if (entries.length) entries.at(-1)!.message += `\n${line}`;
    else throw new Error(`gyre.log starts with a line that is not an entry: ${JSON.stringify(line)}`);
  }
  return entries;
}

/** The entries of a gyre.log written as JSON lines (`--logging-json`): every line must parse. */
export function jsonRunLog(text: string): Record<string, unknown>[] {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line, i) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`gyre.log line ${i + 1} is not JSON: ${JSON.stringify(line)}`);
      }
    });
}
