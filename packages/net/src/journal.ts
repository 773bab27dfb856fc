/**
 * The network journal: one JSON Lines event per send, delivery and drop, streamable by later
 * analysis (Lamport diagrams, `:net` re-computation) without holding the run in memory.
 *
 * Format (version 1), one JSON value per line:
 * ```
 * {"format":"gyre-net-journal","version":1}          header, first line of the journal
 * [index,time,"s",id,"src","dest",{message}]          send: the message exactly as delivered (with "id")
 * [index,time,"r",id,"src","dest"]                    recv: delivered to dest
 * [index,time,"d",id,"src","dest","reason"]           drop: partition | down | unregistered
 * ```
 * `index` is the event's position (0, 1, 2, … contiguous); `time` is the clock's nanoseconds;
 * `id` is the network message id.
 */
import { parseJson } from '@gyre/history';
import type { Message } from '@gyre/protocol';
import { isClientId } from '@gyre/protocol';
import { DROP_REASONS, buildNetResult, type DropReason, type NetResult, type NetStats, type NetTally } from './stats';

/** The first line of every journal. */
export const JOURNAL_HEADER = '{"format":"gyre-net-journal","version":1}';

/** What every journal event has. */
export interface JournalEventBase {
  /** Position in the journal: 0, 1, 2, … */
  index: number;
  /** Clock time in nanoseconds. */
  time: number;
  /** The network message id. */
  id: number;
  src: string;
  dest: string;
}

/** A message entered the network. */
export interface SendEvent extends JournalEventBase {
  type: 'send';
  /** The message's JSON text as delivered (with `"id"`). */
  line: string;
  /** The message, parsed losslessly from {@link line} on first access. */
  readonly message: Message;
}

/** A message was handed to its receiver. */
export interface RecvEvent extends JournalEventBase {
  type: 'recv';
}

/** A message will never be delivered. */
export interface DropEvent extends JournalEventBase {
  type: 'drop';
  reason: DropReason;
}

/** One journal event. */
export type JournalEvent = SendEvent | RecvEvent | DropEvent;

/** A journal line that is not an event of this format. */
export class JournalFormatError extends Error {
  constructor(
    message: string,
    readonly line: string,
  ) {
    super(message);
    this.name = 'JournalFormatError';
  }
}

class LazySend implements SendEvent {
  readonly type = 'send' as const;
  private parsed: Message | undefined;
  constructor(
    readonly index: number,
    readonly time: number,
    readonly id: number,
    readonly src: string,
    readonly dest: string,
    readonly line: string,
  ) {}
  get message(): Message {
    return (this.parsed ??= parseJson(this.line) as unknown as Message);
  }
}

/**
 * Parses one journal line. Returns `undefined` for the header and blank lines; throws a
 * {@link JournalFormatError} for anything else that is not an event.
 */
export function parseJournalLine(line: string): JournalEvent | undefined {
  let end = line.length;
  while (end > 0 && isSpace(line.charCodeAt(end - 1))) end--;
  if (end === 0 || line.charCodeAt(0) === 123 /* { */) return undefined;
  const bad = (why: string): never => {
    throw new JournalFormatError(`not a net journal event (${why}): ${line.length > 120 ? line.slice(0, 120) + '…' : line}`, line);
  };
  if (line.charCodeAt(0) !== 91 /* [ */ || line.charCodeAt(end - 1) !== 93 /* ] */) bad('expected a JSON array');
  let pos = 1;
  const num = (): number => {
    const comma = line.indexOf(',', pos);
    if (comma < 0) bad('truncated');
    const n = Number(line.slice(pos, comma));
    if (!Number.isFinite(n)) bad('expected a number');
    pos = comma + 1;
    return n;
  };
  const str = (): string => {
    if (line.charCodeAt(pos) !== 34) bad('expected a string');
    let j = pos + 1;
    let escaped = false;
    for (;;) {
      if (j >= end) bad('unterminated string');
      const c = line.charCodeAt(j);
      if (c === 92) {
        escaped = true;
        j += 2;
      } else if (c === 34) break;
      else j++;
    }
    const s = escaped ? (JSON.parse(line.slice(pos, j + 1)) as string) : line.slice(pos + 1, j);
    pos = j + 1;
    return s;
  };
  const index = num();
  const time = num();
  const kind = line.slice(pos, pos + 4);
  pos += 4;
  const id = num();
  const src = str();
  if (line.charCodeAt(pos++) !== 44) bad('expected ,');
  const dest = str();
  switch (kind) {
    case '"s",':
      if (line.charCodeAt(pos++) !== 44) bad('expected ,');
      return new LazySend(index, time, id, src, dest, line.slice(pos, end - 1));
    case '"r",':
      if (pos !== end - 1) bad('trailing data');
      return { index, time, type: 'recv', id, src, dest };
    case '"d",': {
      if (line.charCodeAt(pos++) !== 44) bad('expected ,');
      const reason = str() as DropReason;
      if (!DROP_REASONS.includes(reason)) bad(`unknown drop reason ${reason}`);
      return { index, time, type: 'drop', id, src, dest, reason };
    }
    default:
      return bad(`unknown event type ${kind}`);
  }
}

function isSpace(c: number): boolean {
  return c === 10 || c === 13 || c === 32 || c === 9;
}

/**
 * Streams the events of a journal, one line per item (as from `text.split('\n')` or a line
 * reader); the header and blank lines are skipped. For an async line source, call
 * {@link parseJournalLine} on each line.
 */
export function* readJournal(lines: Iterable<string>): Generator<JournalEvent, void, undefined> {
  for (const line of lines) {
    const ev = parseJournalLine(line);
    if (ev !== undefined) yield ev;
  }
}

/** What a journal says about the network: {@link NetStats} without the rejections, which are not journaled. */
export type JournalStats = Omit<NetStats, 'rejected'>;

/**
 * Folds journal events into the `:net` statistics: give it every event with {@link add}, then ask
 * for {@link stats} or {@link netResult}. Memory is one bit of state per message id.
 */
export class JournalTally {
  private readonly t: NetTally = { clientSends: 0, clientRecvs: 0, clientMsgs: 0, serverSends: 0, serverRecvs: 0, serverMsgs: 0 };
  private readonly dropped: Record<DropReason, number> = { partition: 0, down: 0, unregistered: 0 };
  private seen = new Uint8Array(1024);
  /** Events added. */
  events = 0;

  add(ev: JournalEvent): void {
    this.events++;
    if (ev.type === 'drop') {
      this.dropped[ev.reason]++;
      return;
    }
    const client = isClientId(ev.src) || isClientId(ev.dest);
    const t = this.t;
    if (ev.type === 'send') {
      if (client) t.clientSends++;
      else t.serverSends++;
    } else if (client) t.clientRecvs++;
    else t.serverRecvs++;
    const id = ev.id;
    if (id >= this.seen.length) {
      let n = this.seen.length * 2;
      while (n <= id) n *= 2;
      const grown = new Uint8Array(n);
      grown.set(this.seen);
      this.seen = grown;
    }
    if (this.seen[id] === 0) {
      this.seen[id] = 1;
      if (client) t.clientMsgs++;
      else t.serverMsgs++;
    }
  }

  /** Sends, deliveries, drops by reason and what is left pending, as the journal tells it. */
  stats(): JournalStats {
    const t = this.t;
    const sent = t.clientSends + t.serverSends;
    const delivered = t.clientRecvs + t.serverRecvs;
    const d = this.dropped;
    return {
      sent,
      delivered,
      dropped: { ...d },
      pending: sent - delivered - d.partition - d.down - d.unregistered,
      clients: { sent: t.clientSends, delivered: t.clientRecvs },
      servers: { sent: t.serverSends, delivered: t.serverRecvs },
    };
  }

  /** The `:net` result (§5.4) for this journal. */
  netResult(clientInvocations: number): NetResult {
    return buildNetResult(this.t, clientInvocations);
  }
}

/** Tallies a whole journal given as lines. */
export function tallyJournal(lines: Iterable<string>): JournalTally {
  const tally = new JournalTally();
  for (const ev of readJournal(lines)) tally.add(ev);
  return tally;
}

/** Recomputes the `:net` result from a journal's lines: equal to the live router's {@link Router.netResult}. */
export function netResultFromJournal(lines: Iterable<string>, clientInvocations: number): NetResult {
  return tallyJournal(lines).netResult(clientInvocations);
}
