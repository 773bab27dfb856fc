/**
 * The host port of a simulated run: every node a {@link SimNode} in this process, on the run's
 * virtual clock, each with its own seeded randomness and (optionally) its own directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@gyre/history';
import { nodeSeed, type HostFactory, type NodeHosts } from '@gyre/runner/ports';
import { NODE_DIRS, nodeLogFile } from '@gyre/runner/store';
import { SimNode, type NodeModule } from './instance';

/** Options of {@link simHosts}. */
export interface SimHostOptions {
  /** The node module: installs a node's handlers, or runs as a program. */
  install: NodeModule;
  /** Arguments for the node (after `--`). */
  args: readonly string[];
  /** Give each node a directory (its "disk", kept across a kill) under a temporary directory, removed at teardown. */
  nodeDirs: boolean;
  /** Keep the nodes' directories, in the run directory under `node-dirs/` (with a store; `--keep-node-dirs`). @defaultValue false */
  keepNodeDirs?: boolean;
  /** The node module's path, recorded in test.json. */
  module?: string;
}

/** Temporary node directories of runs still going: removed if the process exits before their teardown (a second Ctrl-C). */
const removeAtExit = new Set<string>();
process.on('exit', () => {
  for (const d of removeAtExit) rmSync(d, { recursive: true, force: true });
});

/** In-process nodes: a fresh incarnation of the module per start; a node that cannot be installed crashes the run. */
export function simHosts(o: SimHostOptions): HostFactory {
  return {
    mode: 'sim',
    create: (ctx): NodeHosts => {
      const store = ctx.store;
      const keep = o.nodeDirs && o.keepNodeDirs === true && store !== undefined;
      const dirsRoot = !o.nodeDirs ? undefined : keep ? store.path(NODE_DIRS) : mkdtempSync(join(tmpdir(), 'gyre-sim-'));
      const temporary = o.nodeDirs && !keep ? dirsRoot : undefined;
      if (temporary !== undefined) removeAtExit.add(temporary);
      const hosts = new Map<string, SimNode>();
      for (const node of ctx.nodes) {
        const nodeLog = store?.lines(nodeLogFile(node));
        hosts.set(
          node,
          new SimNode({
            id: node,
            install: o.install,
            args: o.args,
            clock: ctx.clock,
            random: seededRandom(nodeSeed(ctx.seed, node)),
            dir: dirsRoot !== undefined ? join(dirsRoot, node) : undefined,
            output: (line) => ctx.output(node, line),
            log: nodeLog ? (line) => nodeLog.write(line + '\n') : () => {},
            onError: ctx.crash,
          }),
        );
      }
      return {
        hosts,
        testJson: { node: o.module, nodeArgs: o.args },
        startAll: async () => {
          for (const h of hosts.values()) h.startNow();
        },
        initHint: (n) => `Does its install function register its handlers synchronously? Its log is ${store ? store.path(nodeLogFile(n)) : 'not kept (no store)'}.`,
        stopAll: async () => {
          for (const h of hosts.values()) h.killNow();
          if (temporary !== undefined) {
            rmSync(temporary, { recursive: true, force: true });
            removeAtExit.delete(temporary);
          }
        },
        sections: () => ({}),
      };
    },
  };
}
