/**
 * Shrinking: from a failing seed, a search for a smaller failing run (fewer operations, fewer
 * faults, fewer nodes, shorter time) among runs that differ in their options and, where a change
 * reshuffles the whole run anyway, in their seed.
 */
import { runSeed, specWorkload, type SeedResult, type SimSpec } from './spec';

/** Options of {@link shrink}. */
export interface ShrinkOptions {
  /** The failing simulation. */
  spec: SimSpec;
  seed: string;
  /** Most runs to spend. @defaultValue 1000 */
  budget?: number;
  /**
   * Seeds to try for an option change that reshuffles the run (fewer nodes, faults, client
   * threads, less time, a lower rate), besides the failing one: `<seed>~1`, `<seed>~2`, … @defaultValue 16
   */
  altSeeds?: number;
  /**
   * When a whole pass finds nothing smaller, the search goes on with four times as many seeds per
   * reshuffling move, up to this many. @defaultValue 64
   */
  maxAltSeeds?: number;
  /**
   * The wider search is for runs whose failure needs a rare interleaving; it is skipped once the
   * run is this small (at most this many client operations, and no faults). @defaultValue 10
   */
  widenAbove?: number;
  /** Told of every run the search makes, and whether it was kept. */
  onRun?(step: ShrinkStep): void;
  /** Stops the search (it returns the smallest found so far). */
  signal?: AbortSignal;
}

/** A run the search made. */
export interface ShrinkStep {
  /** What was tried, in words. */
  change: string;
  spec: SimSpec;
  seed: string;
  result: SeedResult;
  /** Whether it failed the same way and was smaller, so the search went on from it. */
  kept: boolean;
}

/** A failing run: its spec, its seed, its outcome. */
export interface FailingRun {
  spec: SimSpec;
  seed: string;
  result: SeedResult;
}

/** What {@link shrink} resolves with. */
export interface ShrinkResult {
  original: FailingRun;
  /** The smallest failing run found (the original when nothing smaller fails). */
  smallest: FailingRun;
  /** Runs made. */
  runs: number;
  /** The runs that were kept, in order. */
  path: ShrinkStep[];
}

/** The order runs are compared in: client operations, then faults, then nodes, then virtual time. */
export function sizeKey(r: SeedResult): [number, number, number, number] {
  return [r.size.ops, r.size.faults, r.size.nodes, Math.ceil(r.size.seconds)];
}

/** Whether run `a` is smaller than run `b` (see {@link sizeKey}). */
export function smaller(a: SeedResult, b: SeedResult): boolean {
  const x = sizeKey(a);
  const y = sizeKey(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]!;
  return false;
}

class OutOfBudget extends Error {}

/**
 * Searches greedily, for as long as the budget lasts and something smaller keeps failing. Moves
 * that reshuffle the run (a changed option changes every later random choice) are tried with the
 * failing seed and with `altSeeds` others: fewer nodes; no faults, or one kind; fewer client
 * threads; half the time limit with faults twice as often; half the request rate. Moves that keep
 * the seed's run up to a point are bisected: the fewest client operations (a cap on them) and the
 * shortest time limit that still fail. A run counts only if it fails the way the original did:
 * the same exit code, and every checker that failed then fails again (a shorter run that merely
 * never succeeds at anything is another failure).
 *
 * @throws RangeError when the seed does not fail.
 */
export async function shrink(o: ShrinkOptions): Promise<ShrinkResult> {
  const budget = o.budget ?? 1000;
  let alts = o.altSeeds ?? 16;
  const maxAlts = Math.max(alts, o.maxAltSeeds ?? 64);
  const widenAbove = o.widenAbove ?? 10;
  const workload = specWorkload(o.spec);
  let runs = 0;
  const path: ShrinkStep[] = [];
  const first = await runSeed(o.spec, o.seed);
  runs++;
  if (first.exitCode === 0) throw new RangeError(`seed ${o.seed} passes: nothing to shrink`);
  const original: FailingRun = { spec: o.spec, seed: o.seed, result: first };
  let cur = original;
  // The same exit code, and every checker that failed fails the same way: a checker found
  // invalid must not become one with nothing to check (unknown) while another checker keeps the exit code.
  const sameFailure = (r: SeedResult) =>
    r.exitCode === first.exitCode && first.failures.every((f) => r.failures.includes(f)) && first.invalid.every((f) => r.invalid.includes(f));

  const seen = new Map<string, SeedResult>();
  const attempt = async (change: string, spec: SimSpec, seed: string): Promise<SeedResult | undefined> => {
    if (workload.validate?.({ ...spec.options, seed }) !== undefined) return undefined;
    // Runs are deterministic: the same spec and seed need not run twice.
    const key = JSON.stringify([spec, seed]);
    const known = seen.get(key);
    if (known) return known;
    if (runs >= budget || o.signal?.aborted) throw new OutOfBudget();
    runs++;
    const result = await runSeed(spec, seed);
    seen.set(key, result);
    const kept = sameFailure(result) && smaller(result, cur.result);
    const step: ShrinkStep = { change, spec, seed, result, kept };
    o.onRun?.(step);
    if (kept) {
      cur = { spec, seed, result };
      path.push(step);
    }
    return result;
  };
  // Structural moves (fewer nodes, fewer kinds of fault) that found nothing at this width, by their
  // description: a failure that needs a cluster size or a fault rarely stops needing it when the
  // run shrinks otherwise, so they are tried again only once a pass finds nothing else.
  const exhausted = new Set<string>();
  /** Tries `spec` with the current seed, then with alternative seeds; true once one is kept. */
  const tryReshuffled = async (change: string, spec: SimSpec, structural = false): Promise<boolean> => {
    if (structural && exhausted.has(change)) return false;
    const base = cur.seed.replace(/~\d+$/, '');
    const seeds = [cur.seed, ...Array.from({ length: alts }, (_, i) => `${base}~${i + 1}`).filter((s) => s !== cur.seed)];
    for (const seed of seeds) {
      const before = cur;
      await attempt(change, spec, seed);
      if (cur !== before) return true;
    }
    if (structural) exhausted.add(change);
    return false;
  };
  /** Bisects the smallest value in (lo, hi) for which `make(v)` still fails with the current seed. */
  const bisect = async (what: (v: number) => string, lo: number, hi: number, make: (v: number) => SimSpec) => {
    const seed = cur.seed;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      const r = await attempt(what(mid), make(mid), seed);
      if (r && sameFailure(r)) hi = mid;
      else lo = mid;
    }
    return hi;
  };
  const withOptions = (spec: SimSpec, over: Partial<SimSpec['options']>, rest: Partial<SimSpec> = {}): SimSpec => ({ ...spec, ...rest, options: { ...spec.options, ...over } });

  try {
    let keptSinceClear = false;
    for (let progress = true; ; ) {
      if (progress) keptSinceClear = true;
      else if (keptSinceClear && exhausted.size > 0) {
        // A pass found nothing smaller, but moves skipped in it were given up on before the run
        // shrank: try them again on the run as it is now.
        exhausted.clear();
        keptSinceClear = false;
      } else {
        // Nothing smaller at this width: search wider, with more seeds per reshuffling move.
        if (alts >= maxAlts) break;
        if (cur.result.size.ops <= widenAbove && cur.result.size.faults === 0) break;
        alts = Math.min(maxAlts, alts * 4);
        exhausted.clear();
        keptSinceClear = false;
      }
      progress = false;
      const s = cur.spec;
      const opts = s.options;
      const n = opts.nodes.length;

      // Fewer nodes: one less, keeping the threads per node.
      if (n > 1) {
        const nodes = opts.nodes.slice(0, n - 1);
        const perNode = Math.max(1, Math.round(opts.concurrency / n));
        for (const concurrency of [...new Set([perNode * (n - 1), 2 * (n - 1), n - 1])]) {
          if (await tryReshuffled(`${n - 1} nodes, ${concurrency} threads`, withOptions(s, { nodes, concurrency }), true)) {
            progress = true;
            break;
          }
        }
        if (progress) continue;
      }
      // Fewer faults: none, then each kind alone.
      if (opts.nemesis.length > 0) {
        for (const nemesis of opts.nemesis.length > 1 ? [[], ...opts.nemesis.map((f) => [f])] : [[]]) {
          if (await tryReshuffled(nemesis.length ? `faults: ${nemesis.join(',')}` : 'no faults', withOptions(s, { nemesis }), true)) {
            progress = true;
            break;
          }
        }
        if (progress) continue;
      }
      // Fewer client threads.
      if (opts.concurrency > 1) {
        const half = Math.max(1, Math.floor(opts.concurrency / 2));
        if (await tryReshuffled(`${half} threads`, withOptions(s, { concurrency: half }))) {
          progress = true;
          continue;
        }
      }
      // Half the time, with faults twice as often: as many faults, half the operations.
      if (opts.timeLimit > 1) {
        const t = Math.max(1, Math.floor(opts.timeLimit / 2));
        const interval = (s.nemesisInterval * t) / opts.timeLimit;
        if (await tryReshuffled(`time limit ${t} s, faults every ${interval} s`, withOptions(s, { timeLimit: t }, { nemesisInterval: interval, recoveryTime: Math.min(s.recoveryTime, Math.max(1, t)) }))) {
          progress = true;
          continue;
        }
      }
      // Half the request rate.
      if (opts.rate > 1) {
        const rate = opts.rate / 2;
        if (await tryReshuffled(`rate ${rate}`, withOptions(s, { rate }))) {
          progress = true;
          continue;
        }
      }
      // Fewest operations: bisect a cap on them with this seed (the capped run is this run cut short).
      const ops = cur.result.size.ops;
      if (ops > 1) {
        const start = s.maxOps !== undefined ? Math.min(s.maxOps, ops) : ops;
        const hi = await bisect((v) => `at most ${v} operations`, 0, start, (v) => ({ ...s, maxOps: v }));
        // One fewer, under other seeds: the order of the first operations may be what matters.
        if (hi > 1 && (await tryReshuffled(`at most ${hi - 1} operations`, { ...cur.spec, maxOps: hi - 1 }))) progress = true;
        if (cur.result.size.ops < ops) progress = true;
      }
      // Shortest time limit with this seed (the shorter run is this run cut short, until its final phase).
      const limit = cur.spec.options.timeLimit;
      if (limit > 1) {
        const before = cur;
        const sp = cur.spec;
        await bisect((v) => `time limit ${v} s`, 0, limit, (v) => withOptions(sp, { timeLimit: v }));
        if (cur !== before) progress = true;
      }
      if (workload.final && cur.spec.recoveryTime > 1) {
        const before = cur;
        await attempt('recovery time 1 s', { ...cur.spec, recoveryTime: 1 }, cur.seed);
        if (cur !== before) progress = true;
      }
    }
  } catch (e) {
    if (!(e instanceof OutOfBudget)) throw e;
  }
  return { original, smallest: cur, runs, path };
}
