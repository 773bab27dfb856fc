import { stringifyJson } from '@gyre/history';
import type { Node } from '@gyre/node';

/** Options of {@link Outbox}. */
export interface OutboxOptions {
  /** The request `type` of a batch; its field `messages` holds the values. */
  type: string;
  /** Milliseconds between flushes (each sends one batch per peer with something queued). */
  intervalMs: number;
  /** Milliseconds to wait for a batch's acknowledgement before queueing its values again. */
  timeoutMs: number;
}

/**
 * Reliable, batched delivery of values to peers: `push(peer, values)` queues them; every
 * `intervalMs` one RPC per peer carries everything queued for it; values of a batch that is not
 * acknowledged within `timeoutMs` (a partition, a paused peer) are queued again, so every value
 * reaches every peer it was pushed to once the network lets it. Several batches to one peer may
 * be in flight at once, so a slow peer does not hold back later values.
 */
export class Outbox {
  private readonly queued = new Map<string, Map<string, unknown>>();

  constructor(
    private readonly node: Node,
    private readonly opts: OutboxOptions,
  ) {
    node.every(opts.intervalMs, () => this.flush());
  }

  /** Queues `values` for `peer`. */
  push(peer: string, values: Iterable<unknown>): void {
    let q = this.queued.get(peer);
    if (!q) this.queued.set(peer, (q = new Map()));
    for (const v of values) q.set(stringifyJson(v), v);
  }

  /** Values queued and not yet sent, over all peers (for tests). */
  get backlog(): number {
    let n = 0;
    for (const q of this.queued.values()) n += q.size;
    return n;
  }

  /** Sends one batch to every peer with queued values; called every `intervalMs`. */
  flush(): void {
    for (const [peer, q] of this.queued) {
      if (q.size === 0) continue;
      const batch = [...q.values()];
      q.clear();
      this.node.rpc(peer, { type: this.opts.type, messages: batch }, { timeout: this.opts.timeoutMs }).catch(() => this.push(peer, batch));
    }
  }
}

/** Reads an integer option from `--name N` on the command line or the environment variable `env`. */
export function intOption(name: string, env: string, fallback: number): number {
  const argv = process.argv;
  const i = argv.indexOf(`--${name}`);
  const raw = i >= 0 ? argv[i + 1] : process.env[env];
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}
