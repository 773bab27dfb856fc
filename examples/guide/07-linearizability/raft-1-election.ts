/**
 * Raft, stage 1: leader election alone. Nodes start as followers; one that hears no leader for
 * a random 400-800 ms stands as a candidate in a new term and asks for votes; a majority makes
 * it leader, and its heartbeats keep the others following. No log yet: clients get error 11.
 *
 *   gyre test -w lin-kv --bin examples/dist/guide/07-linearizability/raft-1-election.js --node-count 5 --concurrency 2n --time-limit 20 --nemesis partition
 */
// #region top
import { seededRandom, type Random } from '@gyre/history';
import { createNode, RpcError, type Node } from '@gyre/node';
import { isMain } from '../../lib/main';

const ELECTION_TIMEOUT = [400, 800] as const; // ms, drawn at random each time
const HEARTBEAT = 100; // ms between heartbeats from the leader
const RPC_TIMEOUT = 300; // ms to wait for a peer's answer

type Role = 'follower' | 'candidate' | 'leader';

/** Installs the election on `node`. */
export default function election(node: Node): Node {
  let term = 0;
  let votedFor: string | null = null;
  let role: Role = 'follower';
  let leader: string | null = null;
  let electionTimer: ReturnType<Node['setTimeout']> | undefined;
  let random: Random = seededRandom(0);
  const majority = () => Math.floor(node.nodeIds.length / 2) + 1;
  // #endregion

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
    role = 'follower';
    resetElectionTimer();
  }

  function startElection(): void {
    role = 'candidate';
    term++;
    votedFor = node.id;
    leader = null;
    resetElectionTimer(); // if this election goes nowhere, another one
    const electionTerm = term;
    const votes = new Set([node.id]);
    const won = () => role === 'candidate' && term === electionTerm && votes.size >= majority();
    if (won()) return becomeLeader();
    for (const peer of node.peers) {
      node.rpc(peer, { type: 'request_vote', term, candidate: node.id }, { timeout: RPC_TIMEOUT }).then(
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
    const b = msg.body as { term: number; candidate: string };
    if (b.term > term) becomeFollower(b.term);
    const grant = b.term === term && (votedFor === null || votedFor === b.candidate); // one vote per term
    if (grant) {
      votedFor = b.candidate;
      resetElectionTimer();
    }
    return { type: 'request_vote_ok', term, vote_granted: grant };
  });
  // #endregion

  // #region heartbeat
  function becomeLeader(): void {
    role = 'leader';
    leader = node.id;
    node.log(`became leader of term ${term}`);
    if (electionTimer !== undefined) node.clearTimeout(electionTimer);
  }

  node.every(HEARTBEAT, () => {
    if (role !== 'leader') return;
    for (const peer of node.peers) {
      node.rpc(peer, { type: 'append_entries', term, leader: node.id }, { timeout: RPC_TIMEOUT }).then(
        (reply) => {
          if ((reply.term as number) > term) becomeFollower(reply.term as number);
        },
        () => {},
      );
    }
  });

  node.on('append_entries', (msg) => {
    const b = msg.body as { term: number; leader: string };
    if (b.term < term) return { type: 'append_entries_ok', term, success: false };
    if (b.term > term || role !== 'follower') becomeFollower(b.term);
    leader = b.leader;
    resetElectionTimer();
    return { type: 'append_entries_ok', term, success: true };
  });
  // #endregion

  // #region rest
  for (const type of ['read', 'write', 'cas']) {
    node.on(type, () => {
      throw RpcError.temporarilyUnavailable(`no key-value store yet (the leader is ${leader ?? 'unknown'})`);
    });
  }

  node.on('init', () => {
    random = seededRandom(node.id);
    resetElectionTimer();
  });

  return node;
}

if (isMain(import.meta.url)) await election(createNode()).run();
// #endregion
