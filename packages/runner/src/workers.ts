/**
 * The worker threads of a run: client threads `0..C-1`, each with its own client connection to
 * node `i mod N`, and the nemesis thread. The `invoke` port of `interpret`.
 */
import type { Thread } from '@gyre/generator';
import { stringifyJson, type Op } from '@gyre/history';
import type { FaultTarget, NemesisPackage } from '@gyre/nemesis';
import { MalformedReplyError, type ClientState, type WorkloadDefinition, type WorkloadOptions } from '@gyre/workloads';
import type { Client } from './client';
import { errorCompletion } from './errors';
import type { ProtocolErrors } from './output';

/** What {@link createWorkers} needs. */
export interface WorkersOptions {
  workload: WorkloadDefinition;
  options: WorkloadOptions;
  /** Opens a fresh client to `node` (c0, c1, … in the order asked). */
  newClient(node: string): Client;
  nemesis: NemesisPackage | undefined;
  /** Where nemesis operations are carried out. */
  target: FaultTarget;
  /** Told of the current fault after each nemesis operation (a partition's grudge, or undefined once healed). */
  onFault?(fault: string | undefined): void;
  /** Where replies that do not match their RPC's schema are counted (as `malformed-reply`). */
  protocolErrors?: ProtocolErrors;
}

/** The threads, the `invoke` port, and a way to close every client. */
export interface Workers {
  threads: Thread[];
  invoke(thread: Thread, op: Op): Promise<Op>;
  /** Closes every open client. */
  closeAll(): void;
}

/**
 * Client thread `i` talks to node `i mod N` through a client opened on first use; after an `info`
 * completion the client is closed and the next operation opens a new one (unless the workload
 * reuses clients). Errors become completions by the workload's error mode.
 */
export function createWorkers(w: WorkersOptions): Workers {
  const { workload: wl, options: opts, nemesis: nem } = w;
  const nodes = opts.nodes;
  const conns = new Map<Thread, { client: Client; state: ClientState }>();
  const idempotent = new Set(wl.idempotent ?? []);
  const errorMode = wl.errors ?? 'translate';
  const threads: Thread[] = [...Array.from({ length: opts.concurrency }, (_, i) => i), 'nemesis'];
  const invoke = async (thread: Thread, op: Op): Promise<Op> => {
    if (thread === 'nemesis') {
      const done = await nem!.invoke(op, w.target);
      if (done.f === 'start-partition') w.onFault?.(`partition ${stringifyJson(op.value)}`);
      else if (done.f === 'stop-partition') w.onFault?.(undefined);
      return done;
    }
    let c = conns.get(thread);
    if (!c) {
      c = { client: w.newClient(nodes[(thread as number) % nodes.length]!), state: {} };
      conns.set(thread, c);
    }
    let done: Op;
    try {
      const r = await wl.client.invoke(op, c.client, c.state);
      done = { ...op, ...r, type: r.type } as Op;
    } catch (e) {
      if (e instanceof MalformedReplyError) w.protocolErrors?.report(c.client.node, 'malformed-reply', stringifyJson(e.reply), `its reply to ${e.rpc} does not match the schema: ${e.problems}`);
      done = { ...op, ...errorCompletion(e, op.f, idempotent, errorMode) } as Op;
    }
    if (done.type === 'info' && !wl.reuseClient) {
      c.client.close();
      conns.delete(thread);
    }
    return done;
  };
  return {
    threads,
    invoke,
    closeAll: () => {
      for (const c of conns.values()) c.client.close();
    },
  };
}
