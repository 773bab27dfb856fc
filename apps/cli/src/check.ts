/**
 * `gyre check`: checks a history file against a model without running anything, like elle-cli
 * and Knossos's command line. Reads Gyre's JSON Lines, JSON arrays, Jepsen / Maelstrom EDN, the
 * Jepsen etcd logs and Porcupine's kv traces.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pairIndex, reindex, stringifyJson, type Op } from '@gyre/history';
import { elleModels } from './check-elle';
import { jepsenModels, linModels, type CheckModel, type CheckOptions, type ExplainMode, type Locator, type ModelOutcome } from './check-models';
import { FORMAT_DOCS, HISTORY_FORMATS, InputError, detectFormat, parseHistoryText, type HistoryFormat, type ParsedHistory } from './check-input';

/** What a command writes to (a subset of cli.ts's `Io`). */
export interface CheckIo {
  out: (s: string) => void;
  err: (s: string) => void;
  cwd: string;
}

/** Every model, by name, in help order. */
export const CHECK_MODELS: ReadonlyMap<string, CheckModel> = new Map([...linModels, ...elleModels, ...jepsenModels].map((m) => [m.name, m]));

/** Exit codes of `gyre check`. */
export const CHECK_EXIT = { valid: 0, invalid: 1, unknown: 2, usage: 254 } as const;

/** The outcome lines Maelstrom prints (cli.ts's OUTCOME, repeated here to avoid an import cycle). */
const OUTCOME = {
  valid: 'Everything looks good! ヽ(‘ー`)ノ',
  invalid: 'Analysis invalid! (ﾉಥ益ಥ）ﾉ ┻━┻',
  unknown: 'Errors occurred during analysis, but no anomalies found. ಠ~ಠ',
} as const;

/** Parsed command line of `gyre check`. */
export interface CheckArgs {
  model: string | undefined;
  format: HistoryFormat | undefined;
  json: boolean;
  /** `--explain all`: explain every failing key of every file. */
  explainAll: boolean;
  files: string[];
  options: CheckOptions;
  help: boolean;
}

class UsageError extends Error {}

function intArg(name: string, v: string, min = 0): number {
  if (!/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`${name} must be an integer${min > 0 ? ` of at least ${min}` : ''}, got ${JSON.stringify(v)}`);
  return Number(v);
}

function listArg(v: string): string[] {
  return v
    .split(/[\s,]+/)
    .map((s) => s.replace(/^:/, ''))
    .filter((s) => s !== '');
}

/** Parses the arguments after `check`; throws a usage error with a message. */
export function parseCheckArgs(argv: readonly string[]): CheckArgs {
  const a: CheckArgs = { model: undefined, format: undefined, json: false, explainAll: false, files: [], options: {}, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      a.files.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      a.files.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('-') && v !== '-')) throw new UsageError(`Missing argument for "${flag}"`);
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        a.help = true;
        break;
      case '-m':
      case '--model':
        a.model = value();
        break;
      case '-f':
      case '--format': {
        const v = value();
        if (!(HISTORY_FORMATS as readonly string[]).includes(v)) throw new UsageError(`--format must be one of ${HISTORY_FORMATS.join(', ')}, got ${JSON.stringify(v)}`);
        a.format = v as HistoryFormat;
        break;
      }
      case '--json':
        a.json = true;
        break;
      case '--explain': {
        const v = value();
        if (v !== 'first' && v !== 'all') throw new UsageError(`--explain must be first or all, got ${JSON.stringify(v)}`);
        a.explainAll = v === 'all';
        break;
      }
      case '-c':
      case '--consistency-models':
        a.options.consistencyModels = listArg(value());
        break;
      case '-a':
      case '--anomalies':
        a.options.anomalies = listArg(value());
        break;
      case '-s':
      case '--cycle-search-timeout':
        a.options.cycleSearchTimeout = intArg('--cycle-search-timeout', value(), 1);
        break;
      case '-g':
      case '--group-size':
        a.options.groupSize = intArg('--group-size', value(), 1);
        break;
      case '-n':
      case '--allow-negative-balances':
      case '--negative-balances':
        a.options.negativeBalances = true;
        break;
      case '-o':
      case '--total-amount': {
        const v = value();
        if (!/^-?\d+$/.test(v)) throw new UsageError(`--total-amount must be an integer, got ${JSON.stringify(v)}`);
        a.options.totalAmount = Number(v);
        break;
      }
      case '--accounts':
        a.options.accounts = listArg(value());
        break;
      case '--time-limit': {
        const v = value();
        if (!/^(\d+\.?\d*|\.\d+)$/.test(v) || Number(v) <= 0) throw new UsageError(`--time-limit must be a positive number of seconds, got ${JSON.stringify(v)}`);
        a.options.timeLimit = Number(v);
        break;
      }
      default:
        throw new UsageError(`Unknown option: ${JSON.stringify(arg)}`);
    }
  }
  return a;
}

/** The help text of `gyre check`. */
export function checkHelp(): string {
  const models = [...CHECK_MODELS.values()].map((m) => `  ${m.name.padEnd(16)} ${m.summary}`).join('\n');
  const formats = HISTORY_FORMATS.map((f) => `  ${f.padEnd(10)} ${FORMAT_DOCS[f]}`).join('\n');
  return `Usage: gyre check --model MODEL [OPTIONS ...] FILE [FILE ...]

Checks recorded histories against a model, without running anything: histories from Gyre or
Maelstrom runs, from Jepsen tests, or from your own tools.

Models:
${models}

Formats (detected from the content; --format forces one):
${formats}

Options:
  -m, --model MODEL                 The model to check against (required).
  -f, --format FORMAT               The file format: ${HISTORY_FORMATS.join(', ')}.
      --json                        Print the full result as JSON (one object per file, one per line),
                                    every failing key explained.
      --explain first|all           Linearizability: explain in full the first failing key of the
                                    first failing file (first; later ones in brief), or every
                                    failing key of every file (all) [default: first].
  -c, --consistency-models LIST     Elle: models the history must satisfy, comma-separated
                                    [default: strict-serializable].
  -a, --anomalies LIST              Elle: further anomalies that must not occur, comma-separated.
  -s, --cycle-search-timeout MS     Elle: milliseconds of cycle search per component [default: 1000].
      --time-limit SECONDS          Linearizability: give up (verdict unknown) after this long
                                    [default: no limit].
  -g, --group-size N                long-fork: how many keys every read covers [default: not checked].
  -n, --allow-negative-balances     bank: negative balances are allowed.
  -o, --total-amount N              bank: the total every read must show [default: the first read's].
      --accounts LIST               bank: the account ids [default: the first read's].
  -h, --help                        Print this help.

Exit codes:
  0    every file is valid
  1    a file is invalid
  2    a file's validity is unknown (and none is invalid)
  254  bad usage, or a file that cannot be read or does not fit the model`;
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
export function shapeMismatch(model: CheckModel, history: readonly Op[], lines: readonly number[]): { message: string; line: number } | undefined {
  const fits = (m: CheckModel, op: Op) => !isClient(op) || (op.type !== 'invoke' && op.type !== 'ok') || m.shape(op) === undefined;
  for (let i = 0; i < history.length; i++) {
    const op = history[i]!;
    if (fits(model, op)) continue;
    const problem = model.shape(op)!;
    const others = [...CHECK_MODELS.values()].filter((m) => m !== model && history.every((o) => fits(m, o))).map((m) => m.name);
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

/** The result of checking one file. */
interface FileOutcome {
  code: number;
}

function checkFile(file: string, args: CheckArgs, model: CheckModel, io: CheckIo, many: boolean, explain: ExplainMode): FileOutcome {
  const path = resolve(io.cwd, file);
  const fail = (message: string, line?: number): FileOutcome => {
    io.err(`${file}${line ? `:${line}` : ''}: ${message}\n`);
    if (args.json) io.out(stringifyJson({ file, model: model.name, valid: null, error: message, ...(line ? { line } : {}) }) + '\n');
    return { code: CHECK_EXIT.usage };
  };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') return fail('is a directory, not a history file');
    return fail(code === 'ENOENT' ? `no such file (looked for ${path})` : `cannot read: ${(e as Error).message}`);
  }
  if (text.trim() === '') return fail('the file is empty: there is no history to check');
  const format = args.format ?? detectFormat(text);
  if (!format) return fail(`cannot tell the format of this file from its content; use --format (${HISTORY_FORMATS.join(', ')})`, 1);
  let parsed: ParsedHistory;
  try {
    parsed = parseHistoryText(text, format);
  } catch (e) {
    if (e instanceof InputError) return fail(`not a readable ${format} history: ${e.message}`, e.line);
    throw e;
  }
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
  const outcome: ModelOutcome =
    clients === 0
      ? { valid: 'unknown', result: { valid: 'unknown', error: NO_CLIENTS }, text: [`Unknown: ${NO_CLIENTS}.`] }
      : model.run(ops, { ...args.options, explain }, loc);
  const verdict = outcome.valid === true ? 'valid' : outcome.valid === false ? 'invalid' : 'unknown';
  if (args.json) {
    io.out(stringifyJson({ file, model: model.name, format, ops: ops.length, valid: outcome.valid, result: outcome.result }) + '\n');
  } else {
    io.out(`${file}: ${model.name}, ${format}, ${ops.length} history entries (${clients} client operations)${renumbered ? ', renumbered (its :index values did not increase)' : ''}\n`);
    for (const line of outcome.text) io.out(`  ${line}\n`);
    io.out(`${file}\t${verdict === 'valid' ? 'VALID' : verdict === 'invalid' ? 'INVALID' : 'UNKNOWN'}\n`);
    if (!many) io.out(`\n${OUTCOME[verdict]}\n`);
  }
  return { code: CHECK_EXIT[verdict] };
}

/** `gyre check`: returns the exit code. */
export async function checkCommand(argv: readonly string[], io: CheckIo): Promise<number> {
  let args: CheckArgs;
  try {
    args = parseCheckArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n\nRun \`gyre check --help\` for every option.\n`);
      return CHECK_EXIT.usage;
    }
    throw e;
  }
  if (args.help) {
    io.out(checkHelp() + '\n');
    return 0;
  }
  const usage = (m: string) => {
    io.err(`${m}\n\nRun \`gyre check --help\` for every option.\n`);
    return CHECK_EXIT.usage;
  };
  if (args.files.length === 0) return usage('Expected a history FILE to check.');
  if (args.model === undefined) return usage(`Expected --model MODEL: one of ${[...CHECK_MODELS.keys()].join(', ')}.`);
  const model = CHECK_MODELS.get(args.model);
  if (!model) return usage(`Unknown model ${JSON.stringify(args.model)}: expected one of ${[...CHECK_MODELS.keys()].join(', ')}.`);
  const o = args.options;
  if (model.family !== 'elle' && (o.consistencyModels || o.anomalies || o.cycleSearchTimeout !== undefined)) {
    return usage(`--consistency-models, --anomalies and --cycle-search-timeout apply to the Elle models (list-append, rw-register), not to ${model.name}.`);
  }
  if (model.family !== 'linearizability' && o.timeLimit !== undefined) return usage(`--time-limit applies to the linearizability models, not to ${model.name}.`);
  if (model.family !== 'linearizability' && args.explainAll) return usage(`--explain applies to the linearizability models, not to ${model.name} (whose results are always explained in full).`);
  if (model.name !== 'long-fork' && o.groupSize !== undefined) return usage('--group-size applies to --model long-fork only.');
  if (model.name !== 'bank' && (o.negativeBalances || o.totalAmount !== undefined || o.accounts)) return usage('--allow-negative-balances, --total-amount and --accounts apply to --model bank only.');
  const validationError = model.validateOptions?.(o);
  if (validationError) return usage(validationError);

  let code = 0;
  const rank = (c: number) => (c === CHECK_EXIT.usage ? 3 : c === CHECK_EXIT.invalid ? 2 : c === CHECK_EXIT.unknown ? 1 : 0);
  // Explanations cost more than verdicts: in full for the first failing file only, unless asked.
  let explained = false;
  for (const file of args.files) {
    const r = checkFile(file, args, model, io, args.files.length > 1, args.explainAll || args.json ? 'all' : explained ? 'brief' : 'first');
    if (r.code === CHECK_EXIT.invalid) explained = true;
    if (rank(r.code) > rank(code)) code = r.code;
  }
  return code;
}
