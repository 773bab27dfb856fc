import { pairIndex, valueKey, type Op } from '@gyre/history';
import { sortValues, toRecord } from './order';
import type { CheckResult } from './validity';
import { field, fields, listOf, mapOf, spread, type WireForm } from './wire';

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

/** One error found: which fields it has depends on its type (see {@link kafka}). */
export interface KafkaError {
  key?: string;
  /** The message concerned. */
  value?: unknown;
  /** The offset concerned (inconsistent-offsets). */
  offset?: number;
  /** Its position in the key's version order. */
  index?: number;
  /** The messages concerned: at one offset, or two in a row. */
  values?: unknown[];
  /** How many offsets hold the message (duplicate). */
  count?: number;
  /** The offsets holding it (duplicate). */
  offsets?: number[];
  /** Distance in the version order between two messages read or sent in a row (1 is fine). */
  delta?: number;
  /** The messages a skip jumped over. */
  skipped?: unknown[];
  /** The operation, or the two operations in a row. */
  op?: Op;
  ops?: Op[];
  /** The operation that sent the message (lost-write, G1a). */
  writer?: Op | null;
  /** The ok poll that returned a failed send's message (G1a). */
  reader?: Op;
  /** The highest version-order position some ok poll of the key reached (lost-write). */
  maxReadIndex?: number;
  /** The poll that reached it. */
  maxRead?: Op | null;
}

/** One error type's condensed report. */
export interface KafkaErrors {
  /** How many errors of this type were found. */
  count: number;
  /** Examples: all of them for some types, the most telling few for others (Jepsen's choice). */
  errs: KafkaError[];
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
export interface KafkaResult extends CheckResult {
  /** True iff no error type outside the allowed ones was found. */
  valid: boolean;
  /** Error types found that invalidate the result, sorted. */
  badErrorTypes: string[];
  /** All error types found, sorted. */
  errorTypes: string[];
  /** The distinct `error`s of crashed (`info`) sends and polls. */
  infoTxnCauses: unknown[];
  worstRealtimeLag: KafkaRealtimeLag;
  /** Per error type found, except `unseen`, in sorted order: how many, and examples. */
  errors: Record<string, KafkaErrors>;
  /** Acknowledged messages never polled; only when there are some. */
  unseen?: KafkaUnseen;
}

/**
 * How a {@link KafkaResult} is written, as Jepsen does: `valid?`, `bad-error-types`, …,
 * `worst-realtime-lag`, then one top-level key per error type found (`lost-write`, `unseen`, …).
 */
export const kafkaWire: WireForm = fields<KafkaResult>({
  valid: 'valid?',
  badErrorTypes: 'bad-error-types',
  errorTypes: 'error-types',
  infoTxnCauses: 'info-txn-causes',
  worstRealtimeLag: field('worst-realtime-lag', fields<KafkaRealtimeLag>({ time: 'time', lag: 'lag', process: 'process', key: 'key' })),
  errors: spread(
    mapOf(
      fields<KafkaErrors>({
        count: 'count',
        errs: field(
          'errs',
          listOf(
            fields<KafkaError>({
              key: 'key',
              value: 'value',
              offset: 'offset',
              index: 'index',
              values: 'values',
              count: 'count',
              offsets: 'offsets',
              delta: 'delta',
              skipped: 'skipped',
              op: 'op',
              ops: 'ops',
              writer: 'writer',
              reader: 'reader',
              maxReadIndex: 'max-read-index',
              maxRead: 'max-read',
            }),
          ),
        ),
      }),
    ),
  ),
  unseen: field('unseen', fields<KafkaUnseen>({ time: 'time', unseen: 'unseen', messages: 'messages' })),
});

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

const keyOf = (k: unknown): Key => (typeof k === 'string' ? k : String(k));

function toOffset(o: unknown): number {
  if (typeof o === 'number' && Number.isInteger(o)) return o;
  if (typeof o === 'bigint') return Number(o);
  return NaN;
}

function isOffsetPair(v: unknown): v is [unknown, unknown] {
  return Array.isArray(v) && v.length === 2 && (v[0] === null || typeof v[0] === 'bigint' || (typeof v[0] === 'number' && Number.isInteger(v[0])));
}

/**
 * Every sent or polled `[offset, msg]` pair of the history, flat: messages are numbered by
 * Clojure equality (integers, the common case, without printing them) and offsets are NaN when
 * unknown. An op's pairs for one key are contiguous: a {@link Span}.
 */
class Pairs {
  off = new Float64Array(4096);
  id = new Int32Array(4096);
  n = 0;
  /** The first value seen for each message number. */
  readonly values: unknown[] = [];
  private readonly ints = new Map<number, number>();
  private readonly others = new Map<string, number>();

  intern(v: unknown): number {
    let x = v;
    if (typeof x === 'bigint' && x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER)) x = Number(x);
    let i: number | undefined;
    if (typeof x === 'number' && Number.isInteger(x)) {
      i = this.ints.get(x);
      if (i === undefined) this.ints.set(x, (i = this.values.length));
    } else {
      const k = valueKey(x);
      i = this.others.get(k);
      if (i === undefined) this.others.set(k, (i = this.values.length));
    }
    if (i === this.values.length) this.values.push(v);
    return i;
  }

  push(off: number, id: number): void {
    if (this.n === this.off.length) {
      const o = new Float64Array(this.n * 2);
      o.set(this.off);
      this.off = o;
      const d = new Int32Array(this.n * 2);
      d.set(this.id);
      this.id = d;
    }
    this.off[this.n] = off;
    this.id[this.n++] = id;
  }

  /** Appends the collected pairs (flattened offset, id, offset, id, ...) key by key. */
  spans(collected: Map<Key, number[]> | undefined): KeySpans | undefined {
    if (!collected) return undefined;
    const out: KeySpans = new Map();
    for (const [k, xs] of collected) {
      const s = this.n;
      for (let j = 0; j < xs.length; j += 2) this.push(xs[j]!, xs[j + 1]!);
      out.set(k, { s, e: this.n });
    }
    return out;
  }
}

/** Pairs `s` (inclusive) to `e` (exclusive) of a {@link Pairs}. */
interface Span {
  s: number;
  e: number;
}
type KeySpans = Map<Key, Span>;

function mops(op: Op): unknown[][] {
  return Array.isArray(op.value) ? (op.value.filter((m) => Array.isArray(m)) as unknown[][]) : [];
}

function collect(m: Map<Key, number[]>, k: Key): number[] {
  let xs = m.get(k);
  if (!xs) m.set(k, (xs = []));
  return xs;
}

/** Sends of an op per key, in order; a send's value is `[offset, msg]` once acknowledged. */
function parseWrites(op: Op, pairs: Pairs): KeySpans | undefined {
  if (op.f !== 'send' && op.f !== 'txn') return undefined;
  let out: Map<Key, number[]> | undefined;
  for (const m of mops(op)) {
    if (m[0] !== 'send') continue;
    const v = m[2];
    const [offset, value] = isOffsetPair(v) ? [toOffset(v[0]), v[1]] : [NaN, v];
    collect((out ??= new Map()), keyOf(m[1])).push(offset, pairs.intern(value));
  }
  return pairs.spans(out);
}

/** Polled `[offset, msg]` pairs of an op per key, in order (keys with no messages included). */
function parseReads(op: Op, pairs: Pairs): KeySpans | undefined {
  if (op.f !== 'poll' && op.f !== 'txn') return undefined;
  let out: Map<Key, number[]> | undefined;
  for (const m of mops(op)) {
    if (m[0] !== 'poll') continue;
    const by = m[1];
    if (!by || typeof by !== 'object') continue;
    const entries: [unknown, unknown][] = by instanceof Map ? [...by] : Object.entries(by as Record<string, unknown>);
    for (const [k, ps] of entries) {
      const xs = collect((out ??= new Map()), keyOf(k));
      if (!Array.isArray(ps)) continue;
      for (const p of ps) if (Array.isArray(p)) xs.push(toOffset(p[0]), pairs.intern(p[1]));
    }
  }
  return pairs.spans(out);
}

/** A key's version order: its log (offset → messages) made dense. */
interface Order {
  /** Dense index → the message first seen at that position. */
  byIndex: number[];
  /** Message → dense index (its last position, when it appears at several). */
  byValue: Map<number, number>;
  /** Message → first dense index. */
  firstIndex: Map<number, number>;
  /** Messages sorted by their last dense index, and those indices. */
  byLast: Int32Array;
  lastOf: Int32Array;
}

function mapAt<V>(m: Map<Key, Map<number, V>>, k: Key): Map<number, V> {
  let x = m.get(k);
  if (!x) m.set(k, (x = new Map()));
  return x;
}

function setAt(m: Map<Key, Set<number>>, k: Key): Set<number> {
  let x = m.get(k);
  if (!x) m.set(k, (x = new Set()));
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
 * with Clojure equality. A sent value that is a two-element array starting with an integer (or
 * null) is read as `[offset, msg]`, as Jepsen reads any vector there. `txn` ops mixing send and
 * poll micro-ops are understood too. Nemesis entries are ignored.
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
 * The history is read once into a {@link KafkaIndex}; then one function per family of anomalies
 * reports what it finds: {@link versionOrders} (inconsistent offsets, duplicates), {@link lostWrites},
 * {@link skips} (every poll-skip and nonmonotonic type), {@link g1a} (with precommitted reads),
 * {@link unseenMessages}, and {@link worstRealtimeLag}.
 *
 * Cost: O(n log n) in the size of the history (sorting offsets and examples).
 */
export function kafka(history: readonly Op[], opts: KafkaOptions = {}): KafkaResult {
  const allowed = new Set(opts.allowed ?? KAFKA_ALLOWED_ERROR_TYPES);
  const all = opts.allErrors ?? false;
  const ix = indexHistory(history);
  const errors = new Errors();
  const orders = versionOrders(ix, errors);
  lostWrites(ix, orders, errors);
  skips(ix, orders, errors);
  g1a(ix, errors);
  const unseen = unseenMessages(ix, all);
  const worst = worstRealtimeLag(ix);

  // Condense.
  const types = [...errors.types()];
  if (unseen) types.push('unseen');
  types.sort();
  const bad = types.filter((t) => !allowed.has(t));
  const result: KafkaResult = {
    valid: bad.length === 0,
    badErrorTypes: bad,
    errorTypes: types,
    infoTxnCauses: ix.infoCauses,
    worstRealtimeLag: worst,
    errors: {},
  };
  for (const t of types) if (t !== 'unseen') result.errors[t] = errors.report(t, all);
  if (unseen) result.unseen = unseen;
  return result;
}

/** The history read once: every family of anomalies works from it. */
interface KafkaIndex {
  /** Client operations (invocations and completions), in history order; positions below index this. */
  ops: Op[];
  /** Each op's invocation time. */
  invokeTime: number[];
  /** Every sent and polled `[offset, msg]` pair. */
  pairs: Pairs;
  /** Each op's sends per key (undefined for ops that send nothing). */
  writes: (KeySpans | undefined)[];
  /** Each op's polled pairs per key. */
  reads: (KeySpans | undefined)[];
  /** Per key, messages of failed sends. */
  failed: Map<Key, Set<number>>;
  /** Per key, messages some ok poll returned. */
  okReads: Map<Key, Set<number>>;
  /** Per key, message → position of the last completion that sent it. */
  writerOf: Map<Key, Map<number, number>>;
  /** Per key, message → position of the first op that polled it. */
  firstReaderOf: Map<Key, Map<number, number>>;
  /** The distinct `error`s of crashed sends and polls. */
  infoCauses: unknown[];
  /** Whether the op at a position surely happened: ok, or info and read by some ok poll. */
  committed: Uint8Array;
}

/** Reads the history: client ops, their pairs, who sent and who polled what. */
function indexHistory(history: readonly Op[]): KafkaIndex {
  const partner = pairIndex(history);
  const ops: Op[] = [];
  const invokeTime: number[] = [];
  history.forEach((op, i) => {
    if (typeof op.process !== 'number') return;
    ops.push(op);
    const inv = op.type === 'invoke' || partner[i]! < 0 ? op : history[partner[i]!]!;
    invokeTime.push(inv.time);
  });
  const pairs = new Pairs();
  const writes = ops.map((op) => parseWrites(op, pairs));
  const reads = ops.map((op) => parseReads(op, pairs));
  const { id } = pairs;

  const failed = new Map<Key, Set<number>>();
  const okReads = new Map<Key, Set<number>>();
  const writerOf = new Map<Key, Map<number, number>>();
  const firstReaderOf = new Map<Key, Map<number, number>>();
  const infoCauses = new Map<string, unknown>();
  ops.forEach((op, i) => {
    if (op.type === 'invoke') return;
    if (op.type === 'info' && (op.f === 'send' || op.f === 'poll' || op.f === 'txn')) {
      const e = op.error ?? null;
      const ek = valueKey(e);
      if (!infoCauses.has(ek)) infoCauses.set(ek, e);
    }
    for (const [k, { s, e }] of writes[i] ?? []) {
      const w = mapAt(writerOf, k);
      const f = op.type === 'fail' ? setAt(failed, k) : undefined;
      for (let j = s; j < e; j++) {
        w.set(id[j]!, i);
        f?.add(id[j]!);
      }
    }
    for (const [k, { s, e }] of reads[i] ?? []) {
      const r = mapAt(firstReaderOf, k);
      const ok = op.type === 'ok' ? setAt(okReads, k) : undefined;
      for (let j = s; j < e; j++) {
        if (!r.has(id[j]!)) r.set(id[j]!, i);
        ok?.add(id[j]!);
      }
    }
  });

  const committed = new Uint8Array(ops.length);
  ops.forEach((op, i) => {
    if (op.type === 'ok') committed[i] = 1;
    const ws = writes[i];
    if (op.type !== 'info' || !ws) return;
    for (const [k, { s, e }] of ws) {
      const ok = okReads.get(k);
      if (ok) for (let j = s; j < e; j++) if (ok.has(id[j]!)) committed[i] = 1;
    }
  });
  return { ops, invokeTime, pairs, writes, reads, failed, okReads, writerOf, firstReaderOf, infoCauses: [...infoCauses.values()], committed };
}

/** The errors found, by type, in the order found; skips list what they skipped only when shown. */
class Errors {
  private readonly byType = new Map<string, KafkaError[]>();
  private readonly skipped = new WeakMap<KafkaError, () => unknown[]>();

  add(type: string, e: KafkaError, skipped?: () => unknown[]): void {
    const xs = this.byType.get(type);
    if (xs) xs.push(e);
    else this.byType.set(type, [e]);
    if (skipped) this.skipped.set(e, skipped);
  }

  types(): Iterable<string> {
    return this.byType.keys();
  }

  /** A type's count and its examples (all of them with `all`). */
  report(type: string, all: boolean): KafkaErrors {
    const errs = this.byType.get(type)!;
    const shown = all ? errs : condense(type, errs);
    for (const e of shown) {
      const sk = this.skipped.get(e);
      if (sk) e.skipped = sk();
    }
    return { count: errs.length, errs: shown };
  }
}

/**
 * Each key's version order, from every poll (whatever its outcome) and every send that surely
 * happened; reports `inconsistent-offsets` (one offset, several messages) and `duplicate` (one
 * message, several offsets).
 */
function versionOrders(ix: KafkaIndex, errors: Errors): Map<Key, Order> {
  const { off, id } = ix.pairs;
  const val = (m: number) => ix.pairs.values[m];
  // Logs: key -> offset -> first message there, and any other messages there.
  const logFirst = new Map<Key, Map<number, number>>();
  const logMore = new Map<Key, Map<number, number[]>>();
  const note = (k: Key, j: number) => {
    const o = off[j]!;
    if (Number.isNaN(o)) return;
    const m = id[j]!;
    const first = mapAt(logFirst, k);
    const f = first.get(o);
    if (f === undefined) first.set(o, m);
    else if (f !== m) {
      const more = mapAt(logMore, k);
      const xs = more.get(o);
      if (!xs) more.set(o, [m]);
      else if (!xs.includes(m)) xs.push(m);
    }
  };
  ix.ops.forEach((_, i) => {
    const ws = ix.writes[i];
    if (ws && ix.committed[i]) for (const [k, { s, e }] of ws) for (let j = s; j < e; j++) note(k, j);
    for (const [k, { s, e }] of ix.reads[i] ?? []) for (let j = s; j < e; j++) note(k, j);
  });

  const orders = new Map<Key, Order>();
  for (const k of [...logFirst.keys()].sort()) {
    const first = logFirst.get(k)!;
    const more = logMore.get(k);
    const offsets = Float64Array.from(first.keys()).sort();
    const n = offsets.length;
    const byIndex = new Array<number>(n);
    const byValue = new Map<number, number>();
    const firstIndex = new Map<number, number>();
    const count = new Map<number, number>();
    const visit = (m: number, i: number) => {
      byValue.set(m, i);
      if (!firstIndex.has(m)) firstIndex.set(m, i);
      count.set(m, (count.get(m) ?? 0) + 1);
    };
    for (let i = 0; i < n; i++) {
      const o = offsets[i]!;
      const f = first.get(o)!;
      byIndex[i] = f;
      visit(f, i);
      const xs = more?.get(o);
      if (xs) {
        for (const m of xs) visit(m, i);
        errors.add('inconsistent-offsets', { key: k, offset: o, index: i, values: sortValues([f, ...xs].map(val)) });
      }
    }
    // Messages by last index (a counting sort).
    const starts = new Int32Array(n + 1);
    for (const i of byValue.values()) starts[i + 1]!++;
    for (let i = 0; i < n; i++) starts[i + 1]! += starts[i]!;
    const byLast = new Int32Array(byValue.size);
    const lastOf = new Int32Array(byValue.size);
    const fill = starts.slice(0, n);
    for (const [m, i] of byValue) {
      const at = fill[i]!++;
      byLast[at] = m;
      lastOf[at] = i;
    }
    orders.set(k, { byIndex, byValue, firstIndex, byLast, lastOf });
    // Duplicates: the offsets of each message seen at more than one.
    const dups = new Map<number, number[]>();
    for (const [m, c] of count) if (c > 1) dups.set(m, []);
    if (dups.size > 0) {
      for (let i = 0; i < n; i++) {
        const o = offsets[i]!;
        for (const m of [first.get(o)!, ...(more?.get(o) ?? [])]) dups.get(m)?.push(o);
      }
      for (const [m, offs] of dups) errors.add('duplicate', { key: k, value: val(m), count: offs.length, offsets: offs });
    }
  }
  return orders;
}

/**
 * `lost-write`: a message that surely happened, below the highest position some ok poll of its
 * key reached, that no ok poll returned.
 */
function lostWrites(ix: KafkaIndex, orders: Map<Key, Order>, errors: Errors): void {
  const val = (m: number) => ix.pairs.values[m];
  for (const k of [...ix.okReads.keys()].sort()) {
    const vs = ix.okReads.get(k)!;
    const o = orders.get(k);
    if (!o) continue;
    let bound = -1;
    for (const m of vs) {
      const i = o.firstIndex.get(m);
      if (i !== undefined && i > bound) bound = i;
    }
    if (bound < 0) continue;
    let maxRead: Op | null = null;
    for (let a = 0; a < o.byLast.length && o.lastOf[a]! <= bound; a++) {
      const m = o.byLast[a]!;
      if (o.lastOf[a] === bound && maxRead === null) {
        const r = ix.firstReaderOf.get(k)?.get(m);
        maxRead = r === undefined ? null : ix.ops[r]!;
      }
    }
    for (let a = 0; a < o.byLast.length && o.lastOf[a]! <= bound; a++) {
      const m = o.byLast[a]!;
      if (vs.has(m)) continue;
      const wi = ix.writerOf.get(k)?.get(m);
      if (wi === undefined || !ix.committed[wi]) continue;
      errors.add('lost-write', { key: k, value: val(m), index: o.firstIndex.get(m), maxReadIndex: bound, writer: ix.ops[wi], maxRead });
    }
  }
}

/**
 * Skips and steps back, inside one op and between one process's consecutive ops:
 * `int-poll-skip` / `int-nonmonotonic-poll`, `int-send-skip` / `int-nonmonotonic-send`,
 * `poll-skip` / `nonmonotonic-poll` (an assign forgets the keys it drops), `nonmonotonic-send`.
 */
function skips(ix: KafkaIndex, orders: Map<Key, Order>, errors: Errors): void {
  const { ops, reads, writes } = ix;
  const { id } = ix.pairs;
  const val = (m: number) => ix.pairs.values[m];
  // Only the reported skips get their skipped messages.
  const skip = (type: string, o: Order, a: number, b: number, e: KafkaError) => errors.add(type, e, () => o.byIndex.slice(a + 1, b).map(val));
  let i1 = -1;
  let i2 = -1;
  /** Distance in the version order from message m1 to m2 (1 when either is unplaced); sets i1, i2. */
  const delta = (o: Order | undefined, m1: number, m2: number): number => {
    if (!o || m1 < 0 || m2 < 0) return 1;
    const a = o.byValue.get(m1);
    const b = o.byValue.get(m2);
    if (a === undefined || b === undefined) return 1;
    i1 = a;
    i2 = b;
    return b - a;
  };

  const lastReads = new Map<unknown, Map<Key, number>>(); // process -> key -> op position
  const lastSends = new Map<unknown, Map<Key, number>>();
  const forget = (m: Map<Key, number> | undefined, op: Op) => {
    if (!m) return;
    const keep = new Set(Array.isArray(op.value) ? op.value.map(keyOf) : []);
    const seek = op['seek-to-beginning?'] === true;
    for (const k of [...m.keys()]) if (!keep.has(k) || seek) m.delete(k);
  };
  const lastIn = (spans: KeySpans | undefined, k: Key): number => {
    const sp = spans?.get(k);
    return sp && sp.e > sp.s ? id[sp.e - 1]! : -1;
  };

  ops.forEach((op, i) => {
    const rs = reads[i];
    const ws = writes[i];
    // Within one op.
    for (const [k, { s, e }] of rs ?? []) {
      const o = orders.get(k);
      for (let j = s + 1; j < e; j++) {
        const d = delta(o, id[j - 1]!, id[j]!);
        if (d === 1) continue;
        const values = [val(id[j - 1]!), val(id[j]!)];
        if (d > 1) skip('int-poll-skip', o!, i1, i2, { key: k, values, delta: d, skipped: [], op });
        else errors.add('int-nonmonotonic-poll', { key: k, values, delta: d, op });
      }
    }
    if (op.type !== 'invoke') {
      for (const [k, { s, e }] of ws ?? []) {
        const o = orders.get(k);
        for (let j = s + 1; j < e; j++) {
          const d = delta(o, id[j - 1]!, id[j]!);
          if (d === 1) continue;
          const values = [val(id[j - 1]!), val(id[j]!)];
          if (d > 1) skip('int-send-skip', o!, i1, i2, { key: k, values, delta: d, skipped: [], op });
          else errors.add('int-nonmonotonic-send', { key: k, values, delta: d, op });
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
      for (const [k, { s, e }] of rs) {
        const last = lr?.get(k);
        if (last === undefined) continue;
        const v = lastIn(reads[last], k);
        const v2 = e > s ? id[s]! : -1;
        const o = orders.get(k);
        const d = delta(o, v, v2);
        if (d > 1) skip('poll-skip', o!, i1, i2, { key: k, delta: d, skipped: [], ops: [ops[last]!, op] });
        else if (d < 1) errors.add('nonmonotonic-poll', { key: k, values: [val(v), val(v2)], delta: d, ops: [ops[last]!, op] });
      }
      if (op.type === 'ok') {
        if (!lr) lastReads.set(op.process, (lr = new Map()));
        for (const k of rs.keys()) lr.set(k, i);
      }
    }
    if (ws && (op.type === 'ok' || op.type === 'info')) {
      let ls = lastSends.get(op.process);
      for (const [k, { s, e }] of ws) {
        const last = ls?.get(k);
        if (last === undefined) continue;
        const v = lastIn(writes[last], k);
        const v2 = e > s ? id[s]! : -1;
        const d = delta(orders.get(k), v, v2);
        if (d < 1) errors.add('nonmonotonic-send', { key: k, values: [val(v), val(v2)], delta: d, ops: [ops[last]!, op] });
      }
      if (!ls) lastSends.set(op.process, (ls = new Map()));
      for (const k of ws.keys()) ls.set(k, i);
    }
  });
}

/** `G1a`: a failed send whose message an ok poll returned; `precommitted-read`: an op that polled its own send. */
function g1a(ix: KafkaIndex, errors: Errors): void {
  const { id } = ix.pairs;
  const val = (m: number) => ix.pairs.values[m];
  ix.ops.forEach((op, i) => {
    const rs = ix.reads[i];
    const ws = ix.writes[i];
    if (rs && op.type === 'ok') {
      for (const [k, { s, e }] of rs) {
        const f = ix.failed.get(k);
        if (!f) continue;
        for (let j = s; j < e; j++) {
          if (!f.has(id[j]!)) continue;
          const wi = ix.writerOf.get(k)?.get(id[j]!);
          errors.add('G1a', { key: k, value: val(id[j]!), writer: wi === undefined ? null : ix.ops[wi]!, reader: op });
        }
      }
    }
    if (rs && ws) {
      for (const [k, w] of ws) {
        const r = rs.get(k);
        if (!r) continue;
        let bad = -1;
        for (let j = w.s; j < w.e && bad < 0; j++) for (let q = r.s; q < r.e; q++) if (id[q] === id[j]) bad = id[j]!;
        if (bad >= 0) {
          errors.add('precommitted-read', { op, key: k, value: val(bad) });
          break;
        }
      }
    }
  });
}

/** `unseen`: acknowledged sends no ok poll has returned, as of the last ok send or poll. */
function unseenMessages(ix: KafkaIndex, all: boolean): KafkaUnseen | undefined {
  const { id } = ix.pairs;
  const unseen = new Map<Key, Set<number>>();
  const polled = new Map<Key, Set<number>>();
  let lastTime: number | undefined;
  ix.ops.forEach((op, i) => {
    if (op.type !== 'ok' || !(op.f === 'send' || op.f === 'poll' || op.f === 'txn')) return;
    lastTime = op.time;
    for (const [k, { s, e }] of ix.reads[i] ?? []) {
      const p = setAt(polled, k);
      const u = unseen.get(k);
      for (let j = s; j < e; j++) {
        p.add(id[j]!);
        u?.delete(id[j]!);
      }
    }
    for (const [k, { s, e }] of ix.writes[i] ?? []) {
      const p = polled.get(k);
      for (let j = s; j < e; j++) if (!p?.has(id[j]!)) setAt(unseen, k).add(id[j]!);
    }
  });
  const keys = [...unseen.keys()].filter((k) => unseen.get(k)!.size > 0).sort();
  if (keys.length === 0) return undefined;
  return {
    time: lastTime ?? 0,
    unseen: toRecord(keys.map((k) => [k, unseen.get(k)!.size] as const)),
    messages: toRecord(
      keys.map((k) => {
        const ms = sortValues([...unseen.get(k)!].map((m) => ix.pairs.values[m]));
        return [k, all ? ms : ms.slice(0, 32)] as const;
      }),
    ),
  };
}

function byNum(field: 'count' | 'delta') {
  return (a: KafkaError, b: KafkaError) => a[field]! - b[field]!;
}

/** Jepsen's choice of examples per error type. */
function condense(type: string, errs: KafkaError[]): KafkaError[] {
  const sorted = (cmp: (a: KafkaError, b: KafkaError) => number) => [...errs].sort(cmp);
  switch (type) {
    case 'duplicate':
      return sorted(byNum('count')).slice(0, 32);
    case 'inconsistent-offsets':
      return sorted((a, b) => a.values!.length - b.values!.length).slice(0, 32);
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

function maxOffsets(op: Op, rs: KeySpans | undefined, ws: KeySpans | undefined, off: Float64Array): Map<Key, number> | undefined {
  if (op.type !== 'ok' && op.type !== 'info') return undefined;
  let out: Map<Key, number> | undefined;
  for (const [k, { s, e }] of rs ?? []) {
    let m = -1;
    for (let j = s; j < e; j++) if (off[j]! > m) m = off[j]!;
    out ??= new Map();
    out.set(k, Math.max(out.get(k) ?? -1, m));
  }
  for (const [k, { s, e }] of ws ?? []) {
    for (let j = s; j < e; j++) {
      if (Number.isNaN(off[j]!)) continue;
      out ??= new Map();
      out.set(k, Math.max(out.get(k) ?? 0, off[j]!));
    }
  }
  return out;
}

/**
 * Jepsen's realtime lag: for each ok poll and each key its process is assigned, how long before
 * the poll's invocation the newest offset it has reached stopped being the end of the log.
 * Returns the worst (first on ties), times in seconds; `{time: 0, lag: 0}` without polls.
 */
function worstRealtimeLag({ ops, reads, writes, pairs: { off }, invokeTime }: KafkaIndex): KafkaRealtimeLag {
  // Per key, breakpoints: offsets up to bpOffset[j] were known to exist from bpTime[j].
  const bpOffset = new Map<Key, number[]>();
  const bpTime = new Map<Key, number[]>();
  const maxes: (Map<Key, number> | undefined)[] = ops.map((op, i) => maxOffsets(op, reads[i], writes[i], off));
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

