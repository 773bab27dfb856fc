import type { ProcessId, Random } from '@gyre/history';
import type { Context, GenOp, Generator, Thread } from './types';

const reverseCache = new WeakMap<ReadonlyMap<Thread, ProcessId>, Map<ProcessId, Thread>>();

/**
 * The thread currently running `process` in this context, or `undefined` when no thread of the
 * context runs it (a crashed process, or a thread outside a narrowed context).
 */
export function threadOf(ctx: Context, process: ProcessId): Thread | undefined {
  let rev = reverseCache.get(ctx.workers);
  if (!rev) {
    rev = new Map();
    for (const [t, p] of ctx.workers) rev.set(p, t);
    reverseCache.set(ctx.workers, rev);
  }
  return rev.get(process);
}

/** Every thread of the context, free or busy. */
export function allThreads(ctx: Context): Thread[] {
  return [...ctx.workers.keys()];
}

/** The processes of the context's free threads. */
export function freeProcesses(ctx: Context): ProcessId[] {
  return ctx.freeThreads.map((t) => ctx.workers.get(t)!);
}

/** True when no thread of the context is running an operation. */
export function allFree(ctx: Context): boolean {
  return ctx.freeThreads.length === ctx.workers.size;
}

/**
 * Narrows contexts to the threads satisfying a predicate. Remembers the last narrowed worker map
 * so that the same map object comes back while the interpreter's map is unchanged.
 */
export class ThreadFilter {
  private src: ReadonlyMap<Thread, ProcessId> | undefined;
  private out: ReadonlyMap<Thread, ProcessId> | undefined;
  constructor(readonly pred: (t: Thread) => boolean) {}
  apply(ctx: Context): Context {
    if (this.src !== ctx.workers) {
      const m = new Map<Thread, ProcessId>();
      for (const [t, p] of ctx.workers) if (this.pred(t)) m.set(t, p);
      this.src = ctx.workers;
      this.out = m;
    }
    return { ...ctx, freeThreads: ctx.freeThreads.filter(this.pred), workers: this.out! };
  }
}

/** A candidate answer from one of several sub-generators. */
export interface Candidate {
  op: GenOp | 'pending';
  gen: Generator;
  i: number;
}

/**
 * The candidate whose operation comes soonest; any operation beats `'pending'`; ties in time are
 * broken uniformly at random (so no sub-generator or thread is starved). `undefined` for none.
 */
export function soonest(cands: readonly Candidate[], random: Random): Candidate | undefined {
  let best: Candidate | undefined;
  let ties = 0;
  let pending: Candidate | undefined;
  for (const c of cands) {
    if (c.op === 'pending') {
      pending ??= c;
      continue;
    }
    if (best === undefined || c.op.time < (best.op as GenOp).time) {
      best = c;
      ties = 1;
    } else if (c.op.time === (best.op as GenOp).time) {
      ties++;
    }
  }
  if (best === undefined) return pending;
  if (ties > 1) {
    const t = (best.op as GenOp).time;
    let k = random.int(ties);
    for (const c of cands) if (c.op !== 'pending' && c.op.time === t && k-- === 0) return c;
  }
  return best;
}
