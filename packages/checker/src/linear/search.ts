import { DEAD, type Automaton } from './automaton';
import { zobrist } from './hash';
import { createMemo, LinSet, type Memo } from './memo';

/** How a search ended. */
export const VALID = 1;
export const INVALID = 0;
export const TIMEOUT = 2;
export const CACHE_FULL = 3;
/** The run's step budget ran out; the search can be resumed (with any order) by another run. */
export const BUDGET = 4;
export type Outcome = typeof VALID | typeof INVALID | typeof TIMEOUT | typeof CACHE_FULL | typeof BUDGET;

/** Orders in which the candidates of a configuration are tried. */
export const FORWARD = 0;
export const REVERSE = 1;
export const URGENT = 2;
/**
 * Forward: invocation order (Porcupine's). Reverse: latest invocation first. Urgent: the op whose
 * completion comes first (it must be linearized before that point), then invocation order.
 */
export type Order = typeof FORWARD | typeof REVERSE | typeof URGENT;

/** Budgets for one search. */
export interface Limits {
  /** Absolute deadline on the `now` clock (ms); Infinity for none. */
  deadline: number;
  now: () => number;
  /** Cap on memoised configurations. */
  maxEntries: number;
  /** Cap on the memo's bytes. @defaultValue Infinity */
  maxBytes?: number;
}

/** Options for one run of a {@link Search}. */
export interface RunOptions {
  /** Candidate order. @defaultValue FORWARD (invocation order, as Porcupine) */
  order?: Order;
  /** Stop after this many steps with {@link BUDGET}. @defaultValue Infinity */
  stepLimit?: number;
  /**
   * Stop with {@link BUDGET} once this many steps did not deepen the run's deepest configuration
   * (backtracking, rejected candidates, memo hits): a run that keeps making progress is never
   * stopped by it. @defaultValue Infinity
   */
  wasteLimit?: number;
  /** Do not stop at a full linearisation: report the state of each, and explore them all. */
  collect?: (state: number) => void;
  /**
   * Skip a configuration when the same one less some indeterminate ops is known to fail
   * ({@link Search.subsumed}). @defaultValue true
   */
  subsume?: boolean;
}

/** `Memo.add`'s answer for a configuration not memoised (see `stackChain`): new, with no entry. */
const NOT_MEMOISED = -3;
/** A `stackChain` value above every event. */
const CHAINLESS = 0x7fffffff;

/** How many of the latest linearized indeterminate ops {@link Search.subsumed} tries leaving out. */
const SUBSUME_TRIES = 16;

/** How many ops {@link Search.revivable} looks at before it assumes the read can be revived. */
const REVIVE_SCAN = 256;

/**
 * Past this many memo entries {@link Search.subsumed} stops: its lookups then miss the processor's
 * caches and cost more than the configurations they spare (measured on the crashed-write cases).
 */
const SUBSUME_MAX_ENTRIES = 1 << 15;

let zobristTable = new Int32Array(0);

/** Zobrist keys for ops 0..n-1 (one table shared by all searches, grown on demand). */
function zobristKeys(n: number): Int32Array {
  if (zobristTable.length < n) {
    const t = new Int32Array(Math.max(n, 2 * zobristTable.length, 256));
    for (let i = 0; i < t.length; i++) t[i] = zobrist(i, 0x68e31da4);
    zobristTable = t;
  }
  return zobristTable;
}

/**
 * Wing & Gong's search with Lowe's memoisation, over a doubly linked list of call and return
 * events (Porcupine's formulation). An op without a return event (indeterminate) may be
 * linearised at any point after its call, or never: the search succeeds as soon as every
 * determinate op is linearised. A read-only op that is possible in a new configuration is taken
 * at once, with no alternatives. The memo outlives a run, so runs with different candidate orders
 * and step budgets (a portfolio) share what is known to fail; a run stopped by its budget forgets
 * the configurations on its stack, which were not fully explored.
 */
export class Search {
  readonly n: number;
  private readonly E: number;
  private readonly head: number;
  private readonly tail: number;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly evOp: Int32Array;
  private readonly isCall: Uint8Array;
  private readonly retOf: Int32Array;
  private readonly zob: Int32Array;
  private readonly readOnly: Uint8Array;
  private readonly stackEv: Int32Array;
  private readonly stackState: Int32Array;
  private readonly stackEntry: Int32Array;
  private readonly stackUrgent: Int32Array;
  /**
   * While the stack's ops are a chain in real time (each returned before the next was called), the
   * return event of the last, else `CHAINLESS`: a configuration reached by extending a chain with an
   * op called after that return is reached by no other path, so it is not memoised.
   */
  private readonly stackChain: Int32Array;
  private readonly stackForced: Uint8Array;
  private readonly best: Int32Array;
  /** How many entries of `best` agree with the stack of the current run. */
  private bestSame = 0;
  /** The linearized set, made with the memo (which decides whether it keeps windows). */
  private set!: LinSet;
  private readonly ret: ArrayLike<number>;
  private readonly determinate: number;

  steps = 0;
  private cache: Memo | undefined;
  private readonly callOf: Int32Array;
  get cacheEntries(): number {
    return this.cache?.count ?? 0;
  }
  /** Bytes held by the memo. */
  get cacheBytes(): number {
    return this.cache?.bytes ?? 0;
  }
  /** Length of the longest linearised prefix found. */
  bestDepth = 0;
  /** Longest linearised prefix found (op ids, in order). */
  get bestPath(): Int32Array {
    return this.best.subarray(0, this.bestDepth);
  }
  /** The op whose return blocked the longest prefix, or -1. */
  failOp = -1;
  /** State id after the longest prefix. */
  failState = 0;
  /** The linearisation, when valid. */
  witness: Int32Array | undefined;

  /**
   * @param aut - the compiled model over the ops
   * @param inv - each op's call position (distinct, any increasing scale)
   * @param ret - each op's return position, or -1 for an op that never returned
   * @param memo - makes the memo (tests compare memos)
   */
  constructor(
    readonly aut: Automaton,
    inv: ArrayLike<number>,
    ret: ArrayLike<number>,
    private readonly memo: (n: number, limits: Limits) => Memo = (n, limits) => createMemo(n, limits.maxEntries, limits.maxBytes ?? Infinity),
  ) {
    const n = aut.n;
    this.n = n;
    let E = 0;
    let det = 0;
    for (let i = 0; i < n; i++) {
      E++;
      if (ret[i]! >= 0) {
        E++;
        det++;
      }
    }
    this.E = E;
    this.determinate = det;
    // One buffer for every array of the search.
    const ints = det + E + 2 * n + 2 * (E + 2) + 6 * n + 1;
    const buf = new ArrayBuffer(ints * 4 + E + 2 * n);
    let off = 0;
    const i32 = (len: number): Int32Array => {
      const a = new Int32Array(buf, off, len);
      off += len * 4;
      return a;
    };
    const byRet = i32(det);
    this.evOp = i32(E);
    this.retOf = i32(n);
    this.callOf = i32(n);
    this.next = i32(E + 2);
    this.prev = i32(E + 2);
    this.stackEv = i32(n);
    this.stackState = i32(n);
    this.stackEntry = i32(n);
    this.stackUrgent = i32(n);
    this.stackChain = i32(n + 1);
    this.best = i32(n);
    this.isCall = new Uint8Array(buf, off, E);
    this.readOnly = new Uint8Array(buf, off + E, n);
    this.stackForced = new Uint8Array(buf, off + E + n, n);
    // Calls come in invocation order; returns are sorted by insertion (nearly sorted already).
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (i > 0 && inv[i]! < inv[i - 1]!) throw new RangeError('ops must be in invocation order');
      const r = ret[i]!;
      if (r < 0) continue;
      let j = m++;
      while (j > 0 && ret[byRet[j - 1]!]! > r) {
        byRet[j] = byRet[j - 1]!;
        j--;
      }
      byRet[j] = i;
    }
    let c = 0;
    let q = 0;
    for (let k = 0; k < E; k++) {
      if (c < n && (q >= det || inv[c]! <= ret[byRet[q]!]!)) {
        this.evOp[k] = c++;
        this.isCall[k] = 1;
      } else this.evOp[k] = byRet[q++]!;
    }
    this.retOf.fill(-1);
    for (let j = 0; j < E; j++) {
      if (this.isCall[j]) this.callOf[this.evOp[j]!] = j;
      else this.retOf[this.evOp[j]!] = j;
    }
    this.ret = ret;
    this.head = E;
    this.tail = E + 1;
    this.zob = zobristKeys(n);
    this.readOnly.set(aut.readOnly);
  }

  /** Restores the full event list: every event, in order, between head and tail. */
  private reset(): void {
    const { next, prev, head, tail, E } = this;
    for (let j = 0; j < E; j++) {
      next[j] = j + 1;
      prev[j] = j - 1;
    }
    if (E > 0) {
      next[E - 1] = tail;
      prev[0] = head;
    }
    next[head] = E > 0 ? 0 : tail;
    prev[tail] = E > 0 ? E - 1 : head;
    prev[head] = -1;
    next[tail] = -1;
  }

  /** The first candidate of the current configuration in `order`, or -1. Sets `this.urgent`. */
  private first(order: Order): number {
    const { next, prev, isCall, head, tail, evOp } = this;
    let e = next[head]!;
    switch (order) {
      case FORWARD:
        return e !== tail && isCall[e] === 1 ? e : -1;
      case REVERSE:
        while (e !== tail && isCall[e] === 1) e = next[e]!;
        e = prev[e]!;
        return e === head ? -1 : e;
      default:
        while (e !== tail && isCall[e] === 1) e = next[e]!;
        if (e === tail) {
          this.urgent = -1;
          e = next[head]!;
          return e !== tail ? e : -1;
        }
        this.urgent = this.callOf[evOp[e]!]!;
        return this.urgent;
    }
  }

  /** The candidate after `e` in `order` in the current configuration, or -1. */
  private after(order: Order, e: number): number {
    const { next, prev, isCall, head, tail } = this;
    let x: number;
    switch (order) {
      case FORWARD:
        x = next[e]!;
        return x !== tail && isCall[x] === 1 ? x : -1;
      case REVERSE:
        x = prev[e]!;
        return x === head ? -1 : x;
      default: {
        const u = this.urgent;
        x = e === u ? next[head]! : next[e]!;
        if (x === u) x = next[x]!;
        return x !== tail && isCall[x] === 1 ? x : -1;
      }
    }
  }

  private urgent = -1;

  /**
   * Is the configuration just reached (the current set, in `state`) known to fail because the same
   * set less some indeterminate ops failed in the same state? Leaving an op that never returned
   * unlinearized only widens the choices, so whatever fails with fewer of them fails with more.
   * Only fully explored entries count (not those on the stack); a few ops are tried, not subsets.
   */
  private subsumed(cache: Memo, pushed: number, state: number, h: number, depth: number): boolean {
    const set = this.set;
    const indet = set.indeterminate;
    const full = set.full;
    // One past the latest linearized indeterminate op, in invocation order.
    let high = set.windows ? set.parts[1].high : indet.length;
    if (!set.windows) {
      while (high > 0) {
        const op = indet[high - 1]!;
        if ((full[op >>> 5]! & (1 << (op & 31))) !== 0) break;
        high--;
      }
    }
    const key = this.aut.stateKey[state]!;
    const from = Math.max(0, high - SUBSUME_TRIES);
    for (let i = high - 1; i >= from; i--) {
      const op = indet[i]!;
      if (op === pushed || (full[op >>> 5]! & (1 << (op & 31))) === 0) continue;
      let e: number;
      if (cache.whole) {
        // Only the bitset matters to the memo: flip the bit, not the windows.
        const bit = 1 << (op & 31);
        set.full[op >>> 5]! ^= bit;
        e = cache.find(set, state, h ^ this.zob[op]! ^ key);
        set.full[op >>> 5]! ^= bit;
      } else {
        set.remove(op);
        e = cache.find(set, state, h ^ this.zob[op]! ^ key);
        set.add(op);
      }
      if (e >= 0 && e !== this.rootEntry && !this.onStack(e, depth)) return true;
    }
    return false;
  }

  /**
   * Can an unlinearized op that revives the (determinate, {@link DEAD}) read `op` (`Model.revives`)
   * still be linearized before it? Looks at the ops called between the earliest unlinearized one and
   * the read's return.
   */
  private revivable(op: number): boolean {
    const { next, evOp, head, callOf, aut } = this;
    const full = this.set.full;
    const by = this.retOf[op]!;
    const from = evOp[next[head]!]!;
    for (let r = from; r < this.n && callOf[r]! < by; r++) {
      // Far behind a long-pending op: give up (keeping the configuration is always sound).
      if (r - from > REVIVE_SCAN) return true;
      if (r !== op && (full[r >>> 5]! & (1 << (r & 31))) === 0 && aut.readOnly[r] === 0 && aut.revives(r, op)) return true;
    }
    return false;
  }

  /** Is memo entry `e` one of the stack's (entries on the stack increase with depth)? */
  private onStack(e: number, depth: number): boolean {
    const s = this.stackEntry;
    let lo = 0;
    let hi = depth;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid]! < e) lo = mid + 1;
      else hi = mid;
    }
    return lo < depth && s[lo] === e;
  }

  /** The memo entry of the empty configuration in a `collect` run (explored last, so never done before the end). */
  private rootEntry = -1;

  /** Forgets the memo of visited configurations (before a run with a different meaning). */
  resetCache(): void {
    this.cache = undefined;
  }

  /**
   * Runs the search. The memo of failed configurations is kept between runs, so a run stopped by
   * its step budget can be followed by another (in any order) that skips what is known to fail.
   * With `collect`, does not stop at a full linearisation: it reports the state of every
   * configuration in which all determinate ops are linearised, and explores them all.
   */
  run(limits: Limits, options: RunOptions = {}): Outcome {
    this.reset();
    const { next, prev, evOp, isCall, retOf, zob, head, tail, aut, readOnly } = this;
    const order = options.order ?? FORWARD;
    const collect = options.collect;
    if (!this.cache) {
      this.cache = this.memo(this.n, limits);
      this.set = new LinSet(this.n, this.ret, !this.cache.whole);
    }
    const cache = this.cache;
    const { set, stackEv, stackState, stackForced, stackEntry, stackUrgent, stackChain, best } = this;
    stackChain[0] = -1;
    set.clear();
    this.bestSame = 0;
    const { deadline, now } = limits;
    const timed = deadline < Infinity;
    const stepLimit = options.stepLimit ?? Infinity;
    const wasteLimit = options.wasteLimit ?? Infinity;
    let deepest = 0;
    let checkMask = 15;
    let lastCheck = timed ? now() : 0;
    let remaining = this.determinate;
    let state = aut.init;
    let h = 0;
    let depth = 0;
    let steps = 0;
    let pendingFail = this.bestDepth === 0;
    if (this.bestDepth === 0) this.failState = state;
    this.witness = undefined;
    const subsume = (options.subsume ?? true) && set.indeterminate.length > 0;
    // The bits are set here; the windows (kept only for a window memo) by LinSet.
    const full = set.full;
    const windows = set.windows;
    this.rootEntry = -1;
    if (collect) {
      this.rootEntry = cache.add(set, state, aut.stateKey[state]!);
      if (remaining === 0) collect(state);
    } else if (remaining === 0) {
      this.witness = new Int32Array(0);
      return VALID;
    }
    let entry = -1;
    /** The candidate whose successor in `order` is tried next (one call site for `after`, so it is inlined). */
    let advance = -1;
    let fresh = true;
    let outcome: Outcome;
    for (;;) {
      if (advance >= 0) {
        entry = this.after(order, advance);
        advance = -1;
      }
      if (++steps > stepLimit || steps - deepest > wasteLimit) {
        for (let d = 0; d < depth; d++) if (stackEntry[d]! >= 0) cache.kill(stackEntry[d]!);
        outcome = BUDGET;
        break;
      }
      if (timed && (steps & checkMask) === 0) {
        const t = now();
        if (t >= deadline) {
          outcome = TIMEOUT;
          break;
        }
        const d = t - lastCheck;
        if (d > 4 && checkMask > 15) checkMask >>>= 1;
        else if (d < 1 && checkMask < 8191) checkMask = (checkMask << 1) | 1;
        lastCheck = t;
      }
      let pushEntry = -1;
      let pushState = 0;
      let forced = 0;
      if (fresh) {
        // A new configuration. A read-only op that is possible now can be linearized first without
        // loss of generality (it changes nothing wherever it goes): take it, with no alternatives.
        // A pending read that only ops that revive it could make possible, with none of them left
        // that may come before it (Model.unreachable, Model.revives), condemns the configuration.
        fresh = false;
        let dead = -1;
        let e = next[head]!;
        while (e !== tail && isCall[e] === 1) {
          const op = evOp[e]!;
          if (readOnly[op] === 1) {
            const ns = aut.next(state, op);
            if (ns === state) {
              pushEntry = e;
              pushState = state;
              forced = 1;
              break;
            }
            if (ns === DEAD && !this.revivable(op)) {
              dead = op;
              break;
            }
          }
          e = next[e]!;
        }
        if (dead >= 0) {
          entry = -1;
          if (pendingFail && depth === this.bestDepth) {
            pendingFail = false;
            this.failOp = dead;
            this.failState = state;
          }
        } else if (forced === 0) entry = this.first(order);
      }
      if (forced === 0 && entry >= 0) {
        const ns = aut.next(state, evOp[entry]!);
        if (ns < 0) {
          advance = entry;
          continue;
        }
        pushEntry = entry;
        pushState = ns;
      }
      if (pushEntry >= 0) {
        const op = evOp[pushEntry]!;
        full[op >>> 5]! |= 1 << (op & 31);
        if (windows) set.addToWindow(op);
        const nh = h ^ zob[op]!;
        const chain = stackChain[depth]! < pushEntry;
        const added = chain
          ? NOT_MEMOISED
          : forced === 0 && subsume && cache.count <= SUBSUME_MAX_ENTRIES && this.subsumed(cache, op, pushState, nh, depth)
            ? -1
            : cache.add(set, pushState, nh ^ aut.stateKey[pushState]!);
        if (added >= 0 || added === NOT_MEMOISED) {
          stackEv[depth] = pushEntry;
          stackChain[depth + 1] = chain && retOf[op]! >= 0 ? retOf[op]! : CHAINLESS;
          stackState[depth] = state;
          stackForced[depth] = forced;
          stackEntry[depth] = added;
          stackUrgent[depth] = this.urgent;
          depth++;
          state = pushState;
          h = nh;
          const nx = next[pushEntry]!;
          const pv = prev[pushEntry]!;
          prev[nx] = pv;
          next[pv] = nx;
          const r = retOf[op]!;
          if (r >= 0) {
            const rn = next[r]!;
            const rp = prev[r]!;
            prev[rn] = rp;
            next[rp] = rn;
            remaining--;
          }
          if (depth > deepest) deepest = depth;
          if (depth > this.bestDepth) {
            this.bestDepth = depth;
            for (let d = this.bestSame; d < depth; d++) best[d] = evOp[stackEv[d]!]!;
            this.bestSame = depth;
            pendingFail = true;
          }
          if (remaining === 0) {
            if (!collect) {
              this.witness = Int32Array.from(stackEv.subarray(0, depth), (e) => evOp[e]!);
              outcome = VALID;
              break;
            }
            collect(state);
          }
          fresh = true;
          continue;
        }
        full[op >>> 5]! &= ~(1 << (op & 31));
        if (windows) set.removeFromWindow(op);
        if (added === -2) {
          outcome = CACHE_FULL;
          break;
        }
        if (forced === 0) {
          advance = pushEntry;
          continue;
        }
        // The forced successor was already explored, so this configuration fails too.
      }
      // No candidate left: the current configuration cannot be extended; backtrack.
      if (pendingFail) {
        pendingFail = false;
        let e = next[head]!;
        while (e !== tail && isCall[e] === 1) e = next[e]!;
        this.failOp = e === tail ? -1 : evOp[e]!;
        this.failState = state;
      }
      let more = true;
      while (more) {
        if (depth === 0) break;
        depth--;
        if (this.bestSame > depth) this.bestSame = depth;
        const e = stackEv[depth]!;
        state = stackState[depth]!;
        const op = evOp[e]!;
        full[op >>> 5]! &= ~(1 << (op & 31));
        if (windows) set.removeFromWindow(op);
        h ^= zob[op]!;
        const r = retOf[op]!;
        if (r >= 0) {
          next[prev[r]!] = r;
          prev[next[r]!] = r;
          remaining++;
        }
        next[prev[e]!] = e;
        prev[next[e]!] = e;
        if (stackForced[depth] === 0) {
          this.urgent = stackUrgent[depth]!;
          advance = e;
          more = false;
        }
      }
      if (more) {
        outcome = INVALID;
        break;
      }
    }
    this.steps += steps;
    return outcome;
  }
}
