/**
 * Shared pieces of the transaction examples: applying a transaction to a map of keys, and
 * replicating writes to peers until every peer has acknowledged them.
 */
import { valueKey } from '@gyre/history';
import type { Node } from '@gyre/node';

/** A micro-op as the workloads send it: `[f, key, value]`. */
export type Mop = [string, unknown, unknown];

/**
 * Applies a transaction to `state` (key text → value) and returns the completed transaction plus
 * the final value of every key it wrote. `append` adds to a list; `w` sets a register; `r` reads
 * (a list-append read of a missing key is `null`).
 */
export function applyTxn(state: Map<string, unknown>, txn: readonly Mop[]): { done: Mop[]; writes: [string, unknown][] } {
  const done: Mop[] = [];
  const writes = new Map<string, unknown>();
  for (const [f, k, v] of txn) {
    const key = valueKey(k);
    if (f === 'r') {
      const cur = state.get(key);
      done.push([f, k, Array.isArray(cur) ? [...cur] : (cur ?? null)]);
    } else if (f === 'append') {
      const cur = (state.get(key) as unknown[] | undefined) ?? [];
      const next = [...cur, v];
      state.set(key, next);
      writes.set(key, next);
      done.push([f, k, v]);
    } else {
      state.set(key, v);
      writes.set(key, v);
      done.push([f, k, v]);
    }
  }
  return { done, writes: [...writes] };
}

/** Sends `body` to `peer` until it answers, backing off a little between tries. */
export async function sendUntilAcked(node: Node, peer: string, body: Record<string, unknown>): Promise<void> {
  for (let delay = 50; ; delay = Math.min(1000, delay * 2)) {
    try {
      await node.rpc(peer, body, { timeout: 1000 });
      return;
    } catch {
      await node.sleep(delay);
    }
  }
}
