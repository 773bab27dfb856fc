/**
 * The Gossip Glomers command lines, exactly as fly.io/dist-sys publishes them
 * (workplace reference ecosystem.md §2), and helpers to run them against Gyre's examples.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonFloat, parseHistoryJsonl, type Op } from '@gyre/history';
import { expect } from 'vitest';
import { gyre, type GyreRun } from './helpers';

/** Challenge → published command line. */
export const GLOMERS = {
  '1': './maelstrom test -w echo --bin ~/go/bin/maelstrom-echo --node-count 1 --time-limit 10',
  '2': './maelstrom test -w unique-ids --bin ~/go/bin/maelstrom-unique-ids --time-limit 30 --rate 1000 --node-count 3 --availability total --nemesis partition',
  '3a': './maelstrom test -w broadcast --bin ~/go/bin/maelstrom-broadcast --node-count 1 --time-limit 20 --rate 10',
  '3b': './maelstrom test -w broadcast --bin ~/go/bin/maelstrom-broadcast --node-count 5 --time-limit 20 --rate 10',
  '3c': './maelstrom test -w broadcast --bin ~/go/bin/maelstrom-broadcast --node-count 5 --time-limit 20 --rate 10 --nemesis partition',
  '3d': './maelstrom test -w broadcast --bin ~/go/bin/maelstrom-broadcast --node-count 25 --time-limit 20 --rate 100 --latency 100',
  '3e': './maelstrom test -w broadcast --bin ~/go/bin/maelstrom-broadcast --node-count 25 --time-limit 20 --rate 100 --latency 100',
  '4': './maelstrom test -w g-counter --bin ~/go/bin/maelstrom-counter --node-count 3 --rate 100 --time-limit 20 --nemesis partition',
  '5a': './maelstrom test -w kafka --bin ~/go/bin/maelstrom-kafka --node-count 1 --concurrency 2n --time-limit 20 --rate 1000',
  '5b': './maelstrom test -w kafka --bin ~/go/bin/maelstrom-kafka --node-count 2 --concurrency 2n --time-limit 20 --rate 1000',
  '5c': './maelstrom test -w kafka --bin ~/go/bin/maelstrom-kafka --node-count 2 --concurrency 2n --time-limit 20 --rate 1000',
} as const;

/** What a test may change in a published line: the binary, always; the time limit and recovery wait, to save time. */
export interface Adjust {
  bin: string;
  /** Replaces `--time-limit`'s value. */
  timeLimit?: number;
  /** Adds Gyre's `--recovery-time` (Maelstrom's fixed 10 s before final reads). */
  recoveryTime?: number;
  /** Further arguments, appended. */
  extra?: string[];
}

/** The arguments of `gyre` for a published line, adjusted. */
function glomersArgs(challenge: keyof typeof GLOMERS, adjust: Adjust): string[] {
  const words = GLOMERS[challenge].split(' ');
  expect(words.slice(0, 2)).toEqual(['./maelstrom', 'test']);
  const args = words.slice(1);
  const bin = args.indexOf('--bin');
  args[bin + 1] = adjust.bin;
  if (adjust.timeLimit !== undefined) args[args.indexOf('--time-limit') + 1] = String(adjust.timeLimit);
  if (adjust.recoveryTime !== undefined) args.push('--recovery-time', String(adjust.recoveryTime));
  return [...args, ...(adjust.extra ?? [])];
}

/** Runs a published line, adjusted. */
export function runGlomers(challenge: keyof typeof GLOMERS, adjust: Adjust, timeoutMs = 120_000): Promise<GyreRun> {
  return gyre(glomersArgs(challenge, adjust), { timeoutMs });
}

/** The run's history.jsonl. */
export function historyOf(r: GyreRun): Op[] {
  return parseHistoryJsonl(readFileSync(join(r.latest, 'history.jsonl'), 'utf8'));
}

/** A field of results.json by path, e.g. `at(res, 'net', 'servers', 'msgs-per-op')`. */
export function at(results: Record<string, unknown>, ...path: string[]): unknown {
  return path.reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), results);
}

/** A number of results.json as a plain number (floats come back from the lossless parser as `JsonFloat`). */
export function num(x: unknown): number {
  if (x instanceof JsonFloat) return x.value;
  if (typeof x === 'number' || typeof x === 'bigint') return Number(x);
  throw new TypeError(`not a number: ${JSON.stringify(x)}`);
}

/** A short description of a run for assertion messages: seed, verdicts, where it is stored. */
export function describeRun(r: GyreRun): string {
  let res: Record<string, unknown> = {};
  try {
    res = r.results();
  } catch {
    // no results.json
  }
  return `exit ${r.code}, seed ${String(res['seed'])}, workload ${JSON.stringify(res['workload'])?.slice(0, 600)}, store ${r.latest}\n${r.stdout.slice(-1500)}\n${r.stderr.slice(-1500)}`;
}

/**
 * Asserts Maelstrom's nemesis entries: process "nemesis", type "info" for invocations and
 * completions alike; each start-partition completes with `['isolated', grudge]`. Returns them.
 */
export function expectNemesisOps(history: readonly Op[], fs: readonly string[]): Op[] {
  const ops = history.filter((o) => o.process === 'nemesis');
  expect(ops.length).toBeGreaterThan(0);
  for (const o of ops) {
    expect(o.type).toBe('info');
    expect(fs).toContain(o.f);
  }
  return ops;
}
