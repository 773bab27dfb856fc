import { kafka as checkKafka, kafkaWire } from '@gyre/checker';
import { any, stagger, type Context, type GenResult, type Generator, type Invoke } from '@gyre/generator';
import { EdnMap, Keyword, type EdnValue, type Op, type ProcessId } from '@gyre/history';
import { WORKLOAD_RPCS } from '@gyre/protocol';
import { DEFAULT_KEY_COUNT, defineWorkload, type ClientState, type WorkloadOptions } from '../types';
import { txnGenerator } from './txn-gen';

const [SEND, POLL, COMMIT, LIST_COMMITTED] = WORKLOAD_RPCS.kafka;

/** Keys are integers in the history and strings on the wire. */
const wireKey = (k: unknown) => String(k);
const historyKey = (k: string): number | string => (/^-?\d{1,15}$/.test(k) ? Number(k) : k);

/** What the main phase saw: the highest offset per key, shared with the final phase. */
interface Seen {
  maxOffset: Map<number | string, number>;
  sentNotPolled: Set<number | string>;
}
const seenByRun = new WeakMap<WorkloadOptions, Seen>();
/** A fresh record for a new run (`--test-count` runs reuse one options object). */
function freshSeen(opts: WorkloadOptions): Seen {
  const s: Seen = { maxOffset: new Map(), sentNotPolled: new Set() };
  seenByRun.set(opts, s);
  return s;
}
function seenFor(opts: WorkloadOptions): Seen {
  return seenByRun.get(opts) ?? freshSeen(opts);
}

function noteCompletion(seen: Seen, op: Op): void {
  if (op.type !== 'ok' || !Array.isArray(op.value)) return;
  for (const mop of op.value as unknown[][]) {
    if (mop[0] === 'send') {
      const k = mop[1] as number;
      const [off] = mop[2] as [number, unknown];
      if (typeof off === 'number') seen.maxOffset.set(k, Math.max(seen.maxOffset.get(k) ?? -1, off));
      seen.sentNotPolled.add(k);
    } else if (mop[0] === 'poll') {
      for (const [k, pairs] of Object.entries((mop[1] ?? {}) as Record<string, [number, unknown][]>)) {
        const hk = historyKey(k);
        seen.sentNotPolled.delete(hk);
        for (const [off] of pairs) if (typeof off === 'number') seen.maxOffset.set(hk, Math.max(seen.maxOffset.get(hk) ?? -1, off));
      }
    }
  }
}

type Body = { f: string; value: unknown };

/**
 * The main-phase operations: sends and polls, with an occasional assign instead (kept for later).
 * Asking does not commit (the interpreter may ask again), so the transaction a state offers is
 * drawn once and remembered.
 */
class KafkaMainGen implements Generator {
  private head: Body | undefined;

  constructor(
    private readonly next: () => [string, number, unknown][],
    private readonly seen: Seen,
    private readonly held: readonly Body[],
  ) {}

  private first(): Body {
    if (this.held.length) return this.held[0]!;
    if (!this.head) {
      const [m] = this.next();
      this.head = m![0] === 'r' ? { f: 'poll', value: [['poll']] } : { f: 'send', value: [['send', m![1], m![2]]] };
    }
    return this.head;
  }

  private rest(): Body[] {
    return this.held.length ? this.held.slice(1) : [];
  }

  op(ctx: Context): GenResult {
    const thread = ctx.freeThreads.find((t) => typeof t === 'number');
    if (thread === undefined) return { op: 'pending', gen: this };
    const process = ctx.workers.get(thread) ?? thread;
    const body = this.first();
    if (ctx.random.next() < 1 / 64) {
      const keys = new Set<number | string>();
      if (body.f === 'send') keys.add((body.value as [string, number, unknown][])[0]![1]);
      if (ctx.random.next() < 1 / 3) for (const k of this.seen.sentNotPolled) keys.add(k);
      return {
        op: { type: 'invoke', f: 'assign', value: [...keys], process, time: ctx.time },
        gen: new KafkaMainGen(this.next, this.seen, [body, ...this.rest()]),
      };
    }
    return { op: { type: 'invoke', f: body.f, value: body.value, process, time: ctx.time }, gen: new KafkaMainGen(this.next, this.seen, this.rest()) };
  }

  update(_ctx: Context, event: Op): Generator {
    noteCompletion(this.seen, event);
    return this;
  }
}

type Stage = 'crash' | 'assign' | 'poll' | 'done';
interface ThreadFinal {
  stage: Stage;
  process: ProcessId | undefined;
  polled: ReadonlyMap<number | string, number>;
  nextAt: number;
}

/**
 * The final phase, per worker: crash, assign every key seen with seek-to-beginning, then poll every
 * 0-0.4 s until it has polled up to the highest offset seen for every key.
 */
class KafkaFinalGen implements Generator {
  constructor(
    private readonly seen: Seen,
    private readonly threads: ReadonlyMap<number, ThreadFinal>,
  ) {}

  private caughtUp(t: ThreadFinal): boolean {
    for (const [k, max] of this.seen.maxOffset) if ((t.polled.get(k) ?? -1) < max) return false;
    return true;
  }

  op(ctx: Context): GenResult {
    let later: { thread: number; st: ThreadFinal; process: ProcessId } | undefined;
    for (const thread of ctx.freeThreads) {
      if (typeof thread !== 'number') continue;
      const st = this.threads.get(thread) ?? { stage: 'crash' as Stage, process: undefined, polled: new Map(), nextAt: 0 };
      if (st.stage === 'done') continue;
      const process = ctx.workers.get(thread) ?? thread;
      if (st.stage === 'poll' && this.caughtUp(st)) {
        const threads = new Map(this.threads).set(thread, { ...st, stage: 'done' });
        return new KafkaFinalGen(this.seen, threads).op(ctx);
      }
      if (st.stage === 'poll' && st.nextAt > ctx.time) {
        if (!later || st.nextAt < later.st.nextAt) later = { thread, st, process };
        continue;
      }
      return this.emit(ctx, thread, st, process, ctx.time);
    }
    if (later) return this.emit(ctx, later.thread, later.st, later.process, later.st.nextAt);
    const busy = [...ctx.workers.keys()].some((t) => typeof t === 'number' && (this.threads.get(t)?.stage ?? 'crash') !== 'done');
    return busy ? { op: 'pending', gen: this } : null;
  }

  private emit(ctx: Context, thread: number, st: ThreadFinal, process: ProcessId, time: number): GenResult {
    let op: { f: string; value: unknown; [k: string]: unknown };
    let next: ThreadFinal;
    if (st.stage === 'crash') {
      op = { f: 'crash', value: null };
      next = { ...st, stage: 'assign' };
    } else if (st.stage === 'assign') {
      op = { f: 'assign', value: [...this.seen.maxOffset.keys()], 'seek-to-beginning?': true };
      next = { ...st, stage: 'poll', process };
    } else {
      op = { f: 'poll', value: [['poll']] };
      next = { ...st, process, nextAt: time + Math.floor(ctx.random.next() * 4e8) };
    }
    const threads = new Map(this.threads).set(thread, next);
    const invoke: Invoke = { type: 'invoke', process, time, ...op };
    return { op: invoke, gen: new KafkaFinalGen(this.seen, threads) };
  }

  update(_ctx: Context, event: Op): Generator {
    noteCompletion(this.seen, event);
    if (event.type !== 'ok' || event.f !== 'poll') return this;
    let changed: Map<number, ThreadFinal> | undefined;
    for (const [thread, st] of this.threads) {
      if (st.process !== event.process) continue;
      const polled = new Map(st.polled);
      for (const mop of event.value as unknown[][]) {
        if (mop[0] !== 'poll') continue;
        for (const [k, pairs] of Object.entries((mop[1] ?? {}) as Record<string, [number, unknown][]>)) {
          const hk = historyKey(k);
          for (const [off] of pairs) polled.set(hk, Math.max(polled.get(hk) ?? -1, off));
        }
      }
      changed ??= new Map(this.threads);
      changed.set(thread, { ...st, polled });
    }
    return changed ? new KafkaFinalGen(this.seen, changed) : this;
  }
}

/** Micro-op names print as keywords and poll results as maps with integer keys, as in Maelstrom's history.edn. */
function kafkaToEdn(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((m) => {
    if (!Array.isArray(m) || typeof m[0] !== 'string') return m;
    if (m[0] === 'poll' && m[1] !== null && typeof m[1] === 'object' && !Array.isArray(m[1])) {
      const entries = Object.entries(m[1] as Record<string, unknown>).map(([k, v]) => [historyKey(k), v] as [EdnValue, EdnValue]);
      return [new Keyword('poll'), new EdnMap(entries)];
    }
    return [new Keyword(m[0]), ...m.slice(1)];
  });
}

interface KafkaClientState extends ClientState {
  offsets?: Map<string, number>;
}

/** maelstrom.md §2.10. */
export const kafka = defineWorkload({
  name: 'kafka',
  doc: 'A simplified version of a Kafka-style stream processing system. Servers provide a set of append-only logs identified by string keys. Each integer offset in a log has one message. Clients send messages to logs, poll for messages from offsets, and commit and list committed offsets. The checker verifies offsets are consistent, no acknowledged message is lost, polls are monotonic, and every acknowledged message is eventually polled.',
  rpcs: WORKLOAD_RPCS.kafka,
  idempotent: ['assign'],
  reuseClient: false,
  finalTimeLimit: 10,
  generator: (opts, random) => {
    const next = txnGenerator({ keyCount: opts.keyCount ?? DEFAULT_KEY_COUNT, maxTxnLength: 1, maxWritesPerKey: opts.maxWritesPerKey, write: 'append' }, random);
    const main = new KafkaMainGen(next, freshSeen(opts), []);
    const crashes = stagger(30 / opts.concurrency, () => ({ f: 'crash', value: null }));
    return any(main, crashes);
  },
  final: (opts) => new KafkaFinalGen(seenFor(opts), new Map()),
  client: {
    async invoke(op, conn, state: KafkaClientState) {
      const offsets = (state.offsets ??= new Map());
      switch (op.f) {
        case 'crash':
          return { type: 'info', error: 'crash' };
        case 'assign': {
          const keys = (op.value as unknown[]).map(wireKey);
          let next = new Map<string, number>();
          if (op['seek-to-beginning?'] === true) {
            for (const k of keys) next.set(k, 0);
          } else {
            const reply = await conn.call(LIST_COMMITTED, { keys });
            const committed = (reply['offsets'] ?? {}) as Record<string, number>;
            for (const k of keys) next.set(k, offsets.get(k) ?? Number(committed[k] ?? 0));
          }
          state.offsets = next;
          return { type: 'ok', value: op.value };
        }
        case 'poll': {
          const reply = await conn.call(POLL, { offsets: Object.fromEntries(offsets) });
          const msgs = reply['msgs'] as Record<string, [number, unknown][] | null>;
          const polled: Record<string, [number, unknown][]> = {};
          const commit: Record<string, number> = {};
          for (const [k, pairs] of Object.entries(msgs)) {
            const list = (pairs ?? []).map(([o, m]) => [Number(o), m] as [number, unknown]);
            polled[k] = list;
            if (list.length) {
              const hi = Math.max(...list.map(([o]) => o));
              offsets.set(k, Math.max(offsets.get(k) ?? 0, hi + 1));
              commit[k] = hi;
            }
          }
          if (Object.keys(commit).length) await conn.call(COMMIT, { offsets: commit });
          const value: Record<string, [number, unknown][]> = {};
          for (const [k, v] of Object.entries(polled)) value[String(historyKey(k))] = v;
          return { type: 'ok', value: [['poll', value]] };
        }
        case 'send': {
          const [, k, v] = (op.value as [string, number, unknown][])[0]!;
          const reply = await conn.call(SEND, { key: wireKey(k), msg: v });
          return { type: 'ok', value: [['send', k, [Number(reply['offset']), v]]] };
        }
        default:
          return { type: 'fail', error: `unknown op ${op.f}` };
      }
    },
  },
  check: (history) => checkKafka(history),
  wire: kafkaWire,
  valueToEdn: kafkaToEdn,
});
