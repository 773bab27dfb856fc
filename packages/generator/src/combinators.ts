import type { Op, ProcessId } from '@gyre/history';
import { allFree, type Candidate, soonest, ThreadFilter, threadOf } from './context';
import { lift, NIL } from './lift';
import type { Context, GenLike, GenResult, Generator, Invoke, Thread } from './types';

const NS_PER_S = 1e9;

function seconds(name: string, s: number): number {
  if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) {
    throw new RangeError(`${name}: seconds must be a finite number >= 0, got ${String(s)}`);
  }
  return Math.round(s * NS_PER_S);
}

function replaced<T>(xs: readonly T[], i: number, x: T): T[] {
  const out = xs.slice();
  out[i] = x;
  return out;
}

// ---------------------------------------------------------------------------------------------
// mix

class Mix implements Generator {
  constructor(private readonly gens: readonly Generator[]) {}
  op(ctx: Context): GenResult {
    let gens = this.gens;
    while (gens.length > 0) {
      const i = gens.length === 1 ? 0 : ctx.random.int(gens.length);
      const r = gens[i]!.op(ctx);
      if (r) return { op: r.op, gen: new Mix(replaced(gens, i, r.gen)) };
      gens = gens.filter((_, j) => j !== i);
    }
    return null;
  }
  update(ctx: Context, event: Op): Generator {
    return new Mix(this.gens.map((g) => g.update(ctx, event)));
  }
}

/**
 * A random mixture: each operation comes from one of `gens`, chosen uniformly with `ctx.random`
 * at every question. Exhausted generators drop out; the mix ends when all have. Updates go to all.
 */
export function mix(gens: readonly GenLike[]): Generator {
  const gs = gens.map(lift).filter((g) => g !== NIL);
  return gs.length === 0 ? NIL : new Mix(gs);
}

// ---------------------------------------------------------------------------------------------
// sequence

class Sequence implements Generator {
  constructor(
    private readonly f: (i: number) => GenLike,
    private readonly i: number,
    private readonly count: number,
    private readonly head: Generator | null,
  ) {}
  op(ctx: Context): GenResult {
    let head = this.head;
    for (let i = this.i; i < this.count; i++, head = null) {
      if (head === null) {
        const x = this.f(i);
        if (x === null) return null;
        head = lift(x);
      }
      const r = head.op(ctx);
      if (r) return { op: r.op, gen: new Sequence(this.f, i, this.count, r.gen) };
    }
    return null;
  }
  update(ctx: Context, event: Op): Generator {
    if (this.i >= this.count) return NIL;
    const x = this.head ?? this.f(this.i);
    if (x === null) return NIL;
    return new Sequence(this.f, this.i, this.count, lift(x).update(ctx, event));
  }
}

/**
 * The generators `f(0)`, `f(1)`, ... one after another, made lazily: forever, until `count`, or
 * until `f` returns `null`. The state is the index, so values survive the interpreter asking twice:
 * `sequence((i) => ({ f: 'broadcast', value: i }))` broadcasts 0, 1, 2, ... without gaps, where a
 * closure counter in a function generator may skip values the interpreter asked for and discarded.
 * `f` should depend on `i` alone.
 */
export function sequence(f: (i: number) => GenLike, count = Infinity): Generator {
  if (!(count >= 0)) throw new RangeError(`sequence: count must be >= 0, got ${count}`);
  return new Sequence(f, 0, count, null);
}

// ---------------------------------------------------------------------------------------------
// limit, once, repeat

class Limit implements Generator {
  constructor(
    private readonly remaining: number,
    private readonly gen: Generator,
  ) {}
  op(ctx: Context): GenResult {
    if (this.remaining <= 0) return null;
    const r = this.gen.op(ctx);
    if (!r) return null;
    return { op: r.op, gen: new Limit(r.op === 'pending' ? this.remaining : this.remaining - 1, r.gen) };
  }
  update(ctx: Context, event: Op): Generator {
    return new Limit(this.remaining, this.gen.update(ctx, event));
  }
}

/** At most `n` operations from `gen`. Updates pass through. */
export function limit(n: number, gen: GenLike): Generator {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`limit: n must be an integer >= 0, got ${n}`);
  return new Limit(n, lift(gen));
}

/** The first operation of `gen` only: `limit(1, gen)`. */
export function once(gen: GenLike): Generator {
  return limit(1, gen);
}

class Repeat implements Generator {
  constructor(
    private readonly remaining: number,
    private readonly gen: Generator,
  ) {}
  op(ctx: Context): GenResult {
    if (this.remaining === 0) return null;
    const r = this.gen.op(ctx);
    if (!r) return null;
    if (r.op === 'pending') return { op: 'pending', gen: this };
    return { op: r.op, gen: new Repeat(this.remaining < 0 ? -1 : this.remaining - 1, this.gen) };
  }
  update(ctx: Context, event: Op): Generator {
    return new Repeat(this.remaining, this.gen.update(ctx, event));
  }
}

/**
 * Emits the first operation of `gen` again and again: forever, or `times` times. The wrapped
 * generator is asked afresh each time, so `repeat(() => ({ f: 'write', value: rand() }))` gives
 * different values. Updates reach the wrapped generator.
 */
export function repeat(gen: GenLike, times?: number): Generator {
  if (times !== undefined && (!Number.isInteger(times) || times < 0)) {
    throw new RangeError(`repeat: times must be an integer >= 0, got ${times}`);
  }
  return new Repeat(times ?? -1, lift(gen));
}

// ---------------------------------------------------------------------------------------------
// time: timeLimit, stagger, delay

class TimeLimit implements Generator {
  constructor(
    private readonly dt: number,
    private readonly cutoff: number | null,
    private readonly gen: Generator,
  ) {}
  op(ctx: Context): GenResult {
    if (this.cutoff !== null && ctx.time >= this.cutoff) return null;
    const r = this.gen.op(ctx);
    if (!r) return null;
    if (r.op === 'pending') return { op: 'pending', gen: new TimeLimit(this.dt, this.cutoff, r.gen) };
    const cutoff = this.cutoff ?? r.op.time + this.dt;
    if (r.op.time >= cutoff) return null;
    return { op: r.op, gen: new TimeLimit(this.dt, cutoff, r.gen) };
  }
  update(ctx: Context, event: Op): Generator {
    return new TimeLimit(this.dt, this.cutoff, this.gen.update(ctx, event));
  }
}

/**
 * Operations of `gen` for `seconds`, counted from the time of the first operation it emits. An
 * operation scheduled at or after the cutoff ends the generator; so does a question asked after
 * the cutoff, even when `gen` is pending. `seconds <= 0` gives nothing.
 */
export function timeLimit(secs: number, gen: GenLike): Generator {
  const dt = seconds('timeLimit', secs);
  return dt === 0 ? NIL : new TimeLimit(dt, null, lift(gen));
}

/** How {@link Spaced} spaces operations: the gap after each, and where the first may go. */
interface Pace {
  /** The gap after an operation, in nanoseconds. */
  gap(ctx: Context): number;
  /** The first operation goes out no earlier than the time of the context that asks for it. */
  firstNow: boolean;
}

/** Operations of `gen`, each no earlier than `next` and the next one `pace.gap` after it. */
class Spaced implements Generator {
  constructor(
    private readonly pace: Pace,
    private readonly next: number | null,
    private readonly gen: Generator,
  ) {}
  op(ctx: Context): GenResult {
    const r = this.gen.op(ctx);
    if (!r) return null;
    if (r.op === 'pending') return { op: 'pending', gen: new Spaced(this.pace, this.next, r.gen) };
    const t = Math.max(r.op.time, this.next ?? (this.pace.firstNow ? ctx.time : r.op.time));
    const gap = this.pace.gap(ctx);
    const op = t === r.op.time ? r.op : { ...r.op, time: t };
    return { op, gen: new Spaced(this.pace, t + gap, r.gen) };
  }
  update(ctx: Context, event: Op): Generator {
    return new Spaced(this.pace, this.next, this.gen.update(ctx, event));
  }
}

/**
 * Spreads the operations of `gen` over time, across all threads together: the first goes out at
 * once, each later one a uniformly random gap in `[0, 2·dt)` seconds after the previous one, so
 * the mean rate is `1/dt` per second. This is Maelstrom's `--rate` throttle (`dt = 1/rate`). When
 * threads are busy the schedule falls behind and catches up with shorter real gaps.
 */
export function stagger(dt: number, gen: GenLike): Generator {
  const range = 2 * seconds('stagger', dt);
  return new Spaced({ gap: (ctx) => (range === 0 ? 0 : Math.floor(ctx.random.next() * range)), firstNow: true }, null, lift(gen));
}

/** Operations of `gen` exactly `dt` seconds apart (or later, when threads are busy). */
export function delay(dt: number, gen: GenLike): Generator {
  const gap = seconds('delay', dt);
  return new Spaced({ gap: () => gap, firstNow: false }, null, lift(gen));
}

// ---------------------------------------------------------------------------------------------
// sequencing: synchronize, phases, then, concat

class Synchronize implements Generator {
  constructor(private readonly gen: Generator) {}
  op(ctx: Context): GenResult {
    if (!allFree(ctx)) return { op: 'pending', gen: this };
    return this.gen.op(ctx);
  }
  update(ctx: Context, event: Op): Generator {
    return new Synchronize(this.gen.update(ctx, event));
  }
}

/** Waits until every thread of the context is free (no operation outstanding), then runs `gen`. */
export function synchronize(gen: GenLike): Generator {
  return new Synchronize(lift(gen));
}

/**
 * Runs each generator to exhaustion, one after the other; each phase starts only once every
 * operation of the previous phases has completed ({@link synchronize}).
 */
export function phases(...gens: GenLike[]): Generator {
  return lift(gens.map((g) => synchronize(g)));
}

/**
 * `first`, then, once every outstanding operation has completed, `next` (Jepsen's `then`, with its
 * arguments in reading order). Not called `then`: a module exporting `then` is a thenable, which
 * breaks `await import(...)`.
 */
export function andThen(first: GenLike, next: GenLike): Generator {
  return lift([first, synchronize(next)]);
}

/**
 * The generators one after the other, without waiting in between: the next one's operations may
 * start while the previous one's are still running. The same as an array.
 */
export function concat(...gens: GenLike[]): Generator {
  return lift(gens);
}

// ---------------------------------------------------------------------------------------------
// threads: onThreads, clients, nemesis, eachThread, eachProcess

class OnThreads implements Generator {
  constructor(
    private readonly filter: ThreadFilter,
    private readonly gen: Generator,
  ) {}
  op(ctx: Context): GenResult {
    const r = this.gen.op(this.filter.apply(ctx));
    return r && { op: r.op, gen: new OnThreads(this.filter, r.gen) };
  }
  update(ctx: Context, event: Op): Generator {
    const t = threadOf(ctx, event.process);
    if (t === undefined || !this.filter.pred(t)) return this;
    return new OnThreads(this.filter, this.gen.update(this.filter.apply(ctx), event));
  }
}

/**
 * Restricts `gen` to the threads satisfying `pred`: it sees only those threads in its context and
 * only their events.
 */
export function onThreads(pred: (thread: Thread) => boolean, gen: GenLike): Generator {
  return new OnThreads(new ThreadFilter(pred), lift(gen));
}

const isClientThread = (t: Thread) => t !== 'nemesis';
const isNemesisThread = (t: Thread) => t === 'nemesis';

/**
 * `gen` on the client threads only. With a second argument, also runs `nemesisGen` on the nemesis
 * thread alongside (`any(clients(gen), nemesis(nemesisGen))`).
 */
export function clients(gen: GenLike, nemesisGen?: GenLike): Generator {
  const c = onThreads(isClientThread, gen);
  return nemesisGen === undefined ? c : any(c, onThreads(isNemesisThread, nemesisGen));
}

/**
 * `gen` on the nemesis thread only. With a second argument, also runs `clientGen` on the client
 * threads alongside.
 */
export function nemesis(gen: GenLike, clientGen?: GenLike): Generator {
  const n = onThreads(isNemesisThread, gen);
  return clientGen === undefined ? n : any(n, onThreads(isClientThread, clientGen));
}

/** Per-thread narrowing for eachThread/eachProcess, memoised on the interpreter's worker map. */
class OneThread {
  private src: ReadonlyMap<Thread, ProcessId> | undefined;
  private readonly maps = new Map<Thread, ReadonlyMap<Thread, ProcessId>>();
  ctx(ctx: Context, t: Thread, free: boolean): Context {
    if (this.src !== ctx.workers) {
      this.src = ctx.workers;
      this.maps.clear();
    }
    let w = this.maps.get(t);
    if (!w) {
      w = new Map([[t, ctx.workers.get(t)!]]);
      this.maps.set(t, w);
    }
    return { ...ctx, freeThreads: free ? [t] : [], workers: w };
  }
}

interface Slot {
  gen: Generator;
  /** The process the copy was made for (eachProcess only). */
  process?: ProcessId;
}

class Each implements Generator {
  constructor(
    private readonly fresh: Generator,
    private readonly perProcess: boolean,
    private readonly slots: ReadonlyMap<Thread, Slot>,
    private readonly narrow: OneThread,
  ) {}
  private slot(ctx: Context, t: Thread): Slot {
    const s = this.slots.get(t);
    if (!this.perProcess) return s ?? { gen: this.fresh };
    const p = ctx.workers.get(t)!;
    return s && s.process === p ? s : { gen: this.fresh, process: p };
  }
  op(ctx: Context): GenResult {
    const cands: Candidate[] = [];
    const threads: Thread[] = [];
    const slots: Slot[] = [];
    for (const t of ctx.freeThreads) {
      const s = this.slot(ctx, t);
      const r = s.gen.op(this.narrow.ctx(ctx, t, true));
      if (!r) continue;
      cands.push({ op: r.op, gen: r.gen, i: threads.length });
      threads.push(t);
      slots.push(s);
    }
    const best = soonest(cands, ctx.random);
    if (best === undefined) return this.exhausted(ctx) ? null : { op: 'pending', gen: this };
    if (best.op === 'pending') return { op: 'pending', gen: this };
    const next = new Map(this.slots);
    next.set(threads[best.i]!, { ...slots[best.i]!, gen: best.gen });
    return { op: best.op, gen: new Each(this.fresh, this.perProcess, next, this.narrow) };
  }
  /**
   * No free thread has anything: are the busy threads' copies exhausted too? Asked as if their
   * thread were free (a generator that answered null answers null in any context), so that this
   * generator ends as soon as every copy has, and stays ended.
   */
  private exhausted(ctx: Context): boolean {
    // eachProcess: a busy thread may yet crash into a new process, which gets a fresh copy.
    if (this.perProcess) return allFree(ctx);
    for (const t of ctx.workers.keys()) {
      if (ctx.freeThreads.includes(t)) continue;
      if (this.slot(ctx, t).gen.op(this.narrow.ctx(ctx, t, true)) !== null) return false;
    }
    return true;
  }
  update(ctx: Context, event: Op): Generator {
    const t = threadOf(ctx, event.process);
    if (t === undefined) return this;
    const s = this.slot(ctx, t);
    const next = new Map(this.slots);
    const c = this.narrow.ctx(ctx, t, ctx.freeThreads.includes(t));
    next.set(t, { ...s, gen: s.gen.update(c, event) });
    return new Each(this.fresh, this.perProcess, next, this.narrow);
  }
}

/**
 * An independent copy of `gen` for every thread of the context; each copy sees a context with
 * just its own thread and receives only that thread's events. Ends when every copy is exhausted
 * (operations in flight may still complete). `clients(eachThread({ f: 'read', final: true }))` is Maelstrom's
 * "one final read per worker".
 */
export function eachThread(gen: GenLike): Generator {
  return new Each(lift(gen), false, new Map(), new OneThread());
}

/**
 * Like {@link eachThread}, but a thread whose process changed (after a crash) starts over with a
 * fresh copy of `gen`. It ends only when every copy is exhausted and every thread is free (an
 * operation in flight may crash its process). Unlike the other combinators it can come back to
 * life: a later crash of one of its threads by another generator's operation gives it a new copy.
 */
export function eachProcess(gen: GenLike): Generator {
  return new Each(lift(gen), true, new Map(), new OneThread());
}

// ---------------------------------------------------------------------------------------------
// any, flipFlop, untilOk

class Any implements Generator {
  constructor(private readonly gens: readonly Generator[]) {}
  op(ctx: Context): GenResult {
    const cands: Candidate[] = [];
    for (let i = 0; i < this.gens.length; i++) {
      const r = this.gens[i]!.op(ctx);
      if (r) cands.push({ op: r.op, gen: r.gen, i });
    }
    const best = soonest(cands, ctx.random);
    if (best === undefined) return null;
    if (best.op === 'pending') return { op: 'pending', gen: this };
    const live = cands.map((c) => (c === best ? best.gen : this.gens[c.i]!));
    return { op: best.op, gen: live.length === 1 ? live[0]! : new Any(live) };
  }
  update(ctx: Context, event: Op): Generator {
    return new Any(this.gens.map((g) => g.update(ctx, event)));
  }
}

/**
 * The union of several generators: whichever has the soonest operation goes first (ties broken at
 * random); ends when all are exhausted. Updates go to all.
 */
export function any(...gens: GenLike[]): Generator {
  const gs = gens.map(lift).filter((g) => g !== NIL);
  if (gs.length === 0) return NIL;
  return gs.length === 1 ? gs[0]! : new Any(gs);
}

class FlipFlop implements Generator {
  constructor(
    private readonly gens: readonly [Generator, Generator],
    private readonly i: 0 | 1,
  ) {}
  op(ctx: Context): GenResult {
    const r = this.gens[this.i].op(ctx);
    if (!r) return null;
    const gens = replaced(this.gens, this.i, r.gen) as [Generator, Generator];
    if (r.op === 'pending') return { op: 'pending', gen: new FlipFlop(gens, this.i) };
    return { op: r.op, gen: new FlipFlop(gens, this.i === 0 ? 1 : 0) };
  }
  update(ctx: Context, event: Op): Generator {
    return new FlipFlop([this.gens[0].update(ctx, event), this.gens[1].update(ctx, event)], this.i);
  }
}

/** One operation from `a`, then one from `b`, then `a` again, ...; ends as soon as either is exhausted. */
export function flipFlop(a: GenLike, b: GenLike): Generator {
  return new FlipFlop([lift(a), lift(b)], 0);
}

class UntilOk implements Generator {
  constructor(
    private readonly gen: Generator,
    private readonly done: boolean,
    private readonly active: ReadonlySet<ProcessId>,
  ) {}
  op(ctx: Context): GenResult {
    if (this.done) return null;
    const r = this.gen.op(ctx);
    if (!r) return null;
    if (r.op === 'pending' || r.op.type !== 'invoke') {
      return { op: r.op, gen: new UntilOk(r.gen, this.done, this.active) };
    }
    return { op: r.op, gen: new UntilOk(r.gen, this.done, new Set(this.active).add(r.op.process)) };
  }
  update(ctx: Context, event: Op): Generator {
    const gen = this.gen.update(ctx, event);
    const p = event.process;
    if (event.type === 'invoke' || !this.active.has(p)) return new UntilOk(gen, this.done, this.active);
    const active = new Set(this.active);
    active.delete(p);
    return new UntilOk(gen, this.done || event.type === 'ok', active);
  }
}

/**
 * Operations from `gen` until one of them completes `ok`; then exhausted. Operations already
 * running at that moment still complete.
 */
export function untilOk(gen: GenLike): Generator {
  return new UntilOk(lift(gen), false, new Set());
}

// ---------------------------------------------------------------------------------------------
// map, filter

class MapGen implements Generator {
  constructor(
    private readonly f: (op: Invoke, ctx: Context) => Invoke,
    private readonly gen: Generator,
  ) {}
  op(ctx: Context): GenResult {
    const r = this.gen.op(ctx);
    if (!r) return null;
    const op = r.op !== 'pending' && r.op.type === 'invoke' ? this.f(r.op, ctx) : r.op;
    return { op, gen: new MapGen(this.f, r.gen) };
  }
  update(ctx: Context, event: Op): Generator {
    return new MapGen(this.f, this.gen.update(ctx, event));
  }
}

/**
 * Transforms every invocation of `gen` with `f` (log and sleep directives and `'pending'` pass
 * untouched). `f` must keep `process` on a free thread and should keep `type: 'invoke'`.
 */
export function map(f: (op: Invoke, ctx: Context) => Invoke, gen: GenLike): Generator {
  return new MapGen(f, lift(gen));
}

class Filter implements Generator {
  constructor(
    private readonly pred: (op: Invoke) => boolean,
    private readonly gen: Generator,
  ) {}
  op(ctx: Context): GenResult {
    let gen = this.gen;
    for (;;) {
      const r = gen.op(ctx);
      if (!r) return null;
      if (r.op === 'pending' || r.op.type !== 'invoke' || this.pred(r.op)) {
        return { op: r.op, gen: new Filter(this.pred, r.gen) };
      }
      gen = r.gen;
    }
  }
  update(ctx: Context, event: Op): Generator {
    return new Filter(this.pred, this.gen.update(ctx, event));
  }
}

/**
 * Only the invocations of `gen` satisfying `pred`; the others are skipped (asked past). Directives
 * and `'pending'` pass.
 */
export function filter(pred: (op: Invoke) => boolean, gen: GenLike): Generator {
  return new Filter(pred, lift(gen));
}

// ---------------------------------------------------------------------------------------------
// directives

/**
 * One {@link LogOp}: the interpreter passes `message` to its `log` port when the directive's turn
 * comes (after the operations before it in a sequence; in {@link phases}, after all of them have
 * completed). Occupies no thread, is not recorded. `repeat` it to log repeatedly.
 */
export function log(message: string): Generator {
  return lift({ type: 'log', f: 'log', value: String(message) });
}

/**
 * One {@link SleepOp}: a free thread does nothing for `secs` seconds. Not recorded, but the thread
 * is busy meanwhile, so `phases(a, sleep(10), b)` starts `b` ten seconds after `a` finished.
 */
export function sleep(secs: number): Generator {
  seconds('sleep', secs);
  return lift({ type: 'sleep', f: 'sleep', value: secs });
}

