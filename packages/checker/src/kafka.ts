import { valueKey, type Op } from '@gyre/history';
import { sortValues, toRecord } from './order';

/**
 * Error types that do not invalidate a Kafka result (Jepsen's `allowed-error-types` for an
 * assign-based, non-transactional test): interleaved sends inside one transaction, and write
 * cycles, since Kafka does not isolate writes.
 */
export const KAFKA_ALLOWED_ERROR_TYPES: readonly string[] = ['int-send-skip', 'G0', 'G0-process', 'G0-realtime', 'PL-1-cycle-exists', 'strong-PL-1-cycle-exists'];

/** Every error type {@link kafka} can report. */
export const KAFKA_ERROR_TYPES: readonly string[] = [
  'duplicate',
  'G1a',
  'inconsistent-offsets',
  'int-nonmonotonic-poll',
  'int-nonmonotonic-send',
  'int-poll-skip',
  'int-send-skip',
  'lost-write',
  'nonmonotonic-poll',
  'nonmonotonic-send',
  'poll-skip',
  'precommitted-read',
  'unseen',
];

/** Acknowledged messages never polled, as of the last ok send or poll. */
export interface KafkaUnseen {
  /** Time (ns) of the last ok send or poll. */
  time: number;
  /** Per key, how many acknowledged messages no ok poll returned (only keys with some). */
  unseen: Record<string, number>;
  /** Per key, those messages, sorted (the first 32 unless `allErrors`). */
  messages: Record<string, unknown[]>;
}

/** One error type's condensed report. */
export interface KafkaErrors {
  /** How many errors of this type were found. */
  count: number;
  /** Examples: all of them for some types, the most telling few for others (Jepsen's choice). */
  errs: Record<string, unknown>[];
}

/** The poll with the highest realtime lag: how long its newest message had been superseded. */
export interface KafkaRealtimeLag {
  /** Invocation time of the poll, in seconds. */
  time: number;
  /** Lag in seconds. */
  lag: number;
  process?: number;
  key?: string;
}

/** Result of {@link kafka}: Jepsen's Kafka analysis, as Maelstrom's kafka workload reports it. */
export interface KafkaResult {
  /** True iff no error type outside the allowed ones was found. */
  'valid?': boolean;
  /** Error types found that invalidate the result, sorted. */
  'bad-error-types': string[];
  /** All error types found, sorted. */
  'error-types': string[];
  /** The distinct `error`s of crashed (`info`) sends and polls. */
  'info-txn-causes': unknown[];
  'worst-realtime-lag': KafkaRealtimeLag;
  /** One entry per error type found: `{count, errs}`, or {@link KafkaUnseen} for `unseen`. */
  [errorType: string]: unknown;
}

/** Options of {@link kafka}. */
export interface KafkaOptions {
  /**
   * Error types that do not invalidate the result.
   * @defaultValue {@link KAFKA_ALLOWED_ERROR_TYPES}
   */
  allowed?: readonly string[];
  /**
   * Report every error instead of a few examples per type.
   * @defaultValue false
   */
  allErrors?: boolean;
}

type Key = string;
interface Pair {
  offset: number | null;
  value: unknown;
  vk: string;
}
type KeyPairs = Map<Key, Pair[]>;

const keyOf = (k: unknown): Key => (typeof k === 'string' ? k : String(k));

function toOffset(o: unknown): number | null {
  if (typeof o === 'number' && Number.isInteger(o)) return o;
  if (typeof o === 'bigint') return Number(o);
  return null;
}

function isOffsetPair(v: unknown): v is [unknown, unknown] {
  return Array.isArray(v) && v.length === 2 && (v[0] === null || typeof v[0] === 'bigint' || (typeof v[0] === 'number' && Number.isInteger(v[0])));
}

function mops(op: Op): unknown[][] {
  return Array.isArray(op.value) ? (op.value.filter((m) => Array.isArray(m)) as unknown[][]) : [];
}

function add(m: KeyPairs, k: Key, p: Pair): void {
  const xs = m.get(k);
  if (xs) xs.push(p);
  else m.set(k, [p]);
}

/** Sends of an op per key, in order; a send's value is `[offset, msg]` once acknowledged. */
function parseWrites(op: Op): KeyPairs | undefined {
  if (op.f !== 'send' && op.f !== 'txn') return undefined;
  let out: KeyPairs | undefined;
  for (const m of mops(op)) {
    if (m[0] !== 'send') continue;
    const v = m[2];
    const [offset, value] = isOffsetPair(v) ? [toOffset(v[0]), v[1]] : [null, v];
    add((out ??= new Map()), keyOf(m[1]), { offset, value, vk: valueKey(value) });
  }
  return out;
}

/** Polled `[offset, msg]` pairs of an op per key, in order (keys with no messages included). */
function parseReads(op: Op): KeyPairs | undefined {
  if (op.f !== 'poll' && op.f !== 'txn') return undefined;
  let out: KeyPairs | undefined;
  for (const m of mops(op)) {
    if (m[0] !== 'poll') continue;
    const by = m[1];
    if (!by || typeof by !== 'object') continue;
    const entries: [unknown, unknown][] = by instanceof Map ? [...by] : Object.entries(by as Record<string, unknown>);
    for (const [k, pairs] of entries) {
      const key = keyOf(k);
      out ??= new Map();
      if (!out.has(key)) out.set(key, []);
      if (!Array.isArray(pairs)) continue;
      for (const p of pairs) {
        if (!Array.isArray(p)) continue;
        add(out, key, { offset: toOffset(p[0]), value: p[1], vk: valueKey(p[1]) });
      }
    }
  }
  return out;
}

/** A key's version order: its log (offset → messages) made dense. */
interface Order {
  /** Dense index → a message at that position (the first seen there). */
  byIndex: unknown[];
  /** Message → dense index (its last position, when it appears at several). */
  byValue: Map<string, number>;
  /** Message → first dense index. */
  firstIndex: Map<string, number>;
  /** Dense index → messages whose last position it is. */
  lastIndexValues: Pair[][];
}

type Err = Record<string, unknown>;

function nested<V>(m: Map<Key, Map<string, V>>, k: Key): Map<string, V> {
  let x = m.get(k);
  if (!x) m.set(k, (x = new Map()));
  return x;
}

/**
 * Jepsen's Kafka checker (jepsen.tests.kafka), as Maelstrom's kafka workload runs it: no
 * transactions, consumers assigned (not subscribed).
 *
 * History shapes: `send` ops have value `[['send', k, v]]`, completing ok as
 * `[['send', k, [offset, v]]]`; `poll` ops complete ok as `[['poll', {k: [[offset, msg], ...]}]]`;
 * `assign` ops have a list of keys as value and may carry `'seek-to-beginning?': true`; `crash`
 * ops just crash. Keys are compared as strings (numbers are converted with `String`), messages
 * with Clojure equality. `txn` ops mixing send and poll micro-ops are understood too.
 *
 * It builds a per-key version order from every poll (whatever its outcome) and from the sends
 * that surely happened (ok, or info and read by some ok poll), then reports:
 * - `inconsistent-offsets`: one offset holding different messages;
 * - `duplicate`: one message at several offsets;
 * - `lost-write`: a message that surely happened, below the highest position some ok poll of
 *   its key reached, that no ok poll returned;
 * - `G1a`: a failed send whose message an ok poll returned;
 * - `precommitted-read`: an op that polled its own send;
 * - `poll-skip` / `nonmonotonic-poll`: between one process's consecutive ok polls of a key, a
 *   jump over some messages / a step back or repeat (an assign forgets the keys it drops);
 * - `int-poll-skip` / `int-nonmonotonic-poll`: the same inside one poll;
 * - `nonmonotonic-send`: one process's successive sends to a key going backwards in the order;
 * - `int-send-skip` / `int-nonmonotonic-send`: sends inside one op that skip / go backwards;
 * - `unseen`: messages acknowledged but polled by no ok poll by the end.
 * Only `int-send-skip` (and Elle's write cycles) are allowed; every other type invalidates.
 *
 * Differences from Jepsen, none of which changes a verdict on a history Maelstrom produces:
 * Elle's cycle search over ww/wr edges (G0, G1c, ...) is not run; an assign with
 * `seek-to-beginning?` also forgets the keys it lists; a lost-write candidate nobody sent is
 * skipped (Jepsen throws); a key that ok polls only ever returned empty contributes no lost
 * writes (Jepsen throws); `unseen` is the plain set difference (Jepsen's merge briefly counts
 * messages of keys with no ok send). Offsets are kept sparse, so huge offsets cost nothing.
 *
 * Cost: O(n log n) in the size of the history (sorting offsets and examples).
 */
export function kafka(history: readonly Op[], opts: KafkaOptions = {}): KafkaResult {
  const allowed = new Set(opts.allowed ?? KAFKA_ALLOWED_ERROR_TYPES);
  const all = opts.allErrors ?? false;

  const ops: Op[] = [];
  const invokeTime: number[] = [];
  const open = new Map<unknown, Op>();
  for (const op of history) {
    if (typeof op.process !== 'number') continue;
    ops.push(op);
    if (op.type === 'invoke') {
      open.set(op.process, op);
      invokeTime.push(op.time);
    } else {
      const inv = open.get(op.process);
      open.delete(op.process);
      invokeTime.push(inv ? inv.time : op.time);
    }
  }
  const writes = ops.map(parseWrites);
  const reads = ops.map(parseReads);

  // Who wrote and who read what, and what was failed or surely read.
  const failed = new Map<Key, Map<string, true>>();
  const okReads = new Map<Key, Map<string, Pair>>();
  const writerOf = new Map<Key, Map<string, number>>(); // position of the last completion sending it
  const firstReaderOf = new Map<Key, Map<string, Op>>();
  const infoCauses = new Map<string, unknown>();
  ops.forEach((op, i) => {
    if (op.type === 'invoke') return;
    if (op.type === 'info' && (op.f === 'send' || op.f === 'poll' || op.f === 'txn')) {
      const e = op.error ?? null;
      const ek = valueKey(e);
      if (!infoCauses.has(ek)) infoCauses.set(ek, e);
    }
    for (const [k, ps] of writes[i] ?? []) {
      const w = nested(writerOf, k);
      for (const p of ps) {
        w.set(p.vk, i);
        if (op.type === 'fail') nested(failed, k).set(p.vk, true);
      }
    }
    for (const [k, ps] of reads[i] ?? []) {
      const r = nested(firstReaderOf, k);
      const ok = op.type === 'ok' ? nested(okReads, k) : undefined;
      for (const p of ps) {
        if (!r.has(p.vk)) r.set(p.vk, op);
        ok?.set(p.vk, p);
      }
    }
  });

  const mustHaveCommitted = (op: Op, ws: KeyPairs | undefined): boolean => {
    if (op.type === 'ok') return true;
    if (op.type !== 'info' || !ws) return false;
    for (const [k, ps] of ws) {
      const ok = okReads.get(k);
      if (ok && ps.some((p) => ok.has(p.vk))) return true;
    }
    return false;
  };

  // Logs: key -> offset -> messages (in order of first sighting).
  const logs = new Map<Key, Map<number, Map<string, Pair>>>();
  const note = (k: Key, p: Pair) => {
    if (p.offset === null) return;
    let log = logs.get(k);
    if (!log) logs.set(k, (log = new Map()));
    let at = log.get(p.offset);
    if (!at) log.set(p.offset, (at = new Map()));
    if (!at.has(p.vk)) at.set(p.vk, p);
  };
  ops.forEach((op, i) => {
    const ws = writes[i];
    if (ws && mustHaveCommitted(op, ws)) for (const [k, ps] of ws) for (const p of ps) note(k, p);
    for (const [k, ps] of reads[i] ?? []) for (const p of ps) note(k, p);
  });

  const errors = new Map<string, Err[]>();
  const report = (type: string, e: Err) => {
    const xs = errors.get(type);
    if (xs) xs.push(e);
    else errors.set(type, [e]);
  };

  // Version orders, inconsistent offsets, duplicates.
  const orders = new Map<Key, Order>();
  for (const k of [...logs.keys()].sort()) {
    const log = logs.get(k)!;
    const offsets = [...log.keys()].sort((a, b) => a - b);
    const o: Order = { byIndex: [], byValue: new Map(), firstIndex: new Map(), lastIndexValues: [] };
    const seen = new Map<string, { p: Pair; offsets: number[] }>();
    const lastIndex = new Map<string, number>();
    offsets.forEach((off, i) => {
      const at = [...log.get(off)!.values()];
      o.byIndex.push(at[0]!.value);
      for (const p of at) {
        o.byValue.set(p.vk, i);
        if (!o.firstIndex.has(p.vk)) o.firstIndex.set(p.vk, i);
        lastIndex.set(p.vk, i);
        const s = seen.get(p.vk);
        if (s) s.offsets.push(off);
        else seen.set(p.vk, { p, offsets: [off] });
      }
      if (at.length > 1) report('inconsistent-offsets', { key: k, offset: off, index: i, values: sortValues(at.map((p) => p.value)) });
    });
    for (const [vk, i] of lastIndex) {
      (o.lastIndexValues[i] ??= []).push(seen.get(vk)!.p);
    }
    for (const { p, offsets: offs } of seen.values()) {
      if (offs.length > 1) report('duplicate', { key: k, value: p.value, count: offs.length, offsets: offs });
    }
    orders.set(k, o);
  }

  // Lost writes.
  for (const k of [...okReads.keys()].sort()) {
    const vs = okReads.get(k)!;
    const o = orders.get(k);
    if (!o) continue;
    let bound = -1;
    for (const vk of vs.keys()) {
      const i = o.firstIndex.get(vk);
      if (i !== undefined && i > bound) bound = i;
    }
    if (bound < 0) continue;
    const top = o.lastIndexValues[bound]?.[0];
    const maxRead = top ? (firstReaderOf.get(k)?.get(top.vk) ?? null) : null;
    for (let i = 0; i <= bound; i++) {
      for (const p of o.lastIndexValues[i] ?? []) {
        if (vs.has(p.vk)) continue;
        const wi = writerOf.get(k)?.get(p.vk);
        if (wi === undefined || !mustHaveCommitted(ops[wi]!, writes[wi])) continue;
        report('lost-write', { key: k, value: p.value, index: o.firstIndex.get(p.vk), 'max-read-index': bound, writer: ops[wi], 'max-read': maxRead });
      }
    }
  }

  // Skips are listed lazily: only the reported ones get their skipped messages.
  const skips = new WeakMap<Err, [Order, number, number]>();
  const skipErr = (type: string, o: Order, i1: number, i2: number, e: Err) => {
    skips.set(e, [o, i1, i2]);
    report(type, e);
  };
  const delta = (o: Order | undefined, v1: Pair | undefined, v2: Pair | undefined): [number, number, number] => {
    const i1 = v1 && o?.byValue.get(v1.vk);
    const i2 = v2 && o?.byValue.get(v2.vk);
    return i1 !== undefined && i2 !== undefined ? [i2 - i1, i1, i2] : [1, -1, -1];
  };

  const lastReads = new Map<unknown, Map<Key, number>>(); // process -> key -> op position
  const lastSends = new Map<unknown, Map<Key, number>>();
  const forget = (m: Map<Key, number> | undefined, op: Op) => {
    if (!m) return;
    const keep = new Set(Array.isArray(op.value) ? op.value.map(keyOf) : []);
    const seek = op['seek-to-beginning?'] === true;
    for (const k of [...m.keys()]) if (!keep.has(k) || seek) m.delete(k);
  };

  ops.forEach((op, i) => {
    const rs = reads[i];
    const ws = writes[i];
    // Within one op.
    for (const [k, ps] of rs ?? []) {
      const o = orders.get(k);
      for (let j = 1; j < ps.length; j++) {
        const [d, i1, i2] = delta(o, ps[j - 1], ps[j]);
        const values = [ps[j - 1]!.value, ps[j]!.value];
        if (d > 1) skipErr('int-poll-skip', o!, i1, i2, { key: k, values, delta: d, skipped: [], op });
        else if (d < 1) report('int-nonmonotonic-poll', { key: k, values, delta: d, op });
      }
    }
    if (op.type !== 'invoke') {
      for (const [k, ps] of ws ?? []) {
        const o = orders.get(k);
        for (let j = 1; j < ps.length; j++) {
          const [d, i1, i2] = delta(o, ps[j - 1], ps[j]);
          const values = [ps[j - 1]!.value, ps[j]!.value];
          if (d > 1) skipErr('int-send-skip', o!, i1, i2, { key: k, values, delta: d, skipped: [], op });
          else if (d < 1) report('int-nonmonotonic-send', { key: k, values, delta: d, op });
        }
      }
    }
    // Across one process's ops.
    if (op.f === 'assign' || op.f === 'subscribe') {
      if (op.type !== 'invoke' && op.type !== 'fail') {
        forget(lastReads.get(op.process), op);
        forget(lastSends.get(op.process), op);
      }
      return;
    }
    if (rs) {
      let lr = lastReads.get(op.process);
      for (const [k, ps] of rs) {
        const last = lr?.get(k);
        if (last === undefined) continue;
        const prev = reads[last]!.get(k)!;
        const v = prev[prev.length - 1];
        const v2 = ps[0];
        const o = orders.get(k);
        const [d, i1, i2] = delta(o, v, v2);
        if (d > 1) skipErr('poll-skip', o!, i1, i2, { key: k, delta: d, skipped: [], ops: [ops[last], op] });
        else if (d < 1) report('nonmonotonic-poll', { key: k, values: [v!.value, v2!.value], delta: d, ops: [ops[last], op] });
      }
      if (op.type === 'ok') {
        if (!lr) lastReads.set(op.process, (lr = new Map()));
        for (const k of rs.keys()) lr.set(k, i);
      }
    }
    if (ws && (op.type === 'ok' || op.type === 'info')) {
      let ls = lastSends.get(op.process);
      for (const [k, ps] of ws) {
        const last = ls?.get(k);
        if (last === undefined) continue;
        const prev = writes[last]!.get(k)!;
        const v = prev[prev.length - 1];
        const v2 = ps[0];
        const [d] = delta(orders.get(k), v, v2);
        if (d < 1) report('nonmonotonic-send', { key: k, values: [v!.value, v2!.value], delta: d, ops: [ops[last], op] });
      }
      if (!ls) lastSends.set(op.process, (ls = new Map()));
      for (const k of ws.keys()) ls.set(k, i);
    }
  });

  // G1a and precommitted reads.
  ops.forEach((op, i) => {
    const rs = reads[i];
    const ws = writes[i];
    if (rs && op.type === 'ok') {
      for (const [k, ps] of rs) {
        const f = failed.get(k);
        if (!f) continue;
        for (const p of ps) if (f.has(p.vk)) {
          const wi = writerOf.get(k)?.get(p.vk);
          report('G1a', { key: k, value: p.value, writer: wi === undefined ? null : ops[wi], reader: op });
        }
      }
    }
    if (rs && ws) {
      for (const [k, ps] of ws) {
        const r = rs.get(k);
        const bad = r && ps.find((p) => r.some((q) => q.vk === p.vk));
        if (bad) {
          report('precommitted-read', { op, key: k, value: bad.value });
          break;
        }
      }
    }
  });

  // Unseen: acknowledged sends no ok poll has returned, as of the last ok send or poll.
  const unseen = new Map<Key, Map<string, Pair>>();
  const polled = new Map<Key, Set<string>>();
  let lastTime: number | undefined;
  ops.forEach((op, i) => {
    if (op.type !== 'ok' || !(op.f === 'send' || op.f === 'poll' || op.f === 'txn')) return;
    lastTime = op.time;
    for (const [k, ps] of reads[i] ?? []) {
      let s = polled.get(k);
      if (!s) polled.set(k, (s = new Set()));
      const u = unseen.get(k);
      for (const p of ps) {
        s.add(p.vk);
        u?.delete(p.vk);
      }
    }
    for (const [k, ps] of writes[i] ?? []) {
      const s = polled.get(k);
      for (const p of ps) if (!s?.has(p.vk)) nested(unseen, k).set(p.vk, p);
    }
  });
  const unseenKeys = [...unseen.keys()].filter((k) => unseen.get(k)!.size > 0).sort();
  let unseenReport: KafkaUnseen | undefined;
  if (unseenKeys.length > 0) {
    unseenReport = {
      time: lastTime ?? 0,
      unseen: toRecord(unseenKeys.map((k) => [k, unseen.get(k)!.size] as const)),
      messages: toRecord(
        unseenKeys.map((k) => {
          const ms = sortValues([...unseen.get(k)!.values()].map((p) => p.value));
          return [k, all ? ms : ms.slice(0, 32)] as const;
        }),
      ),
    };
  }

  const worst = worstRealtimeLag(ops, reads, writes, invokeTime);

  // Condense.
  const types = [...errors.keys()];
  if (unseenReport) types.push('unseen');
  types.sort();
  const bad = types.filter((t) => !allowed.has(t));
  const result: KafkaResult = {
    'valid?': bad.length === 0,
    'bad-error-types': bad,
    'error-types': types,
    'info-txn-causes': [...infoCauses.values()],
    'worst-realtime-lag': worst,
  };
  for (const t of types) {
    if (t === 'unseen') {
      result[t] = unseenReport;
      continue;
    }
    const errs = errors.get(t)!;
    const shown = all ? errs : condense(t, errs);
    for (const e of shown) {
      const s = skips.get(e);
      if (s) {
        const [o, i1, i2] = s;
        e['skipped'] = o.byIndex.slice(i1 + 1, i2);
      }
    }
    result[t] = { count: errs.length, errs: shown } satisfies KafkaErrors;
  }
  return result;
}

function byNum(field: string) {
  return (a: Err, b: Err) => (a[field] as number) - (b[field] as number);
}

/** Jepsen's choice of examples per error type. */
function condense(type: string, errs: Err[]): Err[] {
  const sorted = (cmp: (a: Err, b: Err) => number) => [...errs].sort(cmp);
  switch (type) {
    case 'duplicate':
      return sorted(byNum('count')).slice(0, 32);
    case 'inconsistent-offsets':
      return sorted((a, b) => (a['values'] as unknown[]).length - (b['values'] as unknown[]).length).slice(0, 32);
    case 'int-nonmonotonic-poll':
    case 'int-nonmonotonic-send':
    case 'nonmonotonic-poll':
    case 'nonmonotonic-send':
      return sorted(byNum('delta')).slice(0, 8);
    case 'int-poll-skip':
    case 'int-send-skip':
    case 'poll-skip':
      return sorted(byNum('delta')).slice(-8);
    default:
      return errs;
  }
}

function maxOffsets(op: Op, rs: KeyPairs | undefined, ws: KeyPairs | undefined): Map<Key, number> | undefined {
  if (op.type !== 'ok' && op.type !== 'info') return undefined;
  let out: Map<Key, number> | undefined;
  for (const [k, ps] of rs ?? []) {
    let m = -1;
    for (const p of ps) if (p.offset !== null && p.offset > m) m = p.offset;
    out ??= new Map();
    out.set(k, Math.max(out.get(k) ?? -1, m));
  }
  for (const [k, ps] of ws ?? []) {
    for (const p of ps) {
      if (p.offset === null) continue;
      out ??= new Map();
      out.set(k, Math.max(out.get(k) ?? 0, p.offset));
    }
  }
  return out;
}

/**
 * Jepsen's realtime lag: for each ok poll and each key its process is assigned, how long before
 * the poll's invocation the newest offset it has reached stopped being the end of the log.
 * Returns the worst (first on ties), times in seconds; `{time: 0, lag: 0}` without polls.
 */
function worstRealtimeLag(ops: Op[], reads: (KeyPairs | undefined)[], writes: (KeyPairs | undefined)[], invokeTime: number[]): KafkaRealtimeLag {
  // Per key, breakpoints: offsets up to bpOffset[j] were known to exist from bpTime[j].
  const bpOffset = new Map<Key, number[]>();
  const bpTime = new Map<Key, number[]>();
  const maxes: (Map<Key, number> | undefined)[] = ops.map((op, i) => maxOffsets(op, reads[i], writes[i]));
  ops.forEach((op, i) => {
    for (const [k, m] of maxes[i] ?? []) {
      let offs = bpOffset.get(k);
      let times = bpTime.get(k);
      if (!offs || !times) {
        bpOffset.set(k, (offs = []));
        bpTime.set(k, (times = []));
      }
      if (m > (offs[offs.length - 1] ?? -1)) {
        offs.push(m);
        times.push(op.time);
      }
    }
  });
  const expiredAt = (k: Key, idx: number): number => {
    const offs = bpOffset.get(k);
    if (!offs || offs.length === 0 || offs[offs.length - 1]! < idx) return Infinity;
    let lo = 0;
    let hi = offs.length - 1;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (offs[m]! >= idx) hi = m;
      else lo = m + 1;
    }
    return bpTime.get(k)![lo]!;
  };

  let worst: { time: number; process: number; key: Key; lag: number } | undefined;
  const processOffsets = new Map<unknown, Map<Key, number>>();
  ops.forEach((op, i) => {
    if (op.type !== 'ok') return;
    if (op.f === 'assign') {
      const prev = processOffsets.get(op.process) ?? new Map<Key, number>();
      const next = new Map<Key, number>();
      for (const k of Array.isArray(op.value) ? op.value.map(keyOf) : []) next.set(k, prev.get(k) ?? -1);
      processOffsets.set(op.process, next);
    } else if (op.f === 'subscribe') {
      processOffsets.set(op.process, new Map());
    } else if (op.f === 'poll' || op.f === 'txn') {
      let offsets = processOffsets.get(op.process);
      if (!offsets) processOffsets.set(op.process, (offsets = new Map()));
      for (const [k, m] of maxes[i] ?? []) offsets.set(k, Math.max(offsets.get(k) ?? m, m));
      const t = invokeTime[i]!;
      for (const [k, off] of offsets) {
        const lag = Math.max(0, t - expiredAt(k, off + 1));
        if (!worst || lag > worst.lag) worst = { time: t, process: op.process as number, key: k, lag };
      }
    }
  });
  if (!worst) return { time: 0, lag: 0 };
  return { time: worst.time / 1e9, process: worst.process, key: worst.key, lag: worst.lag / 1e9 };
}

