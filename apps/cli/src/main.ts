/**
 * `main`: the `gyre` command's dispatcher. Each command's module is loaded only when it runs, so
 * `gyre check` does not load the runner, the report or the simulator.
 */
import { didYouMean, versionLine } from './args';
import type { Command, Io } from './io';

/** A command of `gyre`: how the usage shows it, and how to load it. */
interface CommandEntry {
  name: string;
  /** An example line, or the bare command. */
  example: string;
  /** What it does, for the usage. */
  what: string;
  load: () => Promise<Command>;
}

/** Every command, in usage order. */
const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'test',
    example: 'gyre test -w echo --bin ./my-node --node-count 1 --time-limit 10',
    what: "run a test; gyre test --help lists every option, with Maelstrom's defaults",
    load: async () => (await import('./test')).testCommand,
  },
  { name: 'serve', example: 'gyre serve', what: "browse the store's runs, reports and files at http://127.0.0.1:8080", load: async () => (await import('./serve')).serveCommand },
  { name: 'analyze', example: 'gyre analyze', what: 'check the latest stored run again and rewrite its results', load: async () => (await import('./analyze')).analyzeCommand },
  {
    name: 'check',
    example: 'gyre check --model cas-register history.edn',
    what: 'check a recorded history (Gyre, Maelstrom, Jepsen, elle-cli)',
    load: async () => (await import('./check')).checkCommand,
  },
  { name: 'demo', example: 'gyre demo', what: 'run the bundled example nodes on their workloads', load: async () => (await import('./demo')).demoCommand },
  { name: 'doc', example: 'gyre doc', what: 'write docs/workloads.md and docs/protocol.md', load: async () => (await import('./doc')).docCommand },
  {
    name: 'sim',
    example: 'gyre sim -w broadcast --node ./my-node.ts --seeds 1000',
    what: 'TypeScript nodes in one process under virtual time, many seeds',
    load: async () => (await import('./sim')).simCommand,
  },
  {
    name: 'replay',
    example: 'gyre replay store/latest',
    what: 'run a recorded run again and report the first divergence',
    load: async () => (await import('./replay')).replayCommand,
  },
];

/** The top-level usage, from {@link COMMANDS}. */
function usage(): string {
  const names = COMMANDS.map((c) => c.name).sort();
  const lines = COMMANDS.map((c) => (c.example.length <= 22 ? `  ${c.example.padEnd(22)}  ${c.what}` : `  ${c.example}\n${' '.repeat(26)}${c.what}`));
  return `Usage: gyre COMMAND [OPTIONS ...]
Commands: ${names.join(', ')}

${lines.join('\n')}

Every command takes --help and --version.

Gyre is a drop-in replacement for Jepsen's Maelstrom: the same command lines, workloads,
results and exit codes. It is also installed as \`maelstrom\`.
`;
}

/** Runs the CLI with argv (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (command) return (await command.load())(rest, io);
  if (name === '-h' || name === '--help' || name === 'help') {
    io.out(usage());
    return 0;
  }
  if (name === '--version') {
    io.out(versionLine());
    return 0;
  }
  io.err(usage());
  if (name !== undefined) {
    io.err(`\nUnknown command: ${JSON.stringify(name)}${didYouMean(name, COMMANDS.map((c) => c.name))}\n`);
  }
  return 254;
}
