/**
 * The models `gyre check` knows: for each, what a history of it looks like (so a history of the
 * wrong shape is refused with a useful message), how to check it, and how to explain the verdict.
 */
import {
  bank,
  bankWire,
  casRegister,
  counter,
  counterBounds,
  counterBoundsWire,
  counterWire,
  fifoQueue,
  linearizable,
  linearizableWire,
  linKv,
  longFork,
  longForkWire,
  multiRegister,
  mutex,
  register,
  set,
  setFull,
  setFullWire,
  setWire,
  stringKv,
  unorderedQueue,
  type LinearFailure,
  type LinearizableResult,
  type Model,
  type Validity,
  type WireForm,
} from '@gyre/checker';
import { printEdn, valuesEqual, type Op } from '@gyre/history';
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

/** One model of `gyre check`. */
export interface CheckModel {
  name: string;
  /** One line for the help. */
  summary: string;
  /** Which options apply beyond the common ones. */
  family: 'linearizability' | 'elle' | 'jepsen';
  /** What its ops look like, for error messages. */
  expects: string;
  /** A problem with one client op (an invocation or an ok completion), or undefined when it fits. */
  shape(op: Op): string | undefined;
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
export function txn(mops: readonly string[]): (op: Op) => string | undefined {
  return (op) => {
    if (!isTxn(op.value)) return `its value ${show(op.value, 60)} (${kindOf(op)}) is not a transaction [[f k v] ...]`;
    for (const m of op.value as [string][]) if (!mops.includes(m[0])) return `it holds a "${m[0]}" micro-op, but this model's are ${mops.join(', ')}`;
    return undefined;
  };
}

const scalar = (what: string) => (op: Op) => (Array.isArray(op.value) ? `its value ${show(op.value, 40)} is a list; ${what}` : undefined);

// ---------------------------------------------------------------------------------------------
// Linearizability

function pairText(loc: Locator, index: number): string {
  const inv = loc.op(index);
  if (!inv) return `op ${index}`;
  const comp = loc.completion(index);
  const key = inv['key'] !== undefined ? ` ${show(inv['key'], 20)}` : '';
  let out = `${loc.at(index).padEnd(10)} process ${String(inv.process).padEnd(3)} ${inv.f}${key} ${inv.value === null ? '' : show(inv.value, 40)}`.trimEnd();
  if (!comp) return `${out}  → never completed`;
  out += `  → ${comp.type}`;
  if (comp.type === 'ok' && !valuesEqual(comp.value, inv.value)) out += ` ${show(comp.value, 40)}`;
  return out;
}

/**
 * How much `gyre check` explains a linearizability verdict: `first`, the first invalid partition in
 * full (the states before the failing op and a shrunk stretch); `all`, every invalid partition in
 * full (every partition is checked); `brief`, the failing op and why, from the search alone.
 */
export type ExplainMode = 'first' | 'all' | 'brief';

/** The explanation of a linearizability result. */
function explainLinear(r: LinearizableResult, loc: Locator, timeLimit: number | undefined, mode: ExplainMode = 'first'): string[] {
  const parts = r.partitions.length;
  const size = `${r.opCount} operations${parts > 1 ? ` on ${parts} keys, each checked on its own` : ''}${r.failedOps ? `; ${r.failedOps} failed ones ignored` : ''}`;
  if (r.valid === true) return [`Linearizable (${size}): each operation can be given a moment between its invocation and its completion such that, in that order, they are a legal run of the ${r.model} model.`];
  if (r.valid === 'unknown') {
    if (r.cause === 'no-operations') return [`Unknown: there is no operation to check (${r.failedOps ? `${r.failedOps} failed, and ` : ''}no operation of a client completed or changed the state), so the history shows nothing either way.`];
    const why =
      r.cause === 'timeout'
        ? `the search ran out of time${timeLimit !== undefined ? ` (--time-limit ${timeLimit})` : ''}`
        : r.cause === 'cache-limit'
          ? 'the search ran out of memory for its cache'
          : 'the search could not finish';
    const undecided = r.partitions.filter((p) => p.valid === 'unknown');
    return [`Unknown: ${why} before deciding ${undecided.length === parts ? 'the history' : `${undecided.length} of ${parts} partitions`} (${size}). No violation was found.`];
  }
  const out = [`Not linearizable (${size}).`];
  const failures = r.failures ?? (r.failure ? [r.failure] : []);
  for (const f of failures) {
    if (parts > 1) out.push(`In the partition of key ${show(f.key)}:`);
    out.push(...(mode === 'brief' ? briefFailure(f, loc) : fullFailure(r, f, loc)));
  }
  if (mode === 'first' && parts > 1) {
    const bad = r.partitions.filter((p) => p.valid === false).length;
    const unchecked = r.partitions.filter((p) => p.cause === 'not-checked').length;
    if (unchecked > 0) out.push(`${unchecked} other key${unchecked > 1 ? 's were' : ' was'} not checked once this one failed; --explain all checks and explains every key.`);
    else if (bad > 1) out.push(`${bad - 1} other key${bad > 2 ? 's are' : ' is'} not linearizable either; --explain all explains every key.`);
  }
  return out;
}

function opAt(f: LinearFailure, loc: Locator): string {
  return `${f.op.description} by process ${String(f.op.process)}, ${loc.at(f.op.index)}${f.op.completionIndex >= 0 ? ` to ${loc.at(f.op.completionIndex).replace(/^(line|op) /, '')}` : ''} (history index ${f.op.index})`;
}

function briefFailure(f: LinearFailure, loc: Locator): string[] {
  return [
    `The longest linearizable prefix found has ${f.longestPrefix.length} operations; after it, ${opAt(f, loc)} cannot be linearized${f.reason ? `: ${f.reason}` : ''}.`,
    'Run with --explain all for the states before it and a small stretch of the history that cannot be linearized.',
  ];
}

function fullFailure(r: LinearizableResult, f: LinearFailure, loc: Locator): string[] {
  const out: string[] = [];
  out.push(`The operation that cannot be linearized: ${opAt(f, loc)}.`);
  if (f.reason) out.push(`Why: ${f.reason}.`);
  if (f.states.length > 0) {
    const ds = f.states.map((s) => s.description);
    out.push(`Just before it, whatever order the earlier operations took, the ${r.model} could only be: ${ds.join(', ')}${f.statesTruncated ? ', …' : ''}.`);
  }
  const all = [...new Set([...f.stretch.ops, ...f.stretch.uncertain])].sort((a, b) => a - b);
  const uncertain = new Set(f.stretch.uncertain);
  out.push(
    `A stretch that already cannot be linearized (${loc.at(f.stretch.from)} to ${loc.at(f.stretch.to).replace(/^(line|op) /, '')}, ${all.length} operations; those marked ? count as indeterminate: they may or may not have happened${f.stretch.truncated ? '; shrinking ran out of time, so it may not be the smallest' : ''}):`,
  );
  const MAX = 40;
  for (const i of all.slice(0, MAX)) out.push(`  ${uncertain.has(i) ? '?' : ' '} ${pairText(loc, i)}${i === f.op.index ? '   <- cannot be linearized' : ''}`);
  if (all.length > MAX) out.push(`  … and ${all.length - MAX} more (see --json)`);
  return out;
}

function linModel(name: string, summary: string, expects: string, shape: (op: Op) => string | undefined, model: () => Model<any, any>): CheckModel {
  return {
    name,
    summary,
    family: 'linearizability',
    expects,
    shape,
    run(history, opts, loc) {
      const mode = opts.explain ?? 'first';
      const r = linearizable(history, {
        model: model(),
        ...(opts.timeLimit !== undefined ? { timeLimit: opts.timeLimit * 1000 } : {}),
        allPartitions: mode === 'all',
        explain: mode === 'all' ? 'all' : mode === 'first',
      });
      return { valid: r.valid, result: r, wire: linearizableWire, text: explainLinear(r, loc, opts.timeLimit, mode) };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Jepsen's checkers

function list(xs: unknown[], max = 20): string {
  const shown = xs.slice(0, max).map((x) => show(x, 30));
  return shown.join(' ') + (xs.length > max ? ` … (${xs.length} in all)` : '');
}

/** Jepsen's checkers. */
export const jepsenModels: CheckModel[] = [
  {
    name: 'set',
    summary: "Jepsen's set: adds, then a final read that must hold every acknowledged add",
    family: 'jepsen',
    expects: 'ops :add (the element) and :read (the whole set)',
    shape: flat(['add', 'read'], (op) => (op.type === 'ok' && op.f === 'read' && !Array.isArray(op.value) ? `its read value ${show(op.value, 40)} is not a set or list` : undefined)),
    run(history, _opts, loc) {
      const r = set(history);
      const text: string[] = [];
      if (r.valid === 'unknown') text.push(`Unknown: ${r.error}.`);
      else {
        text.push(`${r.attemptCount} elements attempted, ${r.acknowledgedCount} acknowledged; the final read (${loc.at(r.finalRead!.index)}) holds ${r.okCount + r.recoveredCount + r.unexpectedCount}.`);
        if (r.lostCount) text.push(`Lost (acknowledged, then missing from the final read): ${r.lostCount}: ${list(r.lost)}`);
        if (r.unexpectedCount) text.push(`Unexpected (in the final read, never added): ${r.unexpectedCount}: ${list(r.unexpected)}`);
        if (r.recoveredCount) text.push(`Recovered (add not acknowledged, present anyway; fine): ${r.recoveredCount}: ${list(r.recovered)}`);
        if (r.valid) text.push('Every acknowledged element is in the final read, and nothing unexpected is.');
      }
      return { valid: r.valid, result: r, wire: setWire, text };
    },
  },
  {
    name: 'set-full',
    summary: "Jepsen's set-full (Maelstrom's g-set and broadcast checker): once seen or acknowledged, an element must stay in every later read",
    family: 'jepsen',
    expects: 'ops :add (the element; :broadcast in Maelstrom broadcast histories) and :read (the whole set)',
    shape: flat(['add', 'broadcast', 'read'], (op) => (op.type === 'ok' && op.f === 'read' && !Array.isArray(op.value) ? `its read value ${show(op.value, 40)} is not a set or list` : undefined)),
    run(history, _opts, loc) {
      const r = setFull(history, history.some((o) => o.f === 'broadcast') ? { addF: 'broadcast' } : {});
      const valid = r.valid;
      const text = [`${r.attemptCount} elements attempted: ${r.stableCount} stable, ${r.lostCount} lost, ${r.neverReadCount} never read, ${r.staleCount} stale.`];
      if (r.lostCount) {
        text.push(`Lost (seen or acknowledged, then missing from every later read): ${list(r.lost)}`);
      }
      if (r.duplicatedCount) text.push(`Read more than once by a single read: ${r.duplicated.map(([v, n]) => `${show(v)} ×${n}`).join(', ')}`);
      if (valid === 'unknown') text.push('Unknown: no element was ever read after its add completed.');
      else if (valid === true) text.push('No element was lost.');
      for (const w of r.worstStale.slice(0, 3)) text.push(`Stale: ${show(w.element)} took ${w.stableLatency} ms to become visible to every read${w.known ? ` (known at ${loc.at(w.known.index)})` : ''}.`);
      return { valid, result: r, wire: setFullWire, text };
    },
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
    run(history, _opts, loc) {
      if (history.some((o) => o.final === true && o.f === 'read' && o.type === 'ok')) {
        // A Maelstrom g-counter / pn-counter history: reads during the run may lag (the counters are
        // eventually consistent); only the final reads must be right.
        const m = counter(history);
        const text = [`Maelstrom's counter rule (the history has final reads): ${m.finalReads.length} final reads, each must be a sum the adds could have produced: ${m.acceptable.map(([a, b]) => (a === b ? `${a}` : `${a}..${b}`)).join(', ')}.`];
        if (m.error) text.push(`Unknown: ${m.error}.`);
        for (const e of (m.errors ?? []).slice(0, 10)) text.push(`${loc.at(e.index)}: process ${String(e.process)} finally read ${show(e.value)}, which no combination of the adds gives.`);
        if (m.valid === true) text.push('Every final read is possible.');
        return { valid: m.valid, result: m, wire: counterWire, text };
      }
      const r = counterBounds(history);
      const text = [`${r.readCount} reads checked.`];
      if (r.error) text.push(`Unknown: ${r.error}.`);
      for (const e of r.errors.slice(0, 10)) text.push(`${loc.at(e.op.index)}: process ${String(e.op.process)} read ${e.value}, but while that read ran the counter was between ${e.lower} and ${e.upper}.`);
      if (r.errors.length > 10) text.push(`… and ${r.errors.length - 10} more bad reads (see --json).`);
      if (r.valid === true) text.push('Every read lies within its bounds.');
      return { valid: r.valid, result: r, wire: counterBoundsWire, text };
    },
  },
  {
    name: 'bank',
    summary: "Jepsen's bank: reads of every account conserve the total, with no negative balance",
    family: 'jepsen',
    expects: 'ops :transfer ({:from :to :amount}) and :read (a map of account to balance)',
    shape: flat(['read', 'transfer'], (op) =>
      op.type === 'ok' && op.f === 'read' && (op.value === null || typeof op.value !== 'object') ? `its read value ${show(op.value, 40)} is not a map of account to balance` : undefined,
    ),
    run(history, opts, loc) {
      const r = bank(history, {
        ...(opts.totalAmount !== undefined ? { totalAmount: opts.totalAmount } : {}),
        ...(opts.accounts ? { accounts: opts.accounts } : {}),
        negativeBalances: opts.negativeBalances ?? false,
      });
      const text: string[] = [];
      if (r.error) text.push(`Unknown: ${r.error}.`);
      else text.push(`${r.readCount} reads of accounts ${r.accounts.join(', ')}, each checked against a total of ${r.totalAmount}${opts.totalAmount === undefined ? ' (the first read’s)' : ''}.`);
      for (const [type, s] of Object.entries(r.errors)) {
        const e = s.first;
        const detail =
          e.type === 'wrong-total'
            ? `total ${e.total} instead of ${r.totalAmount} (lowest ${s.lowest!.total}, highest ${s.highest!.total})`
            : e.type === 'negative-value'
              ? `negative balances ${e.negative!.join(', ')}`
              : e.type === 'nil-balance'
                ? `no balance for accounts ${e.nils!.join(', ')}`
                : `unknown accounts ${e.unexpected!.join(', ')}`;
        text.push(`${type}: ${s.count} read${s.count > 1 ? 's' : ''}; the first, ${loc.at(e.op.index)}: ${detail}: ${show(e.op.value, 120)}`);
      }
      if (r.valid === true) text.push('Every read conserves the total' + (opts.negativeBalances ? '.' : ' and no balance is negative.'));
      return { valid: r.valid, result: r, wire: bankWire, text };
    },
  },
  {
    name: 'long-fork',
    summary: "Jepsen's long-fork: reads of a group of keys must see single inserts in one order",
    family: 'jepsen',
    expects: 'insert transactions [[w k v]] and read transactions [[r k1 v1] [r k2 v2] ...]',
    shape: txn(['r', 'w', 'read', 'write']),
    run(history, opts, loc) {
      const r = longFork(history, opts.groupSize !== undefined ? { groupSize: opts.groupSize } : {});
      const text = [`${r.readCount} reads (${r.earlyReadCount} saw nothing inserted yet, ${r.lateReadCount} saw everything).`];
      if (r.error) text.push(`Unknown: ${r.error.message}.`);
      for (const f of r.forks.slice(0, 10)) {
        const [a, b] = f.reads;
        text.push(
          `Long fork: the read at ${loc.at(a.index)} saw ${list(f.onlyFirst)} inserted but not ${list(f.onlySecond)}; the read at ${loc.at(b.index)} saw ${list(f.onlySecond)} but not ${list(f.onlyFirst)}. Each saw an insert the other missed, so they observed the inserts in opposite orders.`,
        );
      }
      if (r.forks.length > 10) text.push(`… and ${r.forks.length - 10} more forks (see --json).`);
      if (r.valid === true) text.push('Every group’s reads agree on one order of inserts.');
      return { valid: r.valid, result: r, wire: longForkWire, text };
    },
  },
];

// ---------------------------------------------------------------------------------------------

/** The linearizability models (Knossos's, Porcupine's kv, Maelstrom's lin-kv). */
export const linModels: CheckModel[] = [
  linModel(
    'cas-register',
    'a compare-and-set register (Knossos): read, write, cas [from to]',
    'ops :read, :write v and :cas [from to] on one register',
    flat(['read', 'write', 'cas'], (op) => {
      if (op.f === 'cas') return op.type === 'invoke' && !(Array.isArray(op.value) && op.value.length === 2) ? `its value ${show(op.value, 40)} is not [from to]` : undefined;
      return scalar('register values are single values (a history of [key value] pairs is lin-kv)')(op);
    }),
    () => casRegister(),
  ),
  linModel('register', 'a read/write register (Knossos)', 'ops :read and :write v on one register', flat(['read', 'write'], scalar('register values are single values (a history of [key value] pairs is lin-kv)')), () => register()),
  linModel('mutex', 'a lock (Knossos): acquire, release', 'ops :acquire and :release', flat(['acquire', 'release']), () => mutex()),
  linModel('multi-register', 'registers read and written by transactions (Knossos)', 'transactions of [read k v] / [write k v] micro-ops', txn(['read', 'write', 'r', 'w']), () => multiRegister()),
  linModel('fifo-queue', 'a FIFO queue (Knossos): enqueue, dequeue', 'ops :enqueue v and :dequeue', flat(['enqueue', 'dequeue']), () => fifoQueue()),
  linModel('unordered-queue', 'a queue without order (Knossos): enqueue, dequeue', 'ops :enqueue v and :dequeue', flat(['enqueue', 'dequeue']), () => unorderedQueue()),
  linModel(
    'kv',
    "a key-value store of strings, checked per key (Porcupine's kv traces): get, put, append",
    'ops :get, :put and :append with a string :key',
    flat(['get', 'put', 'append'], (op) => (typeof op['key'] !== 'string' ? 'it has no string :key' : undefined)),
    () => stringKv(),
  ),
  linModel(
    'lin-kv',
    "Maelstrom's lin-kv: a compare-and-set register per key, values [k v], checked per key",
    'ops :read [k v], :write [k v] and :cas [k [from to]]',
    flat(['read', 'write', 'cas'], (op) => {
      if (!(Array.isArray(op.value) && op.value.length === 2)) return `its value ${show(op.value, 40)} is not [key value]`;
      if (op.f === 'cas' && op.type === 'invoke' && !(Array.isArray(op.value[1]) && op.value[1].length === 2)) return `its value ${show(op.value, 40)} is not [key [from to]]`;
      return undefined;
    }),
    () => linKv(),
  ),
];
