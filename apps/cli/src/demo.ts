/**
 * `gyre demo`: runs the bundled example nodes across the workloads and prints a summary the way
 * Maelstrom's `demo` does.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OptionError, parseOptions, parseOrExit, readOptionFile, type CommandSpec } from './args';
import type { Io } from './io';
import { resolveTestDraft, TEST_ROWS, TEST_SPEC_PARTS, type TestDraft, type TestRow } from './options';
import { testCommand } from './test';

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

/** `--bin` and `--workload` are the demo's to choose. */
const chosenByDemo = (long: string, arg: string, short?: string): TestRow => ({
  long,
  ...(short ? { short } : {}),
  arg,
  hidden: true,
  desc: '',
  set: () => {
    throw new OptionError('gyre demo chooses --bin and --workload itself');
  },
});

/** `gyre demo`'s table: `gyre test`'s, without --bin and --workload. */
export const DEMO_SPEC: CommandSpec<TestDraft> = {
  command: 'gyre demo',
  usage: "Usage: gyre demo [OPTIONS ...]\n\nRuns Gyre's example nodes on their workloads and prints which passed. Each demo sets its own\n--bin and --workload, and some their own options (which win over the ones given here).",
  sections: [{ title: 'The options of gyre test', rows: [chosenByDemo('bin', 'FILE'), chosenByDemo('workload', 'NAME', 'w'), ...TEST_ROWS] }],
  ...TEST_SPEC_PARTS,
};

/**
 * The `gyre test` arguments of one demo: the user's options, then the demo's (which win), then
 * the user's words after `--` for the binary.
 */
export function demoTestArgs(argv: readonly string[], d: DemoEntry, examplesDir: string): string[] {
  const dashes = argv.indexOf('--');
  const options = dashes < 0 ? argv : argv.slice(0, dashes);
  const forBinary = dashes < 0 ? [] : argv.slice(dashes);
  return [...options, '-w', d.workload, '--bin', join(examplesDir, d.bin), ...d.args, ...forBinary];
}

/** Where the repository's examples are, relative to this module (in src/ or dist/). */
function examplesDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../examples');
}

/** `gyre demo [test options]`: every bundled example on its workload, then a summary like Maelstrom's. */
export async function demoCommand(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseOrExit(DEMO_SPEC, io, () => {
    const p = parseOptions(DEMO_SPEC, argv);
    return { ...p, value: resolveTestDraft(p.draft, (path) => readOptionFile('--nodes-file', resolve(io.cwd, path)), (m) => p.warnings.push(m)) };
  });
  if (typeof parsed === 'number') return parsed;
  const dir = examplesDir();
  const { present, missing } = availableDemos(dir);
  if (present.length === 0) {
    io.err(`No example nodes found under ${dir}. Build them first: \`pnpm turbo run build --filter=@gyre/examples\`.\n`);
    return 255;
  }
  for (const m of missing) io.err(`WARN  skipping ${m.workload}: ${m.bin} is not built\n`);
  const outcomes: { name: string; outcome: 'valid' | 'invalid' | 'unknown' | 'crashed' }[] = [];
  for (const d of present) {
    const name = `${d.workload} ${d.bin}`;
    io.err(`\n# ${name}\n`);
    const code = await testCommand(demoTestArgs(argv, d, dir), io);
    outcomes.push({ name, outcome: code === 0 ? 'valid' : code === 1 ? 'invalid' : code === 2 ? 'unknown' : 'crashed' });
    if (io.signal?.aborted) break;
  }
  const section = (title: string, o: string) => {
    const xs = outcomes.filter((x) => x.outcome === o);
    return `# ${title}\n\n${xs.map((x) => x.name).join('\n')}${xs.length ? '\n' : ''}`;
  };
  io.out(['', section('Successful tests', 'valid'), section('Indeterminate tests', 'unknown'), section('Crashed tests', 'crashed'), section('Failed tests', 'invalid')].join('\n'));
  const count = (o: string) => outcomes.filter((x) => x.outcome === o).length;
  io.out(`\n${count('valid')} successes\n${count('unknown')} unknown\n${count('crashed')} crashed\n${count('invalid')} failures\n`);
  return demoExitCode(outcomes.map((x) => x.outcome));
}
