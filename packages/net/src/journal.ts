/**
 * The network journal: one JSON Lines event per send, delivery and drop, streamable by later
 * analysis (Lamport diagrams, `:net` re-computation) without holding the run in memory.
 *
 * Format (version 1), one JSON value per line:
 * ```
 * {"format":"gyre-net-journal","version":1}      header, the first line
 * [time,"s",id,"src","dest",{message}]            send: the message as its sender wrote it (no "id")
 * [time,"r",id]                                   recv: message id delivered to its dest
 * [time,"d",id,"reason"]                          drop: partition | down | unregistered
 * ```
 * An event's index is its position among the events (0, 1, 2, …; the header is not an event).
 * `time` is the clock's nanoseconds, non-decreasing; `id` is the network message id. Every recv or
 * drop follows the send of its id, and a message has at most one of them. A message with neither
 * was still in flight (or held for a down node) when the journal ended.
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
  /** The message's JSON text as its sender wrote it (a node's own line, verbatim), without `"id"`. */
  text: string;
  /** The line delivered to the receiver: {@link text} with `"id":N` first. */
  readonly line: string;
  /** The message with its `id` (fields id, src, dest, body), parsed losslessly from {@link text} on first access. */
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
    readonly text: string,
  ) {}
  get line(): string {
    return '{"id":' + this.id + ',' + this.text.slice(1);
  }
  get message(): Message {
    if (this.parsed === undefined) {
      const m = parseJson(this.text) as unknown as Message;
      this.parsed = { id: this.id, src: m.src, dest: m.dest, body: m.body };
    }
    return this.parsed;
  }
}

/**
 * Reads a journal line by line. It numbers the events and fills in `src` and `dest` of receive and
 * drop events from their send, keeping only the messages still in flight (memory stays bounded by
 * what the network held, not by the length of the run). Throws a {@link JournalFormatError} for a
 * line that is not an event of this format, or a receive or drop of a message it did not see sent.
 */
export class JournalReader {
  private index = 0;
  private readonly inFlight = new Map<number, { src: string; dest: string }>();

  /** Events read so far. */
  get events(): number {
    return this.index;
  }

  /** Messages sent and neither received nor dropped, as far as the journal has been read. */
  get pending(): number {
    return this.inFlight.size;
  }

  /** The event on `line`, or `undefined` for the header and blank lines. */
  read(line: string): JournalEvent | undefined {
    let end = line.length;
    while (end > 0 && isSpace(line.charCodeAt(end - 1))) end--;
    if (end === 0 || line.charCodeAt(0) === 123 /* { */) return undefined;
    if (line.charCodeAt(0) !== 91 /* [ */ || line.charCodeAt(end - 1) !== 93 /* ] */) bad(line, 'expected a JSON array');
    const comma = line.indexOf(',', 1);
    const time = comma < 0 ? NaN : Number(line.slice(1, comma));
    if (!Number.isFinite(time)) bad(line, 'expected a time');
    const kind = line.slice(comma + 1, comma + 5);
    if (kind === '"s",') {
      let pos = comma + 5;
      const idEnd = line.indexOf(',', pos);
      const id = idEnd < 0 ? NaN : Number(line.slice(pos, idEnd));
      if (!Number.isSafeInteger(id) || id < 0) bad(line, 'expected a message id');
      pos = idEnd + 1;
      const [src, afterSrc] = jsonString(line, pos, end);
      if (line.charCodeAt(afterSrc) !== 44) bad(line, 'expected ,');
      const [dest, afterDest] = jsonString(line, afterSrc + 1, end);
      if (line.charCodeAt(afterDest) !== 44 || line.charCodeAt(afterDest + 1) !== 123) bad(line, 'expected the message');
      if (this.inFlight.has(id)) bad(line, `message ${id} sent twice`);
      this.inFlight.set(id, { src, dest });
      return new LazySend(this.index++, time, id, src, dest, line.slice(afterDest + 1, end - 1));
    }
    if (kind === '"r",') {
      const id = Number(line.slice(comma + 5, end - 1));
      if (!Number.isSafeInteger(id) || id < 0) bad(line, 'expected a message id');
      const m = this.inFlight.get(id);
      if (m === undefined) bad(line, `receive of message ${id}, which is not in flight`);
      this.inFlight.delete(id);
      return { index: this.index++, time, type: 'recv', id, src: m!.src, dest: m!.dest };
    }
    if (kind === '"d",') {
      const idEnd = line.indexOf(',', comma + 5);
      const id = idEnd < 0 ? NaN : Number(line.slice(comma + 5, idEnd));
      if (!Number.isSafeInteger(id) || id < 0) bad(line, 'expected a message id');
      const [reason, after] = jsonString(line, idEnd + 1, end);
      if (after !== end - 1) bad(line, 'trailing data');
      if (!DROP_REASONS.includes(reason as DropReason)) bad(line, `unknown drop reason ${reason}`);
      const m = this.inFlight.get(id);
      if (m === undefined) bad(line, `drop of message ${id}, which is not in flight`);
      this.inFlight.delete(id);
      return { index: this.index++, time, type: 'drop', id, src: m!.src, dest: m!.dest, reason: reason as DropReason };
    }
    return bad(line, `unknown event ${kind}`);
  }
}

function bad(line: string, why: string): never {
  throw new JournalFormatError(`not a net journal event (${why}): ${line.length > 120 ? line.slice(0, 120) + '…' : line}`, line);
}

/** The JSON string starting at `pos`, and the position after it. */
function jsonString(line: string, pos: number, end: number): [string, number] {
  if (line.charCodeAt(pos) !== 34) bad(line, 'expected a string');
  let j = pos + 1;
  let escaped = false;
  for (;;) {
    if (j >= end) bad(line, 'unterminated string');
    const c = line.charCodeAt(j);
    if (c === 92) {
      escaped = true;
      j += 2;
    } else if (c === 34) break;
    else j++;
  }
  return [escaped ? (JSON.parse(line.slice(pos, j + 1)) as string) : line.slice(pos + 1, j), j + 1];
}

function isSpace(c: number): boolean {
  return c === 10 || c === 13 || c === 32 || c === 9;
}

/**
 * Streams the events of a journal, one line per item (as from `text.split('\n')` or a line
 * reader); the header and blank lines are skipped. For an async line source, feed a
 * {@link JournalReader}.
 */
export function* readJournal(lines: Iterable<string>): Generator<JournalEvent, void, undefined> {
  const reader = new JournalReader();
  for (const line of lines) {
    const ev = reader.read(line);
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

/** Tallies a whole journal given as lines (for an async source, {@link JournalTally.add} each event of a {@link JournalReader}). */
export function tallyJournal(lines: Iterable<string>): JournalTally {
  const tally = new JournalTally();
  for (const ev of readJournal(lines)) tally.add(ev);
  return tally;
}

/** Recomputes the `:net` result from a journal's lines: equal to the live router's {@link Router.netResult}. */
export function netResultFromJournal(lines: Iterable<string>, clientInvocations: number): NetResult {
  return tallyJournal(lines).netResult(clientInvocations);
}
