import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseJson } from '@gyre/history';

export const repo = resolve(import.meta.dirname, '../../..');
export const cli = join(repo, 'apps/cli/dist/cli.js');
export const example = (name: string) => join(repo, 'examples/dist', `${name}.js`);
export const python = (name: string) => join(repo, 'examples/python', `${name}.py`);
export const testNode = (name: string) => join(repo, 'apps/cli/test/nodes', name);

/** /work/shared/data (histories with known verdicts), or GYRE_SHARED_DATA. */
export function sharedData(): string {
  const env = process.env['GYRE_SHARED_DATA'];
  if (env) return env;
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'data');
    if (existsSync(join(candidate, 'README.md'))) return candidate;
    if (dirname(dir) === dir) return resolve(import.meta.dirname, '../../../../shared/data');
  }
}

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
    child.on('exit', (code) => {
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
