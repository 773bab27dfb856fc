import { pairIndex, valueKey, type Op } from '@gyre/history';
import type { CheckResult, Validity } from './validity';
import { sortValues, totalCompare } from './order';
import { DATA, KEYWORD, SORTED_MAP, field, fields, pairsOf, seqOf, type WireForm } from './wire';

/** What finally became of an element. */
export type SetFullOutcome = 'stable' | 'lost' | 'never-read';

/** The fate of one element, as listed in `worstStale`. */
export interface SetFullElementResult {
  element: unknown;
  outcome: SetFullOutcome;
  /** ms from known to stable; null unless stable. */
  stableLatency: number | null;
  /** ms from known to lost; null unless lost. */
  lostLatency: number | null;
  /** The completion that made the element known (its ok add, or the first read that saw it). */
  known: Op | null;
  /** The invocation of the last read that did not see it. */
  lastAbsent: Op | null;
}

/** Latency quantiles in ms, keyed `'0'`, `'0.5'`, `'0.95'`, `'0.99'`, `'1'`. */
export type Quantiles = Record<string, number>;

/** Result of {@link setFull}: Jepsen's set-full, as broadcast and g-set report it. */
export interface SetFullResult extends CheckResult {
  /**
   * false if any element was lost, or any read held an element twice (unless
   * `allowDuplicates`); else `'unknown'` if no element became stable; else true.
   */
  valid: Validity;
  /** Distinct elements whose add was invoked. */
  attemptCount: number;
  stableCount: number;
  lostCount: number;
  /** Lost elements, sorted. */
  lost: unknown[];
  neverReadCount: number;
  /** Never-read elements, sorted. */
  neverRead: unknown[];
  staleCount: number;
  /** Stable elements whose stable latency is positive, sorted. */
  stale: unknown[];
  /** Up to 8 stale elements with the highest stable latency, highest first. */
  worstStale: SetFullElementResult[];
  /** Quantiles of the stable latencies; absent when no element is stable. */
  stableLatencies?: Quantiles;
  /** Quantiles of the lost latencies; absent when no element is lost. */
  lostLatencies?: Quantiles;
  /** Distinct values that some single ok read returned more than once. */
  duplicatedCount: number;
  /**
   * For each such value, the highest multiplicity seen in one read, as `[value, count]` pairs in
   * value order (Maelstrom's field is a map `{value count}`, always empty there).
   */
  duplicated: [unknown, number][];
}

/** How a {@link SetFullResult} is written: Jepsen's `valid?`, `attempt-count`, `worst-stale`, `stable-latencies` (quantile keys kept), …. */
export const setFullWire: WireForm = fields<SetFullResult>({
  valid: 'valid?',
  attemptCount: 'attempt-count',
  stableCount: 'stable-count',
  lostCount: 'lost-count',
  lost: field('lost', seqOf(DATA)),
  neverReadCount: 'never-read-count',
  neverRead: field('never-read', seqOf(DATA)),
  staleCount: 'stale-count',
  stale: field('stale', seqOf(DATA)),
  worstStale: field(
    'worst-stale',
    seqOf(
      fields<SetFullElementResult>({
        element: 'element',
        outcome: field('outcome', KEYWORD),
        stableLatency: 'stable-latency',
        lostLatency: 'lost-latency',
        known: 'known',
        lastAbsent: 'last-absent',
      }),
    ),
  ),
  stableLatencies: field('stable-latencies', SORTED_MAP),
  lostLatencies: field('lost-latencies', SORTED_MAP),
  duplicatedCount: 'duplicated-count',
  duplicated: field('duplicated', pairsOf(DATA)),
});

/** Options of {@link setFull}. */
export interface SetFullOptions {
  /**
   * The function that adds one element (its value is the element).
   * @defaultValue `'add'` (g-set); the broadcast workload passes `'broadcast'`
   */
  addF?: string;
  /**
   * The function that reads the whole set; its ok value is an array of elements.
   * @defaultValue `'read'`
   */
  readF?: string;
  /**
   * Expect the set to be linearizable: stale elements make the result false (Jepsen's
   * `:linearizable?`). Maelstrom never sets it.
   * @defaultValue false
   */
  linearizable?: boolean;
  /**
   * Let reads return an element more than once without invalidating the result. Maelstrom's
   * duplicate test is inert (it checks `count < 1`), so it never fails for duplicates; set this
   * to reproduce that verdict exactly.
   * @defaultValue false
   */
  allowDuplicates?: boolean;
}

/** The quantile points Jepsen reports. */
const POINTS = [0, 0.5, 0.95, 0.99, 1] as const;

/**
 * Jepsen's quantiles: for each point p, `sorted[min(n-1, floor(n·p))]`; undefined when empty.
 */
export function quantiles(xs: readonly number[]): Quantiles | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  const out: Quantiles = {};
  for (const p of POINTS) out[String(p)] = s[Math.min(n - 1, Math.floor(n * p))]!;
  return out;
}

/**
 * Jepsen's set-full checker (Maelstrom's broadcast and g-set checker). Adds put one element;
 * every ok read returns the whole set, and each one counts, not only the final reads.
 *
 * Per element, created when its add is invoked (a second add of the same value starts it over),
 * and updated by every ok read that completes afterwards:
 * - *known*: the earliest completion, in history order, of its ok add or of a read that saw it;
 * - *last present* / *last absent*: the invocation of the latest-invoked read that saw / did not
 *   see it.
 * It is *stable* if some read saw it and the last present read was invoked after the last absent
 * one; *lost* if it is known, some read missed it, and the last absent read was invoked after
 * both the last present read's invocation and the known completion; else *never read*.
 * Stable time = last absent invocation time + 1 ns (0 without one); lost time = last present
 * invocation time + 1 ns (0 without one). Latency = max(0, that time − known time), truncated to
 * whole ms. Stale = stable with latency > 0.
 *
 * Duplicates: unlike Maelstrom (whose duplicate test can never fire), a value returned twice by
 * one read is reported in `duplicated` and makes the result false, as Jepsen intends for a set
 * that must not hold duplicates; `allowDuplicates` restores Maelstrom's verdict. Everything else
 * matches Maelstrom, verdicts included.
 *
 * Cost: O(reads × elements) for the absences, plus the total size of the reads.
 */
export function setFull(history: readonly Op[], opts: SetFullOptions = {}): SetFullResult {
  const addF = opts.addF ?? 'add';
  const readF = opts.readF ?? 'read';

  // Element state in parallel arrays, indexed by element slot.
  const values: unknown[] = [];
  const known: number[] = []; // history position of the known completion, -1 if none
  const lastPresent: number[] = []; // position of the invocation, -1 if none
  const lastAbsent: number[] = [];
  const live: boolean[] = []; // false once a later add of the same value replaced this slot
  const slots = new SlotIndex();
  let stamp = new Int32Array(64); // the last read that held each slot
  let readNo = 0;

  const partner = pairIndex(history);
  const dups = new Map<string, { value: unknown; count: number }>();

  for (let i = 0; i < history.length; i++) {
    const op = history[i]!;
    if (typeof op.process !== 'number') continue;
    if (op.type === 'invoke') {
      if (op.f === addF) {
        const slot = values.length;
        const prev = slots.set(op.value, slot);
        if (prev !== undefined) live[prev] = false;
        values.push(op.value);
        known.push(-1);
        lastPresent.push(-1);
        lastAbsent.push(-1);
        live.push(true);
        if (slot >= stamp.length) {
          const s = new Int32Array(stamp.length * 2);
          s.set(stamp);
          stamp = s;
        }
      }
      continue;
    }
    const inv = partner[i]!;
    if (op.f === addF) {
      if (op.type !== 'ok' || inv < 0) continue;
      const slot = slots.get(history[inv]!.value);
      if (slot !== undefined && known[slot] === -1) known[slot] = i;
    } else if (op.f === readF) {
      if (op.type !== 'ok' || inv < 0) continue;
      const read = Array.isArray(op.value) ? (op.value as unknown[]) : [];
      readNo++;
      // How often this read held a value, for values held twice and values never added (rare):
      // the first sight of an added value is its slot's stamp.
      let counts: Map<string, number> | undefined;
      for (const x of read) {
        const slot = slots.get(x);
        if (slot !== undefined && stamp[slot] !== readNo) {
          stamp[slot] = readNo;
          if (known[slot] === -1) known[slot] = i;
          if (lastPresent[slot]! < inv) lastPresent[slot] = inv;
          continue;
        }
        const k = valueKey(x);
        counts ??= new Map();
        const c = (counts.get(k) ?? (slot === undefined ? 0 : 1)) + 1;
        counts.set(k, c);
        if (c > 1) {
          const d = dups.get(k);
          if (!d) dups.set(k, { value: x, count: c });
          else if (d.count < c) d.count = c;
        }
      }
      for (let s = 0; s < values.length; s++) {
        if (stamp[s] !== readNo && live[s] && lastAbsent[s]! < inv) lastAbsent[s] = inv;
      }
    }
  }

  const results: SetFullElementResult[] = [];
  for (let s = 0; s < values.length; s++) {
    if (!live[s]) continue;
    const kn = known[s]!;
    const lp = lastPresent[s]!;
    const la = lastAbsent[s]!;
    const stable = lp !== -1 && la < lp;
    const lost = kn !== -1 && la !== -1 && lp < la && kn < la;
    const knownTime = kn === -1 ? 0 : history[kn]!.time;
    const latency = (t: number) => Math.floor(Math.max(0, t - knownTime) / 1e6);
    results.push({
      element: values[s],
      outcome: stable ? 'stable' : lost ? 'lost' : 'never-read',
      stableLatency: stable ? latency(la === -1 ? 0 : history[la]!.time + 1) : null,
      lostLatency: lost ? latency(lp === -1 ? 0 : history[lp]!.time + 1) : null,
      known: kn === -1 ? null : history[kn]!,
      lastAbsent: la === -1 ? null : history[la]!,
    });
  }
  results.sort((a, b) => totalCompare(a.element, b.element));

  const stableRs = results.filter((r) => r.outcome === 'stable');
  const lostRs = results.filter((r) => r.outcome === 'lost');
  const neverRs = results.filter((r) => r.outcome === 'never-read');
  const staleRs = stableRs.filter((r) => r.stableLatency! > 0);
  // Jepsen: sort-by latency (stable), reverse, take 8.
  const worst = [...staleRs]
    .sort((a, b) => a.stableLatency! - b.stableLatency!)
    .reverse()
    .slice(0, 8);

  let valid: Validity;
  if (lostRs.length > 0) valid = false;
  else if (stableRs.length === 0) valid = 'unknown';
  else if (opts.linearizable && staleRs.length > 0) valid = false;
  else valid = true;
  if (dups.size > 0 && !opts.allowDuplicates) valid = false;

  const out: SetFullResult = {
    valid,
    attemptCount: results.length,
    stableCount: stableRs.length,
    lostCount: lostRs.length,
    lost: sortValues(lostRs.map((r) => r.element)),
    neverReadCount: neverRs.length,
    neverRead: sortValues(neverRs.map((r) => r.element)),
    staleCount: staleRs.length,
    stale: sortValues(staleRs.map((r) => r.element)),
    worstStale: worst,
    duplicatedCount: dups.size,
    duplicated: [...dups.values()].sort((a, b) => totalCompare(a.value, b.value)).map((d) => [d.value, d.count]),
  };
  const sl = quantiles(results.flatMap((r) => (r.stableLatency === null ? [] : [r.stableLatency])));
  if (sl) out.stableLatencies = sl;
  const ll = quantiles(results.flatMap((r) => (r.lostLatency === null ? [] : [r.lostLatency])));
  if (ll) out.lostLatencies = ll;
  return out;
}

/**
 * Element slots by value, under {@link valueKey} equality: small non-negative integers (numbers,
 * and bigints of the same value) in an array, other safe integers by number, everything else by
 * its key text.
 */
class SlotIndex {
  /** Slot + 1 of the small integer `n` at `[n]`; 0 for none. */
  private small = new Int32Array(64);
  private readonly ints = new Map<number, number>();
  private readonly keyed = new Map<string, number>();

  get(value: unknown): number | undefined {
    const n = safeInt(value);
    if (n === undefined) return this.keyed.get(valueKey(value));
    if (n < 0 || n >= SMALL) return this.ints.get(n);
    const s = n < this.small.length ? this.small[n]! : 0;
    return s === 0 ? undefined : s - 1;
  }

  /** Sets `value`'s slot; returns the slot it had. */
  set(value: unknown, slot: number): number | undefined {
    const n = safeInt(value);
    if (n === undefined) return swap(this.keyed, valueKey(value), slot);
    if (n < 0 || n >= SMALL) return swap(this.ints, n, slot);
    if (n >= this.small.length) {
      const bigger = new Int32Array(Math.min(SMALL, Math.max(n + 1, this.small.length * 2)));
      bigger.set(this.small);
      this.small = bigger;
    }
    const prev = this.small[n]!;
    this.small[n] = slot + 1;
    return prev === 0 ? undefined : prev - 1;
  }
}
/** Integers below this are kept in an array (at most 4 MiB of it): the values of a counter, as most workloads add. */
const SMALL = 1 << 20;

function swap<K>(map: Map<K, number>, k: K, slot: number): number | undefined {
  const prev = map.get(k);
  map.set(k, slot);
  return prev;
}

/** The value as a number when it is a safe integer (a number, or a bigint in range), else undefined. */
function safeInt(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'bigint') return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : undefined;
  return undefined;
}
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
