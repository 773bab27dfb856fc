/**
 * A counter that survives `--nemesis kill` with nothing on disk, by re-syncing from its peers:
 *
 *   gyre test -w pn-counter --bin examples/dist/counter-resync.js --node-count 3 --time-limit 5 --rate 20 --nemesis kill --nemesis-interval 1 --nemesis-targets one,minority,majority
 *
 * A PN-counter (see lib/pn.ts) whose entries belong to node incarnations: each process draws a
 * fresh id at start and adds only to its own entry, so a restarted node never collides with
 * what its previous life wrote. An `add` is acknowledged only once every other node has stored
 * the new entry (retrying until each one answers), so every live node holds every acknowledged
 * add. A node that starts asks every peer for its state and merges the answers; it is in sync
 * once a peer that is itself in sync has answered, or once every peer has (at the start of a
 * test, when all are empty), and it answers reads only then (until then: error 11). This holds
 * while at least one node stays up: a kill of every node at once loses everything, hence
 * `--nemesis-targets` without `all`. Pauses are harmless (adds wait for the paused node).
 */
import { randomUUID } from 'node:crypto';
import { createNode, RpcError, WORKLOAD_RPCS, type Node } from '@gyre/node';
import { isMain } from '../lib/main';
import { addPn, mergePn, pnValue, type PnState } from '../lib/pn';

const [add, read] = WORKLOAD_RPCS['pn-counter'];
const RETRY_MS = 250;

/** Installs the re-syncing counter on `node`. */
export function counterResyncNode(node: Node = createNode()): Node {
  const state: PnState = {};
  const entry = () => `${node.id}/${incarnation}`;
  const incarnation = randomUUID();
  let synced = false;

  /** Sends `body` to `peer` until it answers (down, paused or slow peers are asked again). */
  const deliver = async (peer: string, body: Record<string, unknown>) => {
    for (;;) {
      try {
        return await node.rpc(peer, body, { timeout: RETRY_MS });
      } catch {
        await node.sleep(10); // rejects once the node is closing, which ends the loop
      }
    }
  };

  node.on('init', () => {
    const answered = new Set<string>();
    for (const peer of node.peers) {
      void deliver(peer, { type: 'sync' }).then((reply) => {
        mergePn(state, reply['counts']);
        answered.add(peer);
        if (reply['synced'] === true || answered.size === node.peers.length) synced = true;
      });
    }
    if (node.peers.length === 0) synced = true;
  });
  node.on('sync', () => ({ counts: state, synced }));
  node.on('replicate', (msg) => {
    mergePn(state, msg.body['counts']);
    return {};
  });
  node.handle(add, async (req) => {
    addPn(state, entry(), Number(req.delta));
    const counts = { [entry()]: state[entry()] };
    await Promise.all(node.peers.map((peer) => deliver(peer, { type: 'replicate', counts })));
    return {};
  });
  node.handle(read, () => {
    if (!synced) throw RpcError.temporarilyUnavailable('still re-syncing from peers after a restart');
    return { value: pnValue(state) };
  });
  return node;
}

if (isMain(import.meta.url)) await counterResyncNode().run();
