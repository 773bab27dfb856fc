/**
 * `gyre demo`: runs the bundled example nodes across the workloads and prints a summary the way
 * Maelstrom's `demo` does.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** One demo run: a workload, an example node, and the options it needs. */
export interface DemoEntry {
  workload: string;
  /** Path relative to the repository's examples/ directory. */
  bin: string;
  /** Extra `gyre test` arguments. */
  args: string[];
}

/** The demo list: one correct example node per workload. */
const DEMOS: DemoEntry[] = [
  { workload: 'echo', bin: 'dist/echo.js', args: [] },
  { workload: 'echo', bin: 'python/echo.py', args: [] },
  { workload: 'unique-ids', bin: 'dist/unique-ids.js', args: ['--nemesis', 'partition', '--availability', 'total', '--rate', '1000'] },
  { workload: 'broadcast', bin: 'dist/broadcast.js', args: ['--nemesis', 'partition'] },
  { workload: 'g-set', bin: 'dist/g-set.js', args: [] },
  { workload: 'g-counter', bin: 'dist/g-counter-seqkv.js', args: [] },
  { workload: 'pn-counter', bin: 'dist/pn-counter.js', args: [] },
  { workload: 'lin-kv', bin: 'dist/lin-kv-proxy.js', args: ['--concurrency', '10'] },
  { workload: 'kafka', bin: 'dist/kafka.js', args: ['--node-count', '1', '--concurrency', '2n'] },
  { workload: 'txn-list-append', bin: 'dist/txn-list-append.js', args: [] },
  { workload: 'txn-rw-register', bin: 'dist/txn-rw-register.js', args: ['--nemesis', 'partition', '--consistency-models', 'read-committed', '--availability', 'total', '--rate', '100', '--node-count', '2'] },
];

/** The demo entries whose node exists in `examplesDir`. */
export function availableDemos(examplesDir: string): { present: DemoEntry[]; missing: DemoEntry[] } {
  const present: DemoEntry[] = [];
  const missing: DemoEntry[] = [];
  for (const d of DEMOS) (existsSync(join(examplesDir, d.bin)) ? present : missing).push(d);
  return { present, missing };
}

/** Maelstrom's demo exit code: 255 if any crashed, else 2 if any unknown, else 1 if any failed, else 0. */
export function demoExitCode(outcomes: readonly ('valid' | 'invalid' | 'unknown' | 'crashed')[]): number {
  if (outcomes.includes('crashed')) return 255;
  if (outcomes.includes('unknown')) return 2;
  if (outcomes.includes('invalid')) return 1;
  return 0;
}
