/**
 * The router's counters and Maelstrom's `:net` result (§5.4), shared by the live router and the
 * journal re-computation so both produce the same shape from the same definitions.
 */

/** Why an accepted message was never delivered. */
export type DropReason = 'partition' | 'down' | 'unregistered';

/** Every drop reason, in the order the journal and {@link NetStats} list them. */
export const DROP_REASONS: readonly DropReason[] = ['partition', 'down', 'unregistered'];

/** Sends and deliveries on one side of the clients / servers split. */
export interface TrafficCounts {
  /** Accepted sends. */
  sent: number;
  /** Deliveries. */
  delivered: number;
}

/**
 * What the network did with the messages given to it. Nothing is lost:
 * `sent = delivered + dropped.partition + dropped.down + dropped.unregistered + pending`.
 */
export interface NetStats {
  /** Accepted sends; each has a send event in the journal and a message id. */
  sent: number;
  /** Messages handed to their receiver (each has a recv event). */
  delivered: number;
  /** Accepted messages that will never be delivered, by reason. */
  dropped: Record<DropReason, number>;
  /** Accepted messages not yet delivered nor dropped: in flight, or held for a down node. */
  pending: number;
  /** Sends refused because `src` or `dest` was not registered (no id, no journal event). */
  rejected: { 'unknown-src': number; 'unknown-dest': number };
  /** Traffic where `src` or `dest` is a client (an id starting with `c`). */
  clients: TrafficCounts;
  /** All other traffic: node↔node and node↔service. */
  servers: TrafficCounts;
}

/** One side of the `:net` result. `msgsPerOp` is only on `all` and `servers`. */
export interface NetCounts {
  sendCount: number;
  recvCount: number;
  msgCount: number;
}

/** {@link NetCounts} with `msgsPerOp`: `msgCount / client invocations`, absent when there were none. */
export interface NetCountsPerOp extends NetCounts {
  msgsPerOp?: number;
}

/**
 * Maelstrom's `:net` result (§5.4): `{all, clients, servers, valid}`, camelCase like every result;
 * the runner writes it with Maelstrom's names (`send-count`, `msgs-per-op`, `valid?`).
 */
export interface NetResult {
  all: NetCountsPerOp;
  clients: NetCounts;
  servers: NetCountsPerOp;
  valid: true;
}

/** Raw tallies for {@link buildNetResult}: per class, sends, receives and distinct message ids. */
export interface NetTally {
  clientSends: number;
  clientRecvs: number;
  clientMsgs: number;
  serverSends: number;
  serverRecvs: number;
  serverMsgs: number;
}

/** Builds the `:net` result from tallies and the number of client invocations (non-nemesis `:invoke`s). */
export function buildNetResult(t: NetTally, clientInvocations: number): NetResult {
  const all: NetCountsPerOp = {
    sendCount: t.clientSends + t.serverSends,
    recvCount: t.clientRecvs + t.serverRecvs,
    msgCount: t.clientMsgs + t.serverMsgs,
  };
  const servers: NetCountsPerOp = { sendCount: t.serverSends, recvCount: t.serverRecvs, msgCount: t.serverMsgs };
  if (clientInvocations > 0) {
    all.msgsPerOp = all.msgCount / clientInvocations;
    servers.msgsPerOp = t.serverMsgs / clientInvocations;
  }
  return {
    all,
    clients: { sendCount: t.clientSends, recvCount: t.clientRecvs, msgCount: t.clientMsgs },
    servers,
    valid: true,
  };
}
