/**
 * The interpreter's state machine, shared by `interpret` (async, any Clock) and `simulate`
 * (synchronous, virtual time). It owns the generator, the thread table and the history; its
 * drivers own time and the outside world.
 */
import type { Op, ProcessId, Random, TestInfo } from '@gyre/history';
import { lift } from './lift';
import type { Context, GenLike, GenOp, Generator, Thread } from './types';

/** What the driver must do next. */
export type Action =
  /** Send `op` (already recorded) to the client of `thread`; report its completion. */
  | { kind: 'invoke'; thread: Thread; op: Op }
  /** Keep `thread` busy until time `until` (ns), then call `wake`. */
  | { kind: 'sleep'; thread: Thread; until: number }
  /**
   * Nothing to do now. Step again at time `until` (ns) or at the next completion, whichever comes
   * first; `until === null` means at the next completion, or, when `idle` (nothing in flight),
   * after a poll interval.
   */
  | { kind: 'wait'; until: number | null; idle: boolean }
  /** The generator is exhausted (or stopped) and nothing is in flight. */
  | { kind: 'done' };

export interface CoreOptions {
  generator: GenLike;
  random: Random;
  test: TestInfo;
  threads: readonly Thread[];
  record?: (op: Op) => void;
  log?: (message: string) => void;
  keepHistory?: boolean;
}

const COMPLETION_TYPES = new Set(['ok', 'fail', 'info']);
/** The fields of an invocation that {@link Core.step} sets itself; the generator's others are kept. */
const INVOKE_FIELDS = new Set(['type', 'f', 'value', 'process', 'time']);
/** The fields of a completion that {@link Core.complete} sets itself. */
const COMPLETION_FIELDS = new Set(['index', 'time', 'type', 'process', 'f', 'value']);

/**
 * Copies `from`'s own fields, except `skip`, onto `to`, in order (what `{ ...to, ...rest }` does
 * with `rest` destructured from `from`, without V8's slow path for object rest and spread).
 */
function copyRest(to: Record<string, unknown>, from: Record<string, unknown>, skip: ReadonlySet<string>): void {
  for (const k of Object.keys(from)) if (!skip.has(k)) to[k] = from[k];
}

export class Core {
  readonly history: Op[] = [];
  /** Invocations dispatched so far. */
  invoked = 0;
  private gen: Generator | null;
  private readonly clientCount: number;
  private workers: Map<Thread, ProcessId>;
  private readonly threadOfProcess = new Map<ProcessId, Thread>();
  private readonly busy = new Set<Thread>();
  private readonly sleeping = new Set<Thread>();
  private readonly open = new Map<Thread, Op>();
  private free: Thread[] | null = null;
  private cached: { op: GenOp; gen: Generator } | null = null;
  private index = 0;
  private stopped = false;

  constructor(private readonly o: CoreOptions) {
    const seen = new Set<Thread>();
    for (const t of o.threads) {
      const ok = t === 'nemesis' || (Number.isInteger(t) && t >= 0);
      if (!ok || seen.has(t)) throw new RangeError(`threads: invalid or duplicate thread ${String(t)}`);
      seen.add(t);
    }
    this.clientCount = o.threads.filter((t) => t !== 'nemesis').length;
    // The crash rule (process + C) keeps processes unique only for threads 0..C-1.
    for (const t of o.threads) {
      if (t !== 'nemesis' && t >= this.clientCount) {
        throw new RangeError(`threads: client threads must be 0..${this.clientCount - 1}, got ${t}`);
      }
    }
    this.gen = lift(o.generator);
    this.workers = new Map(o.threads.map((t) => [t, t]));
    for (const t of o.threads) this.threadOfProcess.set(t, t);
  }

  /** Threads running an operation or a sleep. */
  get inFlight(): number {
    return this.busy.size;
  }

  context(now: number): Context {
    this.free ??= this.o.threads.filter((t) => !this.busy.has(t));
    return { time: now, freeThreads: this.free, workers: this.workers, random: this.o.random, test: this.o.test };
  }

  /** Stop asking the generator; in-flight operations still complete. */
  stop(): void {
    this.stopped = true;
    this.cached = null;
  }

  /**
   * The next action at time `now`. A generator that throws (or emits an operation for a busy or
   * unknown process) stops the run: its error is kept in `failure` and in-flight operations drain.
   */
  step(now: number): Action {
    for (;;) {
      if (this.stopped || this.gen === null) {
        return this.busy.size === 0 ? { kind: 'done' } : { kind: 'wait', until: null, idle: false };
      }
      let r = this.cached;
      if (r) {
        if (now < r.op.time) return { kind: 'wait', until: r.op.time, idle: this.busy.size === 0 };
        this.cached = null;
      } else {
        let res;
        try {
          res = this.gen.op(this.context(now));
        } catch (error) {
          this.fail(error);
          continue;
        }
        if (res === null) {
          this.gen = null;
          continue;
        }
        if (res.op === 'pending') return { kind: 'wait', until: null, idle: this.busy.size === 0 };
        r = { op: res.op, gen: res.gen };
        if (r.op.time > now) {
          this.cached = r;
          return { kind: 'wait', until: r.op.time, idle: this.busy.size === 0 };
        }
      }
      const { op, gen } = r;
      const thread = this.threadOfProcess.get(op.process);
      if (thread === undefined || this.busy.has(thread)) {
        this.fail(
          new Error(`generator emitted ${op.type} ${op.f} for process ${String(op.process)}, which is not a free thread's process`),
        );
        continue;
      }
      switch (op.type) {
        case 'log':
          this.gen = gen;
          this.o.log?.(String(op.value));
          continue;
        case 'sleep':
          this.gen = gen;
          this.setBusy(thread, true);
          this.sleeping.add(thread);
          return { kind: 'sleep', thread, until: now + Math.round(Number(op.value) * 1e9) };
        case 'invoke': {
          const inv: Op = { index: this.index, time: now, type: 'invoke', process: op.process, f: op.f, value: op.value };
          copyRest(inv, op, INVOKE_FIELDS);
          this.emit(inv);
          this.index++;
          this.setBusy(thread, true);
          this.open.set(thread, inv);
          this.invoked++;
          this.gen = this.updated(gen, now, inv);
          return { kind: 'invoke', thread, op: inv };
        }
        default:
          this.fail(new Error(`generator emitted an op of unknown type ${String((op as GenOp).type)}`));
      }
    }
  }

  /** The completion of the operation running on `thread`, at time `now`. */
  complete(thread: Thread, completion: Op, now: number): void {
    const inv = this.open.get(thread);
    if (!inv) throw new Error(`completion for thread ${String(thread)}, which runs no operation`);
    this.open.delete(thread);
    const { type, f, value } = completion;
    const valid = COMPLETION_TYPES.has(type);
    const op: Op = {
      index: this.index++,
      time: now,
      type: valid ? type : 'info',
      process: inv.process,
      f: f ?? inv.f,
      value: value === undefined ? inv.value : value,
    };
    copyRest(op, completion, COMPLETION_FIELDS);
    if (!valid) op['error'] = `invalid completion type ${String(type)}`;
    this.setBusy(thread, false);
    if (this.gen !== null && !this.stopped) this.gen = this.updated(this.gen, now, op);
    if (op.type === 'info' && typeof inv.process === 'number') {
      // Jepsen's crash rule: the thread carries on as a new process.
      const next = inv.process + this.clientCount;
      this.workers = new Map(this.workers).set(thread, next);
      this.threadOfProcess.delete(inv.process);
      this.threadOfProcess.set(next, thread);
    }
    this.emit(op);
  }

  /** The end of `thread`'s sleep. */
  wake(thread: Thread): void {
    if (!this.sleeping.delete(thread)) return;
    this.setBusy(thread, false);
  }

  private setBusy(thread: Thread, busy: boolean): void {
    if (busy) this.busy.add(thread);
    else this.busy.delete(thread);
    this.free = null;
    this.cached = null;
  }

  /** The first error a generator threw, once the run has stopped because of it. */
  failure: { error: unknown } | null = null;

  private fail(error: unknown): void {
    this.failure ??= { error };
    this.gen = null;
    this.stop();
  }

  private updated(gen: Generator, now: number, event: Op): Generator | null {
    try {
      return gen.update(this.context(now), event);
    } catch (error) {
      this.fail(error);
      return null;
    }
  }

  private emit(op: Op): void {
    if (this.o.keepHistory !== false) this.history.push(op);
    this.o.record?.(op);
  }
}
