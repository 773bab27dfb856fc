/**
 * The nemesis's {@link FaultTarget} over a run's nodes, whatever hosts them (processes for
 * `gyre test`, in-process instances for `gyre sim`).
 */
import type { FaultTarget } from '@gyre/nemesis';
import type { Router } from '@gyre/net';

/** A node as the nemesis sees it. */
export interface FaultHost {
  /** Started and not killed. */
  readonly running: boolean;
  /** Paused (and not resumed). */
  readonly paused: boolean;
  /** Stops it for good; resolves once it can no longer run. */
  kill(): Promise<void>;
  /** Starts a fresh incarnation (new memory; its disk kept). */
  start(): Promise<void>;
  /** Suspends it. */
  pause(): void;
  /** Resumes it. */
  resume(): void;
}

/**
 * Partitions act on the router; kill and pause mark the node down on the router (its messages are
 * held, bounded) and act on its host; start brings up a fresh incarnation, marks it up and
 * initialises it with `init` (the new `init` reaches the node before the messages held while it
 * was down).
 */
export function faultTarget(router: Router, hosts: ReadonlyMap<string, FaultHost>, init: (node: string) => Promise<void>): FaultTarget {
  const host = (node: string): FaultHost => {
    const h = hosts.get(node);
    if (!h) throw new RangeError(`unknown node ${JSON.stringify(node)}`);
    return h;
  };
  return {
    partition: async (grudge) => router.partition(grudge),
    heal: async () => router.heal(),
    kill: async (node) => {
      const h = host(node);
      if (!h.running) return 'not-running';
      router.setDown(node, true);
      await h.kill();
      return 'killed';
    },
    start: async (node) => {
      const h = host(node);
      if (h.running) return 'already-running';
      await h.start();
      // The new init must reach the node before the messages held while it was down: both in one turn.
      router.setDown(node, false);
      await init(node);
      return 'started';
    },
    pause: async (node) => {
      const h = host(node);
      if (!h.running || h.paused) return 'not-running';
      router.setDown(node, true);
      h.pause();
      return 'paused';
    },
    resume: async (node) => {
      const h = host(node);
      if (!h.running || !h.paused) return 'not-running';
      h.resume();
      router.setDown(node, false);
      return 'resumed';
    },
  };
}
