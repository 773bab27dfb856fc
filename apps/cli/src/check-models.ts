/**
 * The models `gyre check` knows, as a catalog: for each, what a history of it looks like (so a
 * history of the wrong shape is refused with a useful message) and where its checker is. The
 * checkers and their explanations (check-lin.ts, check-jepsen.ts, check-elle.ts) are loaded only
 * when a file is checked with one of their models, so `gyre check --help` and a usage error load
 * no checker, and a linearizability check loads no Elle.
 */
import type { Validity, WireForm } from '@gyre/checker';
import { printEdn, type Op } from '@gyre/history';
import type { HistoryFormat } from './check-input';

/** Options of `gyre check` that models read. */
export interface CheckOptions {
  /** Elle: the consistency models the history must satisfy. */
  consistencyModels?: string[];
  /** Elle: further anomalies to look for. */
  anomalies?: string[];
  /** Elle: ms of cycle search per strongly connected component. */
  cycleSearchTimeout?: number;
  /** rw-register: a transaction's writes follow its reads of the same key in the version order. */
  wfrKeys?: boolean;
  /** rw-register: each process sees every key's versions in order. */
  sequentialKeys?: boolean;
  /** rw-register: real-time order orders every key's versions. */
  linearizableKeys?: boolean;
  /** long-fork: keys per read. */
  groupSize?: number;
  /** bank: allow negative balances. */
  negativeBalances?: boolean;
  /** bank: the total every read must show. */
  totalAmount?: number;
  /** bank: the account ids. */
  accounts?: string[];
  /** Linearizability: time budget in seconds. */
  timeLimit?: number;
  /** Linearizability: how much to explain. @defaultValue 'first' */
  explain?: ExplainMode;
}

/** Points at operations in the file: by history index. */
export interface Locator {
  /** "line 12" (or "op 12" when the file has no lines for ops), for an op's history index. */
  at(index: number): string;
  /** The op with this history index. */
  op(index: number): Op | undefined;
  /** The completion paired with the invocation at this history index. */
  completion(index: number): Op | undefined;
}

/** A model's verdict and what to tell a person about it. */
interface ModelOutcome {
  valid: Validity;
  /** The checker's full result, for `--json`. */
  result: unknown;
  /** How `--json` writes it: the result type's wire form (Jepsen's key names). */
  wire: WireForm;
  /** The explanation, one line per entry (no trailing newlines). */
  text: string[];
}

/** What {@link CheckModel.checkFile} found: the file's format and size, and the outcome. */
export interface FileCheck {
  format: HistoryFormat;
  /** History entries. */
  entries: number;
  /** Client invocations. */
  clients: number;
  /** True when the file's indices did not increase and entries were renumbered. */
  renumbered: boolean;
  outcome: ModelOutcome;
}

/** How a model checks; loaded (`CheckModelInfo.load`) only when a file is checked with it. */
export interface CheckRunner {
  run(history: Op[], opts: CheckOptions, loc: Locator): ModelOutcome;
  /**
   * A faster way to check a file without building its ops, when the model has one: the outcome,
   * or undefined when it does not apply (another format, or a file it cannot read; the general
   * path then reads the file and reports any problem).
   */
  checkFile?(path: string, format: HistoryFormat | undefined, opts: CheckOptions): FileCheck | undefined;
  /** A problem with the options, checked before any file is read. */
  validateOptions?(opts: CheckOptions): string | undefined;
}

/** One model of `gyre check` as the catalog lists it: what it is, and where its checker is. */
export interface CheckModelInfo {
  name: string;
  /** One line for the help. */
  summary: string;
  /** Which options apply beyond the common ones. */
  family: 'linearizability' | 'elle' | 'jepsen';
  /** What its ops look like, for error messages. */
  expects: string;
  /** A problem with one client op (an invocation or an ok completion), or undefined when it fits. */
  shape(op: Op): string | undefined;
  /** Loads the model's checker. */
  load(): Promise<CheckRunner>;
}

/** A model with its checker loaded. */
export type CheckModel = CheckModelInfo & CheckRunner;

/** EDN text of a value, shortened. */
export function show(v: unknown, max = 80): string {
  let s: string;
  try {
    s = printEdn(v);
  } catch {
    s = String(v);
  }
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
}

const isTxn = (v: unknown): boolean => Array.isArray(v) && v.every((m) => Array.isArray(m) && m.length === 3 && typeof m[0] === 'string');
const isNonEmptyTxn = (v: unknown): boolean => isTxn(v) && (v as unknown[]).length > 0;
const isInt = (v: unknown): boolean => (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';

function kindOf(op: Op): string {
  return isNonEmptyTxn(op.value) ? `a transaction of ${[...new Set((op.value as [string][]).map((m) => m[0]))].join('/')} micro-ops` : `:f ${op.f === '' ? '(none)' : op.f}`;
}

/** A shape check for ops with one of these functions and no transaction values. */
function flat(fs: readonly string[], value?: (op: Op) => string | undefined): (op: Op) => string | undefined {
  return (op) => {
    if (isNonEmptyTxn(op.value)) return `it is ${kindOf(op)}, but this model's ops are not transactions`;
    if (!fs.includes(op.f)) return `its function is ${op.f === '' ? 'missing' : `"${op.f}"`}, but this model's are ${fs.join(', ')}`;
    return value?.(op);
  };
}

/** A shape check for transactions of these micro-op functions. */
function txn(mops: readonly string[]): (op: Op) => string | undefined {
  return (op) => {
    if (!isTxn(op.value)) return `its value ${show(op.value, 60)} (${kindOf(op)}) is not a transaction [[f k v] ...]`;
    for (const m of op.value as [string][]) if (!mops.includes(m[0])) return `it holds a "${m[0]}" micro-op, but this model's are ${mops.join(', ')}`;
    return undefined;
  };
}

/** A write of nil: rw-register reads nil as the initial state, so such a write is refused. */
function nilWrite(op: Op): string | undefined {
  if (!Array.isArray(op.value)) return undefined;
  const m = (op.value as unknown[][]).find((x) => x[0] === 'w' && (x[2] === null || x[2] === undefined));
  return m ? `it writes nil to key ${show(m[1], 30)}, which rw-register cannot tell from a key never written (nil is the initial state)` : undefined;
}

const scalar = (what: string) => (op: Op) => (Array.isArray(op.value) ? `its value ${show(op.value, 40)} is a list; ${what}` : undefined);

/**
 * How much `gyre check` explains a linearizability verdict: `first`, the first invalid partition in
 * full (the states before the failing op and a shrunk stretch); `all`, every invalid partition in
 * full (every partition is checked); `brief`, the failing op and why, from the search alone.
 */
export type ExplainMode = 'first' | 'all' | 'brief';

const lin = (name: string) => async (): Promise<CheckRunner> => (await import('./check-lin')).LIN_RUNNERS[name]!;
const jepsen = (name: string) => async (): Promise<CheckRunner> => (await import('./check-jepsen')).JEPSEN_RUNNERS[name]!;
const elle = (name: string) => async (): Promise<CheckRunner> => (await import('./check-elle')).ELLE_RUNNERS[name]!;

/** A linearizability model (Knossos's, Porcupine's kv, Maelstrom's lin-kv). */
function linModel(name: string, summary: string, expects: string, shape: (op: Op) => string | undefined): CheckModelInfo {
  return { name, summary, family: 'linearizability', expects, shape, load: lin(name) };
}

/** Every model, in the order the help lists them: linearizability, Elle, Jepsen's checkers. */
export const CHECK_CATALOG: readonly CheckModelInfo[] = [
  linModel('cas-register',
    'a compare-and-set register (Knossos): read, write, cas [from to]',
    'ops :read, :write v and :cas [from to] on one register',
    flat(['read', 'write', 'cas'], (op) => {
      if (op.f === 'cas') return op.type === 'invoke' && !(Array.isArray(op.value) && op.value.length === 2) ? `its value ${show(op.value, 40)} is not [from to]` : undefined;
      return scalar('register values are single values (a history of [key value] pairs is lin-kv)')(op);
    })),
  linModel('register', 'a read/write register (Knossos)', 'ops :read and :write v on one register', flat(['read', 'write'], scalar('register values are single values (a history of [key value] pairs is lin-kv)'))),
  linModel('mutex', 'a lock (Knossos): acquire, release', 'ops :acquire and :release', flat(['acquire', 'release'])),
  linModel('multi-register', 'registers read and written by transactions (Knossos)', 'transactions of [read k v] / [write k v] micro-ops', txn(['read', 'write', 'r', 'w'])),
  linModel('fifo-queue', 'a FIFO queue (Knossos): enqueue, dequeue', 'ops :enqueue v and :dequeue', flat(['enqueue', 'dequeue'])),
  linModel('unordered-queue', 'a queue without order (Knossos): enqueue, dequeue', 'ops :enqueue v and :dequeue', flat(['enqueue', 'dequeue'])),
  linModel('kv',
    "a key-value store of strings, checked per key (Porcupine's kv traces): get, put, append",
    'ops :get, :put and :append with a string :key',
    flat(['get', 'put', 'append'], (op) => (typeof op['key'] !== 'string' ? 'it has no string :key' : undefined))),
  linModel('lin-kv',
    "Maelstrom's lin-kv: a compare-and-set register per key, values [k v], checked per key",
    'ops :read [k v], :write [k v] and :cas [k [from to]]',
    flat(['read', 'write', 'cas'], (op) => {
      if (!(Array.isArray(op.value) && op.value.length === 2)) return `its value ${show(op.value, 40)} is not [key value]`;
      if (op.f === 'cas' && op.type === 'invoke' && !(Array.isArray(op.value[1]) && op.value[1].length === 2)) return `its value ${show(op.value, 40)} is not [key [from to]]`;
      return undefined;
    })),
  {
    name: 'list-append',
    summary: "Elle's list-append: transactions of appends and reads of lists, checked for isolation anomalies",
    family: 'elle',
    expects: 'transactions of [append k v] and [r k list] micro-ops',
    shape: txn(['append', 'r']),
    load: elle('list-append'),
  },
  {
    name: 'rw-register',
    summary: "Elle's rw-register: transactions of register reads and writes, checked for isolation anomalies",
    family: 'elle',
    expects: 'transactions of [w k v] and [r k v] micro-ops, v never nil in a write',
    shape: (op) => txn(['r', 'w'])(op) ?? nilWrite(op),
    load: elle('rw-register'),
  },
  {
    name: 'set',
    summary: "Jepsen's set: adds, then a final read that must hold every acknowledged add",
    family: 'jepsen',
    expects: 'ops :add (the element) and :read (the whole set)',
    shape: flat(['add', 'read'], (op) => (op.type === 'ok' && op.f === 'read' && !Array.isArray(op.value) ? `its read value ${show(op.value, 40)} is not a set or list` : undefined)),
    load: jepsen('set'),
  },
  {
    name: 'set-full',
    summary: "Jepsen's set-full (Maelstrom's g-set and broadcast checker): once seen or acknowledged, an element must stay in every later read",
    family: 'jepsen',
    expects: 'ops :add (the element; :broadcast in Maelstrom broadcast histories) and :read (the whole set)',
    shape: flat(['add', 'broadcast', 'read'], (op) => (op.type === 'ok' && op.f === 'read' && !Array.isArray(op.value) ? `its read value ${show(op.value, 40)} is not a set or list` : undefined)),
    load: jepsen('set-full'),
  },
  {
    name: 'counter',
    summary: "Jepsen's counter: every read lies between the acknowledged and the attempted sums of adds (Maelstrom's g-counter / pn-counter rule for histories with :final? reads)",
    family: 'jepsen',
    expects: 'ops :add (an integer) and :read (an integer)',
    shape: flat(['add', 'read'], (op) => {
      if (op.f === 'add' && op.type === 'invoke' && !isInt(op.value)) return `its delta ${show(op.value, 40)} is not an integer`;
      if (op.f === 'read' && op.type === 'ok' && !isInt(op.value)) return `its read value ${show(op.value, 40)} is not an integer`;
      return undefined;
    }),
    load: jepsen('counter'),
  },
  {
    name: 'bank',
    summary: "Jepsen's bank: reads of every account conserve the total, with no negative balance",
    family: 'jepsen',
    expects: 'ops :transfer ({:from :to :amount}) and :read (a map of account to balance)',
    shape: flat(['read', 'transfer'], (op) =>
      op.type === 'ok' && op.f === 'read' && (op.value === null || typeof op.value !== 'object') ? `its read value ${show(op.value, 40)} is not a map of account to balance` : undefined,
    ),
    load: jepsen('bank'),
  },
  {
    name: 'long-fork',
    summary: "Jepsen's long-fork: reads of a group of keys must see single inserts in one order",
    family: 'jepsen',
    expects: 'insert transactions [[w k v]] and read transactions [[r k1 v1] [r k2 v2] ...]',
    shape: txn(['r', 'w', 'read', 'write']),
    load: jepsen('long-fork'),
  },
];
