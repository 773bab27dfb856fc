/**
 * A counter that survives `--nemesis kill` with nothing on disk, by re-syncing from its peers:
 *
 *   gyre test -w pn-counter --bin examples/dist/counter-resync.js --node-count 3 --time-limit 5 --rate 20 --nemesis kill --nemesis-interval 1 --nemesis-targets one,minority
 *
 * A PN-counter (lib/pn.ts) whose entries belong to node incarnations: each process draws a fresh
 * id at start and adds only to its own entry, so a restarted node never collides with what its
 * previous life wrote. Quorums make it survive the loss of any minority of nodes at a time:
 * - an `add` is acknowledged once a majority (this node and enough peers) stores the new entry;
 *   delivery to the other peers goes on in the background, and every node also sends its whole
 *   state to every peer every 200 ms, so all nodes converge;
 * - a node that starts asks every peer for its state and merges the answers; it is in sync once
 *   enough peers that are themselves in sync have answered (N − majority + 1: enough to meet every
 *   majority that acknowledged an add, whichever minority died), or once every peer has (at the
 *   start of a test, when all are empty). It answers reads only then (until then: error 11).
 * Killing a majority at once can lose acknowledged adds: run it with `--nemesis-targets
 * one,minority`. Pauses are harmless.
 */
import { randomUUID } from 'node:crypto';
import { createNode, RpcError, WORKLOAD_RPCS, type Node } from '@gyre/node';
import { isMain } from '../lib/main';
import { addPn, mergePn, pnValue, type PnState } from '../lib/pn';

const [add, read] = WORKLOAD_RPCS['pn-counter'];
const RETRY_MS = 250;
const GOSSIP_MS = 200;

/** Installs the re-syncing counter on `node`. */
export function counterResyncNode(node: Node = createNode()): Node {
  const state: PnState = {};
  const incarnation = randomUUID();
  const entry = () => `${node.id}/${incarnation}`;
  const majority = () => Math.floor(node.nodeIds.length / 2) + 1;
  let synced = false;

  /**
   * Sends `body` to `peer` until it answers: a down or paused peer is asked again, waiting twice
   * as long each time (up to 2 s), so a peer that is merely slow gets the time to answer.
   */
  const deliver = async (peer: string, body: Record<string, unknown>) => {
    for (let timeout = RETRY_MS; ; timeout = Math.min(2000, timeout * 2)) {
      try {
        return await node.rpc(peer, body, { timeout });
      } catch {
        await node.sleep(10); // rejects once the node is closing, which ends the loop
      }
    }
  };

  /** Resolves once `count` of `promises` have resolved. */
  const atLeast = (count: number, promises: Promise<unknown>[]) =>
    new Promise<void>((resolve) => {
      let n = 0;
      if (count <= 0) return resolve();
      for (const p of promises) void p.then(() => ++n === count && resolve(), () => {});
    });

  node.on('init', () => {
    const peers = node.peers;
    if (peers.length === 0) synced = true;
    const needed = node.nodeIds.length - majority() + 1;
    let replies = 0;
    let syncedReplies = 0;
    for (const peer of peers) {
      void deliver(peer, { type: 'sync' }).then((reply) => {
        mergePn(state, reply['counts']);
        replies++;
        if (reply['synced'] === true) syncedReplies++;
        if (syncedReplies >= needed || replies === peers.length) synced = true;
      });
    }
  });
  node.on('sync', () => ({ counts: state, synced }));
  node.on('replicate', (msg) => {
    mergePn(state, msg.body['counts']);
    return msg.body.msg_id === undefined ? undefined : {};
  });
  node.every(GOSSIP_MS, () => {
    if (!node.initialized) return;
    for (const peer of node.peers) node.send(peer, { type: 'replicate', counts: state });
  });
  node.handle(add, async (req) => {
    addPn(state, entry(), Number(req.delta));
    const counts = { [entry()]: state[entry()] };
    await atLeast(majority() - 1, node.peers.map((peer) => deliver(peer, { type: 'replicate', counts })));
    return {};
  });
  node.handle(read, () => {
    if (!synced) throw RpcError.temporarilyUnavailable('still re-syncing from peers after a restart');
    return { value: pnValue(state) };
  });
  return node;
}

if (isMain(import.meta.url)) await counterResyncNode().run();
