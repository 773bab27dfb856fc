/**
 * Initialising a node: the `init` request every node must answer with `init_ok`.
 */
import { stringifyJson } from '@gyre/history';
import type { WorkloadDefinition, WorkloadOptions } from '@gyre/workloads';
import type { Client } from './client';
import type { CrashDetail } from './ports/types';
import { clip } from './services';

/** Thrown inside a run to end it as a crash (exit 255); `detail` names the node and how it failed. */
export class RunCrash extends Error {
  override name = 'RunCrash';
  constructor(
    message: string,
    readonly detail?: CrashDetail,
  ) {
    super(message);
  }
}

/** Thrown inside a run when it was stopped (Ctrl-C, SIGTERM) before the main phase. */
export class Interrupted extends Error {
  override name = 'Interrupted';
}

/** What {@link initNode} needs. */
export interface InitOptions {
  /** Every node id, in order (the `node_ids` of the request). */
  nodes: readonly string[];
  /** Opens a client to `node` with a timeout in ms. */
  newClient(node: string, timeoutMs: number): Client;
  /** How long to wait for `init_ok`, in ms. */
  timeoutMs: number;
  /** Why the run has already crashed (a node died meanwhile), if it has: the crash to report instead. */
  crashed(): string | undefined;
  /** Whether the run has been stopped (interrupted); a failure then is an {@link Interrupted}. @defaultValue never */
  stopped?(): boolean;
  /** A sentence after "did not respond within N s." telling the user where to look. */
  hint(node: string): string;
}

/** Sends `init` to `node` and waits for `init_ok`; throws a {@link RunCrash} saying what went wrong. */
export async function initNode(node: string, o: InitOptions): Promise<void> {
  const c = o.newClient(node, o.timeoutMs);
  try {
    const reply = await c.request({ type: 'init', node_id: node, node_ids: [...o.nodes] });
    if (reply.type === 'error') throw new RunCrash(`Node ${node} answered init with an error: ${stringifyJson(reply)}`, { node, how: 'answered init with an error' });
    if (reply.type !== 'init_ok') throw new RunCrash(`Expected an init_ok message, but node ${node} responded with ${clip(stringifyJson(reply))}`, { node, how: `answered init with ${clip(String(reply.type), 40)}` });
  } catch (e) {
    if (e instanceof RunCrash) throw e;
    const crash = o.crashed();
    if (crash) throw new RunCrash(crash);
    if (o.stopped?.()) throw new Interrupted();
    throw new RunCrash(`Expected node ${node} to respond to an init message, but node did not respond within ${o.timeoutMs / 1000} s. ${o.hint(node)}`, {
      node,
      how: `did not answer init within ${o.timeoutMs / 1000} s`,
    });
  } finally {
    c.close();
  }
}

/** Runs the workload's `setup` (after every node is initialised): each request on a fresh client; a failure crashes the run. */
export async function setupWorkload(
  wl: WorkloadDefinition,
  options: WorkloadOptions,
  newClient: (node: string) => Client,
  log: (message: string) => void,
  stopped: () => boolean = () => false,
): Promise<void> {
  if (!wl.setup) return;
  await wl.setup({
    options,
    log,
    rpcOnce: async (node, rpc, body) => {
      const c = newClient(node);
      try {
        return await c.call(rpc, body);
      } catch (e) {
        if (stopped()) throw new Interrupted();
        throw new RunCrash(`Setup request ${rpc.name} to ${node} failed: ${(e as Error).message}`, { node, how: `failed the workload's setup request ${rpc.name}` });
      } finally {
        c.close();
      }
    },
  });
}
