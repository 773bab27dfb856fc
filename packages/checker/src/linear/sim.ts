/**
 * Seeded generators of register and lin-kv histories, for tests and benchmarks. Not exported from
 * the package.
 */
import { seededRandom, type Op } from '@gyre/history';

/** Options for {@link linKvHistory}. */
export interface LinKvSimOptions {
  /** Client operations (invocations). */
  ops: number;
  /** Keys 0..keys-1. @defaultValue 8 */
  keys?: number;
  /** Concurrent client processes. @defaultValue 10 */
  processes?: number;
  /** Values written are 0..values-1. @defaultValue 5 */
  values?: number;
  /** Chance that an op crashes (completes `info`; its process is replaced). @defaultValue 0 */
  infoRate?: number;
  /**
   * Chance that a completion lies: a read returns a wrong value, or a cas that did not apply says
   * `ok`. Zero gives a linearizable history. @defaultValue 0
   */
  lieRate?: number;
  /** @defaultValue '1' */
  seed?: string;
}

/**
 * A history of Maelstrom's lin-kv workload against a correct store (so linearizable unless
 * `lieRate` > 0): each op takes effect at a random moment between its invocation and completion.
 * Reads of a missing key fail (error 20) as in Maelstrom; a cas whose `from` does not match fails.
 */
export function linKvHistory(options: LinKvSimOptions): Op[] {
  const rng = seededRandom(options.seed ?? '1');
  const keys = options.keys ?? 8;
  const values = options.values ?? 5;
  const infoRate = options.infoRate ?? 0;
  const lieRate = options.lieRate ?? 0;
  const procs = options.processes ?? 10;
  const store = new Map<number, number>();
  interface Pending {
    process: number;
    f: 'read' | 'write' | 'cas';
    key: number;
    arg: number | [number, number] | null;
    applied: boolean;
    result: number | null;
    matched: boolean;
  }
  const h: Op[] = [];
  const slots: (Pending | undefined)[] = new Array(procs).fill(undefined);
  const ids = Array.from({ length: procs }, (_, i) => i);
  let next = procs;
  let invoked = 0;
  let open = 0;
  const emit = (type: Op['type'], process: number, f: string, value: unknown): void => {
    h.push({ index: h.length, time: h.length * 1000, type, process, f, value });
  };
  /** The op takes effect now. */
  const apply = (q: Pending): void => {
    q.applied = true;
    const cur = store.get(q.key) ?? null;
    if (q.f === 'read') q.result = cur;
    else if (q.f === 'write') store.set(q.key, q.arg as number);
    else {
      const [from, to] = q.arg as [number, number];
      q.matched = cur === from;
      if (q.matched) store.set(q.key, to);
    }
  };
  while (invoked < options.ops || open > 0) {
    const s = rng.int(procs);
    const q = slots[s];
    if (!q) {
      if (invoked >= options.ops) continue;
      invoked++;
      open++;
      const roll = rng.int(10);
      const key = rng.int(keys);
      const f = roll < 5 ? 'read' : roll < 8 ? 'write' : 'cas';
      const arg = f === 'read' ? null : f === 'write' ? rng.int(values) : ([rng.int(values), rng.int(values)] as [number, number]);
      slots[s] = { process: ids[s]!, f, key, arg, applied: false, result: null, matched: false };
      emit('invoke', ids[s]!, f, [key, arg]);
      continue;
    }
    if (!q.applied && rng.chance(0.5)) {
      apply(q);
      continue;
    }
    slots[s] = undefined;
    open--;
    if (infoRate > 0 && rng.chance(infoRate)) {
      // A crashed op may or may not take effect.
      if (!q.applied && rng.chance(0.5)) apply(q);
      emit('info', q.process, q.f, [q.key, q.arg]);
      ids[s] = next++;
      continue;
    }
    if (!q.applied) apply(q); // at the last moment
    const lie = lieRate > 0 && rng.chance(lieRate);
    if (q.f === 'read') {
      if (lie) emit('ok', q.process, 'read', [q.key, ((q.result ?? 0) + 1) % values]);
      else if (q.result === null) emit('fail', q.process, 'read', [q.key, null]);
      else emit('ok', q.process, 'read', [q.key, q.result]);
    } else if (q.f === 'cas' && !q.matched && !lie) emit('fail', q.process, 'cas', [q.key, q.arg]);
    else emit('ok', q.process, q.f, [q.key, q.arg]);
  }
  return h;
}

/**
 * One process writing and reading a register in turn: `ops` operations (half writes, half reads of
 * the value just written), values `i mod distinct`. Linearizable.
 */
export function sequentialRegister(ops: number, distinct = 1_000_000_000): Op[] {
  const h: Op[] = new Array(2 * ops);
  for (let i = 0; i < ops; i++) {
    const v = (i >> 1) % distinct;
    const f = i % 2 === 0 ? 'write' : 'read';
    h[2 * i] = { index: 2 * i, time: 2 * i, type: 'invoke', process: 0, f, value: f === 'read' ? null : v };
    h[2 * i + 1] = { index: 2 * i + 1, time: 2 * i + 1, type: 'ok', process: 0, f, value: v };
  }
  return h;
}

/**
 * `n` writes of distinct values that never complete, then a read of a value none of them wrote:
 * not linearizable, and the search must try every subset and order of the writes before it can
 * say so (about n·2^(n-1) configurations). With `readable`, the read sees the first write's value
 * instead, and the history is linearizable.
 */
export function crashedWrites(n: number, readable = false): Op[] {
  const h: Op[] = [];
  for (let p = 0; p < n; p++) h.push({ index: h.length, time: h.length, type: 'invoke', process: p, f: 'write', value: p });
  h.push({ index: h.length, time: h.length, type: 'invoke', process: n, f: 'read', value: null });
  h.push({ index: h.length, time: h.length, type: 'ok', process: n, f: 'read', value: readable ? 0 : -1 });
  return h;
}
