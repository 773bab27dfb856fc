/**
 * `gyre check`: checks a history file against a model without running anything, like elle-cli
 * and Knossos's command line. Reads Gyre's JSON Lines, JSON arrays, Jepsen / Maelstrom EDN, the
 * Jepsen etcd logs and Porcupine's kv traces.
 */
import { resolve } from 'node:path';
import { GENERIC_WIRE, toWire, wireJson } from '@gyre/checker/wire';
import type { Validity, WireForm } from '@gyre/checker';
import { escapeControls, pairIndex, reindex, stringifyJson, type Op } from '@gyre/history';
import { CHECK_CATALOG, type CheckModel, type CheckModelInfo, type CheckOptions, type ExplainMode, type FileCheck, type Locator } from './check-models';
import { FORMAT_DOCS, HISTORY_FORMATS, readHistoryFile, type HistoryFormat, type ParsedHistory } from './check-input';
import { JUnitFile, junitProblem, type JUnitCase, type JUnitFailure } from './junit';
import { OUTCOME } from './outcome';
import { didYouMean, OptionError, parseOptions, parseOrExit, usageError, type CommandSpec, type OptionRow } from './args';

/** What a command writes to (a subset of cli.ts's `Io`). */
export interface CheckIo {
  out: (s: string) => void;
  err: (s: string) => void;
  cwd: string;
}

/** Every model, by name, in help order. */
export const CHECK_MODELS: ReadonlyMap<string, CheckModelInfo> = new Map(CHECK_CATALOG.map((m) => [m.name, m]));

/** Exit codes of `gyre check`. */
export const CHECK_EXIT = { valid: 0, invalid: 1, unknown: 2, usage: 254 } as const;

/** Parsed command line of `gyre check`. */
export interface CheckArgs {
  model: string | undefined;
  format: HistoryFormat | undefined;
  json: boolean;
  /** Write a JUnit XML report here, one test case per file. */
  junit: string | undefined;
  /** `--explain all`: explain every failing key of every file. */
  explainAll: boolean;
  files: string[];
  options: CheckOptions;
  help: boolean;
  version: boolean;
  /** The long names of the options given on the command line. */
  given: ReadonlySet<string>;
}

/** The models an option applies to: a family of models, or one model. */
type Scope = { family: CheckModel['family'] } | { model: string };

/** A row of `gyre check`'s table; `scope` limits it to some models (refused with the others). */
export interface CheckRow extends OptionRow<CheckArgs> {
  scope?: Scope;
}

function intArg(name: string, v: string, min = 0): number {
  if (!/^\d+$/.test(v) || Number(v) < min) throw new OptionError(`${name} must be an integer${min > 0 ? ` of at least ${min}` : ''}, got ${JSON.stringify(v)}`);
  return Number(v);
}

function listArg(v: string): string[] {
  return v
    .split(/[\s,]+/)
    .map((s) => s.replace(/^:/, ''))
    .filter((s) => s !== '');
}

const ELLE: Scope = { family: 'elle' };
const LIN: Scope = { family: 'linearizability' };
const BANK: Scope = { model: 'bank' };
const RW: Scope = { model: 'rw-register' };

/**
 * Every option of `gyre check`, in help order. A new option is a row here: its `set` stores the
 * value in `options` (a field of {@link CheckOptions} the models read), and its `scope` says which
 * models it applies to.
 */
const CHECK_ROWS: readonly CheckRow[] = [
  {
    long: 'model',
    short: 'm',
    arg: 'MODEL',
    desc: 'The model to check against (required).',
    set: (a, v) => {
      if (!CHECK_MODELS.has(v)) throw new OptionError(`Unknown model ${JSON.stringify(v)}: expected one of ${[...CHECK_MODELS.keys()].join(', ')}${didYouMean(v, CHECK_MODELS.keys())}`);
      a.model = v;
    },
  },
  {
    long: 'format',
    short: 'f',
    arg: 'FORMAT',
    defText: 'detected from the content',
    desc: `The file format: ${HISTORY_FORMATS.join(', ')}.`,
    set: (a, v) => {
      if (!(HISTORY_FORMATS as readonly string[]).includes(v)) throw new OptionError(`--format must be one of ${HISTORY_FORMATS.join(', ')}, got ${JSON.stringify(v)}${didYouMean(v, HISTORY_FORMATS)}`);
      a.format = v as HistoryFormat;
    },
  },
  {
    long: 'junit',
    arg: 'FILE',
    desc: 'Also write a JUnit XML report for CI systems: one test case per history file; a failing one carries what the checker found.',
    set: (a, v) => (a.junit = v),
  },
  { long: 'json', desc: "Print the full result as JSON (one object per file, one per line), with Jepsen's and Elle's key names (valid?, anomaly-types); every failing key explained.", set: (a) => (a.json = true) },
  { long: 'consistency-models', short: 'c', arg: 'LIST', scope: ELLE, defText: 'strict-serializable', desc: 'models the history must satisfy, comma-separated.', set: (a, v) => (a.options.consistencyModels = listArg(v)) },
  { long: 'anomalies', short: 'a', arg: 'LIST', scope: ELLE, desc: 'further anomalies that must not occur, comma-separated.', set: (a, v) => (a.options.anomalies = listArg(v)) },
  { long: 'cycle-search-timeout', short: 's', arg: 'MS', scope: ELLE, defText: '1000', desc: 'milliseconds of cycle search per component.', set: (a, v) => (a.options.cycleSearchTimeout = intArg('--cycle-search-timeout', v, 1)) },
  // Elle's sources of version order for registers (:wfr-keys? and friends). Each is an assumption
  // about the store; when it does not hold it makes false anomalies (often cyclic-versions).
  {
    long: 'wfr-keys',
    aliases: ['wfr-keys?'],
    scope: RW,
    desc: "assume a transaction's write of a key comes after the version it read of that key. Safe when every key's versions are installed one at a time on the version a writer read (single-copy or leader-based storage, any isolation level from read committed up); not under last-writer-wins merges of concurrent writes. Maelstrom's txn-rw-register assumes it.",
    set: (a) => (a.options.wfrKeys = true),
  },
  {
    long: 'sequential-keys',
    aliases: ['sequential-keys?'],
    scope: RW,
    desc: "assume each key is sequentially consistent: every process sees a key's versions in one order. Safe when each process talks to one up-to-date copy per key (a leader, or sticky sessions on a store with session guarantees); not when a process's reads may hit a stale replica.",
    set: (a) => (a.options.sequentialKeys = true),
  },
  {
    long: 'linearizable-keys',
    aliases: ['linearizable-keys?'],
    scope: RW,
    desc: "assume each key is linearizable: a transaction invoked after another completed sees that one's versions or newer. Safe for strict-serializable stores and per-key consensus; not for follower reads or eventually consistent replication. An assumption that does not hold makes false anomalies (often cyclic-versions); none is made by default.",
    set: (a) => (a.options.linearizableKeys = true),
  },
  {
    long: 'time-limit',
    arg: 'SECONDS',
    scope: LIN,
    defText: 'no limit',
    desc: 'give up (verdict unknown) after this long.',
    set: (a, v) => {
      if (!/^(\d+\.?\d*|\.\d+)$/.test(v) || Number(v) <= 0) throw new OptionError(`--time-limit must be a positive number of seconds, got ${JSON.stringify(v)}`);
      a.options.timeLimit = Number(v);
    },
  },
  {
    long: 'explain',
    arg: 'first|all',
    scope: LIN,
    defText: 'first',
    desc: 'explain in full the first failing key of the first failing file, later ones in brief (first), or every failing key of every file (all).',
    set: (a, v) => {
      if (v !== 'first' && v !== 'all') throw new OptionError(`--explain must be first or all, got ${JSON.stringify(v)}`);
      a.explainAll = v === 'all';
    },
  },
  { long: 'group-size', short: 'g', arg: 'N', scope: { model: 'long-fork' }, defText: 'not checked', desc: 'how many keys every read covers.', set: (a, v) => (a.options.groupSize = intArg('--group-size', v, 1)) },
  { long: 'allow-negative-balances', short: 'n', aliases: ['negative-balances'], scope: BANK, desc: 'negative balances are allowed.', set: (a) => (a.options.negativeBalances = true) },
  {
    long: 'total-amount',
    short: 'o',
    arg: 'N',
    scope: BANK,
    defText: "the first read's",
    desc: 'the total every read must show.',
    set: (a, v) => {
      if (!/^-?\d+$/.test(v)) throw new OptionError(`--total-amount must be an integer, got ${JSON.stringify(v)}`);
      a.options.totalAmount = Number(v);
    },
  },
  { long: 'accounts', arg: 'LIST', scope: BANK, defText: "the first read's", desc: 'the account ids.', set: (a, v) => (a.options.accounts = listArg(v)) },
];

/** What a scope's rows say in the help, and its name in messages. */
function scopeName(s: Scope, forHelp: boolean): string {
  if ('model' in s) return forHelp ? s.model : `--model ${s.model}`;
  if (s.family === 'linearizability') return forHelp ? 'Linearizability' : 'the linearizability models';
  const names = [...CHECK_MODELS.values()].filter((m) => m.family === s.family).map((m) => m.name);
  return forHelp ? (s.family === 'elle' ? 'Elle' : 'Jepsen') : `the ${s.family === 'elle' ? 'Elle' : 'Jepsen'} models (${names.join(', ')})`;
}

const sameScope = (a: Scope, b: Scope) => ('model' in a ? 'model' in b && a.model === b.model : 'family' in b && a.family === b.family);

/** `gyre check`'s spec: its help lists the models and formats, then the table. */
export const CHECK_SPEC: CommandSpec<CheckArgs> = {
  command: 'gyre check',
  usage: () => {
    const models = [...CHECK_MODELS.values()].map((m) => `  ${m.name.padEnd(16)} ${m.summary}`).join('\n');
    const formats = HISTORY_FORMATS.map((f) => `  ${f.padEnd(10)} ${FORMAT_DOCS[f]}`).join('\n');
    return `Usage: gyre check --model MODEL [OPTIONS ...] FILE [FILE ...]

Checks recorded histories against a model, without running anything: histories from Gyre or
Maelstrom runs, from Jepsen tests, or from your own tools.

Models:
${models}

Formats (detected from the first 64 K characters; --format forces one):
${formats}`;
  },
  sections: [{ title: 'Options', rows: CHECK_ROWS.map((r) => (r.scope ? { ...r, desc: `${scopeName(r.scope, true)}: ${r.desc}` } : r)) }],
  footer: `Exit codes:
  0    every file is valid
  1    a file is invalid
  2    a file's validity is unknown (and none is invalid)
  254  bad usage, or a file that cannot be read or does not fit the model`,
  draft: () => ({ model: undefined, format: undefined, json: false, junit: undefined, explainAll: false, files: [], options: {}, help: false, version: false, given: new Set() }),
  positional: (a, word) => a.files.push(word),
};

/** Parses the arguments after `check`; throws an {@link OptionError} with a message. */
export function parseCheckArgs(argv: readonly string[]): CheckArgs {
  const p = parseOptions(CHECK_SPEC, argv);
  return { ...p.draft, help: p.help, version: p.version, given: p.given };
}

/** Options given that do not apply to the model: a message naming them (every option of their scope), or undefined. */
function outOfScope(model: CheckModelInfo, given: ReadonlySet<string>): string | undefined {
  for (const row of CHECK_ROWS) {
    const s = row.scope;
    if (!s || !given.has(row.long) || ('model' in s ? s.model === model.name : s.family === model.family)) continue;
    const names = CHECK_ROWS.filter((r) => r.scope && sameScope(r.scope, s)).map((r) => `--${r.long}`);
    const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
    const verb = names.length === 1 ? 'applies' : 'apply';
    return 'model' in s ? `${list} ${verb} to ${scopeName(s, false)} only.` : `${list} ${verb} to ${scopeName(s, false)}, not to ${model.name}.`;
  }
  return undefined;
}

/** Builds the op locator for a parsed history (only explanations use it; it builds nothing up front). */
function locator(parsed: ParsedHistory, history: Op[]): Locator {
  let partner: Int32Array | undefined;
  /** The position of the op with this history index, or -1 (indices increase: see normaliseIndices). */
  const position = (index: number): number => {
    if (history[index]?.index === index) return index;
    let lo = 0;
    let hi = history.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (history[mid]!.index < index) lo = mid + 1;
      else hi = mid;
    }
    return history[lo]?.index === index ? lo : -1;
  };
  return {
    at(index) {
      const p = position(index);
      const line = p < 0 ? 0 : (parsed.lines[p] ?? 0);
      return line > 0 ? `line ${line}` : `op ${index}`;
    },
    op(index) {
      const p = position(index);
      return p < 0 ? undefined : history[p];
    },
    completion(index) {
      const p = position(index);
      if (p < 0) return undefined;
      partner ??= pairIndex(history);
      const q = partner[p]!;
      return q > p ? history[q] : undefined;
    },
  };
}

/** Every process but the nemesis is a client, whatever its id (`3`, `"c0"`, `:c0`). */
const isClient = (op: Op): boolean => op.process !== 'nemesis';

/** Why a history does not fit a model: the first client op that does not, with a hint. */
export function shapeMismatch(model: CheckModelInfo, history: readonly Op[], lines: readonly number[]): { message: string; line: number } | undefined {
  const fits = (m: CheckModelInfo, op: Op) => !isClient(op) || (op.type !== 'invoke' && op.type !== 'ok') || m.shape(op) === undefined;
  for (let i = 0; i < history.length; i++) {
    const op = history[i]!;
    if (fits(model, op)) continue;
    const problem = model.shape(op)!;
    const others = [...CHECK_MODELS.values()].filter((m) => m.name !== model.name && history.every((o) => fits(m, o))).map((m) => m.name);
    const hint = others.length > 0 ? ` This history looks like ${others.map((n) => `--model ${n}`).join(' or ')}.` : '';
    return {
      message: `the history does not fit --model ${model.name}: operation ${op.index} (${op.type} ${op.f === '' ? '' : op.f + ' '}${op.value === null ? '' : truncate(stringifyJson(op.value), 60)}) does not fit: ${problem}. ${model.name} expects ${model.expects}.${hint}`,
      line: lines[i] ?? 0,
    };
  }
  return undefined;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}

/** Indices must identify ops: when they do not increase strictly, the history is renumbered. */
function normaliseIndices(ops: Op[]): { ops: Op[]; renumbered: boolean } {
  for (let i = 1; i < ops.length; i++) if (!(ops[i]!.index > ops[i - 1]!.index)) return { ops: reindex(ops), renumbered: true };
  return { ops, renumbered: false };
}

const NO_CLIENTS = 'the history has no client operation (no invocation by a process other than the nemesis), so there is nothing to check';

/** The outcome of a file with no client operation: unknown, never a vacuous valid (whichever path read it). */
function noClients(): ReturnType<CheckModel['run']> {
  return { valid: 'unknown', result: { valid: 'unknown', error: NO_CLIENTS }, wire: GENERIC_WIRE, text: [`Unknown: ${NO_CLIENTS}.`] };
}

/** The result of checking one file: its exit code, and for the JUnit report what was wrong. */
interface FileOutcome {
  code: number;
  /** What the checker said (the lines printed under the file's name), or why the file was not checked. */
  details?: string;
}

/**
 * One line of `--json`: the checker's result itself, with Jepsen's and Elle's key names at the top
 * level (`valid?`, `anomaly-types`, ...), as elle-cli prints it, so tools written for elle-cli or
 * Maelstrom read it unchanged; then where it came from (`file`, `model`, `format`,
 * `history-entries`). A file that could not be checked gives `valid?` null and its `error`.
 */
function jsonLine(file: string, model: string, outcome: { valid: Validity; result: unknown; wire: WireForm; format: HistoryFormat; entries: number } | { error: string; line?: number }): string {
  if ('error' in outcome) return wireJson({ 'valid?': null, file, model, error: outcome.error, ...(outcome.line ? { line: outcome.line } : {}) });
  const written = toWire(outcome.result, outcome.wire);
  const body = written !== null && typeof written === 'object' && !Array.isArray(written) ? (written as Record<string, unknown>) : { result: written };
  return wireJson({ 'valid?': outcome.valid, ...body, file, model: body['model'] ?? model, format: outcome.format, 'history-entries': outcome.entries });
}

function checkFile(file: string, args: CheckArgs, model: CheckModel, io: CheckIo, many: boolean, explain: ExplainMode): FileOutcome {
  const path = resolve(io.cwd, file);
  const fast = model.checkFile?.(path, args.format, args.options);
  if (fast) return printOutcome(file, args, model, io, many, fast.clients === 0 ? { ...fast, outcome: noClients() } : fast);
  const fail = (message: string, line?: number): FileOutcome => {
    // Messages quote the file's content: no control character of it reaches the terminal.
    message = escapeControls(message);
    io.err(`${file}${line ? `:${line}` : ''}: ${message}\n`);
    if (args.json) io.out(jsonLine(file, model.name, { error: message, ...(line ? { line } : {}) }) + '\n');
    return { code: CHECK_EXIT.usage, details: `${file}${line ? `:${line}` : ''}: ${message}` };
  };
  const parsed = readHistoryFile(path, args.format);
  if (typeof parsed === 'string') return fail(parsed);
  if ('message' in parsed) return fail(parsed.message, parsed.line);
  const format = parsed.format;
  if (parsed.ops.length === 0) return fail(`no operations found in this ${format} file`);
  const mismatch = shapeMismatch(model, parsed.ops, parsed.lines);
  if (mismatch) return fail(mismatch.message, mismatch.line);
  if (model.family === 'jepsen') {
    // Jepsen's checkers count only integer processes as clients; a named one would be skipped silently.
    const i = parsed.ops.findIndex((o) => isClient(o) && typeof o.process !== 'number');
    if (i >= 0) {
      const op = parsed.ops[i]!;
      return fail(`operation ${op.index} is by process ${JSON.stringify(op.process)}: --model ${model.name}, like Jepsen's checker, counts only integer processes as clients (and "nemesis" as the fault injector). Number the client processes.`, parsed.lines[i]);
    }
  }
  const { ops, renumbered } = normaliseIndices(parsed.ops);
  let clients = 0;
  for (const o of ops) if (o.type === 'invoke' && isClient(o)) clients++;
  const loc = locator(parsed, ops);
  const outcome = clients === 0 ? noClients() : model.run(ops, { ...args.options, explain }, loc);
  return printOutcome(file, args, model, io, many, { format, entries: ops.length, clients, renumbered, outcome });
}

/** Prints the outcome of one file (as text or JSON) and returns its exit code. */
function printOutcome(file: string, args: CheckArgs, model: CheckModel, io: CheckIo, many: boolean, f: FileCheck): FileOutcome {
  const { outcome, format } = f;
  const verdict = outcome.valid === true ? 'valid' : outcome.valid === false ? 'invalid' : 'unknown';
  if (args.json) {
    io.out(jsonLine(file, model.name, { valid: outcome.valid, result: outcome.result, wire: outcome.wire, format, entries: f.entries }) + '\n');
  } else {
    // One write per file: a write to a pipe or a file costs more than building the block.
    let block = `${file}: ${model.name}, ${format}, ${f.entries} history entries (${f.clients} client operations)${f.renumbered ? ', renumbered (its :index values did not increase)' : ''}\n`;
    for (const line of outcome.text) block += `  ${escapeControls(line)}\n`;
    block += `${file}\t${verdict === 'valid' ? 'VALID' : verdict === 'invalid' ? 'INVALID' : 'UNKNOWN'}\n`;
    if (!many) block += `\n${OUTCOME[verdict]}\n`;
    io.out(block);
  }
  return { code: CHECK_EXIT[verdict], details: [`${model.name}, ${format}, ${f.entries} history entries`, ...outcome.text].join('\n') };
}

/** The JUnit case of one checked file. */
function fileCase(file: string, model: string, r: FileOutcome, seconds: number): JUnitCase {
  const first = r.details?.split('\n')[1] ?? r.details ?? '';
  const failure: JUnitFailure | undefined =
    r.code === CHECK_EXIT.valid
      ? undefined
      : r.code === CHECK_EXIT.usage
        ? { type: 'unreadable', message: r.details ?? 'not checked', text: r.details ?? '' }
        : { type: r.code === CHECK_EXIT.invalid ? 'invalid' : 'unknown', message: `${r.code === CHECK_EXIT.invalid ? 'INVALID' : 'UNKNOWN'}${first ? `: ${first.trim()}` : ''}`, text: r.details ?? '' };
  return { name: file, classname: `gyre.check.${model}`, seconds, ...(failure ? { failure } : {}) };
}

/** `gyre check`: returns the exit code. */
export async function checkCommand(argv: readonly string[], io: CheckIo): Promise<number> {
  const args = parseOrExit(CHECK_SPEC, io, () => {
    const a = parseCheckArgs(argv);
    return { help: a.help, version: a.version, warnings: [], value: a };
  });
  if (typeof args === 'number') return args;
  const usage = (m: string) => usageError(io, CHECK_SPEC.command, m);
  if (args.files.length === 0) return usage('Expected a history FILE to check.');
  if (args.model === undefined) return usage(`Expected --model MODEL: one of ${[...CHECK_MODELS.keys()].join(', ')}.`);
  const info = CHECK_MODELS.get(args.model)!;
  const o = args.options;
  const scopeError = outOfScope(info, args.given);
  if (scopeError) return usage(scopeError);
  // The model's checker is loaded only now: help and usage errors load none.
  const model: CheckModel = { ...info, ...(await info.load()) };
  const validationError = model.validateOptions?.(o);
  if (validationError) return usage(validationError);
  const junitError = args.junit !== undefined ? junitProblem(args.junit, io.cwd) : undefined;
  if (junitError) {
    io.err(junitError + '\n');
    return CHECK_EXIT.usage;
  }

  let code = 0;
  const rank = (c: number) => (c === CHECK_EXIT.usage ? 3 : c === CHECK_EXIT.invalid ? 2 : c === CHECK_EXIT.unknown ? 1 : 0);
  const junit = args.junit ? new JUnitFile(resolve(io.cwd, args.junit), `gyre check ${model.name}`, ['check', ...argv]) : undefined;
  // Explanations cost more than verdicts: in full for the first failing file only, unless asked.
  let explained = false;
  for (const file of args.files) {
    const t0 = performance.now();
    const r = checkFile(file, args, model, io, args.files.length > 1, args.explainAll || args.json ? 'all' : explained ? 'brief' : 'first');
    if (r.code === CHECK_EXIT.invalid) explained = true;
    if (rank(r.code) > rank(code)) code = r.code;
    // A report that cannot be written changes no verdict: said once, and the checking goes on.
    const junitFailed = junit?.add(fileCase(file, model.name, r, (performance.now() - t0) / 1000));
    if (junitFailed) io.err(`WARN  ${junitFailed}\n`);
  }
  return code;
}
