/**
 * lww-kv: an eventually consistent, last-write-wins key-value store (maelstrom.md §3.4).
 *
 * A few replicas (2, as in Maelstrom), each a map of keys to timestamped values plus a Lamport
 * clock starting at 0. Each request first merges one random replica (the source) into another
 * random one (the destination, possibly the same): per key the higher timestamp wins, ties go to
 * the source, and the destination's clock becomes the larger of the two. Then the request runs on
 * a third random replica. A write or successful cas stamps the value with the replica's clock and
 * advances the clock by one. cas ignores `create_if_not_exists` (a missing key is always error 20),
 * and error 22 prints `from` bare (Clojure `str`), both as in Maelstrom.
 *
 * Difference from Maelstrom: Maelstrom computes the merge but then builds the new replica vector
 * from the pre-merge replicas, so the merge is lost and the replicas never converge (a write is
 * seen by about half of all later reads, forever). Gyre keeps the merge, so once writes stop the
 * replicas converge and every read returns the value with the highest timestamp.
 * `{ keepMerges: false }` restores Maelstrom's behaviour.
 */
import type { Random } from '@gyre/history';
import { valuesEqual } from '@gyre/history';
import { ErrorCodes, type Body } from '@gyre/protocol';
import { clojureStr } from './clojure';
import { emptyMap, mapGet, mapMerge, mapSet, type PMap } from './hamt';
import { casMismatch, isKvOp, KEY_MISSING, KV_TYPES, parseKv, type KvOp } from './kv';
import { addReplyTo, errorBody, type Service } from './service';

/** Options for {@link lwwKv}. */
export interface LwwKvOptions {
  /**
   * How many replicas.
   * @defaultValue 2 (Maelstrom's)
   */
  replicas?: number;
  /**
   * Whether the merge done before each request takes effect. `false` reproduces Maelstrom, whose
   * replicas never converge.
   * @defaultValue true
   */
  keepMerges?: boolean;
}

/** A value with the Lamport timestamp of the write that stored it. */
export interface LwwEntry {
  readonly ts: number;
  readonly value: unknown;
}

/** One lww-kv replica: its Lamport clock and its map (persistent; treat as opaque). */
export interface LwwReplica {
  readonly clock: number;
  readonly kv: PMap<LwwEntry>;
}

/** lww-kv's state: the replicas. */
export interface LwwKvState {
  readonly replicas: readonly LwwReplica[];
}

const newer = (s: LwwEntry, d: LwwEntry): LwwEntry => (s.ts >= d.ts ? s : d);

/** Merges replica `src` into `dst`; returns `dst` itself when that changes nothing. */
export function mergeReplicas(src: LwwReplica, dst: LwwReplica): LwwReplica {
  const kv = mapMerge(src.kv, dst.kv, newer);
  const clock = Math.max(src.clock, dst.clock);
  return kv === dst.kv && clock === dst.clock ? dst : { clock, kv };
}

function applyLww(r: LwwReplica, op: KvOp): [LwwReplica, Body] {
  const cur = mapGet(r.kv, op.k, op.h);
  switch (op.type) {
    case 'read':
      return [r, cur === undefined ? errorBody(ErrorCodes.KeyDoesNotExist, KEY_MISSING) : { type: 'read_ok', value: cur.value }];
    case 'write':
      return [{ clock: r.clock + 1, kv: mapSet(r.kv, op.k, { ts: r.clock, value: op.value }, op.h) }, { type: 'write_ok' }];
    case 'cas':
      if (cur === undefined) return [r, errorBody(ErrorCodes.KeyDoesNotExist, KEY_MISSING)];
      if (!valuesEqual(cur.value, op.from)) return [r, casMismatch(cur.value, op.from, clojureStr)];
      return [{ clock: r.clock + 1, kv: mapSet(r.kv, op.k, { ts: r.clock, value: op.to }, op.h) }, { type: 'cas_ok' }];
  }
}

/** Creates the lww-kv service. */
export function lwwKv(options: LwwKvOptions = {}): Service<LwwKvState> {
  const n = options.replicas ?? 2;
  const keepMerges = options.keepMerges ?? true;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`lww-kv replicas must be a positive integer, got ${n}`);
  const empty: LwwReplica = { clock: 0, kv: emptyMap() };
  const init: LwwKvState = { replicas: Array.from({ length: n }, () => empty) };
  return {
    id: 'lww-kv',
    types: KV_TYPES,
    init: () => init,
    handle(state: LwwKvState, req, random: Random) {
      const op = parseKv('lww-kv', req.body);
      if (!isKvOp(op)) return [state, addReplyTo(op, req.body)];
      let replicas = state.replicas;
      const source = random.int(n);
      const dest = random.int(n);
      const target = random.int(n);
      if (keepMerges && source !== dest) {
        const merged = mergeReplicas(replicas[source]!, replicas[dest]!);
        if (merged !== replicas[dest]) replicas = replaceAt(replicas, dest, merged);
      }
      const before = replicas[target]!;
      const [after, reply] = applyLww(before, op);
      if (after !== before) replicas = replaceAt(replicas, target, after);
      return [replicas === state.replicas ? state : { replicas }, addReplyTo(reply, req.body)];
    },
  };
}

function replaceAt<T>(xs: readonly T[], i: number, x: T): readonly T[] {
  const out = xs.slice();
  out[i] = x;
  return out;
}
