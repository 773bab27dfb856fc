/**
 * `gyre demo`: runs the bundled example nodes across the workloads and prints a summary the way
 * Maelstrom's `demo` does. The nodes are the copies the build puts in dist/examples/ (installed
 * with the package), else the repository's examples/ (running from sources).
 */
import { accessSync, chmodSync, constants, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OptionError, parseOptions, parseOrExit, readOptionFile, type CommandSpec } from './args';
import type { Io } from './io';
import { resolveTestDraft, TEST_ROWS, TEST_SPEC_PARTS, type TestDraft, type TestRow } from './options';
import { DEMOS, type DemoEntry } from './demos';
import { testCommand } from './test';

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
  sections: [
    {
      title: 'The options of gyre test',
      rows: [
        chosenByDemo('bin', 'FILE'),
        chosenByDemo('workload', 'NAME', 'w'),
        {
          long: 'junit',
          arg: 'FILE',
          hidden: true,
          desc: '',
          set: () => {
            throw new OptionError('gyre demo writes no JUnit report; gyre test --junit FILE does, for a run of your own node');
          },
        },
        ...TEST_ROWS,
      ],
    },
  ],
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

/**
 * Where the example nodes are, for a module in `here`: the copies the build makes next to the
 * built modules (dist/examples/, also in the published package), else the repository's examples/
 * (from apps/cli/src or apps/cli/dist). The first that holds any demo node.
 */
export function examplesDir(here: string): string {
  const candidates = [join(here, 'examples'), resolve(here, '../../../examples')];
  return candidates.find((dir) => availableDemos(dir).present.length > 0) ?? candidates[candidates.length - 1]!;
}

/**
 * A directory holding `demos` runnable as they are: `dir` itself when every one is executable (a
 * clone of the repository), else executable copies in a temporary directory, removed by `done()`.
 * Package managers drop the executable bit of packed files other than the package's `bin`, so the
 * copies installed with the package are not executable.
 */
export function runnableDemos(dir: string, demos: readonly DemoEntry[]): { dir: string; done: () => void } {
  const executable = (f: string) => {
    try {
      accessSync(f, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (demos.every((d) => executable(join(dir, d.bin)))) return { dir, done: () => {} };
  const copies = mkdtempSync(join(tmpdir(), 'gyre-demo-'));
  for (const d of demos) {
    const to = join(copies, d.bin);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(join(dir, d.bin), to);
    chmodSync(to, 0o755);
  }
  return { dir: copies, done: () => rmSync(copies, { recursive: true, force: true }) };
}

/** `gyre demo [test options]`: every bundled example on its workload, then a summary like Maelstrom's. */
export async function demoCommand(argv: readonly string[], io: Io): Promise<number> {
  const parsed = parseOrExit(DEMO_SPEC, io, () => {
    const p = parseOptions(DEMO_SPEC, argv);
    return { ...p, value: resolveTestDraft(p.draft, (path) => readOptionFile('--nodes-file', resolve(io.cwd, path)), (m) => p.warnings.push(m)) };
  });
  if (typeof parsed === 'number') return parsed;
  const dir = examplesDir(dirname(fileURLToPath(import.meta.url)));
  const { present, missing } = availableDemos(dir);
  if (present.length === 0) {
    io.err(`No example nodes found under ${dir}. From a clone of the repository, build them first: \`pnpm turbo run build --filter=@gyre/examples\`.\n`);
    return 255;
  }
  for (const m of missing) io.err(`WARN  skipping ${m.workload}: ${m.bin} is not built\n`);
  const outcomes: { name: string; outcome: 'valid' | 'invalid' | 'unknown' | 'crashed' }[] = [];
  const runnable = runnableDemos(dir, present);
  try {
    for (const d of present) {
      const name = `${d.workload} ${d.bin}`;
      io.err(`\n# ${name}\n`);
      const code = await testCommand(demoTestArgs(argv, d, runnable.dir), io);
      outcomes.push({ name, outcome: code === 0 ? 'valid' : code === 1 ? 'invalid' : code === 2 ? 'unknown' : 'crashed' });
      if (io.signal?.aborted) break;
    }
  } finally {
    runnable.done();
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
