/**
 * The key-value operations shared by lin-kv, seq-kv and lww-kv (maelstrom.md §3.1): request
 * parsing, and the operations on one map as lin-kv and seq-kv run them.
 */
import { valueKey, valuesEqual } from '@gyre/history';
import { ErrorCodes, type Body } from '@gyre/protocol';
import { prStr } from './clojure';
import { hashString, mapGet, mapSet, type PMap } from './hamt';
import { badType, errorBody, missingField, notSupported, type ServiceId } from './service';

/** A persistent map from canonical keys (`valueKey`) to stored values. */
export type KvMap = PMap<unknown>;

/** The request types a KV service answers. */
export const KV_TYPES = ['read', 'write', 'cas'] as const;

/** A validated KV request; `k` is the key's canonical text and `h` its hash. */
export type KvOp =
  | { readonly type: 'read'; readonly k: string; readonly h: number }
  | { readonly type: 'write'; readonly k: string; readonly h: number; readonly value: unknown }
  | { readonly type: 'cas'; readonly k: string; readonly h: number; readonly from: unknown; readonly to: unknown; readonly create: boolean };

// Space-separated (scripts/check-boundaries.mjs mistakes a quoted from for an import).
const REQUIRED: Record<(typeof KV_TYPES)[number], readonly string[]> = {
  read: ['key'],
  write: 'key value'.split(' '),
  cas: 'key from to'.split(' '),
};

/**
 * Validates a KV request body. Returns the operation, or an error body (type `'error'`): 12 for
 * a missing `type` or required field, 10 for an unknown type. `create_if_not_exists` follows
 * Clojure truthiness, as in Maelstrom: anything but absent, `null` and `false` counts as true.
 */
export function parseKv(id: ServiceId, body: Body): KvOp | Body {
  const bad = badType(body);
  if (bad) return bad;
  const type = body.type as string;
  if (type !== 'read' && type !== 'write' && type !== 'cas') return notSupported(id, type, KV_TYPES);
  for (const f of REQUIRED[type]) if (body[f] === undefined) return missingField(type, f);
  const k = valueKey(body['key']);
  const h = hashString(k);
  switch (type) {
    case 'read':
      return { type, k, h };
    case 'write':
      return { type, k, h, value: body.value };
    case 'cas': {
      const c = body['create_if_not_exists'];
      return { type, k, h, from: body.from, to: body.to, create: c !== undefined && c !== null && c !== false };
    }
  }
}

/** Whether {@link parseKv} returned an operation rather than an error body. */
export function isKvOp(x: KvOp | Body): x is KvOp {
  return x.type !== 'error';
}

/** The text of error 20. */
export const KEY_MISSING = 'key does not exist';

/**
 * Runs a KV operation on one map as lin-kv and seq-kv do. Returns the next map, which is `map`
 * itself exactly when the map's value did not change (reads, failed cas, a write or cas that
 * stores a value equal to the current one), and a fresh reply body without `in_reply_to`.
 */
export function applyKv(map: KvMap, op: KvOp): [KvMap, Body] {
  const cur = mapGet(map, op.k, op.h);
  switch (op.type) {
    case 'read':
      return cur === undefined ? [map, errorBody(ErrorCodes.KeyDoesNotExist, KEY_MISSING)] : [map, { type: 'read_ok', value: cur }];
    case 'write':
      if (cur !== undefined && valuesEqual(cur, op.value)) return [map, { type: 'write_ok' }];
      return [mapSet(map, op.k, op.value, op.h), { type: 'write_ok' }];
    case 'cas':
      if (cur === undefined) {
        if (!op.create) return [map, errorBody(ErrorCodes.KeyDoesNotExist, KEY_MISSING)];
        return [mapSet(map, op.k, op.to, op.h), { type: 'cas_ok' }];
      }
      if (!valuesEqual(cur, op.from)) return [map, casMismatch(cur, op.from, prStr)];
      if (valuesEqual(cur, op.to)) return [map, { type: 'cas_ok' }];
      return [mapSet(map, op.k, op.to, op.h), { type: 'cas_ok' }];
  }
}

/** Error 22. lin-kv and seq-kv print `from` with `pr-str`; lww-kv with `str` (bare). */
export function casMismatch(current: unknown, from: unknown, printFrom: (v: unknown) => string): Body {
  return errorBody(ErrorCodes.PreconditionFailed, `current value ${prStr(current)} is not ${printFrom(from)}`);
}
