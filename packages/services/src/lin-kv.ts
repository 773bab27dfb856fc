/**
 * lin-kv: a linearizable key-value store (maelstrom.md §3.2). One state, updated atomically by
 * each request in the order the service receives them.
 */
import { addReplyTo, type Service } from './service';
import { emptyMap } from './hamt';
import { applyKv, isKvOp, KV_TYPES, parseKv, type KvMap } from './kv';

/** lin-kv's state: the one map of keys to values (persistent; treat as opaque). */
export interface LinKvState {
  readonly kv: KvMap;
}

/** Creates the lin-kv service. */
export function linKv(): Service<LinKvState> {
  const init: LinKvState = { kv: emptyMap() };
  return {
    id: 'lin-kv',
    types: KV_TYPES,
    init: () => init,
    handle(state, req) {
      const op = parseKv('lin-kv', req.body);
      if (!isKvOp(op)) return [state, addReplyTo(op, req.body)];
      const [kv, reply] = applyKv(state.kv, op);
      return [kv === state.kv ? state : { kv }, addReplyTo(reply, req.body)];
    },
  };
}
