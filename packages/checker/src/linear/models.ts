/**
 * Built-in models, with Knossos's op conventions (and Maelstrom's lin-kv ones for {@link linKv}).
 *
 * Conventions shared by all of them: arguments (a write's value, a CAS's `[from, to]`, an added or
 * enqueued item) come from the invocation (`op.invokeValue`); observations (a read's value, a
 * dequeued item) from the completion (`op.value`). A read is invoked with `null`; a determinate
 * read is checked against the state (`null` included, meaning "absent" or "never written"); an
 * indeterminate read is dropped before the search. Ops the model does not know are impossible,
 * with a reason naming them.
 */
import { stringifyJson, valueKey, valuesEqual } from '@gyre/history';
import { fmix32, hashString } from './hash';
import type { LinOp, Model, StepResult } from './model';

const show = (v: unknown): string => (v === undefined ? 'nil' : v === null ? 'nil' : stringifyJson(v));
const ok = <S>(state: S): StepResult<S> => ({ ok: true, state });
/** An impossible step whose reason is only built when someone reads it (the search never does). */
class Impossible {
  readonly ok = false as const;
  constructor(private readonly why: () => string) {}
  get reason(): string {
    return this.why();
  }
}
const no = (reason: () => string): StepResult<never> => new Impossible(reason);
const unknownF = (model: string, op: LinOp): StepResult<never> => no(() => `${model} has no operation ${JSON.stringify(op.f)}`);

/** Text for an op: `read → 3`, `write 4`, `cas [1,2]`, with `?` / `(?)` for an unknown outcome. */
export function describeLinOp(op: LinOp): string {
  const isRead = op.f === 'read' || op.f === 'get' || op.f === 'dequeue';
  if (isRead) return `${op.f} → ${op.known ? show(op.value) : '?'}`;
  return `${op.f} ${show(op.invokeValue)}${op.known ? '' : ' (?)'}`;
}

/** Options for the register models. */
export interface RegisterOptions {
  /** The value before any write. @defaultValue `null` (never written) */
  initial?: unknown;
}

/**
 * A read/write register (Knossos `register`): `write v` sets it, `read` observes it. State: the
 * value.
 */
export function register(options: RegisterOptions = {}): Model<unknown> {
  return registerModel('register', options.initial ?? null, false);
}

/**
 * A compare-and-set register (Knossos `cas-register`): `read`, `write v`, and `cas [from, to]`,
 * which sets `to` when the value is `from`. A `cas` that completed `fail` did not happen (the
 * checker drops it); an indeterminate one applies if it matches. State: the value.
 */
export function casRegister(options: RegisterOptions = {}): Model<unknown> {
  return registerModel('cas-register', options.initial ?? null, true);
}

/** {@link register}, and with `cas` {@link casRegister}. */
function registerModel(name: string, initial: unknown, cas: boolean): Model<unknown> {
  return {
    name,
    init: () => initial,
    step(state, op) {
      switch (op.f) {
        case 'read':
          return !op.known || valuesEqual(op.value, state) ? ok(state) : no(() => `can't read ${show(op.value)} from register ${show(state)}`);
        case 'write':
          return ok(op.invokeValue);
        case 'cas': {
          if (!cas) break;
          const v = op.invokeValue;
          if (!Array.isArray(v) || v.length !== 2) return no(() => `cas needs [from, to], got ${show(v)}`);
          return valuesEqual(v[0], state) ? ok(v[1]) : no(() => `can't CAS ${show(state)} from ${show(v[0])} to ${show(v[1])}`);
        }
      }
      return unknownF(name, op);
    },
    readOnly: (op) => op.f === 'read',
    // A register holding another value than a read saw keeps doing so until a write of that value.
    unreachable: (_, op) => op.known,
    revives: (op, read) => {
      const v = op.invokeValue;
      return op.f === 'write' ? valuesEqual(v, read.value) : cas && op.f === 'cas' && Array.isArray(v) && v.length === 2 && valuesEqual(v[1], read.value);
    },
    describeOp: describeLinOp,
    describeState: show,
  };
}

/**
 * A mutex (Knossos `mutex`): `acquire` when free, `release` when held. State: `true` when held.
 */
export function mutex(): Model<boolean> {
  return {
    name: 'mutex',
    init: () => false,
    step(held, op) {
      switch (op.f) {
        case 'acquire':
          return held ? no(() => 'already held') : ok(true);
        case 'release':
          return held ? ok(false) : no(() => 'not held');
        default:
          return unknownF('mutex', op);
      }
    },
    hash: (s) => (s ? 1 : 2),
    equal: (a, b) => a === b,
    describeOp: (op) => `${op.f}${op.known ? '' : ' (?)'}`,
    describeState: (s) => (s ? 'held' : 'free'),
  };
}

/** A set or multiset of values: their sorted `valueKey`s with the values they stand for. */
export interface Bag {
  readonly keys: readonly string[];
  readonly values: readonly unknown[];
}

const emptyBag: Bag = { keys: [], values: [] };

function bagInsert(b: Bag, v: unknown, unique: boolean): Bag {
  const k = valueKey(v);
  let lo = 0;
  let hi = b.keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (b.keys[mid]! < k) lo = mid + 1;
    else hi = mid;
  }
  if (unique && b.keys[lo] === k) return b;
  const keys = b.keys.slice();
  const values = b.values.slice();
  keys.splice(lo, 0, k);
  values.splice(lo, 0, v);
  return { keys, values };
}

function bagRemoveAt(b: Bag, i: number): Bag {
  const keys = b.keys.slice();
  const values = b.values.slice();
  keys.splice(i, 1);
  values.splice(i, 1);
  return { keys, values };
}

const bagHash = (keys: readonly string[], salt = 0): number => hashString(keys.join('\u0001')) ^ salt;
const sameKeys = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((k, i) => k === b[i]);
const showBag = (b: Bag, open: string, close: string): string => open + b.values.map(show).join(' ') + close;

/**
 * A set (Knossos `set`; named `setModel` to keep `set` free): `add v` inserts, `read` observes the whole set (an array, in any order,
 * duplicates ignored). State: the set.
 */
export function setModel(): Model<Bag> {
  return {
    name: 'set',
    init: () => emptyBag,
    step(s, op) {
      switch (op.f) {
        case 'add':
          return ok(bagInsert(s, op.invokeValue, true));
        case 'read': {
          if (!op.known) return ok(s);
          if (!Array.isArray(op.value)) return no(() => `a set read needs an array, got ${show(op.value)}`);
          const seen = op.value.reduce<Bag>((b, v) => bagInsert(b, v, true), emptyBag);
          return sameKeys(seen.keys, s.keys) ? ok(s) : no(() => `can't read ${showBag(seen, '#{', '}')} from set ${showBag(s, '#{', '}')}`);
        }
        default:
          return unknownF('set', op);
      }
    },
    readOnly: (op) => op.f === 'read',
    hash: (s) => bagHash(s.keys),
    equal: (a, b) => sameKeys(a.keys, b.keys),
    describeOp: describeLinOp,
    describeState: (s) => showBag(s, '#{', '}'),
  };
}

/**
 * A FIFO queue (Knossos `fifo-queue`): `enqueue v`; `dequeue` completes with the head, or `null`
 * when the queue is empty. An indeterminate dequeue removes the head. State: the items, oldest first.
 */
export function fifoQueue(): Model<readonly unknown[]> {
  return {
    name: 'fifo-queue',
    init: () => [],
    step(q, op) {
      switch (op.f) {
        case 'enqueue':
          return ok([...q, op.invokeValue]);
        case 'dequeue':
          if (!op.known) return q.length > 0 ? ok(q.slice(1)) : no(() => 'nothing to dequeue');
          if (q.length === 0) return op.value === null ? ok(q) : no(() => `can't dequeue ${show(op.value)} from an empty queue`);
          return valuesEqual(q[0], op.value) ? ok(q.slice(1)) : no(() => `can't dequeue ${show(op.value)}: the head is ${show(q[0])}`);
        default:
          return unknownF('fifo-queue', op);
      }
    },
    describeOp: describeLinOp,
    describeState: (q) => '[' + q.map(show).join(' ') + ']',
  };
}

/** State of {@link unorderedQueue}: a multiset and how many unknown items indeterminate dequeues took. */
export interface UnorderedQueueState {
  readonly items: Bag;
  /** Items removed by indeterminate dequeues, not known which. */
  readonly lost: number;
}

/**
 * An unordered queue (Knossos `unordered-queue`): `enqueue v`; `dequeue` completes with any
 * enqueued item, or `null` when empty. An indeterminate dequeue removes an unknown item; the state
 * counts those (`lost`), so a later dequeue of `v` is possible when `v` is present and enough items
 * remain.
 */
export function unorderedQueue(): Model<UnorderedQueueState> {
  return {
    name: 'unordered-queue',
    init: () => ({ items: emptyBag, lost: 0 }),
    step(s, op) {
      const size = s.items.keys.length - s.lost;
      switch (op.f) {
        case 'enqueue':
          return ok({ items: bagInsert(s.items, op.invokeValue, false), lost: s.lost });
        case 'dequeue': {
          if (!op.known) return size > 0 ? ok({ items: s.items, lost: s.lost + 1 }) : no(() => 'nothing to dequeue');
          if (op.value === null) return size === 0 ? ok({ items: emptyBag, lost: 0 }) : no(() => `the queue is not empty (${size} items)`);
          const i = s.items.keys.indexOf(valueKey(op.value));
          if (i < 0 || size < 1) return no(() => `can't dequeue ${show(op.value)}: not in the queue`);
          return ok({ items: bagRemoveAt(s.items, i), lost: s.lost });
        }
        default:
          return unknownF('unordered-queue', op);
      }
    },
    hash: (s) => bagHash(s.items.keys, Math.imul(s.lost, 0x9e3779b9)),
    equal: (a, b) => a.lost === b.lost && sameKeys(a.items.keys, b.items.keys),
    describeOp: describeLinOp,
    describeState: (s) => showBag(s.items, '{', '}') + (s.lost > 0 ? ` minus ${s.lost} unknown` : ''),
  };
}

/**
 * Knossos's `multi-register`: `txn` ops whose value is a list of micro-ops `[f, k, v]` with `f`
 * `read` (or `r`) and `write` (or `w`); reads see earlier writes of the same txn. In an
 * indeterminate txn, reads are not checked. State: an object from `valueKey(k)` to the value
 * (absent keys read `null`).
 */
export function multiRegister(): Model<Readonly<Record<string, unknown>>> {
  return {
    name: 'multi-register',
    init: () => ({}),
    step(s, op) {
      if (op.f !== 'txn') return unknownF('multi-register', op);
      if (!Array.isArray(op.value)) return no(() => `a txn needs a list of micro-ops, got ${show(op.value)}`);
      let out: Record<string, unknown> | undefined;
      for (const mop of op.value) {
        if (!Array.isArray(mop) || mop.length !== 3) return no(() => `bad micro-op ${show(mop)}`);
        const [f, k, v] = mop as [unknown, unknown, unknown];
        const key = valueKey(k);
        const cur = (out ?? s)[key] ?? null;
        if (f === 'read' || f === 'r') {
          if (op.known && !valuesEqual(v, cur)) return no(() => `can't read ${show(v)} from key ${show(k)}, which is ${show(cur)}`);
        } else if (f === 'write' || f === 'w') {
          out ??= { ...s };
          out[key] = v;
        } else return no(() => `unknown micro-op ${show(f)}`);
      }
      return ok(out ?? s);
    },
    readOnly: (op) => Array.isArray(op.value) && op.value.every((m) => Array.isArray(m) && (m[0] === 'read' || m[0] === 'r')),
    describeOp: (op) => `txn ${show(op.value)}${op.known ? '' : ' (?)'}`,
    describeState: (s) => '{' + Object.keys(s).sort().map((k) => `${k} ${show(s[k])}`).join(', ') + '}',
  };
}

/** An op of {@link perKey} as its inner model sees it: the same op with `[key, v]` values replaced by `v`. */
class InnerOp implements LinOp {
  readonly value: unknown;
  readonly invokeValue: unknown;
  constructor(private readonly outer: LinOp) {
    this.value = pickInner(outer.value);
    this.invokeValue = pickInner(outer.invokeValue);
  }
  get id(): number {
    return this.outer.id;
  }
  get index(): number {
    return this.outer.index;
  }
  get completionIndex(): number {
    return this.outer.completionIndex;
  }
  get process(): LinOp['process'] {
    return this.outer.process;
  }
  get f(): string {
    return this.outer.f;
  }
  get known(): boolean {
    return this.outer.known;
  }
  get invocation(): LinOp['invocation'] {
    return this.outer.invocation;
  }
  get completion(): LinOp['completion'] {
    return this.outer.completion;
  }
}

const pickInner = (v: unknown): unknown => (Array.isArray(v) && v.length === 2 ? v[1] : v);

/**
 * Jepsen's `independent` for any model: ops whose value is `[key, v]` are split by `key` and each
 * key is checked with `inner` on the ops' `v`s (with `partition`, so keys are checked separately).
 * A read invoked as `[k, null]` completes as `[k, v]`.
 */
export function perKey<S>(inner: Model<S>, name = `${inner.name} per key`): Model<S> {
  // A small view per call, not a cache keyed by op: the transition table already calls `step`
  // once per (state, op), and a weak map of every op costs the garbage collector far more.
  const unwrap = (op: LinOp): LinOp => new InnerOp(op);
  return {
    name,
    init: () => inner.init(),
    step: (s, op) => (Array.isArray(op.invokeValue) && op.invokeValue.length === 2 ? inner.step(s, unwrap(op)) : no(() => `expected [key, value], got ${show(op.invokeValue)}`)),
    partition: (op) => (Array.isArray(op.invokeValue) ? op.invokeValue[0] : null),
    ...(inner.hash ? { hash: (s: S) => inner.hash!(s) } : {}),
    ...(inner.equal ? { equal: (a: S, b: S) => inner.equal!(a, b) } : {}),
    readOnly: (op) => inner.readOnly?.(unwrap(op)) ?? false,
    describeOp: (op) => `${show(Array.isArray(op.invokeValue) ? op.invokeValue[0] : null)}: ${(inner.describeOp ?? describeLinOp)(unwrap(op))}`,
    ...(inner.describeState ? { describeState: (s: S) => inner.describeState!(s) } : {}),
  };
}

/**
 * Maelstrom's lin-kv checker model: a compare-and-set register per key, initially `null`, ops
 * `read` `[k, null]` → `[k, v]`, `write` `[k, v]`, `cas` `[k, [from, to]]`. A read of a missing
 * key completes `ok` with `[k, null]` when the node answered so; error 20 makes it `fail`
 * (dropped). Partitioned by key.
 */
export function linKv(): Model<unknown> {
  return perKey(casRegister(), 'lin-kv');
}

/** Options for {@link stringKv}. */
export interface StringKvOptions {
  /**
   * Check each key separately (P-compositionality). With `false` the whole map is one object
   * (much slower; for cross-checking).
   * @defaultValue true
   */
  partitioned?: boolean;
}

const extendHash = (h: number, v: string): number => {
  for (let i = 0; i < v.length; i++) h = (Math.imul(h, 0x01000193) + v.charCodeAt(i)) | 0;
  return h;
};

/**
 * A string built by puts and appends, hash-consed: appending the same chunk to the same node gives
 * the same node, so states reached along the same path compare by identity, and a string is only
 * materialised when a read matches its length and hash.
 */
export class KvString {
  private text: string | undefined;
  private kidChunk: string | undefined;
  private kid: KvString | undefined;
  private kids: Map<string, KvString> | undefined;
  constructor(
    private readonly parent: KvString | undefined,
    private readonly chunk: string,
    /** Length of the whole string. */
    readonly len: number,
    /** Polynomial hash of the whole string. */
    readonly h: number,
    private readonly puts: Map<string, KvString>,
  ) {
    if (!parent) this.text = chunk;
  }
  /** The empty string, root of a fresh family of states. */
  static empty(): KvString {
    return new KvString(undefined, '', 0, 0, new Map());
  }
  /** The string's text (built on demand). */
  get s(): string {
    if (this.text === undefined) {
      const chain: KvString[] = [];
      let n: KvString | undefined = this;
      while (n && n.text === undefined) {
        chain.push(n);
        n = n.parent;
      }
      let acc = n!.text!;
      for (let i = chain.length - 1; i >= 0; i--) {
        acc += chain[i]!.chunk;
        chain[i]!.text = acc;
      }
    }
    return this.text!;
  }
  append(v: string): KvString {
    if (v === '') return this;
    if (this.kidChunk === v) return this.kid!;
    let k = this.kids?.get(v);
    if (!k) {
      k = new KvString(this, v, this.len + v.length, extendHash(this.h, v), this.puts);
      if (this.kidChunk === undefined) {
        this.kidChunk = v;
        this.kid = k;
      } else (this.kids ??= new Map()).set(v, k);
    }
    return k;
  }
  put(v: string): KvString {
    let k = this.puts.get(v);
    if (!k) {
      k = new KvString(undefined, v, v.length, extendHash(0, v), this.puts);
      this.puts.set(v, k);
    }
    return k;
  }
  /** Is this string equal to `v`, whose hash is `h`? Compares chunk by chunk, without building the string. */
  matches(v: string, h: number): boolean {
    return v.length === this.len && h === this.h && this.prefixOf(v);
  }
  /** Is this string a prefix of `v`? Compares chunk by chunk, without building the string. */
  prefixOf(v: string): boolean {
    if (this.len > v.length) return false;
    let end = this.len;
    let n: KvString | undefined = this;
    while (n) {
      if (n.text !== undefined) return end === n.text.length && v.startsWith(n.text);
      end -= n.chunk.length;
      if (!v.startsWith(n.chunk, end)) return false;
      n = n.parent;
    }
    return end === 0;
  }
  static equal(a: KvString, b: KvString): boolean {
    return a === b || (a.len === b.len && a.h === b.h && a.s === b.s);
  }
}

const readHashes = new WeakMap<LinOp, number>();
const readHash = (op: LinOp, v: string): number => {
  let h = readHashes.get(op);
  if (h === undefined) {
    h = extendHash(0, v);
    readHashes.set(op, h);
  }
  return h;
};

/** State of the unpartitioned {@link stringKv}: each key's string and a hash summed over keys. */
export interface KvMapState {
  readonly m: Readonly<Record<string, KvString>>;
  readonly h: number;
  readonly root: KvString;
}

const keyHash = (k: string, v: KvString): number => (v.len === 0 ? 0 : fmix32(hashString(k) ^ fmix32(v.h)));

/**
 * Porcupine's key-value model (the `kv` test traces): ops carry a `key` field and string values;
 * `get` observes the key's string, `put v` sets it, `append v` concatenates. A missing key reads
 * `""`. Partitioned by key unless `partitioned: false`. States carry an incremental hash so long
 * strings are not rehashed at every step.
 */
export function stringKv(options: StringKvOptions = {}): Model<any> {
  const keyOf = (op: LinOp): string => String(op.invocation['key'] ?? '');
  const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
  const describeOp = (op: LinOp): string => `${keyOf(op)}: ${describeLinOp(op)}`;
  if (options.partitioned === false) {
    const set = (st: KvMapState, k: string, v: KvString): KvMapState => {
      const old = st.m[k] ?? st.root;
      return { m: { ...st.m, [k]: v }, h: (st.h - keyHash(k, old) + keyHash(k, v)) | 0, root: st.root };
    };
    const model: Model<KvMapState> = {
      name: 'kv',
      init: () => ({ m: {}, h: 0, root: KvString.empty() }),
      step(st, op) {
        const k = keyOf(op);
        const cur = st.m[k] ?? st.root;
        switch (op.f) {
          case 'get': {
            const v = str(op.value);
            return !op.known || cur.matches(v, readHash(op, v)) ? ok(st) : no(() => `can't get ${show(op.value)} from key ${show(k)}, which is ${show(cur.s)}`);
          }
          case 'put':
            return ok(set(st, k, cur.put(str(op.invokeValue))));
          case 'append':
            return ok(set(st, k, cur.append(str(op.invokeValue))));
          default:
            return unknownF('kv', op);
        }
      },
      readOnly: (op) => op.f === 'get',
      // Appends only lengthen a key's string: a get of a string the key's is not a prefix of waits for a put.
      unreachable: (st, op) => op.known && !(st.m[keyOf(op)] ?? st.root).prefixOf(str(op.value)),
      revives: (op, read) => op.f === 'put' && keyOf(op) === keyOf(read) && str(read.value).startsWith(str(op.invokeValue)),
      hash: (st) => st.h,
      equal: (a, b) => {
        if (a.h !== b.h) return false;
        for (const k of Object.keys(a.m)) if (!KvString.equal(a.m[k]!, b.m[k] ?? b.root)) return false;
        for (const k of Object.keys(b.m)) if (!KvString.equal(b.m[k]!, a.m[k] ?? a.root)) return false;
        return true;
      },
      describeOp,
      describeState: (st) => '{' + Object.keys(st.m).sort().filter((k) => st.m[k]!.len > 0).map((k) => `${show(k)} ${show(st.m[k]!.s)}`).join(', ') + '}',
    };
    return model;
  }
  const model: Model<KvString> = {
    name: 'kv',
    init: () => KvString.empty(),
    step(st, op) {
      switch (op.f) {
        case 'get': {
          const v = str(op.value);
          return !op.known || st.matches(v, readHash(op, v)) ? ok(st) : no(() => `can't get ${show(op.value)} from key ${show(keyOf(op))}, which is ${show(st.s)}`);
        }
        case 'put':
          return ok(st.put(str(op.invokeValue)));
        case 'append':
          return ok(st.append(str(op.invokeValue)));
        default:
          return unknownF('kv', op);
      }
    },
    partition: keyOf,
    readOnly: (op) => op.f === 'get',
    unreachable: (st, op) => op.known && !st.prefixOf(str(op.value)),
    revives: (op, read) => op.f === 'put' && str(read.value).startsWith(str(op.invokeValue)),
    hash: (st) => fmix32(st.h ^ Math.imul(st.len, 0x27d4eb2d)),
    equal: KvString.equal,
    describeOp,
    describeState: (st) => show(st.s),
  };
  return model;
}

/**
 * The built-in models by name, for `linearizable(history, { model: models.linKv() })`. `set` is
 * {@link setModel}.
 */
export const models = {
  register,
  casRegister,
  mutex,
  set: setModel,
  fifoQueue,
  unorderedQueue,
  multiRegister,
  perKey,
  linKv,
  stringKv,
} as const;
