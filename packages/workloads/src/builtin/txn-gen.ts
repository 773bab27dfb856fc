/**
 * Elle's transaction generators (maelstrom.md §2.8, §2.9): transactions of 1..maxTxnLength
 * micro-ops over a pool of active keys chosen with an exponential distribution; each key takes
 * values 1, 2, ... up to maxWritesPerKey and is then retired for a fresh key.
 */
import type { Random } from '@gyre/history';

/** Options of the transaction generators. */
export interface TxnGenOptions {
  /** Active keys (the workloads give `--key-count`, or `DEFAULT_KEY_COUNT` when it is not given). */
  keyCount: number;
  /** Longest transaction. @defaultValue 4 */
  maxTxnLength: number;
  /** Writes per key before it is retired. @defaultValue 16 */
  maxWritesPerKey: number;
  /** The write micro-op: `'append'` (list-append) or `'w'` (rw-register). */
  write: 'append' | 'w';
}

/** A micro-op: `[f, key, value]`. */
export type MicroOp = [string, number, unknown];

/** Returns a function that produces one transaction per call. */
export function txnGenerator(opts: TxnGenOptions, random: Random): () => MicroOp[] {
  const active: number[] = Array.from({ length: opts.keyCount }, (_, i) => i);
  let nextKey = opts.keyCount;
  const written = new Map<number, number>();
  const weights = active.map((_, i) => 2 ** -i);
  const total = weights.reduce((a, b) => a + b, 0);
  const pickIndex = () => {
    let x = random.next() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return weights.length - 1;
  };
  return () => {
    const len = random.between(1, opts.maxTxnLength);
    const txn: MicroOp[] = [];
    for (let j = 0; j < len; j++) {
      const i = pickIndex();
      const k = active[i]!;
      if (random.chance(0.5)) {
        txn.push(['r', k, null]);
      } else {
        const v = (written.get(k) ?? 0) + 1;
        written.set(k, v);
        txn.push([opts.write, k, v]);
        if (v >= opts.maxWritesPerKey) {
          active[i] = nextKey++;
          written.delete(k);
        }
      }
    }
    return txn;
  };
}
