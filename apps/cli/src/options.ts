/**
 * `gyre test` options: Maelstrom's (and the Jepsen options it inherits), with Maelstrom's
 * defaults and validation, plus Gyre's own (marked "Gyre" in the help). The defaults of the options
 * a workload sees are `@gyre/workloads`' ({@link defaultWorkloadOptions}), help text included.
 */
import { FAULTS } from '@gyre/nemesis';
import { nodeIdsProblem, type RunLogFormat } from '@gyre/runner';
import { DEFAULT_KEY_COUNT, defaultWorkloadOptions, TOPOLOGY_NAMES, WORKLOADS, type WorkloadOptions } from '@gyre/workloads';
import { OptionError, didYouMean, parseOptions, type CommandSpec, type OptionRow } from './args';

export { OptionError } from './args';

/** The parsed options of `gyre test` (and of `analyze`, `demo`, which reuse them). */
export interface TestOptions {
  workload: string;
  bin: string | undefined;
  /** Arguments passed through to the binary (positional words and everything after `--`). */
  binArgs: string[];
  nodes: string[];
  /** The raw `--concurrency` value, e.g. `"2n"`; resolved against the node count. */
  concurrencySpec: string;
  concurrency: number;
  timeLimit: number;
  testCount: number;
  rate: number;
  latency: number;
  latencyDist: 'constant' | 'uniform' | 'exponential';
  nemesis: string[];
  nemesisInterval: number;
  /** Gyre: which nodes a kill or pause picks from (`one`, `minority`, `majority`, `all`). */
  nemesisTargets: ('one' | 'minority' | 'majority' | 'all')[];
  topology: string;
  availability: 'total' | number | undefined;
  consistencyModels: string[];
  keyCount: number | undefined;
  maxTxnLength: number;
  maxWritesPerKey: number;
  logStderr: boolean;
  logNetSend: boolean;
  logNetRecv: boolean;
  leaveDbRunning: boolean;
  loggingJson: boolean;
  /** Gyre: the run's seed (random when absent; always printed). */
  seed: string | undefined;
  /** Gyre: seconds to wait for recovery before the final phase. Maelstrom: 10. */
  recoveryTime: number;
  /** Gyre: the longest line a node may write, in MiB (`--max-line-mib`); a longer one is skipped and counted. */
  maxLineMib: number;
  /** Gyre: keep the nodes' working directories in the run directory (`--keep-node-dirs`). */
  keepNodeDirs: boolean;
  /** Gyre: the store directory. */
  store: string;
  /** Gyre: force the live console line on or off (default: on when stderr is a terminal). */
  progress: boolean | undefined;
  /** Gyre: print every operation as Jepsen's worker lines (`0 :invoke :echo "..."`), as Maelstrom does. */
  logOps: boolean;
  /** Print the results map at the end, as Maelstrom does (`--no-print-results` leaves it out). */
  printResults: boolean;
  /** Gyre: write a JUnit XML report here, one test case per run. */
  junit: string | undefined;
}

/** What `parseTestArgs` returns. */
export interface ParseResult {
  options: TestOptions;
  /** Arguments that were accepted but probably not meant (the Gossip Glomers 6c en dash). */
  warnings: string[];
  help: boolean;
  version: boolean;
}

/** `gyre test`'s options while they are read: the options, and the raw values resolved at the end. */
export interface TestDraft {
  o: TestOptions;
  acc: {
    nodeFlags: string[];
    nodesList: string[];
    nodesFile: string | undefined;
    nodeCount: number | undefined;
    consistencyRaw: string;
    concurrencyRaw: string;
  };
}

/** A row of `gyre test`'s table (and of the commands that take its options). */
export type TestRow = OptionRow<TestDraft>;

function positiveInt(name: string, v: string): number {
  if (!/^\d+$/.test(v) || Number(v) <= 0) throw new OptionError(`${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return Number(v);
}
function nonNegInt(name: string, v: string): number {
  if (!/^\d+$/.test(v)) throw new OptionError(`${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return Number(v);
}
function number(name: string, v: string): number {
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v.trim())) throw new OptionError(`${name} must be a number, got ${JSON.stringify(v)}`);
  return Number(v);
}
/** A value that must be one of `choices`, with a suggestion when it is close to one. */
function oneOf<T extends string>(name: string, v: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(v)) throw new OptionError(`${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(v)}${didYouMean(v, choices)}`);
  return v as T;
}
/** Comma-separated values, each one of `choices`, without repeats. */
function someOf<T extends string>(name: string, what: string, v: string, choices: readonly T[]): T[] {
  const xs = v.split(/\s*,\s*/).filter((s) => s !== '');
  for (const x of xs) if (!(choices as readonly string[]).includes(x)) throw new OptionError(`${name}: unknown ${what} ${JSON.stringify(x)}; expected one or more of ${choices.join(', ')}${didYouMean(x, choices)}`);
  return [...new Set(xs)] as T[];
}

/** The built-in workloads' names, from @gyre/workloads. */
export const WORKLOAD_NAMES: readonly string[] = Object.keys(WORKLOADS).sort();
const NEMESIS_TARGETS = ['one', 'minority', 'majority', 'all'] as const;
const LATENCY_DISTS = ['constant', 'uniform', 'exponential'] as const;
/** The workload options' defaults, from @gyre/workloads: the table's defaults of the options a workload sees. */
const WORKLOAD_DEFAULTS = defaultWorkloadOptions();

/**
 * `--concurrency`'s default, for the help, as a user spells it: `Kn` when the workloads' default
 * is K workers per node (Maelstrom's `1n`), else the number. Without `--concurrency`, a run gets
 * the workloads' default for its node count.
 */
function defaultConcurrencyText(): string {
  const workers = (count: number) => defaultWorkloadOptions({ nodes: Array.from({ length: count }, (_, i) => `n${i}`) }).concurrency;
  const perNode = workers(1);
  return [2, 3, 5].every((n) => workers(n) === n * perNode) ? `${perNode}n` : String(perNode);
}

/** `--store DIR`, shared by every command that reads or writes the store; `set` says where it goes. */
export const storeRow = <D>(set: (d: D, v: string) => void): OptionRow<D> => ({ long: 'store', arg: 'DIR', gyre: true, def: 'store', desc: 'Where runs are stored.', set });

/** Every option of `gyre test`, in help order: Maelstrom's and Jepsen's, then Gyre's own. */
export const TEST_ROWS: readonly TestRow[] = [
  { long: 'bin', arg: 'FILE', desc: 'The node binary to test (required).', set: (d, v) => (d.o.bin = v) },
  {
    long: 'workload',
    short: 'w',
    arg: 'NAME',
    def: 'lin-kv',
    desc: `Which workload to run: ${WORKLOAD_NAMES.join(', ')}, or a plugin (a path to a module, or a package name).`,
    set: (d, v) => (d.o.workload = v),
  },
  { long: 'node-count', arg: 'NUM', desc: 'How many nodes to run: n0, n1, ... Overrides --node/--nodes.', set: (d, v) => (d.acc.nodeCount = positiveInt('--node-count', v)) },
  { long: 'node', short: 'n', arg: 'HOSTNAME', defText: WORKLOAD_DEFAULTS.nodes.join(' '), desc: 'A node id; may be repeated.', set: (d, v) => d.acc.nodeFlags.push(v) },
  { long: 'nodes', arg: 'LIST', desc: 'Comma-separated node ids: letters, digits, -, _ and ., starting with a letter or digit; not a client id (c0, c1, …) or a service id (lin-kv, …).', set: (d, v) => d.acc.nodesList.push(...v.split(/,\s*/).filter((s) => s !== '')) },
  { long: 'nodes-file', arg: 'FILE', desc: 'A file of node ids, one per line.', set: (d, v) => (d.acc.nodesFile = v) },
  {
    long: 'concurrency',
    arg: 'N[n]',
    defText: defaultConcurrencyText(),
    desc: 'Client worker threads: an integer, or an integer followed by n to multiply by the node count (2n).',
    set: (d, v) => {
      if (!/^\d+n?$/.test(v)) throw new OptionError(`--concurrency must be an integer, optionally followed by n (like 10 or 2n), got ${JSON.stringify(v)}`);
      d.acc.concurrencyRaw = v;
    },
  },
  { long: 'time-limit', arg: 'SECONDS', def: String(WORKLOAD_DEFAULTS.timeLimit), desc: 'How long the main phase runs, in seconds.', set: (d, v) => (d.o.timeLimit = positiveInt('--time-limit', v)) },
  { long: 'test-count', arg: 'N', def: '1', desc: 'Run the test this many times, stopping at the first invalid or unknown result.', set: (d, v) => (d.o.testCount = positiveInt('--test-count', v)) },
  {
    long: 'rate',
    arg: 'RATE',
    def: String(WORKLOAD_DEFAULTS.rate),
    desc: 'Aggregate client requests per second, across all clients (gaps uniform in [0, 2/rate)). 0: no main-phase requests.',
    set: (d, v) => {
      const r = number('--rate', v);
      if (r < 0) throw new OptionError(`--rate must be at least 0, got ${v}`);
      d.o.rate = r;
    },
  },
  { long: 'latency', arg: 'MILLIS', def: String(WORKLOAD_DEFAULTS.latency), desc: 'Mean latency between servers (nodes and services), in ms. Clients see none.', set: (d, v) => (d.o.latency = nonNegInt('--latency', v)) },
  {
    long: 'latency-dist',
    arg: 'TYPE',
    def: 'constant',
    desc: 'Latency distribution: constant, uniform (in [0, 2·latency)) or exponential.',
    set: (d, v) => (d.o.latencyDist = oneOf('--latency-dist', v, LATENCY_DISTS)),
  },
  {
    long: 'nemesis',
    arg: 'FAULTS',
    desc: `Faults to inject, comma-separated: ${FAULTS.join(', ')}.`,
    set: (d, v) => (d.o.nemesis = [...new Set([...d.o.nemesis, ...someOf('--nemesis', 'fault', v, FAULTS)])]),
  },
  {
    long: 'nemesis-interval',
    arg: 'SECONDS',
    def: '10',
    desc: 'Mean seconds between nemesis operations.',
    set: (d, v) => {
      const n = number('--nemesis-interval', v);
      if (!(n > 0)) throw new OptionError(`--nemesis-interval must be a positive number, got ${v}`);
      d.o.nemesisInterval = n;
    },
  },
  {
    long: 'nemesis-targets',
    arg: 'SPECS',
    gyre: true,
    def: NEMESIS_TARGETS.join(','),
    desc: `Which nodes a kill or pause picks from, comma-separated: ${NEMESIS_TARGETS.join(', ')}.`,
    set: (d, v) => {
      const ts = someOf('--nemesis-targets', 'target', v, NEMESIS_TARGETS);
      if (ts.length === 0) throw new OptionError(`--nemesis-targets needs at least one of ${NEMESIS_TARGETS.join(', ')}`);
      d.o.nemesisTargets = ts;
    },
  },
  {
    long: 'topology',
    arg: 'SPEC',
    def: WORKLOAD_DEFAULTS.topology,
    desc: `Broadcast topology: ${TOPOLOGY_NAMES.join(', ')}.`,
    set: (d, v) => (d.o.topology = oneOf('--topology', v, TOPOLOGY_NAMES)),
  },
  {
    long: 'availability',
    arg: 'EXPECTED',
    desc: 'Required fraction of ok operations: total (all of them), or a number from 0 to 1.',
    set: (d, v) => {
      if (v === 'total' || v === ':total') {
        d.o.availability = 'total';
        return;
      }
      const n = number('--availability', v);
      if (n < 0 || n > 1) throw new OptionError(`--availability must be total or a number from 0 to 1, got ${v}`);
      d.o.availability = n;
    },
  },
  {
    long: 'consistency-models',
    arg: 'MODELS',
    def: WORKLOAD_DEFAULTS.consistencyModels.join(','),
    desc: 'Consistency models the txn workloads check, comma-separated (Maelstrom\'s "a , b" spelling also works).',
    set: (d, v) => (d.acc.consistencyRaw = v),
  },
  { long: 'key-count', arg: 'INT', defText: String(DEFAULT_KEY_COUNT), desc: 'Active keys for the txn and kafka workloads.', set: (d, v) => (d.o.keyCount = positiveInt('--key-count', v)) },
  { long: 'max-txn-length', arg: 'INT', def: String(WORKLOAD_DEFAULTS.maxTxnLength), desc: 'Longest transaction (kafka: 1).', set: (d, v) => (d.o.maxTxnLength = positiveInt('--max-txn-length', v)) },
  { long: 'max-writes-per-key', arg: 'INT', def: String(WORKLOAD_DEFAULTS.maxWritesPerKey), desc: 'Writes per key before it is retired (txn, kafka).', set: (d, v) => (d.o.maxWritesPerKey = positiveInt('--max-writes-per-key', v)) },
  { long: 'log-stderr', desc: "Echo each node's STDERR to the console.", set: (d) => (d.o.logStderr = true) },
  { long: 'log-net-send', desc: 'Log every message entering the network.', set: (d) => (d.o.logNetSend = true) },
  { long: 'log-net-recv', desc: 'Log every message delivered.', set: (d) => (d.o.logNetRecv = true) },
  {
    long: 'log-ops',
    gyre: true,
    desc: 'Print every operation as it is invoked and completes, as Jepsen\'s worker lines (0 :invoke :echo "Please echo 35"), as Maelstrom does. They are always in history.txt and gyre.log.',
    set: (d) => (d.o.logOps = true),
  },
  { long: 'no-print-results', gyre: true, desc: 'Leave out the results map (results.edn) that is printed above the summary at the end, as Maelstrom prints it.', set: (d) => (d.o.printResults = false) },
  { long: 'leave-db-running', desc: 'Accepted for compatibility; Gyre always stops its nodes.', set: (d) => (d.o.leaveDbRunning = true) },
  {
    long: 'logging-json',
    desc:
      'Write the run log (gyre.log) as JSON lines: one object per line, {"time", "level", "thread", "message"}, the fields of a text line. ' +
      'time: local time, YYYY-MM-DD HH:MM:SS,mmm (gyre sim: virtual time since the start, HH:MM:SS,mmm); level: INFO, WARN or ERROR; thread: gyre, worker N or nemesis.',
    set: (d) => (d.o.loggingJson = true),
  },
  { long: 'username', arg: 'USER', desc: 'Accepted for compatibility; unused.', set: null },
  { long: 'password', arg: 'PASS', desc: 'Accepted for compatibility; unused.', set: null },
  { long: 'strict-host-key-checking', desc: 'Accepted for compatibility; unused.', set: null },
  { long: 'no-ssh', desc: 'Accepted for compatibility; unused.', set: null },
  { long: 'ssh-private-key', arg: 'FILE', desc: 'Accepted for compatibility; unused.', set: null },
  { long: 'seed', arg: 'SEED', gyre: true, defText: 'random', desc: 'Seed for every random choice Gyre makes (values, gaps, latencies, faults). Printed at the start of every run.', set: (d, v) => (d.o.seed = v) },
  {
    long: 'recovery-time',
    arg: 'SECONDS',
    gyre: true,
    def: '10',
    desc: 'Seconds to wait for recovery before the final reads (workloads with a final phase).',
    set: (d, v) => {
      const n = number('--recovery-time', v);
      if (n < 0) throw new OptionError(`--recovery-time must be at least 0, got ${v}`);
      d.o.recoveryTime = n;
    },
  },
  {
    long: 'max-line-mib',
    arg: 'MIB',
    gyre: true,
    def: '64',
    desc: 'The longest line a node may write on STDOUT or STDERR, in MiB: a longer one is skipped without being held in memory, and counted as a protocol error (line-too-long).',
    set: (d, v) => {
      const n = number('--max-line-mib', v);
      if (!(n > 0)) throw new OptionError(`--max-line-mib must be a positive number, got ${v}`);
      d.o.maxLineMib = n;
    },
  },
  {
    long: 'keep-node-dirs',
    gyre: true,
    desc: "Keep each node's working directory (gyre sim: its directory) in the run directory, under node-dirs/, where gyre serve shows it. Without it they are temporary and removed when the run ends.",
    set: (d) => (d.o.keepNodeDirs = true),
  },
  storeRow((d, v) => (d.o.store = v)),
  {
    long: 'junit',
    arg: 'FILE',
    gyre: true,
    desc: 'Write a JUnit XML report for CI systems: one test case per run (with --seeds, per seed); a failing one carries the anomaly summary and the path of its report (report.html, or results.json when the pages could not be written).',
    set: (d, v) => (d.o.junit = v),
  },
  { long: 'progress', gyre: true, desc: 'Show the live status line even when not on a terminal.', set: (d) => (d.o.progress = true) },
  { long: 'no-progress', gyre: true, desc: 'Never show the live status line.', set: (d) => (d.o.progress = false) },
];

/** Dashes that look like a hyphen but are not: en dash, em dash, minus sign, and friends. */
const FAKE_DASH = /^[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]-?/;

/** A word that is not an option goes to the binary, with a warning when it starts with a dash look-alike. */
function binArg(d: TestDraft, word: string, next: string | undefined, warn: (m: string) => void): void {
  if (FAKE_DASH.test(word)) {
    const fixed = word.replace(FAKE_DASH, '--');
    warn(
      `The argument ${JSON.stringify(word)} starts with ${describeDash(word)}, not "--", so it is not an option: like Maelstrom, Gyre passes it${next !== undefined && !next.startsWith('-') ? ` and ${JSON.stringify(next)}` : ''} to your binary as an argument. ` +
        `Did you mean ${JSON.stringify(fixed)}? (This comes from a widely copied Gossip Glomers command line; as written, it does not enable ${fixed}.)`,
    );
  }
  d.o.binArgs.push(word);
}

/**
 * A fresh draft: what has no default in the table ({@link TEST_ROWS} sets the rest), the options a
 * workload sees from {@link WORKLOAD_DEFAULTS}.
 */
function testDraft(): TestDraft {
  const { nodes, nemesis, availability, keyCount, seed } = WORKLOAD_DEFAULTS;
  return {
    o: { bin: undefined, binArgs: [], nodes: [...nodes], nemesis: [...nemesis], availability, keyCount, seed: seed === undefined ? undefined : String(seed), logStderr: false, logNetSend: false, logNetRecv: false, leaveDbRunning: false, loggingJson: false, keepNodeDirs: false, progress: undefined, logOps: false, printResults: true, junit: undefined } as Partial<TestOptions> as TestOptions,
    acc: { nodeFlags: [], nodesList: [], nodesFile: undefined, nodeCount: undefined, consistencyRaw: '', concurrencyRaw: '' },
  };
}

/** The parts of `gyre test`'s spec that the commands taking its options share. */
export const TEST_SPEC_PARTS = {
  positional: binArg,
  afterDashes: (d: TestDraft, words: string[]) => d.o.binArgs.push(...words),
  draft: testDraft,
};

/** `gyre test`: its table, help and exit codes. */
export const TEST_SPEC: CommandSpec<TestDraft> = {
  command: 'gyre test',
  usage: 'Usage: gyre test [OPTIONS ...] [-- ARGS FOR THE BINARY]\n\nRuns a workload against your node binary.',
  sections: [{ title: 'Options', rows: TEST_ROWS }],
  footer: `Exit codes:
  0    every run was valid
  1    a run was invalid
  2    a run's validity was unknown
  254  bad or missing options, or an unknown command
  255  the test crashed (a node failed to start, init, or exited mid-run)`,
  ...TEST_SPEC_PARTS,
};

/**
 * Resolves a parsed draft into the options: the node list (--node-count wins; else nodes-file,
 * --nodes, --node, dropping the default when --nodes/--nodes-file is used), the concurrency
 * against the node count, the consistency models. `readFile` reads `--nodes-file`.
 */
export function resolveTestDraft(d: TestDraft, readFile: (path: string) => string, warn: (m: string) => void): TestOptions {
  const { o, acc } = d;
  if (acc.nodeCount !== undefined) {
    o.nodes = Array.from({ length: acc.nodeCount }, (_, i) => `n${i}`);
  } else {
    const fileNodes = acc.nodesFile !== undefined ? readFile(acc.nodesFile).split('\n').map((s) => s.trim()).filter((s) => s !== '') : [];
    const explicit = [...fileNodes, ...acc.nodesList];
    if (explicit.length || acc.nodeFlags.length) o.nodes = [...explicit, ...acc.nodeFlags];
  }
  const badIds = nodeIdsProblem(o.nodes);
  if (badIds) throw new OptionError(badIds);
  for (const n of o.nodes) {
    if (n.startsWith('c')) warn(`Node id ${JSON.stringify(n)} starts with "c", which Maelstrom and Gyre treat as a client: it will see no latency and count as client traffic.`);
  }
  if (acc.concurrencyRaw === '') {
    o.concurrencySpec = defaultConcurrencyText();
    o.concurrency = defaultWorkloadOptions({ nodes: o.nodes }).concurrency;
  } else {
    o.concurrencySpec = acc.concurrencyRaw;
    const m = /^(\d+)(n?)$/.exec(acc.concurrencyRaw)!;
    o.concurrency = Number(m[1]) * (m[2] ? o.nodes.length : 1);
    if (o.concurrency <= 0) throw new OptionError(`--concurrency must be positive, got ${acc.concurrencyRaw}`);
  }
  o.consistencyModels = splitModels(acc.consistencyRaw);
  return o;
}

/**
 * Parses `gyre test` arguments (everything after `test`). Throws {@link OptionError} for bad
 * options. `readFile` reads `--nodes-file` (injected so parsing stays testable).
 */
export function parseTestArgs(argv: readonly string[], readFile: (path: string) => string = () => ''): ParseResult {
  const p = parseOptions(TEST_SPEC, argv);
  const options = resolveTestDraft(p.draft, readFile, (m) => p.warnings.push(m));
  return { options, warnings: p.warnings, help: p.help, version: p.version };
}

/** Splits `--consistency-models`: Maelstrom's `a , b` and plain commas both work. */
export function splitModels(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim().replace(/^:/, ''))
    .filter((s) => s !== '');
}

function describeDash(a: string): string {
  const c = a.codePointAt(0)!;
  const names: Record<number, string> = { 0x2013: 'an en dash (–)', 0x2014: 'an em dash (—)', 0x2212: 'a minus sign (−)', 0x2010: 'a Unicode hyphen (‐)', 0x2011: 'a non-breaking hyphen (‑)', 0x2012: 'a figure dash (‒)', 0x2015: 'a horizontal bar (―)' };
  return names[c] ?? `the character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** How the run writes gyre.log: `json` with `--logging-json`, else `text`. */
export function logFormat(o: TestOptions): RunLogFormat {
  return o.loggingJson ? 'json' : 'text';
}

/** `--max-line-mib` in bytes. */
export function maxLineBytes(o: TestOptions): number {
  return Math.round(o.maxLineMib * 1024 * 1024);
}

/**
 * What a run takes from the parsed `gyre test` options besides the workload and what it sees
 * ({@link workloadOptions}) and the line cap ({@link maxLineBytes}): the same for `gyre test`'s
 * node processes and `gyre sim`'s simulated nodes.
 */
export function runSettings(o: TestOptions) {
  return { latencyDist: o.latencyDist, nemesisInterval: o.nemesisInterval, nemesisTargets: o.nemesisTargets, recoveryTime: o.recoveryTime };
}

/** The options a workload sees, from the parsed `gyre test` options. */
export function workloadOptions(o: TestOptions): WorkloadOptions {
  return {
    nodes: o.nodes,
    concurrency: o.concurrency,
    rate: o.rate,
    timeLimit: o.timeLimit,
    latency: o.latency,
    topology: o.topology,
    keyCount: o.keyCount,
    maxTxnLength: o.maxTxnLength,
    maxWritesPerKey: o.maxWritesPerKey,
    consistencyModels: o.consistencyModels,
    availability: o.availability,
    nemesis: o.nemesis,
    seed: o.seed,
  };
}
