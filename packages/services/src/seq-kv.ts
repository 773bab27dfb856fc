/**
 * seq-kv: a sequentially consistent key-value store, built exactly as Maelstrom builds it
 * (maelstrom.md §3.3). The service keeps the last `window` states of a lin-kv store, the index
 * of the newest, and for each requester (`src`) the index it last interacted with (0 at first).
 *
 * For each request: pick an index uniformly in [requester's index, newest index]; run the
 * request on that state; if the state is unchanged (a read, a failed cas, a write or cas that
 * stores the value already there), answer with that result and record the chosen index as the
 * requester's. Otherwise run the request again on the newest state, append the result as a new
 * state (even if that second run changed nothing), and record the new newest index.
 *
 * So reads may be stale but, for one requester, do not go back in time; a cas may fail against a
 * stale state; a write equal to a stale value may be a no-op that never reaches the newest state.
 *
 * Quirk kept from Maelstrom: the chosen index is turned into a position in the ring modulo the
 * ring's current length. A requester whose index has fallen more than `window - 1` states behind
 * does not get an error: its stale index wraps around to some state inside the window (the one
 * whose index is congruent to it modulo the window), while the index it records is still the stale
 * one. Such a requester can then see states out of order, until it performs an update or picks an
 * index inside the window.
 */
import type { Random } from '@gyre/history';
import { emptyMap, mapGet, mapSet, type PMap } from './hamt';
import { applyKv, isKvOp, KV_TYPES, parseKv, type KvMap } from './kv';
import { addReplyTo, type Service } from './service';

/** Options for {@link seqKv}. */
export interface SeqKvOptions {
  /**
   * How many past states the ring keeps.
   * @defaultValue 32 (Maelstrom's)
   */
  window?: number;
}

/** seq-kv's state (persistent; treat as opaque). */
export interface SeqKvState {
  /** The last `window` (or fewer) states, oldest first; the last one is the newest. */
  readonly states: readonly KvMap[];
  /** The index of the newest state; the initial empty state has index 0. */
  readonly lastIndex: number;
  /** Per requester id, the index it last interacted with. */
  readonly requesters: PMap<number>;
}

/** Creates the seq-kv service. */
export function seqKv(options: SeqKvOptions = {}): Service<SeqKvState> {
  const window = options.window ?? 32;
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`seq-kv window must be a positive integer, got ${window}`);
  const init: SeqKvState = { states: [emptyMap()], lastIndex: 0, requesters: emptyMap() };
  return {
    id: 'seq-kv',
    types: KV_TYPES,
    init: () => init,
    handle(state: SeqKvState, req, random: Random) {
      const op = parseKv('seq-kv', req.body);
      if (!isKvOp(op)) return [state, addReplyTo(op, req.body)];
      const { states, lastIndex, requesters } = state;
      const mine = mapGet(requesters, req.src) ?? 0;
      const index = random.between(mine, lastIndex);
      const len = states.length;
      const pos = (((index - lastIndex - 1) % len) + len) % len;
      const chosen = states[pos]!;
      const [next, reply] = applyKv(chosen, op);
      if (next === chosen) {
        const r = mapSet(requesters, req.src, index);
        return [r === requesters ? state : { states, lastIndex, requesters: r }, addReplyTo(reply, req.body)];
      }
      const [newest, reply2] = applyKv(states[len - 1]!, op);
      const grown = len === window ? states.slice(1) : states.slice();
      grown.push(newest);
      return [{ states: grown, lastIndex: lastIndex + 1, requesters: mapSet(requesters, req.src, lastIndex + 1) }, addReplyTo(reply2, req.body)];
    },
  };
}
