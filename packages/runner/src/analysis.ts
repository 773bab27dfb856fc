/**
 * The analysis of a run: the checkers Maelstrom runs on every test (stats, availability,
 * exceptions, net, the workload's own), composed into one result and written, by the one result
 * serializer of `@gyre/checker`, to `results.json` / `results.edn`. Shared by `gyre test` (on the
 * history it just recorded) and `gyre analyze` (on a stored run).
 *
 * Where a newcomer changes a result key: a checker's keys in its wire form next to its result type
 * (`statsWire` in @gyre/checker, …); the run-level sections (perf, net, protocol-errors,
 * stdin-drops) and the top-level keys here.
 */
import { closeSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import {
  DATA,
  OMIT,
  availability,
  availabilityWire,
  compose,
  exceptions,
  exceptionsWire,
  field,
  fields,
  mapOf,
  spread,
  stats,
  statsWire,
  toWire,
  validOnlyWire,
  wireEdn,
  wireJson,
  wireKeyword,
  type CheckResult,
  type Checker,
  type Validity,
  type WireForm,
} from '@gyre/checker';
import type { Op } from '@gyre/history';
import { netResultFromJournal, type NetCountsPerOp, type NetResult } from '@gyre/net';
import { workloadChecker, type WorkloadDefinition, type WorkloadOptions } from '@gyre/workloads';
import type { LagSummary } from './pace';

/** `protocol-errors`: lines nodes wrote that were not messages, counted by kind. Always valid. */
export interface ProtocolErrorsResult extends CheckResult {
  valid: true;
  count: number;
  /** Per kind (`not-json`, `malformed-reply`, …), how many. */
  byKind: Record<string, number>;
}

/** `stdin-drops`: messages to nodes that stopped reading their STDIN, dropped. Always valid. */
export interface StdinDropsResult extends CheckResult {
  valid: true;
  messageCount: number;
  byteCount: number;
  /** Per node id, what it lost. */
  byNode: Record<string, { messages: number; bytes: number }>;
}

/** `perf`: Maelstrom's graphs (always valid) and, from `gyre test`, the generator's lateness. */
interface PerfResult extends CheckResult {
  latencyGraph: CheckResult;
  rateGraph: CheckResult;
  generatorLag?: LagSummary;
  /** Entries an earlier analysis wrote, carried over as written (`gyre analyze`). */
  written?: Record<string, unknown>;
  valid: true;
}

/** A section an earlier analysis wrote, carried over as it was written (`gyre analyze`). */
interface Carried extends CheckResult {
  written: Record<string, unknown>;
}

/** What {@link analyzeHistory} gives: each section's result, and the run's own fields. */
interface RunAnalysis extends CheckResult {
  /** Per section (`perf`, `stats`, `workload`, `protocol-errors`, …), its result. */
  results: Record<string, CheckResult>;
  /** All sections' verdicts merged: false > unknown > true. */
  valid: Validity;
  seed: string;
  /** The run was stopped by Ctrl-C / SIGTERM. */
  interrupted?: true;
  /** Why the run crashed. */
  error?: string;
}

/** The wire form of `net`: Maelstrom's `send-count`, …, `msgs-per-op`. */
const netCountsWire: WireForm = fields<NetCountsPerOp>({ sendCount: 'send-count', recvCount: 'recv-count', msgCount: 'msg-count', msgsPerOp: 'msgs-per-op' });
const netWire: WireForm = fields<NetResult>({ all: field('all', netCountsWire), clients: field('clients', netCountsWire), servers: field('servers', netCountsWire), valid: 'valid?' });
const perfWire: WireForm = fields<PerfResult>({
  latencyGraph: field('latency-graph', validOnlyWire),
  rateGraph: field('rate-graph', validOnlyWire),
  generatorLag: field('generator-lag', fields<LagSummary>({ count: 'count', mean: 'mean', quantiles: 'quantiles', achievedRate: 'achieved-rate' })),
  written: spread(mapOf(DATA)),
  valid: 'valid?',
});
const carriedWire: WireForm = fields<Carried>({ valid: OMIT, written: spread(mapOf(DATA)) });

/** The run-level sections' wire forms. */
const SECTION_WIRE: { readonly [K in keyof RunSections]-?: WireForm } = {
  'protocol-errors': fields<ProtocolErrorsResult>({ valid: 'valid?', count: 'count', byKind: 'by-kind' }),
  'stdin-drops': fields<StdinDropsResult>({ valid: 'valid?', messageCount: 'message-count', byteCount: 'byte-count', byNode: 'by-node' }),
};


/** The run-level sections `gyre test` adds to the checkers' results, by their written names. */
export interface RunSections {
  'protocol-errors'?: ProtocolErrorsResult;
  'stdin-drops'?: StdinDropsResult;
}

/** What {@link analyzeHistory} needs. */
export interface AnalysisInput {
  workload: WorkloadDefinition;
  /** The options the run had. */
  options: WorkloadOptions;
  /** The recorded history, in order. */
  history: readonly Op[];
  /** Maelstrom's `:net` result: from the live router, or re-tallied from the journal. */
  net: () => NetResult;
  /** The run's seed, recorded in the results. */
  seed: string;
  /** What `perf` holds besides the graphs: the generator's lateness (`generator-lag`), measured by `gyre test`. */
  perf?: { generatorLag?: LagSummary };
  /** Further top-level sections by name, each a result with its own `valid`. */
  sections?: RunSections;
  /**
   * The results an earlier analysis of this run wrote (results.json, as `gyre analyze` finds it):
   * what only the live run knew (`protocol-errors`, `stdin-drops`, `perf.generator-lag`) is carried
   * over as it was written, unless given here anew.
   */
  previous?: Record<string, unknown>;
  /** The run was stopped by Ctrl-C / SIGTERM. */
  interrupted?: boolean;
  /** Why the run crashed, if it did. */
  crash?: string;
  /** Lets the workload's checker write files in the run directory (`path` relative to it). */
  emit?: (path: string, content: string) => void;
}

/** The results map as written (Maelstrom's keys), and its overall validity. */
export interface Analysis {
  /** What results.json holds. */
  results: Record<string, unknown>;
  valid: Validity;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Runs every checker on the history ({@link compose}: a checker that throws gives its section
 * `valid? unknown` and its error, never an exception) and writes the composed result with
 * Maelstrom's keys.
 */
export function analyzeHistory(input: AnalysisInput): Analysis {
  const { options } = input;
  const previous = input.previous ?? {};
  const prevPerf = isMap(previous['perf']) ? previous['perf'] : {};
  const lag = input.perf?.generatorLag;
  const perf: PerfResult = {
    latencyGraph: { valid: true },
    rateGraph: { valid: true },
    ...(lag ? { generatorLag: lag } : prevPerf['generator-lag'] !== undefined ? { written: { 'generator-lag': prevPerf['generator-lag'] } } : {}),
    valid: true,
  };
  const checkers: Record<string, Checker> = {
    perf: { check: () => perf, wire: perfWire },
    timeline: { check: () => ({ valid: true }), wire: validOnlyWire },
    exceptions: { check: (h) => exceptions(h), wire: exceptionsWire },
    stats: { check: (h) => stats(h), wire: statsWire },
    availability: { check: (h) => availability(h, { availability: options.availability }), wire: availabilityWire },
    net: { check: () => input.net(), wire: netWire },
    workload: workloadChecker(input.workload, options, input.emit),
  };
  for (const name of Object.keys(SECTION_WIRE) as (keyof RunSections)[]) {
    const r = input.sections?.[name];
    const w = previous[name];
    if (r) checkers[name] = { check: () => r, wire: SECTION_WIRE[name] };
    else if (isMap(w)) checkers[name] = { check: (): Carried => ({ valid: (w['valid?'] ?? true) as Validity, written: w }), wire: carriedWire };
  }
  const composed = compose(checkers);
  const { results, valid } = composed.check(input.history);
  const run: RunAnalysis = { results, valid, seed: input.seed };
  if (input.interrupted) run.interrupted = true;
  if (input.crash) run.error = input.crash;
  // The composed result's form (the sections at the top level, then valid?), and the run's fields.
  const { results: sections, valid: validWire } = (composed.wire as Extract<WireForm, { kind: 'record' }>).fields;
  const runWire = fields<RunAnalysis>({ results: sections!, valid: validWire!, seed: 'seed', interrupted: 'interrupted', error: 'error' });
  return { results: toWire(run, runWire) as Record<string, unknown>, valid };
}

/** Client invocations in a history (`:invoke`s of non-nemesis processes), for `msgs-per-op`. */
export function clientInvocations(history: readonly Op[]): number {
  let n = 0;
  for (const op of history) if (op.type === 'invoke' && op.process !== 'nemesis') n++;
  return n;
}

/**
 * Maelstrom's `:net` result re-tallied from a journal file (`net-journal/journal.jsonl`), read in
 * chunks so that journals larger than a string can hold are fine. A partial last line (a run
 * killed mid-write) is ignored.
 */
export function netResultFromJournalFile(path: string, clientInvocations: number): NetResult {
  return netResultFromJournal(fileLines(path), clientInvocations);
}

/** The complete lines of a file (without their newlines), read in 1 MiB chunks. */
export function* fileLines(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let rest: Buffer = Buffer.alloc(0);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) return;
      const chunk = rest.length ? Buffer.concat([rest, buf.subarray(0, n)]) : buf.subarray(0, n);
      const last = chunk.lastIndexOf(10);
      if (last === -1) {
        rest = Buffer.from(chunk);
        continue;
      }
      const text = chunk.toString('utf8', 0, last);
      rest = Buffer.from(chunk.subarray(last + 1));
      let start = 0;
      for (;;) {
        const nl = text.indexOf('\n', start);
        if (nl === -1) {
          yield text.slice(start);
          break;
        }
        yield text.slice(start, nl);
        start = nl + 1;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** An `emit` for {@link analyzeHistory} that writes under `dir` and refuses paths that leave it. */
export function runDirWriter(dir: string): (path: string, content: string) => void {
  return (path, content) => {
    const full = join(dir, path);
    if (!full.startsWith(dir + sep)) throw new Error(`workload tried to write outside the run directory: ${path}`);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  };
}

/** Writes `results.json` and `results.edn` in `dir`, from the results as {@link analyzeHistory} wrote them. */
export function writeResults(dir: string, results: Record<string, unknown>): void {
  writeFileSync(join(dir, 'results.json'), wireJson(results) + '\n');
  writeFileSync(join(dir, 'results.edn'), wireEdn(results) + '\n');
}

/** `gyre test`'s exit code: 0 valid, 1 invalid, 2 unknown, 255 crashed or interrupted. */
export function exitCodeFor(valid: Validity, crashed: boolean): 0 | 1 | 2 | 255 {
  return crashed ? 255 : valid === true ? 0 : valid === false ? 1 : 2;
}

/**
 * Which string values print as EDN keywords in results.edn.
 * @deprecated Use `wireKeyword` from `@gyre/checker`, which this is.
 */
export const ednKeyword: (key: string | undefined, value: string) => boolean = wireKeyword;
