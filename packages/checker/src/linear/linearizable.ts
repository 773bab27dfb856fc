import type { Op } from '@gyre/history';
import { stringifyJson } from '@gyre/history';
import type { Validity } from '../validity';
import { Automaton } from './automaton';
import type { LinOp, Model } from './model';
import { describeLinOp } from './models';
import type { Memo } from './memo';
import { prepare, relax, renumber, type Partition, type PreparedOp } from './prepare';
import { BUDGET, CACHE_FULL, FORWARD, INVALID, REVERSE, Search, TIMEOUT, URGENT, VALID, type Limits, type Order, type Outcome } from './search';

const PORTFOLIO: readonly Order[] = [URGENT, REVERSE, FORWARD];

/** Options for {@link linearizable}. */
export interface LinearizableOptions<S = any> {
  /** The sequential specification. */
  model: Model<S, any>;
  /**
   * Time budget in milliseconds for the whole check (all partitions). When it runs out the verdict
   * is `'unknown'` with cause `'timeout'` (never `true`), within about 50 ms.
   * @defaultValue Infinity
   */
  timeLimit?: number;
  /**
   * The clock, in milliseconds.
   * @defaultValue `() => globalThis.performance.now()`
   */
  now?: () => number;
  /**
   * Cap on memoised search configurations per partition. When reached the partition's verdict is
   * `'unknown'` with cause `'cache-limit'`.
   * @defaultValue 4_000_000
   */
  maxCacheEntries?: number;
  /**
   * Cap on the memo's size in bytes per partition. An entry costs about 24 bytes plus its key: the
   * linearized set, stored whole (a bit per op) for partitions of up to 256 ops, else as the window
   * of ops above the longest fully linearized prefix (a bit per op that overlaps the earliest
   * pending one, and one per indeterminate op from the first one never linearized).
   * @defaultValue 512 MiB
   */
  maxCacheBytes?: number;
  /**
   * Check every partition even after one is found invalid (otherwise the rest are reported
   * `'unknown'` with cause `'not-checked'`).
   * @defaultValue false
   */
  allPartitions?: boolean;
  /**
   * Gather evidence for the first invalid partition (`true`), or for every invalid partition checked
   * (`'all'`, see `failures`): the failing op, a shrunk stretch, the states before the failing op.
   * With `false`, `failure` is built from the search alone (the op that blocked the longest prefix
   * and the state after it), at no extra cost. The longest prefix is always reported.
   * @defaultValue true
   */
  explain?: boolean | 'all';
  /**
   * Time budget in milliseconds for gathering evidence; it never extends past `timeLimit`. When it
   * runs out the evidence is still sound, only less small (`stretch.truncated`, `statesTruncated`).
   * @defaultValue 1000
   */
  explainTimeLimit?: number;
  /**
   * How many of the states reachable before the failing op to report.
   * @defaultValue 10
   */
  maxStates?: number;
}

/**
 * Why a verdict is `'unknown'`: the time or memo budget ran out, the partition was not checked (an
 * earlier one was invalid), or there was no operation to check (`'no-operations'`: a history of
 * nemesis entries, failed ops and unanswered reads only; a verdict on nothing is not valid).
 */
export type UnknownCause = 'timeout' | 'cache-limit' | 'not-checked' | 'no-operations';

/** A state with its text. */
export interface DescribedState {
  state: unknown;
  description: string;
}

/** An op in evidence: where it is in the history and what it did. */
export interface OpRef {
  /** The invocation's index in the history. */
  index: number;
  /** The completion's index, or -1 when it never completed. */
  completionIndex: number;
  process: Op['process'];
  f: string;
  /** As in {@link LinOp.value}: the observed result when `known`. */
  value: unknown;
  /** False when the op's outcome is unknown (it completed `info` or never). */
  known: boolean;
  /** The model's text for it. */
  description: string;
}

/**
 * Why a partition is not linearizable, in terms a person can check.
 */
export interface LinearFailure {
  /** The partition's key. */
  key: unknown;
  /**
   * The op that could not be linearized: the one whose completion ends the shortest prefix of the
   * history that has no linearization (Knossos's `:op`). Without `explain`, the op that blocked the
   * longest linearized prefix.
   */
  op: OpRef;
  /** The model's reason the op is impossible after the longest prefix, when it is impossible there. */
  reason?: string;
  /** Op indices (invocations) of the longest linearizable prefix found, in linearization order. */
  longestPrefix: number[];
  /** Every op of the partition that was checked (invocation indices, in history order). */
  ops: number[];
  /**
   * The states the object can be in just before {@link op} must take effect: after every op that
   * completed before it, in every order consistent with real time, with or without the ops that were
   * still running. At most `maxStates`.
   */
  states: DescribedState[];
  /** True when there were more states than reported (or the enumeration ran out of budget). */
  statesTruncated: boolean;
  /**
   * A small sub-history that still cannot be linearized, found by shrinking the partition: the
   * history is cut after {@link op}'s completion and as many ops as possible have their outcome
   * forgotten (indeterminate ops that only read are then dropped). Both steps only ever remove
   * constraints, so this stretch being non-linearizable proves the whole history is not.
   */
  stretch: {
    /** Op indices whose observed outcome is needed, in history order; includes {@link op}. */
    ops: number[];
    /** Other op indices in the stretch, taken as indeterminate (they may or may not have happened). */
    uncertain: number[];
    /** The stretch's first and last history index. */
    from: number;
    to: number;
    /** True when shrinking ran out of budget (the stretch may not be minimal). */
    truncated: boolean;
  };
  /** One line of text summing it up. */
  explanation: string;
}

/** The verdict for one partition. */
export interface PartitionResult {
  /** The model's partition key (`undefined` for an unpartitioned model). */
  key: unknown;
  valid: Validity;
  cause?: UnknownCause;
  /** Ops checked in this partition (failed ops and indeterminate reads excluded). */
  opCount: number;
  /** Search steps taken. */
  steps: number;
  /** Memoised configurations. */
  cacheEntries: number;
  /** For an invalid or undecided partition: op indices (invocations) of the longest linearizable prefix found, in linearization order. */
  longestPrefix?: number[];
}

/**
 * The result of {@link linearizable}.
 *
 * - `valid`: `true` when every partition has a linearization; `false` when one has none; `'unknown'`
 *   when a partition ran out of time or cache (see `cause`) and none was found invalid, or when
 *   there was no operation to check (cause `'no-operations'`).
 * - `partitions`: one entry per partition, in the order checked (smallest first).
 * - `failure`: evidence for the first invalid partition (see {@link LinearFailure}).
 * - `failures`: with `explain: 'all'`, evidence for every invalid partition, in the order checked
 *   (absent when none is invalid).
 */
export interface LinearizableResult {
  valid: Validity;
  cause?: UnknownCause;
  /** The model's name. */
  model: string;
  /** Ops checked (all partitions; failed ops and indeterminate reads excluded). */
  opCount: number;
  /** Ops dropped because they failed. */
  failedOps: number;
  partitions: PartitionResult[];
  failure?: LinearFailure;
  failures?: LinearFailure[];
}

const defaultNow = (): number => globalThis.performance.now();

/** Search configuration shared by the partition checks. */
export interface Ctx {
  model: Model<any, any>;
  now: () => number;
  maxEntries: number;
  maxBytes: number;
  /** Makes each search's memo (tests compare memos). @defaultValue a `WindowMemo` */
  memo?: (n: number, limits: Limits) => Memo;
  /** See `RunOptions.subsume` (tests turn it off). @defaultValue true */
  subsume?: boolean;
}

/** Checks one partition's ops; returns the outcome and the search (for its evidence). */
export function checkOps(ctx: Ctx, ops: readonly PreparedOp[], deadline: number, maxSteps = Infinity): { outcome: Outcome; search: Search } {
  const aut = new Automaton(ctx.model, ops);
  // History positions (below 2^31: arrays are shorter), 4 bytes each.
  const inv = new Int32Array(ops.length);
  const ret = new Int32Array(ops.length);
  for (let i = 0; i < ops.length; i++) {
    inv[i] = ops[i]!.invPos;
    ret[i] = ops[i]!.retPos;
  }
  const search = new Search(aut, inv, ret, ctx.memo);
  const limits: Limits = { deadline, now: ctx.now, maxEntries: ctx.maxEntries, maxBytes: ctx.maxBytes };
  // A portfolio of candidate orders with growing budgets of wasted steps: how fast a linearization
  // is found depends a lot on the order, and each run keeps what the others proved to fail. A run
  // that keeps going deeper is not stopped.
  for (let budget = 1000; ; budget *= 3) {
    for (const order of PORTFOLIO) {
      const outcome = search.run(limits, { order, wasteLimit: budget, stepLimit: maxSteps - search.steps, subsume: ctx.subsume ?? true });
      if (outcome !== BUDGET || search.steps >= maxSteps) return { outcome, search };
    }
  }
}

/**
 * Checks that a history is linearizable with respect to a model: that every operation can be
 * given a single point in time between its invocation and its completion such that the ops, taken
 * in that order, are a legal run of the model.
 *
 * - `fail`ed ops never happened and are dropped. An op that completed `info` or never completed may
 *   take effect at any point after its invocation, up to the end of the history, or never; its
 *   result is unknown.
 * - Intervals are closed and ordered by position in `history` (which must be in time order): op A
 *   precedes op B only when A's completion comes before B's invocation.
 * - Partitions (the model's `partition`) are checked independently, smallest first; the first
 *   invalid one stops the check unless `allPartitions` is set.
 *
 * The search is Wing & Gong's with Lowe's memoisation of (linearized set, state), as in Porcupine.
 * Never throws on a bad history: the model's reasons end up in the evidence.
 *
 * @example
 * ```ts
 * const result = linearizable(history, { model: casRegister(), timeLimit: 10_000 });
 * if (result.valid === false) console.log(result.failure?.explanation);
 * ```
 */
export function linearizable(history: readonly Op[], options: LinearizableOptions): LinearizableResult {
  const now = options.now ?? defaultNow;
  const start = now();
  const deadline = options.timeLimit === undefined ? Infinity : start + options.timeLimit;
  const ctx: Ctx = { model: options.model, now, maxEntries: options.maxCacheEntries ?? 4_000_000, maxBytes: options.maxCacheBytes ?? 512 * 1024 * 1024 };
  const prepared = prepare(history, options.model);
  const parts = prepared.partitions.map((p, order) => ({ p, order })).sort((a, b) => a.p.ops.length - b.p.ops.length || a.order - b.order);
  const results: PartitionResult[] = [];
  let failure: LinearFailure | undefined;
  const failures: LinearFailure[] = [];
  let stop = false;
  let anyFalse = false;
  let cause: UnknownCause | undefined;
  for (const { p } of parts) {
    if (stop || (deadline < Infinity && now() >= deadline)) {
      results.push({ key: p.key, valid: 'unknown', cause: stop ? 'not-checked' : 'timeout', opCount: p.ops.length, steps: 0, cacheEntries: 0 });
      if (!stop) cause ??= 'timeout';
      continue;
    }
    const { outcome, search } = checkOps(ctx, p.ops, deadline);
    const r: PartitionResult = { key: p.key, valid: outcome === VALID ? true : outcome === INVALID ? false : 'unknown', opCount: p.ops.length, steps: search.steps, cacheEntries: search.cacheEntries };
    if (outcome === TIMEOUT || outcome === CACHE_FULL) {
      r.cause = outcome === TIMEOUT ? 'timeout' : 'cache-limit';
      cause ??= r.cause;
    }
    if (outcome !== VALID) r.longestPrefix = Array.from(search.bestPath, (i) => p.ops[i]!.index);
    results.push(r);
    if (outcome === INVALID) {
      anyFalse = true;
      if (!failure) failures.push((failure = explain(ctx, p, search, options, deadline)));
      else if (options.explain === 'all') failures.push(explain(ctx, p, search, options, deadline));
      if (!options.allPartitions) stop = true;
    }
  }
  if (prepared.opCount === 0) cause = 'no-operations';
  const valid: Validity = anyFalse ? false : cause ? 'unknown' : true;
  const out: LinearizableResult = { valid, model: options.model.name, opCount: prepared.opCount, failedOps: prepared.failed, partitions: results };
  if (valid === 'unknown') out.cause = cause;
  if (failure) out.failure = failure;
  if (options.explain === 'all' && failures.length > 0) out.failures = failures;
  return out;
}

function opRef(model: Model<any, any>, op: PreparedOp): OpRef {
  return {
    index: op.index,
    completionIndex: op.completionIndex,
    process: op.process,
    f: op.f,
    value: op.value,
    known: op.known,
    description: (model.describeOp ?? describeLinOp)(op),
  };
}

function describeState(model: Model<any, any>, s: unknown): string {
  if (model.describeState) return model.describeState(s);
  try {
    return stringifyJson(s);
  } catch {
    return String(s);
  }
}

/** Is the history made of these ops (ids renumbered) non-linearizable? true / false / undefined (undecided). */
function refuted(ctx: Ctx, ops: PreparedOp[], deadline: number, maxSteps: number): boolean | undefined {
  const renum = ops.map(renumber);
  const { outcome } = checkOps(ctx, renum, deadline, maxSteps);
  return outcome === INVALID ? true : outcome === VALID ? false : undefined;
}

/** The prefix of `ops` cut at history position `cut`: ops invoked before it; those completing after it become indeterminate. */
function cutAt(model: Model<any, any>, ops: readonly PreparedOp[], cut: number, keep: ReadonlySet<PreparedOp>): PreparedOp[] {
  const out: PreparedOp[] = [];
  for (const op of ops) {
    if (op.invPos > cut) continue;
    if (op.retPos >= 0 && op.retPos <= cut && keep.has(op)) out.push(op);
    else {
      const r = relax(op, out.length);
      if (model.readOnly?.(r)) continue;
      out.push(r);
    }
  }
  return out;
}

function explain(ctx: Ctx, p: Partition, search: Search, options: LinearizableOptions, deadline: number): LinearFailure {
  const model = ctx.model;
  const ops = p.ops;
  const longestPrefix = Array.from(search.bestPath, (i) => ops[i]!.index);
  let failOp = ops[search.failOp >= 0 ? search.failOp : 0]!;
  const reason = search.failOp >= 0 ? search.aut.reason(search.failState, search.failOp) : undefined;
  const base = { key: p.key, longestPrefix, ops: ops.map((o) => o.index) };
  if (options.explain === false) {
    return {
      ...base,
      op: opRef(model, failOp),
      ...(reason !== undefined ? { reason } : {}),
      states: [{ state: search.aut.states[search.failState], description: describeState(model, search.aut.states[search.failState]) }],
      statesTruncated: true,
      stretch: { ops: [failOp.index], uncertain: [], from: failOp.index, to: failOp.completionIndex, truncated: true },
      explanation: summary(model, failOp, reason, []),
    };
  }
  const budgetEnd = Math.min(deadline, ctx.now() + (options.explainTimeLimit ?? 1000));
  let truncated = false;
  const all = new Set(ops);
  // Forgetting outcomes can make a search much harder; a check that needs far more steps than the
  // original counts as undecided (the op keeps its outcome).
  const maxSteps = Math.max(50_000, 2 * search.steps);
  // 1. The shortest non-linearizable prefix: binary search over completion positions.
  const cuts = ops.filter((o) => o.retPos >= 0).map((o) => o.retPos).sort((a, b) => a - b);
  let lo = 0;
  let hi = cuts.length - 1;
  const upTo = cuts.indexOf(failOp.retPos);
  if (upTo >= 0 && refuted(ctx, cutAt(model, ops, failOp.retPos, all), budgetEnd, maxSteps) === true) hi = upTo;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const r = refuted(ctx, cutAt(model, ops, cuts[mid]!, all), budgetEnd, maxSteps);
    if (r === undefined) {
      truncated = true;
      lo = mid + 1;
    } else if (r) hi = mid;
    else lo = mid + 1;
  }
  const cut = cuts[hi] ?? failOp.retPos;
  const cutOp = ops.find((o) => o.retPos === cut);
  if (cutOp) failOp = cutOp;
  const statesEnd = ctx.now() + Math.max(1, (budgetEnd - ctx.now()) / 2);
  // 2. The states reachable just before the failing op must take effect.
  const maxStates = options.maxStates ?? 10;
  const before: PreparedOp[] = [];
  for (const op of ops) {
    if (op === failOp || op.invPos > cut) continue;
    if (op.retPos >= 0 && op.retPos < cut) before.push(renumber(op, before.length));
    else {
      const r = relax(op, before.length);
      if (!model.readOnly?.(r)) before.push(r);
    }
  }
  const aut = new Automaton(model, before);
  const s = new Search(aut, Float64Array.from(before, (o) => o.invPos), Float64Array.from(before, (o) => o.retPos));
  const seen = new Set<number>();
  const outcome = s.run({ deadline: Math.max(Math.min(deadline, statesEnd), ctx.now() + 1), now: ctx.now, maxEntries: 200_000 }, { collect: (st) => seen.add(st) });
  const stateIds = [...seen];
  const sameOp = failOp === ops[search.failOp];
  let states = stateIds.slice(0, maxStates).map((id) => ({ state: aut.states[id], description: describeState(model, aut.states[id]) }));
  if (states.length === 0 && sameOp) {
    // Out of budget: at least the state the longest prefix ended in.
    const st = search.aut.states[search.failState];
    states = [{ state: st, description: describeState(model, st) }];
  }
  // 3. Forget as many outcomes as possible while the prefix stays non-linearizable.
  const keep = new Set(ops.filter((o) => o.retPos >= 0 && o.retPos <= cut));
  let candidates = [...keep].filter((o) => o !== failOp).reverse();
  for (let chunk = Math.max(1, candidates.length >>> 1); candidates.length > 0; chunk = Math.max(1, chunk >>> 1)) {
    const still: PreparedOp[] = [];
    for (let i = 0; i < candidates.length; i += chunk) {
      const group = candidates.slice(i, i + chunk);
      if (ctx.now() >= budgetEnd) {
        truncated = true;
        still.push(...group);
        continue;
      }
      for (const o of group) keep.delete(o);
      const r = refuted(ctx, cutAt(model, ops, cut, keep), budgetEnd, maxSteps);
      if (r !== true) {
        if (r === undefined) truncated = true;
        for (const o of group) keep.add(o);
        still.push(...group);
      }
    }
    if (chunk === 1 || truncated) break;
    candidates = still;
  }
  const stretchOps = cutAt(model, ops, cut, keep);
  const known = stretchOps.filter((o) => o.known).map((o) => o.index);
  const uncertain = stretchOps.filter((o) => !o.known).map((o) => o.index);
  const from = Math.min(...stretchOps.map((o) => o.index));
  const failRef = opRef(model, failOp);
  const finalReason = sameOp && reason !== undefined ? reason : reasonIn(aut, model, failOp, stateIds);
  return {
    ...base,
    op: failRef,
    ...(finalReason !== undefined ? { reason: finalReason } : {}),
    states,
    statesTruncated: stateIds.length !== states.length || (outcome !== INVALID && outcome !== VALID),
    stretch: { ops: known, uncertain, from, to: failOp.completionIndex, truncated },
    explanation: summary(model, failOp, finalReason, states),
  };
}

/** The model's reason for rejecting `op` in the first of `states` where it is impossible. */
function reasonIn(aut: Automaton, model: Model<any, any>, op: LinOp, stateIds: number[]): string | undefined {
  for (const id of stateIds) {
    const r = model.step(aut.states[id], op);
    if (!r.ok) return r.reason;
  }
  return undefined;
}

function summary(model: Model<any, any>, op: PreparedOp, reason: string | undefined, states: DescribedState[]): string {
  const what = `${(model.describeOp ?? describeLinOp)(op)} by process ${String(op.process)} (op ${op.index}${op.completionIndex >= 0 ? `–${op.completionIndex}` : ''})`;
  const ds = states.map((s) => s.description);
  const where = ds.length === 0 ? '' : ds.length === 1 ? `; before it the state was ${ds[0]}` : `; before it the state could be ${ds.slice(0, -1).join(', ')} or ${ds[ds.length - 1]}`;
  return `${what} cannot be linearized${reason ? ` (${reason})` : ''}${where}.`;
}
