/**
 * The one option parser of the `gyre` command. Each command declares its options as a table of
 * {@link OptionRow}s; from that table come the tokenizing (`node:util` `parseArgs`), the defaults,
 * the validation, the "did you mean" for misspelt options, the help text and the exit 254 message.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** A bad option or value: the message says which and why. Commands exit 254 on it. */
export class OptionError extends Error {
  override name = 'OptionError';
}

/**
 * One option of a command. The draft `D` is what the command's options accumulate into; `set`
 * applies one occurrence of the option to it (in command-line order) and throws an
 * {@link OptionError} for a bad value.
 */
export interface OptionRow<D> {
  /** The long name, without the dashes: `time-limit`. */
  long: string;
  /** A one-letter short name, without the dash: `w`. */
  short?: string;
  /** Other long names that mean the same (Maelstrom's or elle-cli's spellings). */
  aliases?: readonly string[];
  /** The value's placeholder in the help (`SECONDS`); absent for a flag, which takes no value. */
  arg?: string;
  /** One or two sentences for the help. */
  desc: string;
  /**
   * The default, spelt as a user would type it. It is applied through {@link OptionRow.set} before
   * the command line, so it is validated like any value, and the help shows it.
   */
  def?: string;
  /** The default as the help shows it, when it is decided elsewhere (a workload, the machine). */
  defText?: string;
  /** Gyre's own option, not one of Maelstrom's or Jepsen's: marked "(Gyre)" in the help. */
  gyre?: boolean;
  /** Accepted but left out of the help. */
  hidden?: boolean;
  /** Applies one occurrence (a flag's value is `''`); `null` accepts the option and ignores it. */
  set: ((draft: D, value: string) => void) | null;
}

/** A titled group of rows in a command's help. */
interface OptionSection<D> {
  title: string;
  rows: readonly OptionRow<D>[];
}

/** Everything a command's parsing and help come from. */
export interface CommandSpec<D> {
  /** The command as typed: `gyre test`. */
  command: string;
  /** The top of the help: the usage lines and what the command does (may list models, formats, ...). */
  usage: string | (() => string);
  /**
   * The option rows in help order. When two rows share a long name, the first wins (a command
   * that takes another's options lists its own rows first to override a shared one).
   */
  sections: readonly OptionSection<D>[];
  /** The end of the help (exit codes). */
  footer?: string;
  /** A fresh draft: the fields without a table default. */
  draft: () => D;
  /**
   * A word that is not an option. Absent: an error. `next` is the word after it; `warn` records a
   * warning the command prints before it starts.
   */
  positional?: (draft: D, word: string, next: string | undefined, warn: (message: string) => void) => void;
  /** The words after `--`. Absent: each goes to {@link CommandSpec.positional}. */
  afterDashes?: (draft: D, words: string[]) => void;
}

/** What {@link parseOptions} read. */
export interface ParsedOptions<D> {
  draft: D;
  /** `-h` / `--help` was given. */
  help: boolean;
  /** `--version` was given. */
  version: boolean;
  /** Arguments that were accepted but were probably not meant (an en dash in `–-nemesis`). */
  warnings: string[];
  /** The long names of the options the command line gave (not the defaults). */
  given: ReadonlySet<string>;
}

/** The rows every command has. */
const HELP_ROW: OptionRow<unknown> = { long: 'help', short: 'h', desc: 'Show this help and exit.', set: null };
const VERSION_ROW: OptionRow<unknown> = { long: 'version', desc: "Print Gyre's version and exit.", set: null };

/** The rows of a command, first of each long name, with `--help` and `--version`. */
export function rowsOf<D>(spec: CommandSpec<D>): OptionRow<D>[] {
  const seen = new Set<string>();
  const rows: OptionRow<D>[] = [];
  for (const r of [...spec.sections.flatMap((s) => s.rows), HELP_ROW, VERSION_ROW] as OptionRow<D>[]) {
    if (seen.has(r.long)) continue;
    seen.add(r.long);
    rows.push(r);
  }
  return rows;
}

/**
 * Parses a command's arguments by its table: applies the defaults, then each option in order.
 * Collects every problem and throws one {@link OptionError} listing them all.
 */
export function parseOptions<D>(spec: CommandSpec<D>, argv: readonly string[]): ParsedOptions<D> {
  const rows = rowsOf(spec);
  const byName = new Map<string, OptionRow<D>>();
  const config: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const r of rows) {
    for (const name of [r.long, ...(r.aliases ?? [])]) {
      byName.set(name, r);
      config[name] = { type: r.arg ? 'string' : 'boolean', ...(r.short && name === r.long ? { short: r.short } : {}) };
    }
  }
  const shorts = new Set(rows.flatMap((r) => (r.short ? [r.short] : [])));
  const isOption = (word: string) => {
    if (word.startsWith('--')) return byName.has(word.slice(2).split('=')[0]!);
    return word.length > 1 && word.startsWith('-') && shorts.has(word[1]!);
  };

  const draft = spec.draft();
  for (const r of rows) if (r.def !== undefined && r.set) r.set(draft, r.def);

  const errors: string[] = [];
  const warnings: string[] = [];
  const given = new Set<string>();
  let help = false;
  let version = false;
  const positional = (word: string, next: string | undefined) => {
    if (spec.positional) tryTo(() => spec.positional!(draft, word, next, (m) => warnings.push(m)));
    else errors.push(`Unexpected argument ${JSON.stringify(word)} (${spec.command} takes only options)${suggestFor(word, rows)}`);
  };
  const tryTo = (f: () => void) => {
    try {
      f();
    } catch (e) {
      if (e instanceof OptionError) errors.push(e.message);
      else throw e;
    }
  };
  const { tokens } = parseArgs({ args: [...argv], options: config, strict: false, allowPositionals: true, tokens: true });
  const seenIndex = new Set<number>();
  for (const token of tokens) {
    if (token.kind === 'option-terminator') {
      const rest = argv.slice(token.index + 1);
      if (spec.afterDashes) tryTo(() => spec.afterDashes!(draft, rest));
      else for (let i = 0; i < rest.length; i++) positional(rest[i]!, rest[i + 1]);
      break;
    }
    if (token.kind === 'positional') {
      positional(token.value, argv[token.index + 1]);
      continue;
    }
    const raw = argv[token.index]!;
    // A negative number is a word, as in Maelstrom (`-5` goes to the binary).
    if (/^-\d/.test(raw)) {
      if (!seenIndex.has(token.index)) positional(raw, argv[token.index + 1]);
      seenIndex.add(token.index);
      continue;
    }
    const row = byName.get(token.name);
    if (!row) {
      errors.push(`Unknown option: ${JSON.stringify(token.rawName)}${token.rawName.startsWith('--') ? suggestFor(token.name, rows) : ''}`);
      continue;
    }
    if (row === (HELP_ROW as OptionRow<unknown>)) help = true;
    if (row === (VERSION_ROW as OptionRow<unknown>)) version = true;
    let value = '';
    if (row.arg) {
      // parseArgs takes the next word as the value whatever it is; an option there means the value was left out.
      if (token.value === undefined || (!token.inlineValue && isOption(token.value))) {
        errors.push(`Missing argument for ${JSON.stringify(token.rawName)} (${row.arg})`);
        continue;
      }
      value = token.value;
    } else if (token.value !== undefined) {
      errors.push(`${JSON.stringify(token.rawName)} takes no value`);
      continue;
    }
    given.add(row.long);
    if (row.set) tryTo(() => row.set!(draft, value));
  }
  if (errors.length) throw new OptionError(errors.join('\n'));
  return { draft, help, version, warnings, given };
}

/** `; did you mean "--x"?` for the nearest option name, or `''`. */
function suggestFor<D>(name: string, rows: readonly OptionRow<D>[]): string {
  const best = nearest(
    name.replace(/^-+/, ''),
    rows.filter((r) => !r.hidden).flatMap((r) => [r.long, ...(r.aliases ?? [])]),
  );
  return best === undefined ? '' : `; did you mean "--${best}"?`;
}

/**
 * The candidate nearest to a misspelt word (case-insensitive edit distance, a swap of two letters
 * counting one), or undefined when none is close: at most one edit per three letters.
 */
function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.floor(w.length / 3));
  let best: string | undefined;
  let bestD = limit + 1;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/** `; did you mean "x"?` for the nearest candidate, or `''`. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const best = nearest(word, candidates);
  return best === undefined ? '' : `; did you mean ${JSON.stringify(best)}?`;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

const FLAG_WIDTH = 34;
const WIDTH = 100;

/** Wraps words to `width` columns, indenting every line after the first by `indent` spaces. */
function wrap(words: readonly string[], indent: number, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line !== '' && indent + line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join('\n' + ' '.repeat(indent));
}

/** One row of the help: flags, description, default (never split across lines). */
function helpRow<D>(r: OptionRow<D>): string {
  const flag = `${r.short ? `-${r.short}, ` : '    '}--${r.long}${r.arg ? ' ' + r.arg : ''}`;
  const def = r.def ?? r.defText;
  const words = [...(r.gyre ? ['(Gyre)'] : []), ...r.desc.split(' '), ...(def !== undefined ? [`[default: ${def}]`] : [])];
  const indent = 2 + FLAG_WIDTH + 1;
  const head = `  ${flag.padEnd(FLAG_WIDTH)} `;
  return head.length > indent ? `  ${flag}\n${' '.repeat(indent)}${wrap(words, indent, WIDTH)}` : head + wrap(words, indent, WIDTH);
}

/** A command's help, from its table. */
export function helpText<D>(spec: CommandSpec<D>): string {
  const seen = new Set<string>();
  const sections = spec.sections.map((s) => {
    const rows = s.rows.filter((r) => !seen.has(r.long) && (seen.add(r.long), !r.hidden));
    return `${s.title}:\n${rows.map(helpRow).join('\n')}`;
  });
  const common = [HELP_ROW, VERSION_ROW].map(helpRow).join('\n');
  const usage = typeof spec.usage === 'function' ? spec.usage() : spec.usage;
  return [usage, ...sections, `Every command:\n${common}`, ...(spec.footer ? [spec.footer] : [])].join('\n\n') + '\n';
}

/** Where a command writes. */
export interface Out {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** A command's parse: the flags every command has, the warnings, and its own result. */
export interface Parsed<R> {
  help: boolean;
  version: boolean;
  warnings: readonly string[];
  value: R;
}

/**
 * Runs a command's parse and answers what it can on the spot: `--help` (exit 0), `--version`
 * (exit 0), a bad option (its message and a pointer to the help, exit 254). Otherwise prints the
 * warnings and returns the parsed value.
 */
export function parseOrExit<D, R>(spec: CommandSpec<D>, io: Out, parse: () => Parsed<R>): R | number {
  let p: Parsed<R>;
  try {
    p = parse();
  } catch (e) {
    if (!(e instanceof OptionError)) throw e;
    return usageError(io, spec.command, e.message);
  }
  if (p.help) {
    io.out(helpText(spec));
    return 0;
  }
  if (p.version) {
    io.out(versionLine());
    return 0;
  }
  for (const w of p.warnings) io.err(`WARNING: ${w}\n`);
  return p.value;
}

/** {@link parseOrExit} for a command whose parsed options are its draft. */
export function parseCommand<D>(spec: CommandSpec<D>, argv: readonly string[], io: Out): D | number {
  return parseOrExit(spec, io, () => {
    const p = parseOptions(spec, argv);
    return { ...p, value: p.draft };
  });
}

/** Prints a usage problem and a pointer to the command's help; returns 254. */
export function usageError(io: Out, command: string, message: string): number {
  io.err(`${message}\n\nRun \`${command} --help\` for every option.\n`);
  return 254;
}

/** Reads a file named by an option; a missing or unreadable file is an {@link OptionError}. */
export function readOptionFile(option: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new OptionError(`${option} ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

let version: string | undefined;

/** `gyre 0.1.0`: the CLI package's version, read from its package.json (src/ and dist/ are both one level down). */
export function versionLine(): string {
  version ??= (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return `gyre ${version}\n`;
}
