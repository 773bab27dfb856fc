import type { Op } from '@gyre/history';
import { threadOf } from './context';
import type { Context, GenLike, GenOp, GenResult, Generator, OpTemplate } from './types';

class Nil implements Generator {
  op(): GenResult {
    return null;
  }
  update(): Generator {
    return this;
  }
}

/** The exhausted generator. */
export const NIL: Generator = new Nil();

/** True for values implementing {@link Generator} (an `op` and an `update` method). */
export function isGenerator(x: unknown): x is Generator {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as Generator).op === 'function' &&
    typeof (x as Generator).update === 'function'
  );
}

const TEMPLATE_TYPES = new Set([undefined, 'invoke', 'log', 'sleep']);

/** The fields every operation has, set by {@link Template}; a template's other fields are copied. */
const OP_FIELDS = new Set(['type', 'f', 'value', 'process', 'time']);

class Template implements Generator {
  /** The template's own fields other than {@link OP_FIELDS}, in order. */
  private readonly extra: readonly string[];
  constructor(private readonly t: OpTemplate) {
    this.extra = Object.keys(t).filter((k) => !OP_FIELDS.has(k));
  }
  op(ctx: Context): GenResult {
    let process = this.t['process'];
    if (process !== undefined) {
      const thread = threadOf(ctx, process as never);
      if (thread === undefined || !ctx.freeThreads.includes(thread)) return { op: 'pending', gen: this };
    } else {
      const free = ctx.freeThreads;
      if (free.length === 0) return { op: 'pending', gen: this };
      const thread = free.length === 1 ? free[0]! : ctx.random.pick(free);
      process = ctx.workers.get(thread);
    }
    // Built field by field: an object spread of templates of many shapes takes V8's slow path.
    const t = this.t;
    const op = { type: t['type'] ?? 'invoke', f: t.f, value: t.value ?? null, process, time: t['time'] ?? ctx.time } as GenOp;
    for (const k of this.extra) (op as Record<string, unknown>)[k] = t[k];
    return { op, gen: NIL };
  }
  update(): Generator {
    return this;
  }
}

/** Elements one after another; updates go to the current element. */
class Seq implements Generator {
  constructor(
    private readonly items: readonly GenLike[],
    private readonly i: number,
    private readonly head: Generator | null,
  ) {}
  op(ctx: Context): GenResult {
    const { items } = this;
    let head = this.head;
    for (let i = this.i; i < items.length; i++, head = null) {
      const r = (head ?? lift(items[i]!)).op(ctx);
      if (r) return { op: r.op, gen: i + 1 < items.length ? new Seq(items, i, r.gen) : r.gen };
    }
    return null;
  }
  update(ctx: Context, event: Op): Generator {
    if (this.i >= this.items.length) return NIL;
    const head = (this.head ?? lift(this.items[this.i]!)).update(ctx, event);
    return new Seq(this.items, this.i, head);
  }
}

class Fn implements Generator {
  constructor(private readonly f: (ctx: Context) => GenLike) {}
  op(ctx: Context): GenResult {
    // No operation can start without a free thread: spare the function a call.
    if (ctx.freeThreads.length === 0) return { op: 'pending', gen: this };
    const g = lift(this.f(ctx));
    const r = g.op(ctx);
    // A function whose fresh generator yields nothing at all ends here, rather than being called
    // forever.
    if (!r) return null;
    return { op: r.op, gen: new Seq([r.gen, this], 0, r.gen) };
  }
  update(): Generator {
    return this;
  }
}

/**
 * Turns any {@link GenLike} into a {@link Generator}: `null` into the exhausted generator, an
 * {@link OpTemplate} into a one-shot generator, an array into a sequence, a function into a
 * generator that calls it for a fresh generator whenever the previous one is exhausted.
 *
 * @throws TypeError for anything else, or for a template whose `type` is not `'invoke'`, `'log'`
 * or `'sleep'`.
 */
export function lift(g: GenLike): Generator {
  if (g === null || g === undefined) return NIL;
  if (typeof g === 'function') return new Fn(g);
  if (Array.isArray(g)) return g.length === 0 ? NIL : new Seq(g, 0, null);
  if (isGenerator(g)) return g;
  if (typeof g === 'object' && typeof (g as OpTemplate).f === 'string') {
    const t = g as OpTemplate;
    if (!TEMPLATE_TYPES.has(t['type'] as string | undefined)) {
      throw new TypeError(`op template type must be 'invoke', 'log' or 'sleep', got ${String(t['type'])}`);
    }
    return new Template(t);
  }
  throw new TypeError(`not a generator: ${describe(g)}`);
}

function describe(x: unknown): string {
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return String(x);
  }
}
