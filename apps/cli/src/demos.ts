/**
 * The example nodes `gyre demo` runs, one correct node per workload. Data only: the CLI's build
 * (tsup.config.ts) reads it too, to copy these nodes into the package.
 */

/** One demo run: a workload, an example node, and the options it needs. */
export interface DemoEntry {
  workload: string;
  /** Path relative to the repository's examples/ directory. */
  bin: string;
  /** Extra `gyre test` arguments. */
  args: string[];
}

/** The demo list: one correct example node per workload. */
export const DEMOS: DemoEntry[] = [
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
