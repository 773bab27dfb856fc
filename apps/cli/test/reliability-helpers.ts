/**
 * Helpers for the reliability tests: a `gyre` process the test can signal, process liveness, and
 * reading a run's files.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseJson, parseHistoryJsonl, type Op } from '@gyre/history';
import { cli, repo, type GyreRun } from './helpers';

/** A running `gyre` whose process the test can signal. */
export interface LiveGyre {
  child: ChildProcess;
  store: string;
  /** Everything written on stderr so far. */
  stderr(): string;
  /** Resolves when it exits, with what `gyre()` would give. */
  done: Promise<GyreRun>;
}

/** Starts the built `gyre` (with a fresh store for `test` and `sim`) without waiting for it. */
export function startGyre(args: string[], opts: { store?: string; env?: Record<string, string> } = {}): LiveGyre {
  const store = opts.store ?? mkdtempSync(join(tmpdir(), 'gyre-store-'));
  const full = args[0] === 'test' || args[0] === 'sim' ? [args[0], '--store', store, ...args.slice(1)] : args;
  const child = spawn(process.execPath, [cli, ...full], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<GyreRun>((resolve) => {
    // 'close', not 'exit': after 'exit' the output may still be in the pipes.
    child.on('close', (code) => {
      const latest = join(store, 'latest');
      resolve({ code, stdout, stderr, store, latest, results: () => readJson(join(latest, 'results.json')) });
    });
  });
  return { child, store, stderr: () => stderr, done };
}

/** Whether a process exists and is not a zombie. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Waits until `pred` holds, polling every 20 ms; false if it did not within `ms`. */
export async function until(pred: () => boolean, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  for (;;) {
    if (pred()) return true;
    if (performance.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The pids a test node recorded, one per line. */
export function pidsIn(file: string): number[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map(Number);
}

/** Reads a JSON file losslessly. */
export function readJson(path: string): Record<string, unknown> {
  return parseJson(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** Parses a run's history.jsonl line by line: every line must be a complete op. */
export function historyOf(runDir: string): Op[] {
  const text = readFileSync(join(runDir, 'history.jsonl'), 'utf8');
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('history.jsonl does not end with a newline');
  return parseHistoryJsonl(text);
}

/** A fresh temporary file path. */
export function tempFile(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'gyre-rel-')), name);
}
