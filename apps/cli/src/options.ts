/**
 * `gyre test` options: Maelstrom's (and the Jepsen options it inherits), with Maelstrom's
 * defaults and validation, plus Gyre's own (marked "Gyre" in the help).
 */
import type { WorkloadOptions } from '@gyre/workloads';

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
  /** Gyre: the store directory. */
  store: string;
  /** Gyre: force the live console line on or off (default: on when stderr is a terminal). */
  progress: boolean | undefined;
}

/** A bad option: the message says which and why. */
export class OptionError extends Error {
  override name = 'OptionError';
}

/** Warnings about arguments that were accepted but probably not meant (the 6c en dash). */
export interface ParseResult {
  options: TestOptions;
  warnings: string[];
  help: boolean;
}

type Setter = (o: TestOptions, v: string, acc: Acc) => void;
interface Acc {
  nodeFlags: string[];
  nodesList: string[];
  nodesFile: string | undefined;
  nodeCount: number | undefined;
  consistencyRaw: string | undefined;
  concurrencyRaw: string;
}

interface Spec {
  long: string;
  short?: string;
  arg?: string;
  desc: string;
  def?: string;
  gyre?: boolean;
  set: Setter | null;
}

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

export const WORKLOAD_NAMES = [
  'broadcast',
  'echo',
  'g-counter',
  'g-set',
  'kafka',
  'lin-kv',
  'pn-counter',
  'txn-list-append',
  'txn-rw-register',
  'unique-ids',
] as const;
const TOPOLOGIES = ['grid', 'line', 'total', 'tree', 'tree2', 'tree3', 'tree4'];
const NEMESES = ['partition', 'kill', 'pause'];
const NEMESIS_TARGETS = ['one', 'minority', 'majority', 'all'] as const;

/** Every option of `gyre test`, in help order. */
const TEST_OPTIONS: Spec[] = [
  { long: 'bin', arg: 'FILE', desc: 'The node binary to test (required).', set: (o, v) => (o.bin = v) },
  {
    long: 'workload',
    short: 'w',
    arg: 'NAME',
    def: 'lin-kv',
    desc: `Which workload to run: ${WORKLOAD_NAMES.join(', ')}, or a plugin (a path to a module, or a package name).`,
    set: (o, v) => (o.workload = v),
  },
  { long: 'node-count', arg: 'NUM', desc: 'How many nodes to run: n0, n1, ... Overrides --node/--nodes.', set: (_o, v, a) => (a.nodeCount = positiveInt('--node-count', v)) },
  { long: 'node', short: 'n', arg: 'HOSTNAME', def: 'n1 n2 n3 n4 n5', desc: 'A node id; may be repeated.', set: (_o, v, a) => a.nodeFlags.push(v) },
  { long: 'nodes', arg: 'LIST', desc: 'Comma-separated node ids.', set: (_o, v, a) => a.nodesList.push(...v.split(/,\s*/).filter((s) => s !== '')) },
  { long: 'nodes-file', arg: 'FILE', desc: 'A file of node ids, one per line.', set: (_o, v, a) => (a.nodesFile = v) },
  {
    long: 'concurrency',
    arg: 'N[n]',
    def: '1n',
    desc: 'Client worker threads: an integer, or an integer followed by n to multiply by the node count (2n).',
    set: (_o, v, a) => {
      if (!/^\d+n?$/.test(v)) throw new OptionError(`--concurrency must be an integer, optionally followed by n (like 10 or 2n), got ${JSON.stringify(v)}`);
      a.concurrencyRaw = v;
    },
  },
  { long: 'time-limit', arg: 'SECONDS', def: '60', desc: 'How long the main phase runs, in seconds.', set: (o, v) => (o.timeLimit = positiveInt('--time-limit', v)) },
  { long: 'test-count', arg: 'N', def: '1', desc: 'Run the test this many times, stopping at the first invalid or unknown result.', set: (o, v) => (o.testCount = positiveInt('--test-count', v)) },
  {
    long: 'rate',
    arg: 'RATE',
    def: '5',
    desc: 'Aggregate client requests per second, across all clients (gaps uniform in [0, 2/rate)). 0: no main-phase requests.',
    set: (o, v) => {
      const r = number('--rate', v);
      if (r < 0) throw new OptionError(`--rate must be at least 0, got ${v}`);
      o.rate = r;
    },
  },
  { long: 'latency', arg: 'MILLIS', def: '0', desc: 'Mean latency between servers (nodes and services), in ms. Clients see none.', set: (o, v) => (o.latency = nonNegInt('--latency', v)) },
  {
    long: 'latency-dist',
    arg: 'TYPE',
    def: 'constant',
    desc: 'Latency distribution: constant, uniform (in [0, 2·latency)) or exponential.',
    set: (o, v) => {
      if (v !== 'constant' && v !== 'uniform' && v !== 'exponential') throw new OptionError(`--latency-dist must be one of constant, uniform, exponential, got ${JSON.stringify(v)}`);
      o.latencyDist = v;
    },
  },
  {
    long: 'nemesis',
    arg: 'FAULTS',
    desc: `Faults to inject, comma-separated: ${NEMESES.join(', ')}.`,
    set: (o, v) => {
      const fs = v.split(/\s*,\s*/).filter((s) => s !== '');
      for (const f of fs) if (!NEMESES.includes(f)) throw new OptionError(`--nemesis: unknown fault ${JSON.stringify(f)}; expected one or more of ${NEMESES.join(', ')}`);
      o.nemesis = [...new Set([...o.nemesis, ...fs])];
    },
  },
  {
    long: 'nemesis-interval',
    arg: 'SECONDS',
    def: '10',
    desc: 'Mean seconds between nemesis operations.',
    set: (o, v) => {
      const n = number('--nemesis-interval', v);
      if (!(n > 0)) throw new OptionError(`--nemesis-interval must be a positive number, got ${v}`);
      o.nemesisInterval = n;
    },
  },
  {
    long: 'nemesis-targets',
    arg: 'SPECS',
    gyre: true,
    def: 'one,minority,majority,all',
    desc: 'Which nodes a kill or pause picks from, comma-separated: one, minority, majority, all.',
    set: (o, v) => {
      const ts = v.split(/\s*,\s*/).filter((s) => s !== '');
      if (ts.length === 0) throw new OptionError('--nemesis-targets needs at least one of one, minority, majority, all');
      for (const t of ts) if (!NEMESIS_TARGETS.includes(t as never)) throw new OptionError(`--nemesis-targets: unknown target ${JSON.stringify(t)}; expected some of ${NEMESIS_TARGETS.join(', ')}`);
      o.nemesisTargets = [...new Set(ts)] as TestOptions['nemesisTargets'];
    },
  },
  {
    long: 'topology',
    arg: 'SPEC',
    def: 'grid',
    desc: `Broadcast topology: ${TOPOLOGIES.join(', ')}.`,
    set: (o, v) => {
      if (!TOPOLOGIES.includes(v)) throw new OptionError(`--topology must be one of ${TOPOLOGIES.join(', ')}, got ${JSON.stringify(v)}`);
      o.topology = v;
    },
  },
  {
    long: 'availability',
    arg: 'EXPECTED',
    desc: 'Required fraction of ok operations: total (all of them), or a number from 0 to 1.',
    set: (o, v) => {
      if (v === 'total' || v === ':total') {
        o.availability = 'total';
        return;
      }
      const n = number('--availability', v);
      if (n < 0 || n > 1) throw new OptionError(`--availability must be total or a number from 0 to 1, got ${v}`);
      o.availability = n;
    },
  },
  {
    long: 'consistency-models',
    arg: 'MODELS',
    def: 'strict-serializable',
    desc: 'Consistency models the txn workloads check, comma-separated (Maelstrom\'s "a , b" spelling also works).',
    set: (_o, v, a) => (a.consistencyRaw = v),
  },
  { long: 'key-count', arg: 'INT', desc: 'Active keys for the txn and kafka workloads (default 10).', set: (o, v) => (o.keyCount = positiveInt('--key-count', v)) },
  { long: 'max-txn-length', arg: 'INT', def: '4', desc: 'Longest transaction (kafka: 1).', set: (o, v) => (o.maxTxnLength = positiveInt('--max-txn-length', v)) },
  { long: 'max-writes-per-key', arg: 'INT', def: '16', desc: 'Writes per key before it is retired (txn, kafka).', set: (o, v) => (o.maxWritesPerKey = positiveInt('--max-writes-per-key', v)) },
  { long: 'log-stderr', desc: "Echo each node's STDERR to the console.", set: (o) => (o.logStderr = true) },
  { long: 'log-net-send', desc: 'Log every message entering the network.', set: (o) => (o.logNetSend = true) },
  { long: 'log-net-recv', desc: 'Log every message delivered.', set: (o) => (o.logNetRecv = true) },
  { long: 'leave-db-running', desc: 'Accepted for compatibility; Gyre always stops its nodes.', set: (o) => (o.leaveDbRunning = true) },
  { long: 'logging-json', desc: 'Write the run log (gyre.log) as JSON lines.', set: (o) => (o.loggingJson = true) },
  { long: 'username', arg: 'USER', desc: 'Accepted for compatibility; unused.', set: null },
  { long: 'password', arg: 'PASS', desc: 'Accepted for compatibility; unused.', set: null },
  { long: 'strict-host-key-checking', desc: 'Accepted for compatibility; unused.', set: null },
  { long: 'no-ssh', desc: 'Accepted for compatibility; unused.', set: null },
  { long: 'ssh-private-key', arg: 'FILE', desc: 'Accepted for compatibility; unused.', set: null },
  { long: 'seed', arg: 'SEED', gyre: true, desc: 'Seed for every random choice Gyre makes (values, gaps, latencies, faults). Printed at the start of every run.', set: (o, v) => (o.seed = v) },
  {
    long: 'recovery-time',
    arg: 'SECONDS',
    gyre: true,
    def: '10',
    desc: 'Seconds to wait for recovery before the final reads (workloads with a final phase).',
    set: (o, v) => {
      const n = number('--recovery-time', v);
      if (n < 0) throw new OptionError(`--recovery-time must be at least 0, got ${v}`);
      o.recoveryTime = n;
    },
  },
  { long: 'store', arg: 'DIR', gyre: true, def: 'store', desc: 'Where runs are stored.', set: (o, v) => (o.store = v) },
  { long: 'progress', gyre: true, desc: 'Show the live status line even when not on a terminal.', set: (o) => (o.progress = true) },
  { long: 'no-progress', gyre: true, desc: 'Never show the live status line.', set: (o) => (o.progress = false) },
  { long: 'help', short: 'h', desc: 'Show this help.', set: null },
];

/** Default options before parsing. */
function defaultOptions(): TestOptions {
  return {
    workload: 'lin-kv',
    bin: undefined,
    binArgs: [],
    nodes: ['n1', 'n2', 'n3', 'n4', 'n5'],
    concurrencySpec: '1n',
    concurrency: 5,
    timeLimit: 60,
    testCount: 1,
    rate: 5,
    latency: 0,
    latencyDist: 'constant',
    nemesis: [],
    nemesisInterval: 10,
    nemesisTargets: ['one', 'minority', 'majority', 'all'],
    topology: 'grid',
    availability: undefined,
    consistencyModels: ['strict-serializable'],
    keyCount: undefined,
    maxTxnLength: 4,
    maxWritesPerKey: 16,
    logStderr: false,
    logNetSend: false,
    logNetRecv: false,
    leaveDbRunning: false,
    loggingJson: false,
    seed: undefined,
    recoveryTime: 10,
    store: 'store',
    progress: undefined,
  };
}

/** Dashes that look like a hyphen but are not: en dash, em dash, minus sign, and friends. */
const FAKE_DASH = /^[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/;

/**
 * Parses `gyre test` arguments (everything after `test`). Throws {@link OptionError} for bad
 * options. `readFile` reads `--nodes-file` (injected so parsing stays testable).
 */
export function parseTestArgs(argv: readonly string[], readFile: (path: string) => string = () => ''): ParseResult {
  const o = defaultOptions();
  const acc: Acc = { nodeFlags: [], nodesList: [], nodesFile: undefined, nodeCount: undefined, consistencyRaw: undefined, concurrencyRaw: '1n' };
  const warnings: string[] = [];
  let help = false;
  const byLong = new Map(TEST_OPTIONS.map((s) => [s.long, s]));
  const byShort = new Map(TEST_OPTIONS.filter((s) => s.short).map((s) => [s.short!, s]));
  const errors: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      o.binArgs.push(...argv.slice(i + 1));
      break;
    }
    let spec: Spec | undefined;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (eq >= 0) inline = a.slice(eq + 1);
      spec = byLong.get(name);
      if (!spec) {
        errors.push(`Unknown option: "--${name}"${suggest(name)}`);
        continue;
      }
    } else if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      spec = byShort.get(a[1]!);
      if (a.length > 2) inline = a.slice(2);
      if (!spec) {
        errors.push(`Unknown option: "${a}"`);
        continue;
      }
    } else {
      if (FAKE_DASH.test(a)) {
        const fixed = a.replace(/^[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]-?/, '--');
        const next = argv[i + 1];
        warnings.push(
          `The argument ${JSON.stringify(a)} starts with ${describeDash(a)}, not "--", so it is not an option: like Maelstrom, Gyre passes it${next !== undefined && !next.startsWith('-') ? ` and ${JSON.stringify(next)}` : ''} to your binary as an argument. ` +
            `Did you mean ${JSON.stringify(fixed)}? (This comes from a widely copied Gossip Glomers command line; as written, it does not enable ${fixed}.)`,
        );
      }
      o.binArgs.push(a);
      continue;
    }
    if (spec.long === 'help') {
      help = true;
      continue;
    }
    let value: string | undefined;
    if (spec.arg) {
      value = inline ?? argv[++i];
      if (value === undefined) {
        errors.push(`Missing argument for "--${spec.long}" (${spec.arg})`);
        continue;
      }
    } else if (inline !== undefined) {
      errors.push(`"--${spec.long}" takes no value`);
      continue;
    }
    if (!spec.set) continue;
    try {
      spec.set(o, value ?? '', acc);
    } catch (e) {
      if (e instanceof OptionError) errors.push(e.message);
      else throw e;
    }
  }
  if (errors.length) throw new OptionError(errors.join('\n'));

  // Node list: --node-count wins; else nodes-file, --nodes, --node (dropping the default when --nodes/--nodes-file is used).
  if (acc.nodeCount !== undefined) {
    o.nodes = Array.from({ length: acc.nodeCount }, (_, i) => `n${i}`);
  } else {
    const fileNodes = acc.nodesFile !== undefined ? readFile(acc.nodesFile).split('\n').map((s) => s.trim()).filter((s) => s !== '') : [];
    const explicit = [...fileNodes, ...acc.nodesList];
    if (explicit.length || acc.nodeFlags.length) o.nodes = [...explicit, ...acc.nodeFlags];
  }
  for (const n of o.nodes) {
    if (n.startsWith('c')) warnings.push(`Node id ${JSON.stringify(n)} starts with "c", which Maelstrom and Gyre treat as a client: it will see no latency and count as client traffic.`);
  }
  if (new Set(o.nodes).size !== o.nodes.length) throw new OptionError(`Node ids must be unique, got ${o.nodes.join(', ')}`);
  o.concurrencySpec = acc.concurrencyRaw;
  const m = /^(\d+)(n?)$/.exec(acc.concurrencyRaw)!;
  o.concurrency = Number(m[1]) * (m[2] ? o.nodes.length : 1);
  if (o.concurrency <= 0) throw new OptionError(`--concurrency must be positive, got ${acc.concurrencyRaw}`);
  if (acc.consistencyRaw !== undefined) o.consistencyModels = splitModels(acc.consistencyRaw);
  return { options: o, warnings, help };
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

function suggest(name: string): string {
  let best: string | undefined;
  let bestD = 3;
  for (const s of TEST_OPTIONS) {
    const d = editDistance(name, s.long);
    if (d < bestD) {
      bestD = d;
      best = s.long;
    }
  }
  return best ? `; did you mean "--${best}"?` : '';
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** The option table as help text. */
export function optionsHelp(): string {
  const rows = TEST_OPTIONS.map((s) => {
    const flag = `${s.short ? `-${s.short}, ` : '    '}--${s.long}${s.arg ? ' ' + s.arg : ''}`;
    const def = s.def !== undefined ? ` [default: ${s.def}]` : '';
    return `  ${flag.padEnd(34)} ${s.gyre ? '(Gyre) ' : ''}${s.desc}${def}`;
  });
  return rows.join('\n');
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
