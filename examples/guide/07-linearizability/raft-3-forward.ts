/**
 * Raft, stage 3: followers forward client requests to the leader, so every node serves
 * clients. Nothing is persisted yet: see raft.ts.
 *
 *   gyre test -w lin-kv --bin examples/dist/guide/07-linearizability/raft-3-forward.js --node-count 5 --concurrency 2n --rate 30 --time-limit 20 --nemesis partition
 */
import { seededRandom, valueKey, valuesEqual, type Random } from '@gyre/history';
import { createNode, RpcError, type Body, type Message, type Node } from '@gyre/node';
import { isMain } from '../../lib/main';

// #region config
const ELECTION_TIMEOUT = [400, 800] as const; // ms, drawn at random each time
const HEARTBEAT = 100; // ms between append_entries to each follower
const RPC_TIMEOUT = 300; // ms to wait for a peer's answer
const FORWARD_TIMEOUT = 800; // ms to wait for the leader when forwarding (the client waits 1000)
const MAX_BATCH = 100; // entries per append_entries
// #endregion

// #region state
/** A client operation: the body of a lin-kv read, write or cas. `null` is the no-op a new leader commits. */
type Op = Body | null;
interface Entry {
  term: number;
  op: Op;
}
type Role = 'follower' | 'candidate' | 'leader';
// #endregion

/** Installs a Raft node on `node` (its state lives in this closure). */
export default function raft(node: Node): Node {
  // Term, vote and log live in memory only: a node that restarts has forgotten them (raft.ts fixes that).
  let term = 0;
  let votedFor: string | null = null;
  const log: Entry[] = []; // log[i - 1] is the entry at index i

  // Volatile state.
  let role: Role = 'follower';
  let leader: string | null = null;
  let commitIndex = 0;
  let lastApplied = 0;
  const data = new Map<string, unknown>(); // the key-value store: valueKey(key) → value
  const nextIndex = new Map<string, number>();
  const matchIndex = new Map<string, number>();
  const lastHeard = new Map<string, number>(); // when each follower last answered the leader (ms)
  const inFlight = new Set<string>();
  /** Client requests waiting for their entry to be applied, by "index:term". */
  const waiting = new Map<string, (result: Body | RpcError) => void>();
  let electionTimer: ReturnType<Node['setTimeout']> | undefined;
  let random: Random = seededRandom(0);

  const me = () => node.id;
  const majority = () => Math.floor(node.nodeIds.length / 2) + 1;
  const lastIndex = () => log.length;
  const termAt = (index: number) => (index === 0 ? 0 : log[index - 1]!.term);

  // #region election
  function resetElectionTimer(): void {
    if (electionTimer !== undefined) node.clearTimeout(electionTimer);
    electionTimer = node.setTimeout(startElection, random.between(ELECTION_TIMEOUT[0], ELECTION_TIMEOUT[1]));
  }

  /** A newer term was seen: adopt it and follow. */
  function becomeFollower(newTerm: number): void {
    if (newTerm > term) {
      term = newTerm;
      votedFor = null;
    }
    if (role === 'leader') node.log(`stepping down in term ${term}`);
    role = 'follower';
    resetElectionTimer();
  }

  function startElection(): void {
    role = 'candidate';
    term++;
    votedFor = me();
    leader = null;
    resetElectionTimer(); // if this election goes nowhere, another one
    const electionTerm = term;
    const votes = new Set([me()]);
    const won = () => role === 'candidate' && term === electionTerm && votes.size >= majority();
    if (won()) return becomeLeader();
    for (const peer of node.peers) {
      const request = { type: 'request_vote', term, candidate: me(), last_log_index: lastIndex(), last_log_term: termAt(lastIndex()) };
      node.rpc(peer, request, { timeout: RPC_TIMEOUT }).then(
        (reply) => {
          if ((reply.term as number) > term) return becomeFollower(reply.term as number);
          if (reply.vote_granted === true) votes.add(peer);
          if (won()) becomeLeader();
        },
        () => {}, // no answer: no vote
      );
    }
  }

  node.on('request_vote', (msg) => {
    const b = msg.body as { term: number; candidate: string; last_log_index: number; last_log_term: number };
    if (b.term > term) becomeFollower(b.term);
    // The candidate's log must be at least as up to date as ours: a later last term, or the same and at least as long.
    const upToDate = b.last_log_term > termAt(lastIndex()) || (b.last_log_term === termAt(lastIndex()) && b.last_log_index >= lastIndex());
    const grant = b.term === term && (votedFor === null || votedFor === b.candidate) && upToDate;
    if (grant) {
      votedFor = b.candidate;
      resetElectionTimer();
    }
    return { type: 'request_vote_ok', term, vote_granted: grant };
  });
  // #endregion

  // #region leader
  function becomeLeader(): void {
    role = 'leader';
    leader = me();
    node.log(`became leader of term ${term}`);
    if (electionTimer !== undefined) node.clearTimeout(electionTimer);
    const now = node.clock.nowMs();
    for (const peer of node.peers) {
      nextIndex.set(peer, lastIndex() + 1);
      matchIndex.set(peer, 0);
      lastHeard.set(peer, now);
    }
    append(null); // a no-op of this term: committing it commits everything before it
  }

  /** Appends an entry to the leader's log and starts replicating it. */
  function append(op: Op): void {
    const entry = { term, op };
    log.push(entry);
    for (const peer of node.peers) replicate(peer);
    advanceCommitIndex();
  }

  node.every(HEARTBEAT, () => {
    if (role !== 'leader') return;
    // Lost touch with a majority for a whole election timeout? Then another leader may exist: step down.
    const now = node.clock.nowMs();
    const inTouch = node.peers.filter((p) => now - lastHeard.get(p)! < ELECTION_TIMEOUT[1]).length + 1;
    if (inTouch < majority()) {
      leader = null;
      return becomeFollower(term);
    }
    for (const peer of node.peers) replicate(peer);
  });
  // #endregion

  // #region replicate
  function replicate(peer: string): void {
    if (role !== 'leader' || inFlight.has(peer)) return;
    const next = nextIndex.get(peer)!;
    const entries = log.slice(next - 1, next - 1 + MAX_BATCH);
    const sentTerm = term;
    const request = { type: 'append_entries', term, leader: me(), prev_log_index: next - 1, prev_log_term: termAt(next - 1), entries, leader_commit: commitIndex };
    inFlight.add(peer);
    node
      .rpc(peer, request, { timeout: RPC_TIMEOUT })
      .then(
        (reply) => {
          if ((reply.term as number) > term) return becomeFollower(reply.term as number);
          if (role !== 'leader' || term !== sentTerm) return;
          lastHeard.set(peer, node.clock.nowMs());
          if (reply.success === true) {
            matchIndex.set(peer, Math.max(matchIndex.get(peer)!, next - 1 + entries.length));
            nextIndex.set(peer, matchIndex.get(peer)! + 1);
            advanceCommitIndex();
          } else {
            // The follower's log does not match at next - 1: back up (to its end, if that is sooner).
            nextIndex.set(peer, Math.max(1, Math.min(next - 1, (reply.last_index as number) + 1)));
          }
        },
        () => {}, // no answer: the heartbeat tries again
      )
      .finally(() => {
        inFlight.delete(peer);
        if (role === 'leader' && nextIndex.get(peer)! <= lastIndex()) replicate(peer); // more to send
      });
  }

  node.on('append_entries', (msg) => {
    const b = msg.body as { term: number; leader: string; prev_log_index: number; prev_log_term: number; entries: Entry[]; leader_commit: number };
    if (b.term < term) return { type: 'append_entries_ok', term, success: false, last_index: lastIndex() };
    if (b.term > term || role !== 'follower') becomeFollower(b.term);
    leader = b.leader;
    resetElectionTimer();
    if (b.prev_log_index > lastIndex() || termAt(b.prev_log_index) !== b.prev_log_term) {
      return { type: 'append_entries_ok', term, success: false, last_index: Math.min(lastIndex(), b.prev_log_index - 1) };
    }
    let index = b.prev_log_index;
    for (const entry of b.entries) {
      index++;
      if (index <= lastIndex() && termAt(index) === entry.term) continue; // already have it
      if (index <= lastIndex()) {
        log.length = index - 1; // a conflicting suffix: drop it (it was never committed)
      }
      log.push(entry);
    }
    if (b.leader_commit > commitIndex) {
      commitIndex = Math.min(b.leader_commit, index); // only what we know matches the leader
      applyCommitted();
    }
    return { type: 'append_entries_ok', term, success: true, last_index: lastIndex() };
  });
  // #endregion

  // #region commit
  function advanceCommitIndex(): void {
    for (let n = lastIndex(); n > commitIndex; n--) {
      if (termAt(n) !== term) break; // only entries of the current term are committed by counting
      const copies = 1 + node.peers.filter((p) => matchIndex.get(p)! >= n).length;
      if (copies >= majority()) {
        commitIndex = n;
        applyCommitted();
        return;
      }
    }
  }

  function applyCommitted(): void {
    while (lastApplied < commitIndex) {
      lastApplied++;
      const entry = log[lastApplied - 1]!;
      const result = execute(entry.op);
      const key = `${lastApplied}:${entry.term}`;
      waiting.get(key)?.(result);
      waiting.delete(key);
    }
  }

  /** The state machine: a map of keys to values, with lin-kv's read, write and cas. */
  function execute(op: Op): Body | RpcError {
    if (op === null) return {};
    const k = valueKey(op.key);
    switch (op.type) {
      case 'read':
        return data.has(k) ? { type: 'read_ok', value: data.get(k) } : RpcError.keyDoesNotExist(`no key ${k}`);
      case 'write':
        data.set(k, op.value);
        return { type: 'write_ok' };
      case 'cas':
        if (!data.has(k)) return RpcError.keyDoesNotExist(`no key ${k}`);
        if (!valuesEqual(data.get(k), op.from)) return RpcError.preconditionFailed(`expected ${String(op.from)}, found ${String(data.get(k))}`);
        data.set(k, op.to);
        return { type: 'cas_ok' };
      default:
        return RpcError.notSupported(`unknown operation ${String(op.type)}`);
    }
  }
  // #endregion

  // #region clients
  async function clientRequest(msg: Message): Promise<Body> {
    const { msg_id: _, forwarded, ...op } = msg.body;
    if (role === 'leader') {
      const key = `${lastIndex() + 1}:${term}`; // where append will put it
      const applied = new Promise<Body | RpcError>((resolve) => {
        waiting.set(key, resolve);
        // Not applied in time (we lost leadership?): the client has given up by now, and so do we.
        node.setTimeout(() => {
          if (waiting.delete(key)) resolve(RpcError.timeout('not committed in time'));
        }, FORWARD_TIMEOUT);
      });
      append(op);
      const result = await applied;
      if (result instanceof RpcError) throw result;
      return result;
    }
    if (leader === null || forwarded === true) throw RpcError.temporarilyUnavailable('no leader known');
    const { in_reply_to: _r, ...reply } = await node.rpc(leader, { ...op, forwarded: true }, { timeout: FORWARD_TIMEOUT });
    return reply;
  }

  for (const type of ['read', 'write', 'cas']) node.on(type, clientRequest);
  // #endregion

  node.on('init', () => {
    random = seededRandom(node.id);
    resetElectionTimer();
  });

  return node;
}

if (isMain(import.meta.url)) await raft(createNode()).run();
