/**
 * The analysis of a run: the checkers Maelstrom runs on every test (stats, availability,
 * exceptions, net, the workload's own), composed into one result and written, by the one result
 * serializer of `@gyre/checker`, to `results.json` / `results.edn`. Shared by `gyre test` (on the
 * history it just recorded) and `gyre analyze` (on a stored run).
 *
 * Where a newcomer changes a result key: a checker's keys in its wire form next to its result type
 * (`statsWire` in @gyre/checker, …); the run-level sections (perf, net, protocol-errors,
 * stdin-drops, late-replies) and the top-level keys (seed, phases, interrupted, incomplete, crash)
 * here.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DATA,
  FLOAT32,
  OMIT,
  SORTED_MAP,
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
  type CheckResult,
  type Checker,
  type Validity,
  type WireForm,
} from '@gyre/checker';
import { pairIndex, type Op } from '@gyre/history';
import type { NetCountsPerOp, NetResult } from '@gyre/net';
import { checkNeeds, workloadChecker, type WorkloadDefinition, type WorkloadOptions } from '@gyre/workloads';
import type { LagSummary } from './pace';

/** `protocol-errors`: lines nodes wrote that were not messages, counted by kind. Always valid. */
export interface ProtocolErrorsResult extends CheckResult {
  valid: true;
  count: number;
  /** Per kind (`not-json`, `malformed-reply`, …), how many. */
  byKind: Record<string, number>;
}

/**
 * `late-replies`: messages nodes sent to clients that had already timed out or closed (a reply
 * that came too late). Not an error of the node's output, and always valid: the operation was
 * already recorded as indeterminate.
 */
export interface LateRepliesResult extends CheckResult {
  valid: true;
  count: number;
  /** Per node id, how many. */
  byNode: Record<string, number>;
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

/** The live phases of a run, as results.json reports them under `phases`. */
export type LivePhase = 'start' | 'init' | 'main' | 'final';

/**
 * How far a live phase got: it ran to its end, was cut short (a crash or an interrupt), was never
 * reached, or is not known (the run's own record of it was lost: gyre was killed outright).
 */
export type PhaseState = 'completed' | 'cut-short' | 'not-reached' | 'unknown';

/** Each live phase the run has (`final` only for workloads with a final phase) and how far it got. */
export type RunPhases = Partial<Record<LivePhase, PhaseState>>;

/**
 * Why a run crashed, as results.json writes it under `crash`: which node (or Gyre itself), how it
 * ended, what it wrote last, and the paragraph shown on the console.
 */
export interface CrashReport {
  /** `node`: a node died, never answered `init`, or failed setup; `gyre`: Gyre itself failed (a bug, a full disk). */
  by: 'node' | 'gyre';
  /** The node that crashed. */
  node?: string;
  /** How it ended, in a few words: `exited with code 3`, `did not answer init within 10 s`, `disk full while writing FILE`. */
  how: string;
  /** Its last lines on STDOUT and on STDERR, oldest first (node processes). */
  stdout?: readonly string[];
  stderr?: readonly string[];
  /** Its log, relative to the run directory. */
  log?: string;
  /** What the person running the test was told. */
  message: string;
}

/** What {@link analyzeHistory} gives: each section's result, and the run's own fields. */
interface RunAnalysis extends CheckResult {
  /** Per section (`perf`, `stats`, `workload`, `protocol-errors`, …), its result. */
  results: Record<string, CheckResult>;
  /**
   * The run's verdict: all sections' verdicts merged (false > unknown > true), then `unknown` for
   * a crashed run, and `unknown` rather than `true` for a run whose live phases did not all run to
   * their end.
   */
  valid: Validity;
  seed: string;
  /** How far each live phase got. */
  phases?: RunPhases;
  /** The run was stopped by Ctrl-C / SIGTERM. */
  interrupted?: true;
  /** The run never finished: why, and how many invocations never completed. */
  incomplete?: string;
  /** Why the run crashed. */
  crash?: CrashReport;
}

/** The workload section when its checker needs a phase that did not run to its end. */
interface NotChecked extends CheckResult {
  valid: 'unknown';
  notChecked: string;
}

/** The wire form of `net`: Maelstrom's `send-count`, …, `msgs-per-op`. */
const netCountsWire: WireForm = fields<NetCountsPerOp>({ sendCount: 'send-count', recvCount: 'recv-count', msgCount: 'msg-count', msgsPerOp: field('msgs-per-op', FLOAT32) });
const netWire: WireForm = fields<NetResult>({ all: field('all', netCountsWire), clients: field('clients', netCountsWire), servers: field('servers', netCountsWire), valid: 'valid?' });
const perfWire: WireForm = fields<PerfResult>({
  latencyGraph: field('latency-graph', validOnlyWire),
  rateGraph: field('rate-graph', validOnlyWire),
  generatorLag: field('generator-lag', fields<LagSummary>({ count: 'count', mean: 'mean', quantiles: field('quantiles', SORTED_MAP), achievedRate: 'achieved-rate' })),
  written: spread(mapOf(DATA)),
  valid: 'valid?',
});
const carriedWire: WireForm = fields<Carried>({ valid: OMIT, written: spread(mapOf(DATA)) });
const notCheckedWire: WireForm = fields<NotChecked>({ valid: 'valid?', notChecked: 'not-checked' });
const crashWire: WireForm = fields<CrashReport>({ by: 'by', node: 'node', how: 'how', stdout: 'stdout', stderr: 'stderr', log: 'log', message: 'message' });

/** The run-level sections' wire forms. */
const SECTION_WIRE: { readonly [K in keyof RunSections]-?: WireForm } = {
  'protocol-errors': fields<ProtocolErrorsResult>({ valid: 'valid?', count: 'count', byKind: 'by-kind' }),
  'stdin-drops': fields<StdinDropsResult>({ valid: 'valid?', messageCount: 'message-count', byteCount: 'byte-count', byNode: 'by-node' }),
  'late-replies': fields<LateRepliesResult>({ valid: 'valid?', count: 'count', byNode: 'by-node' }),
};


/** The run-level sections `gyre test` adds to the checkers' results, by their written names. */
export interface RunSections {
  'protocol-errors'?: ProtocolErrorsResult;
  'stdin-drops'?: StdinDropsResult;
  'late-replies'?: LateRepliesResult;
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
  /**
   * How far each live phase got. A workload checker that needs a phase which did not run to its
   * end is not run (its section is `unknown`, saying why); and the run is `valid` only when every
   * phase ran to its end. @defaultValue every phase ran to its end
   */
  phases?: RunPhases;
  /** The run was stopped by Ctrl-C / SIGTERM. */
  interrupted?: boolean;
  /**
   * The run never finished (`gyre analyze` of a run whose gyre was killed before its analysis):
   * why. Invocations with no completion are counted as indeterminate (`info`) in any case.
   */
  incomplete?: string;
  /** Why the run crashed, if it did: its verdict is then `unknown`. */
  crash?: CrashReport;
  /** Lets the workload's checker write files in the run directory (`path` relative to it). */
  emit?: (path: string, content: string) => void;
}

/** The results map as written (Maelstrom's keys), and its overall validity. */
export interface Analysis {
  /** What results.json holds. */
  results: Record<string, unknown>;
  valid: Validity;
  /** The history the checkers saw: the input, with an `info` completion for every invocation that had none ({@link completeHistory}). */
  history: readonly Op[];
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The error of a completion {@link completeHistory} adds. */
export const NO_COMPLETION = 'indeterminate: no completion was recorded (the run ended first)';

/**
 * The history with an `info` completion (at the time of the last entry) for every client
 * invocation that has none, as Jepsen treats them: their outcome is unknown. A run cut short
 * (gyre killed, a full disk) leaves such invocations; a live run completes them all itself.
 */
export function completeHistory(history: readonly Op[]): { history: readonly Op[]; added: number } {
  const partner = pairIndex(history);
  const open: Op[] = [];
  for (let i = 0; i < history.length; i++) if (partner[i] === -1 && history[i]!.type === 'invoke' && typeof history[i]!.process === 'number') open.push(history[i]!);
  if (open.length === 0) return { history, added: 0 };
  const last = history[history.length - 1]!;
  const out = history.slice();
  for (const inv of open) out.push({ index: out.length, time: last.time, type: 'info', process: inv.process, f: inv.f, value: inv.value, error: NO_COMPLETION });
  return { history: out, added: open.length };
}

/** Why stats or availability said nothing of a run cut short (`verdict-withheld`). */
const WITHHELD = 'the run was cut short, and operations cut off at its end would count against the node: no verdict on the node (the counts are those recorded)';

/** What is missing for a checker that needs `needs` (besides `init`, which every checker needs), or undefined. */
function missingPhase(phases: RunPhases | undefined, needs: readonly LivePhase[]): string | undefined {
  if (!phases) return undefined;
  for (const p of ['init', ...needs] as LivePhase[]) {
    const state = phases[p];
    if (state === 'completed') continue;
    const what = p === 'final' ? 'the final phase (its final reads, after the recovery wait)' : p === 'init' ? 'every node initialised' : `the ${p} phase`;
    const why =
      state === 'cut-short' ? 'which was cut short' : state === 'not-reached' || state === undefined ? 'which the run never reached' : 'which may not have run to its end (the run never recorded how far it got)';
    return `needs ${what}, ${why}: not checked, so this is no verdict on the node`;
  }
  return undefined;
}

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
  const complete = input.phases === undefined || Object.values(input.phases).every((p) => p === 'completed');
  // Stats and availability judge the whole run (an f that never succeeded, too few oks): on a run
  // cut short, operations cut off at the end would count against the node, so `false` is withheld.
  const wholeRun = (r: CheckResult): CheckResult => (complete || r.valid !== false ? r : ({ ...r, valid: 'unknown', verdictWithheld: WITHHELD } as CheckResult));
  const checkers: Record<string, Checker> = {
    perf: { check: () => perf, wire: perfWire },
    timeline: { check: () => ({ valid: true }), wire: validOnlyWire },
    exceptions: { check: (h) => exceptions(h), wire: exceptionsWire },
    stats: { check: (h) => wholeRun(stats(h)), wire: statsWire },
    availability: { check: (h) => wholeRun(availability(h, { availability: options.availability })), wire: availabilityWire },
    net: { check: () => input.net(), wire: netWire },
    workload: workloadChecker(input.workload, options, input.emit),
  };
  const missing = missingPhase(input.phases, checkNeeds(input.workload));
  if (missing) checkers['workload'] = { check: (): NotChecked => ({ valid: 'unknown', notChecked: missing }), wire: notCheckedWire };
  for (const name of Object.keys(SECTION_WIRE) as (keyof RunSections)[]) {
    const r = input.sections?.[name];
    const w = previous[name];
    if (r) checkers[name] = { check: () => r, wire: SECTION_WIRE[name] };
    else if (isMap(w)) checkers[name] = { check: (): Carried => ({ valid: (w['valid?'] ?? true) as Validity, written: w }), wire: carriedWire };
  }
  const composed = compose(checkers);
  const { history, added } = completeHistory(input.history);
  const { results, valid: checked } = composed.check(history);
  const valid: Validity = input.crash ? 'unknown' : !complete && checked === true ? 'unknown' : checked;
  const run: RunAnalysis = { results, valid, seed: input.seed };
  if (input.phases) run.phases = input.phases;
  if (input.interrupted) run.interrupted = true;
  const incomplete = [input.incomplete, added > 0 ? `${added} invocation${added === 1 ? ' never completed and counts' : 's never completed and count'} as indeterminate (info)` : undefined].filter(Boolean);
  if (incomplete.length) run.incomplete = incomplete.join(': ');
  if (input.crash) run.crash = input.crash;
  // The composed result's form (the sections at the top level, then valid?), and the run's fields.
  const { results: sections, valid: validWire } = (composed.wire as Extract<WireForm, { kind: 'record' }>).fields;
  const runWire = fields<RunAnalysis>({
    results: sections!,
    valid: validWire!,
    seed: 'seed',
    phases: field('phases', DATA),
    interrupted: 'interrupted',
    incomplete: 'incomplete',
    crash: field('crash', crashWire),
  });
  return { results: toWire(run, runWire) as Record<string, unknown>, valid, history };
}

/** Client invocations in a history (`:invoke`s of non-nemesis processes), for `msgs-per-op`. */
export function clientInvocations(history: readonly Op[]): number {
  let n = 0;
  for (const op of history) if (op.type === 'invoke' && op.process !== 'nemesis') n++;
  return n;
}

/**
 * Writes `results.json` and `results.edn` in `dir`, from the results as {@link analyzeHistory}
 * wrote them; `valueToEdn` is the workload's (its operations' values in results.edn, as in
 * history.edn). Each is written whole or not at all (through a temporary file): a full disk leaves
 * the earlier file, or none, never a partial one.
 */
export function writeResults(dir: string, results: Record<string, unknown>, valueToEdn?: (value: unknown, op: Op) => unknown): void {
  writeWhole(join(dir, 'results.json'), wireJson(results) + '\n');
  writeWhole(join(dir, 'results.edn'), wireEdn(results, valueToEdn ? { valueToEdn } : {}) + '\n');
}

function writeWhole(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw Object.assign(e as Error, { path });
  }
}

/** `gyre test`'s exit code: 0 valid, 1 invalid, 2 unknown, 255 crashed or interrupted. */
export function exitCodeFor(valid: Validity, crashed: boolean): 0 | 1 | 2 | 255 {
  return crashed ? 255 : valid === true ? 0 : valid === false ? 1 : 2;
}
