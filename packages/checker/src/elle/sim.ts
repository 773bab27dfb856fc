/**
 * A seeded simulator of a transactional store, for tests and benchmarks (not exported from the
 * package entry). Clients invoke transactions concurrently; each transaction takes effect
 * atomically at one moment between its invocation and its completion, so every history it makes
 * is strict serializable unless mutated afterwards.
 */
import type { Op, Random } from '@gyre/history';

/** Options of {@link simulate}. */
export interface SimOptions {
  /** Transactions to run. */
  txns: number;
  /** `list-append` (append / r of lists) or `rw-register` (w / r of registers). @defaultValue 'list-append' */
  workload?: 'list-append' | 'rw-register';
  /** Client processes running at once; 1 gives a serial history. @defaultValue 5 */
  concurrency?: number;
  /** Keys in use at any time; key i is half as likely as key i-1. @defaultValue 10 */
  keys?: number;
  /** Longest transaction (uniform in 1..max). @defaultValue 4 */
  maxTxnLength?: number;
  /** Writes per key before it is retired for a fresh one. @defaultValue 16 */
  maxWritesPerKey?: number;
  /** Probability a transaction aborts (completes `fail`, no effect). @defaultValue 0 */
  failRate?: number;
  /** Probability a transaction's outcome is lost (completes `info`, effect or not). @defaultValue 0 */
  infoRate?: number;
}

type Mop = [string, number, unknown];

/** Runs the simulation and returns its history (invocations and completions). */
export function simulate(rng: Random, opts: SimOptions): Op[] {
  const workload = opts.workload ?? 'list-append';
  const concurrency = opts.concurrency ?? 5;
  const keyCount = opts.keys ?? 10;
  const maxLen = opts.maxTxnLength ?? 4;
  const maxWrites = opts.maxWritesPerKey ?? 16;
  const failRate = opts.failRate ?? 0;
  const infoRate = opts.infoRate ?? 0;
  const write = workload === 'list-append' ? 'append' : 'w';

  const active: number[] = [];
  for (let i = 0; i < keyCount; i++) active.push(i);
  let nextKey = keyCount;
  const written = new Map<number, number>();
  const lists = new Map<number, number[]>();
  const registers = new Map<number, number>();

  const history: Op[] = [];
  // Times start past 2^31 ns (as after a few seconds of test setup), so V8 stores every op's
  // `time` the same way; a field that starts as a small integer and later outgrows it makes V8
  // migrate every earlier op object on its next access, a one-time cost of seconds per million ops
  // that would land on whoever reads the history first.
  let time = 5_000_000_000;
  const emit = (type: Op['type'], process: number, value: unknown): void => {
    time += 1000 + rng.int(1000);
    history.push({ index: history.length, time, type, process, f: 'txn', value });
  };

  const pickKey = (): number => {
    let i = 0;
    while (i < active.length - 1 && rng.next() < 0.5) i++;
    return active[i]!;
  };
  const newTxn = (): Mop[] => {
    const len = 1 + rng.int(maxLen);
    const txn: Mop[] = [];
    for (let j = 0; j < len; j++) {
      const k = pickKey();
      if (rng.next() < 0.5) {
        txn.push(['r', k, null]);
      } else {
        const w = (written.get(k) ?? 0) + 1;
        written.set(k, w);
        txn.push([write, k, w]);
        if (w >= maxWrites) active[active.indexOf(k)] = nextKey++;
      }
    }
    return txn;
  };
  const apply = (txn: Mop[]): Mop[] =>
    txn.map((m) => {
      const [f, k, v] = m;
      if (f === 'r') {
        if (workload === 'list-append') {
          const l = lists.get(k);
          return ['r', k, l ? l.slice() : null];
        }
        return ['r', k, registers.get(k) ?? null];
      }
      if (workload === 'list-append') {
        const l = lists.get(k);
        if (l) l.push(v as number);
        else lists.set(k, [v as number]);
      } else registers.set(k, v as number);
      return m;
    });

  // Per client: 0 idle, 1 invoked, 2 executed (result known, not yet delivered).
  const state = new Array<number>(concurrency).fill(0);
  const proc = Array.from({ length: concurrency }, (_, i) => i);
  const pending: Mop[][] = new Array(concurrency);
  const outcome: { type: 'ok' | 'fail' | 'info'; value: Mop[] }[] = new Array(concurrency);
  let started = 0;
  let finished = 0;
  while (finished < opts.txns) {
    const c = rng.int(concurrency);
    if (state[c] === 0) {
      if (started >= opts.txns) continue;
      started++;
      pending[c] = newTxn();
      emit('invoke', proc[c]!, pending[c]);
      state[c] = 1;
    } else if (state[c] === 1) {
      const txn = pending[c]!;
      const roll = rng.next();
      if (roll < failRate) outcome[c] = { type: 'fail', value: txn };
      else if (roll < failRate + infoRate) {
        if (rng.next() < 0.5) apply(txn);
        outcome[c] = { type: 'info', value: txn };
      } else outcome[c] = { type: 'ok', value: apply(txn) };
      state[c] = 2;
    } else {
      const o = outcome[c]!;
      emit(o.type, proc[c]!, o.value);
      if (o.type === 'info') proc[c] = proc[c]! + concurrency;
      state[c] = 0;
      finished++;
    }
  }
  return history;
}

/** One transaction for {@link historyOf}: its micro-ops as completed (reads filled in). */
export interface TxnSpec {
  /** Process; defaults to the transaction's position. */
  p?: number;
  /** How it completes. @defaultValue 'ok' */
  type?: 'ok' | 'info' | 'fail';
  mops: unknown[][];
}

/**
 * Builds a history from transactions and a script of events: `'i3'` invokes transaction 3,
 * `'c3'` completes it. Invocations carry the micro-ops with reads blanked (`null`); `ok` and
 * `info` completions carry them as given, `fail` ones repeat the invocation.
 */
export function historyOf(txns: readonly TxnSpec[], script: readonly string[]): Op[] {
  const out: Op[] = [];
  for (const ev of script) {
    const i = Number(ev.slice(1));
    const t = txns[i]!;
    const invokeValue = t.mops.map((m) => (m[0] === 'r' ? [m[0], m[1], null] : m));
    const type = ev[0] === 'i' ? 'invoke' : (t.type ?? 'ok');
    const value = type === 'fail' || type === 'invoke' ? invokeValue : t.mops;
    out.push({ index: out.length, time: out.length * 1_000_000, type, process: t.p ?? i, f: 'txn', value });
  }
  return out;
}

/** Transactions one after another: each completes before the next is invoked. */
export function serialHistory(...txns: TxnSpec[]): Op[] {
  return historyOf(
    txns,
    txns.flatMap((_, i) => [`i${i}`, `c${i}`]),
  );
}

/** Transactions all at once: every invocation before any completion (no real-time order). */
export function concurrentHistory(...txns: TxnSpec[]): Op[] {
  return historyOf(txns, [...txns.map((_, i) => `i${i}`), ...txns.map((_, i) => `c${i}`)]);
}
