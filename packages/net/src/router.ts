/**
 * The simulated network every message goes through (Maelstrom §5): ids, latency, partitions,
 * down nodes, the journal and the `:net` statistics. No processes and no files: the runner gives
 * it a clock, a random source, a journal sink and one `deliver` callback per participant.
 */
import type { Clock, Random, TimerHandle } from '@gyre/history';
import { encodeMessage, isClientId, type Message } from '@gyre/protocol';
import { DeadlineHeap } from './heap';
import { JOURNAL_HEADER } from './journal';
import { latencyDraw, type LatencyOptions } from './latency';
import { buildNetResult, type DropReason, type NetResult, type NetStats } from './stats';

/** How many messages a down node's queue holds (Maelstrom after PR #102); later ones are dropped. */
export const DOWN_QUEUE_LIMIT = 10;

/** Options of {@link createRouter}. */
export interface RouterOptions {
  /** Time: `now()` in nanoseconds stamps sends, deadlines and journal events; `setTimeout` drives delivery. */
  clock: Clock;
  /** Randomness for latency draws; give it a fork of the run's seed (`random.fork('net')`). */
  random: Random;
  /**
   * Node-to-node and node-to-service latency (`--latency`, `--latency-dist`). Traffic with a client at
   * either end always has zero latency.
   * @defaultValue `{ mean: 0, dist: 'constant' }`
   */
  latency?: Partial<LatencyOptions>;
  /**
   * Receives journal text (see `journal.ts` for the format) in chunks of about
   * {@link journalChunkChars} characters, each made of whole lines; the first starts with the header.
   * No journal is kept when absent.
   */
  journal?: (chunk: string) => void;
  /**
   * Chunk size for {@link journal}, in characters: a chunk is handed over once it reaches this size.
   * @defaultValue 65536
   */
  journalChunkChars?: number;
  /** Called on every send and every delivery (`--log-net-send` / `--log-net-recv`). */
  log?: (kind: 'send' | 'recv', m: Message) => void;
}

/** Why a send was refused. */
export type SendErrorKind = 'unknown-src' | 'unknown-dest';

/** The outcome of {@link Router.send}. */
export type SendResult = { ok: true; id: number } | { ok: false; kind: SendErrorKind; reason: string };

/**
 * Called to hand a message to its receiver. `m` is the message with its network `id` (fields id,
 * src, dest, body); `line` is its JSON text for a node's STDIN, without the newline. Must not throw.
 */
export type Deliver = (m: Message, line: string) => void;

/** The simulated network. */
export interface Router {
  /**
   * Registers a participant (node, service or client) under `id`. Registering an id again (a restarted
   * node) replaces its `deliver` and keeps its queue and down flag.
   */
  register(id: string, deliver: Deliver): void;
  /** Removes a participant (a closed client). Messages queued or held for it are dropped (`unregistered`). No-op for an unknown id. */
  unregister(id: string): void;
  /** Whether `id` is registered. */
  has(id: string): boolean;
  /**
   * Sends a message: gives it the next id (0, 1, 2, …), journals it, and queues it for its receiver.
   * `raw` is the sender's JSON text (trimmed) when it came from a node's STDOUT: when given and `m`
   * carries no `id`, the delivery line is `raw` with `"id":N` spliced in, not a re-encoding.
   * A message echoing an `id` gets a fresh one. Refused, with no id and no journal event, when `src`
   * or `dest` is not registered. Never delivers synchronously.
   */
  send(m: Message, raw?: string): SendResult;
  /**
   * Sets the partition: receiver → the senders whose messages it drops. Replaces the current grudge;
   * checked when a message's deadline comes. Traffic to or from a client is never dropped.
   */
  partition(grudge: ReadonlyMap<string, ReadonlySet<string>>): void;
  /** Removes the partition. */
  heal(): void;
  /**
   * Marks a node down (killed or paused) or up. While down, messages reaching it are held, at most
   * {@link DOWN_QUEUE_LIMIT}; later ones are dropped (`down`). When up again, the held messages are
   * delivered on a later turn, after any message sent to the node in the same turn as `setDown(id, false)`
   * (so a fresh `init` sent right after comes first). No-op for an unknown id.
   */
  setDown(id: string, down: boolean): void;
  /** Hands buffered journal text to the sink. */
  flush(): void;
  /** Stops all timers and flushes the journal. Nothing is delivered afterwards; later sends stay pending. */
  close(): void;
  /** The counters: sent, delivered, dropped by reason, pending, rejected, and the clients/servers split. */
  stats(): NetStats;
  /** Maelstrom's `:net` result (§5.4); `clientInvocations` counts the `:invoke`s of non-nemesis processes. */
  netResult(clientInvocations: number): NetResult;
  /** Messages accepted but neither delivered nor dropped yet (in flight or held for a down node). */
  pending(): number;
}

/** Most records kept for reuse. */
const POOL_LIMIT = 65536;

const QUEUED = 0;
const HELD = 1;
const DONE = 2;

interface Participant {
  readonly id: string;
  /** For the journal: the id as a JSON string followed by a comma, and the same preceded by one. */
  readonly qc: string;
  readonly cqc: string;
  readonly client: boolean;
  deliver: Deliver;
  /** Records to it in the FIFO or the heap. */
  queued: number;
  held: Rec[];
  down: boolean;
  release: TimerHandle | null;
}

interface Rec {
  id: number;
  /** `id` as text, made once. */
  ids: string;
  deadline: number;
  src: Participant;
  dest: Participant;
  body: Message['body'];
  /** The message's JSON text without `id`, starting with `{`. */
  text: string;
  client: boolean;
  state: number;
}

/** Creates a router. Throws a `RangeError` for bad latency options. */
export function createRouter(opts: RouterOptions): Router {
  return new SimRouter(opts);
}

class SimRouter implements Router {
  private readonly clock: Clock;
  private readonly draw: () => number;
  private readonly zeroLatency: boolean;
  private readonly sink: ((chunk: string) => void) | undefined;
  private readonly chunk: number;
  private readonly log: ((kind: 'send' | 'recv', m: Message) => void) | undefined;

  private readonly parts = new Map<string, Participant>();
  private fifo: Rec[] = [];
  private spare: Rec[] = [];
  private cur: Rec[] | null = null;
  /** During a delivery turn, its time (sends made by deliveries are stamped with it); -1 otherwise. */
  private turnNow = -1;
  /** `[time,"s",` and `[time,"r",` for the current turn. */
  private turnSend = '';
  private turnRecv = '';
  private readonly heap = new DeadlineHeap<Rec>();
  private readonly pool: Rec[] = [];
  private timer: TimerHandle | null = null;
  private timerDue = 0;
  private grudge: Map<string, ReadonlySet<string>> | null = null;
  private closed = false;

  private nextId = 0;
  /** Journal text not yet handed to the sink. */
  private jbuf = '';

  private clientSent = 0;
  private serverSent = 0;
  private clientDelivered = 0;
  private serverDelivered = 0;
  private inFlight = 0;
  private readonly dropped: Record<DropReason, number> = { partition: 0, down: 0, unregistered: 0 };
  private readonly rejected = { 'unknown-src': 0, 'unknown-dest': 0 };

  constructor(opts: RouterOptions) {
    this.clock = opts.clock;
    const latency: LatencyOptions = { mean: opts.latency?.mean ?? 0, dist: opts.latency?.dist ?? 'constant' };
    this.draw = latencyDraw(latency, opts.random);
    this.zeroLatency = latency.mean === 0;
    this.sink = opts.journal;
    this.chunk = opts.journalChunkChars ?? 65536;
    this.log = opts.log;
    if (this.sink !== undefined) this.jbuf = JOURNAL_HEADER + '\n';
  }

  register(id: string, deliver: Deliver): void {
    const p = this.parts.get(id);
    if (p !== undefined) {
      p.deliver = deliver;
      return;
    }
    const q = JSON.stringify(id);
    this.parts.set(id, { id, qc: q + ',', cqc: ',' + q + ',', client: isClientId(id), deliver, queued: 0, held: [], down: false, release: null });
  }

  unregister(id: string): void {
    const p = this.parts.get(id);
    if (p === undefined) return;
    this.parts.delete(id);
    if (p.release !== null) {
      this.clock.clearTimeout(p.release);
      p.release = null;
    }
    // A set: a record recycled during the current turn can sit both in the turn's array and a queue.
    const doomed = new Set<Rec>(p.held);
    p.held = [];
    if (p.queued > 0) {
      const pick = (xs: readonly Rec[]) => {
        for (const r of xs) if (r.dest === p && r.state === QUEUED) doomed.add(r);
      };
      if (this.cur !== null) pick(this.cur);
      pick(this.fifo);
      pick(this.heap.items);
      p.queued = 0;
    }
    if (doomed.size === 0) return;
    const now = this.turnNow >= 0 ? this.turnNow : this.clock.now();
    for (const r of [...doomed].sort((a, b) => a.id - b.id)) this.drop(r, 'unregistered', now);
  }

  has(id: string): boolean {
    return this.parts.has(id);
  }

  send(m: Message, raw?: string): SendResult {
    const src = this.parts.get(m.src);
    if (src === undefined) return this.reject('unknown-src', m);
    const dest = this.parts.get(m.dest);
    if (dest === undefined) return this.reject('unknown-dest', m);
    const id = this.nextId++;
    const text =
      raw !== undefined && m.id === undefined && raw.charCodeAt(0) === 123 ? raw : encodeMessage({ src: m.src, dest: m.dest, body: m.body });
    const now = this.turnNow >= 0 ? this.turnNow : this.clock.now();
    const client = src.client || dest.client;
    const latency = client || this.zeroLatency ? 0 : this.draw();
    const deadline = latency === 0 ? now : now + latency * 1e6;
    const ids = '' + id;
    let rec = this.pool.pop();
    if (rec === undefined) rec = { id, ids, deadline, src, dest, body: m.body, text, client, state: QUEUED };
    else {
      rec.id = id;
      rec.ids = ids;
      rec.deadline = deadline;
      rec.src = src;
      rec.dest = dest;
      rec.body = m.body;
      rec.text = text;
      rec.client = client;
      rec.state = QUEUED;
    }
    if (client) this.clientSent++;
    else this.serverSent++;
    this.inFlight++;
    dest.queued++;
    if (this.sink !== undefined) {
      this.jbuf += (this.turnNow >= 0 ? this.turnSend : '[' + now + ',"s",') + ids + src.cqc + dest.qc + text + ']\n';
      if (this.jbuf.length >= this.chunk) this.flush();
    }
    if (this.log !== undefined) this.log('send', { id, src: src.id, dest: dest.id, body: m.body });
    if (latency === 0) this.fifo.push(rec);
    else this.heap.push(rec);
    if (this.timer === null || this.timerDue > deadline) this.arm(deadline, now);
    return { ok: true, id };
  }

  private reject(kind: SendErrorKind, m: Message): SendResult {
    this.rejected[kind]++;
    const who = kind === 'unknown-src' ? `source ${JSON.stringify(m.src)}` : `dest ${JSON.stringify(m.dest)}`;
    let text: string;
    try {
      text = encodeMessage(m);
    } catch {
      text = '(unprintable)';
    }
    if (text.length > 200) text = text.slice(0, 200) + '…';
    return { ok: false, kind, reason: `Invalid ${who} for message ${text}: not a registered node, service or open client` };
  }

  private arm(due: number, now: number): void {
    if (this.closed) return;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = this.clock.setTimeout(this.onTimer, due <= now ? 0 : Math.ceil((due - now) / 1e6));
  }

  private readonly onTimer = (): void => {
    this.timer = null;
    if (this.closed) return;
    const now = this.clock.now();
    this.turnNow = now;
    this.turnSend = '[' + now + ',"s",';
    this.turnRecv = '[' + now + ',"r",';
    const cur = this.fifo;
    this.fifo = this.spare;
    this.cur = cur;
    const heap = this.heap;
    let i = 0;
    try {
      for (;;) {
        let r: Rec;
        if (i < cur.length) {
          r = cur[i]!;
          const top = heap.peek();
          if (top !== undefined && top.deadline <= now && (top.deadline < r.deadline || (top.deadline === r.deadline && top.id < r.id))) {
            heap.pop();
            r = top;
          } else i++;
        } else {
          const top = heap.peek();
          if (top === undefined || top.deadline > now) break;
          heap.pop();
          r = top;
        }
        if (r.state !== QUEUED) continue;
        this.arrive(r, now);
        if (this.closed) break;
      }
    } finally {
      this.cur = null;
      this.turnNow = -1;
      if (i < cur.length) {
        const rest = cur.slice(i);
        for (const r of this.fifo) rest.push(r);
        this.fifo = rest;
      } else {
        cur.length = 0;
        this.spare = cur;
      }
      this.rearm();
    }
  };

  private rearm(): void {
    if (this.closed) return;
    const now = this.clock.now();
    if (this.fifo.length > 0) {
      if (this.timer === null || this.timerDue > now) this.arm(now, now);
      return;
    }
    const heap = this.heap;
    let top = heap.peek();
    while (top !== undefined && top.state !== QUEUED) {
      heap.pop();
      top = heap.peek();
    }
    if (top !== undefined && (this.timer === null || this.timerDue > top.deadline)) this.arm(top.deadline, now);
  }

  private arrive(r: Rec, now: number): void {
    const dest = r.dest;
    dest.queued--;
    r.state = DONE;
    if (this.grudge !== null && !r.client) {
      const g = this.grudge.get(dest.id);
      if (g !== undefined && g.has(r.src.id)) {
        this.drop(r, 'partition', now);
        this.recycle(r);
        return;
      }
    }
    if (dest.down) {
      if (dest.held.length < DOWN_QUEUE_LIMIT) {
        r.state = HELD;
        dest.held.push(r);
      } else {
        this.drop(r, 'down', now);
        this.recycle(r);
      }
      return;
    }
    if (r.client) this.clientDelivered++;
    else this.serverDelivered++;
    this.inFlight--;
    if (this.sink !== undefined) {
      this.jbuf += (this.turnNow === now ? this.turnRecv : '[' + now + ',"r",') + r.ids + ']\n';
      if (this.jbuf.length >= this.chunk) this.flush();
    }
    const msg: Message = { id: r.id, src: r.src.id, dest: dest.id, body: r.body };
    if (this.log !== undefined) this.log('recv', msg);
    const line = '{"id":' + r.ids + ',' + r.text.slice(1);
    this.recycle(r);
    dest.deliver(msg, line);
  }

  /**
   * Returns a record that is in no queue (delivered, or dropped on arrival) to the pool: in-flight
   * records then live in the old generation instead of being copied by every young collection.
   * Records dropped by `unregister` may still sit in a queue and are left to the GC.
   */
  private recycle(r: Rec): void {
    r.body = undefined as unknown as Message['body'];
    r.text = '';
    r.ids = '';
    if (this.pool.length < POOL_LIMIT) this.pool.push(r);
  }

  private drop(r: Rec, reason: DropReason, now: number): void {
    r.state = DONE;
    this.dropped[reason]++;
    this.inFlight--;
    if (this.sink !== undefined) {
      this.jbuf += '[' + now + ',"d",' + r.ids + ',"' + reason + '"]\n';
      if (this.jbuf.length >= this.chunk) this.flush();
    }
  }

  partition(grudge: ReadonlyMap<string, ReadonlySet<string>>): void {
    const g = new Map<string, ReadonlySet<string>>();
    for (const [receiver, senders] of grudge) if (senders.size > 0) g.set(receiver, new Set(senders));
    this.grudge = g.size > 0 ? g : null;
  }

  heal(): void {
    this.grudge = null;
  }

  setDown(id: string, down: boolean): void {
    const p = this.parts.get(id);
    if (p === undefined) return;
    if (down) {
      p.down = true;
      if (p.release !== null) {
        this.clock.clearTimeout(p.release);
        p.release = null;
      }
      return;
    }
    if (!p.down) return;
    p.down = false;
    if (p.held.length > 0 && p.release === null && !this.closed) p.release = this.clock.setTimeout(() => this.release(p), 0);
  }

  private release(p: Participant): void {
    p.release = null;
    if (p.down || this.closed || this.parts.get(p.id) !== p) return;
    const now = this.clock.now();
    for (const r of p.held) {
      r.state = QUEUED;
      r.deadline = now;
      p.queued++;
      this.fifo.push(r);
    }
    p.held = [];
    if (this.timer === null || this.timerDue > now) this.arm(now, now);
  }

  flush(): void {
    if (this.sink === undefined || this.jbuf.length === 0) return;
    const text = this.jbuf;
    this.jbuf = '';
    this.sink(text);
  }

  close(): void {
    if (!this.closed) {
      this.closed = true;
      if (this.timer !== null) this.clock.clearTimeout(this.timer);
      this.timer = null;
      for (const p of this.parts.values()) {
        if (p.release !== null) this.clock.clearTimeout(p.release);
        p.release = null;
      }
    }
    this.flush();
  }

  stats(): NetStats {
    const d = this.dropped;
    return {
      sent: this.clientSent + this.serverSent,
      delivered: this.clientDelivered + this.serverDelivered,
      dropped: { ...d },
      pending: this.inFlight,
      rejected: { ...this.rejected },
      clients: { sent: this.clientSent, delivered: this.clientDelivered },
      servers: { sent: this.serverSent, delivered: this.serverDelivered },
    };
  }

  netResult(clientInvocations: number): NetResult {
    return buildNetResult(
      {
        clientSends: this.clientSent,
        clientRecvs: this.clientDelivered,
        clientMsgs: this.clientSent,
        serverSends: this.serverSent,
        serverRecvs: this.serverDelivered,
        serverMsgs: this.serverSent,
      },
      clientInvocations,
    );
  }

  pending(): number {
    return this.inFlight;
  }
}
