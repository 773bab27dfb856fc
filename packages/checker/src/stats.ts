import type { Op } from '@gyre/history';
import { mergeValid, type CheckResult, type Validity } from './validity';
import { toRecord } from './order';
import { field, fields, mapOf, type WireForm } from './wire';

/** Completion counts of one group of operations. */
export interface StatsCounts {
  /** Completions (ok + fail + info). */
  count: number;
  okCount: number;
  failCount: number;
  infoCount: number;
}

/** Counts for one `f`; valid iff at least one of its operations completed ok. */
export interface StatsByF extends StatsCounts, CheckResult {
  valid: boolean;
}

/** Result of {@link stats}: Maelstrom's `:stats`. */
export interface StatsResult extends StatsCounts, CheckResult {
  /**
   * Every `f` has an ok completion (false otherwise), except that the `exempt` functions are
   * ignored: when every other `f` is valid the result is `true`.
   */
  valid: Validity;
  /** Counts per `f` (keys are `f` names, in sorted order). */
  byF: Record<string, StatsByF>;
}

const countsWire = { count: 'count', okCount: 'ok-count', failCount: 'fail-count', infoCount: 'info-count' } as const;

/** How a {@link StatsResult} is written: `valid?`, `ok-count`, …, `by-f` (its keys kept). */
export const statsWire: WireForm = fields<StatsResult>({ valid: 'valid?', ...countsWire, byF: field('by-f', mapOf(fields<StatsByF>({ valid: 'valid?', ...countsWire }))) });

/** Options of {@link stats}. */
export interface StatsOptions {
  /**
   * Functions whose never succeeding does not invalidate the result (Maelstrom's Kafka wrapper,
   * which it applies to every workload). Pass `[]` for Jepsen's plain stats checker.
   * @defaultValue `['crash', 'debug-topic-partitions']`
   */
  exempt?: readonly string[];
}

/**
 * Maelstrom's `:stats` checker: counts the completions (ok, fail, info) of client operations,
 * overall and per `f`. An `f` that never completed ok is `valid? false` (Jepsen's docstring says
 * unknown; its code says false), and makes the whole result false, unless every `f` outside
 * `exempt` is valid, in which case the result is forced `true`.
 */
export function stats(history: readonly Op[], opts: StatsOptions = {}): StatsResult {
  const exempt = new Set(opts.exempt ?? ['crash', 'debug-topic-partitions']);
  const all = counts();
  const byF = new Map<string, StatsCounts>();
  for (const op of history) {
    if (op.type === 'invoke' || typeof op.process !== 'number') continue;
    let c = byF.get(op.f);
    if (!c) byF.set(op.f, (c = counts()));
    tally(all, op);
    tally(c, op);
  }
  const fs = [...byF.keys()].sort();
  const perF = fs.map((f) => {
    const c = byF.get(f)!;
    return [f, { valid: c.okCount > 0, ...c }] as const;
  });
  let valid = mergeValid(perF.map(([, r]) => r.valid));
  if (perF.every(([f, r]) => exempt.has(f) || r.valid)) valid = true;
  return { valid, ...all, byF: toRecord(perF) };
}

function counts(): StatsCounts {
  return { count: 0, okCount: 0, failCount: 0, infoCount: 0 };
}

function tally(c: StatsCounts, op: Op): void {
  c.count++;
  if (op.type === 'ok') c.okCount++;
  else if (op.type === 'fail') c.failCount++;
  else c.infoCount++;
}
