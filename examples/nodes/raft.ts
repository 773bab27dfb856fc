/**
 * A linearizable key-value store on Raft (`-w lin-kv`): leader election, log replication, commit,
 * requests proxied to the leader, and leader-lease reads.
 *
 *   gyre test -w lin-kv --bin examples/dist/raft.js --node-count 3 --concurrency 2n --time-limit 20 --nemesis partition
 *   gyre sim  -w lin-kv --node examples/nodes/raft.ts --node-count 3 --concurrency 2n --time-limit 20 --nemesis partition --seeds 1000
 *
 * Writes and compare-and-sets go through the log. A leader answers reads from its own state while
 * its lease holds: the lease starts when it sends a heartbeat round that a majority acknowledges
 * and lasts less than the minimum election timeout; followers that have heard from a leader within
 * that timeout refuse to vote, so no other leader can exist while the lease holds. Otherwise reads
 * go through the log too. Term, vote and log are kept in `node.dir`, so a killed node comes back
 * with them.
 *
 * Planted bug, for `gyre sim` to find: with `-- --stale-lease [MS]` the lease outlasts the minimum
 * election timeout by MS (default 300) ms, so in a short window after a partition an old leader may
 * answer a read with a value a new leader has already overwritten. A 20-second `gyre test` rarely
 * hits that window; a thousand simulated seeds do, dozens of times:
 *
 *   gyre sim -w lin-kv --node examples/nodes/raft.ts --node-count 3 --concurrency 2n --rate 100 --time-limit 20 \
 *     --latency 10 --latency-dist exponential --nemesis partition --nemesis-interval 5 --seeds 1000 --shrink -- --stale-lease
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { valueKey, valuesEqual } from '@gyre/history';
import { createNode, RpcError, WORKLOAD_RPCS, type Body, type Node } from '@gyre/node';
import { isMain } from '../lib/main';

const [READ, WRITE, CAS] = WORKLOAD_RPCS['lin-kv'];

/** Milliseconds. */
const HEARTBEAT = 50;
const ELECTION_MIN = 300;
const ELECTION_MAX = 600;
const RPC_TIMEOUT = 200;
const PROXY_TIMEOUT = 250;
const BATCH = 64;
/** How much longer than safe the planted bug makes the lease, in ms (`--stale-lease [MS]`). */
const STALE_LEASE_EXTRA = 300;

/** Options of {@link raftNode}. */
export interface RaftOptions {
  /** How long a lease lasts, in ms; safe only below the minimum election timeout. @defaultValue 250 */
  leaseMs?: number;
}

type Command = { kind: 'noop' } | { kind: 'read'; key: unknown } | { kind: 'write'; key: unknown; value: unknown } | { kind: 'cas'; key: unknown; from: unknown; to: unknown };
interface Entry {
  term: number;
  /** Unique per entry: the leader's id and a counter. */
  id: string;
  cmd: Command;
}
type Result = { ok: true; value?: unknown } | { ok: false; error: RpcError };

/** Parses the node's command-line arguments (after `--`). */
export function raftOptions(args: readonly string[]): RaftOptions {
  const i = args.indexOf('--stale-lease');
  if (i < 0) return {};
  const extra = Number(args[i + 1]);
  return { leaseMs: ELECTION_MIN + (Number.isFinite(extra) ? extra : STALE_LEASE_EXTRA) };
}

/** Installs the Raft lin-kv server on `node`. */
export function raftNode(node: Node = createNode(), opts: RaftOptions = {}): Node {
  const leaseMs = opts.leaseMs ?? 250;
  // Persistent state (node.dir): term, vote, log. log[0] is a sentinel.
  let term = 0;
  let votedFor: string | null = null;
  let log: Entry[] = [{ term: 0, id: '', cmd: { kind: 'noop' } }];
  const metaFile = () => join(node.dir, 'raft-meta.json');
  const logFile = () => join(node.dir, 'raft-log.jsonl');
  const saveMeta = () => writeFileSync(metaFile(), JSON.stringify({ term, votedFor }));
  const saveLog = (from: number) => {
    if (from === 1) writeFileSync(logFile(), log.slice(1).map((e) => JSON.stringify(e) + '\n').join(''));
    else appendFileSync(logFile(), log.slice(from).map((e) => JSON.stringify(e) + '\n').join(''));
  };
  /** Replaces the log from `from` on with `entries`, and persists. */
  const setLog = (from: number, entries: Entry[]) => {
    const truncated = from < log.length;
    log = log.slice(0, from).concat(entries);
    saveLog(truncated ? 1 : from);
  };

  // Volatile state.
  let role: 'follower' | 'candidate' | 'leader' = 'follower';
  let leader: string | null = null;
  let commitIndex = 0;
  let lastApplied = 0;
  const kv = new Map<string, unknown>();
  let lastHeardFromLeader = -Infinity;
  let electionDeadline = 0;
  let nextIndex = new Map<string, number>();
  let matchIndex = new Map<string, number>();
  let inFlight = new Set<string>();
  let termStartIndex = 0;
  let leaseUntil = -Infinity;
  let entrySeq = 0;
  const waiting = new Map<number, { id: string; done: (r: Result) => void }>();

  const now = () => node.clock.now() / 1e6;
  const lastIndex = () => log.length - 1;
  const lastTerm = () => log[log.length - 1]!.term;
  const majority = () => Math.floor(node.nodeIds.length / 2) + 1;
  const resetElection = () => (electionDeadline = now() + node.random.uniform(ELECTION_MIN, ELECTION_MAX));

  const becomeFollower = (t: number, who: string | null) => {
    if (t > term) {
      term = t;
      votedFor = null;
      saveMeta();
    }
    role = 'follower';
    leader = who;
    leaseUntil = -Infinity;
  };

  const apply = (e: Entry): Result => {
    const c = e.cmd;
    if (c.kind === 'noop') return { ok: true };
    const k = valueKey(c.key);
    if (c.kind === 'read') return kv.has(k) ? { ok: true, value: kv.get(k) } : { ok: false, error: RpcError.keyDoesNotExist(`no key ${k}`) };
    if (c.kind === 'write') {
      kv.set(k, c.value);
      return { ok: true };
    }
    if (!kv.has(k)) return { ok: false, error: RpcError.keyDoesNotExist(`no key ${k}`) };
    if (!valuesEqual(kv.get(k), c.from)) return { ok: false, error: RpcError.preconditionFailed(`expected ${JSON.stringify(c.from)}, had ${JSON.stringify(kv.get(k))}`) };
    kv.set(k, c.to);
    return { ok: true };
  };

  const applyCommitted = () => {
    while (lastApplied < commitIndex) {
      lastApplied++;
      const e = log[lastApplied]!;
      const r = apply(e);
      const w = waiting.get(lastApplied);
      if (w) {
        waiting.delete(lastApplied);
        w.done(w.id === e.id ? r : { ok: false, error: RpcError.temporarilyUnavailable('lost leadership before the request committed') });
      }
    }
  };

  const advanceCommit = () => {
    for (let n = lastIndex(); n > commitIndex; n--) {
      // Only entries of the current term are committed by counting replicas (Raft §5.4.2).
      if (log[n]!.term !== term) break;
      let count = 1;
      for (const p of node.peers) if ((matchIndex.get(p) ?? 0) >= n) count++;
      if (count >= majority()) {
        commitIndex = n;
        applyCommitted();
        break;
      }
    }
  };

  const replicate = (peer: string, roundStart: number, acks: Set<string> | null) => {
    if (role !== 'leader') return;
    inFlight.add(peer);
    const next = nextIndex.get(peer) ?? lastIndex() + 1;
    const prev = next - 1;
    const entries = log.slice(next, next + BATCH);
    const sentTerm = term;
    node
      .rpc(peer, { type: 'append_entries', term, leader_id: node.id, prev_log_index: prev, prev_log_term: log[prev]!.term, entries, leader_commit: commitIndex }, { timeout: RPC_TIMEOUT })
      .then(
        (r) => {
          inFlight.delete(peer);
          const t = Number(r['term']);
          if (t > term) return becomeFollower(t, null);
          if (role !== 'leader' || term !== sentTerm) return;
          if (r['success']) {
            const m = prev + entries.length;
            if (m > (matchIndex.get(peer) ?? 0)) matchIndex.set(peer, m);
            nextIndex.set(peer, m + 1);
            if (acks) {
              acks.add(peer);
              if (acks.size + 1 >= majority()) leaseUntil = Math.max(leaseUntil, roundStart + leaseMs);
            }
            advanceCommit();
            if (nextIndex.get(peer)! <= lastIndex()) replicate(peer, now(), null);
          } else {
            nextIndex.set(peer, Math.max(1, Math.min(next - 1, Number(r['conflict_index'] ?? next - 1))));
            replicate(peer, now(), null);
          }
        },
        () => inFlight.delete(peer),
      );
  };

  const heartbeat = () => {
    const start = now();
    const acks = new Set<string>();
    for (const p of node.peers) replicate(p, start, acks);
  };

  const startElection = () => {
    role = 'candidate';
    term++;
    votedFor = node.id;
    leader = null;
    saveMeta();
    resetElection();
    const electionTerm = term;
    let votes = 1;
    for (const p of node.peers) {
      node
        .rpc(p, { type: 'request_vote', term, candidate_id: node.id, last_log_index: lastIndex(), last_log_term: lastTerm() }, { timeout: RPC_TIMEOUT })
        .then(
          (r) => {
            const t = Number(r['term']);
            if (t > term) return becomeFollower(t, null);
            if (role !== 'candidate' || term !== electionTerm || !r['vote_granted']) return;
            if (++votes >= majority()) becomeLeader();
          },
          () => {},
        );
    }
    if (votes >= majority()) becomeLeader();
  };

  const becomeLeader = () => {
    role = 'leader';
    leader = node.id;
    nextIndex = new Map(node.peers.map((p) => [p, lastIndex() + 1]));
    matchIndex = new Map(node.peers.map((p) => [p, 0]));
    inFlight = new Set();
    leaseUntil = -Infinity;
    // A no-op of this term: once it commits, everything before it has too (Raft §8).
    termStartIndex = lastIndex() + 1;
    setLog(log.length, [{ term, id: `${node.id}:${term}:${entrySeq++}`, cmd: { kind: 'noop' } }]);
    heartbeat();
    advanceCommit();
  };

  /** Appends a command as leader and resolves when it is applied. */
  const propose = (cmd: Command): Promise<Result> => {
    const id = `${node.id}:${term}:${entrySeq++}`;
    setLog(log.length, [{ term, id, cmd }]);
    const index = lastIndex();
    const p = new Promise<Result>((done) => waiting.set(index, { id, done }));
    for (const peer of node.peers) if (!inFlight.has(peer)) replicate(peer, now(), null);
    advanceCommit();
    return p;
  };

  /** Runs a client command here if leader; the reply body's fields, or throws an RpcError. */
  const execute = async (cmd: Command): Promise<Body> => {
    if (role !== 'leader') throw RpcError.temporarilyUnavailable('not the leader');
    if (cmd.kind === 'read' && now() < leaseUntil && lastApplied >= termStartIndex) {
      const r = apply({ term, id: '', cmd });
      if (!r.ok) throw r.error;
      return { value: r.value };
    }
    const r = await propose(cmd);
    if (!r.ok) throw r.error;
    return r.value !== undefined ? { value: r.value } : {};
  };

  /** Executes here if leader, else forwards to the leader this node knows of. */
  const handleClient = async (cmd: Command): Promise<Body> => {
    if (role === 'leader') return execute(cmd);
    // No leader, or none heard from lately: fail fast (definitely not done) rather than forward into a partition.
    if (!leader || now() - lastHeardFromLeader > ELECTION_MIN) throw RpcError.temporarilyUnavailable('no leader known');
    const reply = await node.rpc(leader, { type: 'forward', cmd }, { timeout: PROXY_TIMEOUT });
    return reply['result'] as Body;
  };

  node.on('forward', async (msg) => ({ result: await execute(msg.body['cmd'] as Command) }));

  node.handle(READ, async (req) => (await handleClient({ kind: 'read', key: req.key })) as { value: unknown });
  node.handle(WRITE, async (req) => {
    await handleClient({ kind: 'write', key: req.key, value: req.value });
    return {};
  });
  node.handle(CAS, async (req) => {
    await handleClient({ kind: 'cas', key: req.key, from: req.from, to: req.to });
    return {};
  });

  node.on('request_vote', (msg) => {
    const b = msg.body;
    const t = Number(b['term']);
    const candidate = String(b['candidate_id']);
    // Heard from a leader within the minimum election timeout: the leader is alive, ignore (Raft thesis §9.6).
    if (role === 'leader' || (leader !== null && now() - lastHeardFromLeader < ELECTION_MIN)) return { term, vote_granted: false };
    if (t > term) becomeFollower(t, null);
    const upToDate = Number(b['last_log_term']) > lastTerm() || (Number(b['last_log_term']) === lastTerm() && Number(b['last_log_index']) >= lastIndex());
    const grant = t === term && (votedFor === null || votedFor === candidate) && upToDate;
    if (grant) {
      votedFor = candidate;
      saveMeta();
      resetElection();
    }
    return { term, vote_granted: grant };
  });

  node.on('append_entries', (msg) => {
    const b = msg.body;
    const t = Number(b['term']);
    if (t < term) return { term, success: false };
    becomeFollower(t, String(b['leader_id']));
    lastHeardFromLeader = now();
    resetElection();
    const prev = Number(b['prev_log_index']);
    if (prev > lastIndex()) return { term, success: false, conflict_index: lastIndex() + 1 };
    if (log[prev]!.term !== Number(b['prev_log_term'])) return { term, success: false, conflict_index: Math.max(1, Math.min(prev, commitIndex + 1)) };
    const entries = b['entries'] as Entry[];
    // Append, truncating only at the first entry that conflicts (a stale, reordered request must not cut the log).
    for (let i = 0; i < entries.length; i++) {
      const at = prev + 1 + i;
      if (at > lastIndex() || log[at]!.term !== entries[i]!.term) {
        setLog(at, entries.slice(i));
        break;
      }
    }
    const leaderCommit = Number(b['leader_commit']);
    if (leaderCommit > commitIndex) {
      commitIndex = Math.min(leaderCommit, prev + entries.length);
      applyCommitted();
    }
    return { term, success: true };
  });

  node.on('init', () => {
    if (existsSync(metaFile())) ({ term, votedFor } = JSON.parse(readFileSync(metaFile(), 'utf8')) as { term: number; votedFor: string | null });
    if (existsSync(logFile())) {
      const text = readFileSync(logFile(), 'utf8');
      log = [log[0]!, ...text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Entry)];
    }
    resetElection();
    node.every(HEARTBEAT / 2, () => {
      if (role === 'leader') {
        if (now() - lastBeat >= HEARTBEAT) {
          lastBeat = now();
          heartbeat();
        }
      } else if (now() >= electionDeadline) startElection();
    });
  });
  let lastBeat = -Infinity;
  return node;
}

/** For `gyre sim`: the node, with its command-line arguments. */
export default function install(node: Node, args: readonly string[] = []): void {
  raftNode(node, raftOptions(args));
}

if (isMain(import.meta.url)) await raftNode(createNode(), raftOptions(process.argv.slice(2))).run();
