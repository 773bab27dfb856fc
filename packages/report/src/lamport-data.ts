/**
 * The compact, columnar form of a network journal that the interactive Lamport view
 * (`messages.html`) loads: one row per journal event, one record per message, bodies interned.
 *
 * Everything numeric is a little-endian typed array; the arrays are packed into one buffer
 * (each aligned to 8 bytes) and deflated. Message bodies are split into `type`, `msg_id`,
 * `in_reply_to` (numeric columns when they are small integers) and the rest, which is interned as
 * compact JSON text: gossip repeats the same payloads many times.
 *
 * Columns (integer ones narrowed to the smallest type that holds them):
 * - rows: `rowDt` time since the previous event in ns (0xFFFFFFFF: take the next `rowBig` instead);
 * - messages, in send order: `mSend` send row minus the previous message's, `mEnd` receive or drop
 *   row minus the send row (0: none; for a message whose send was not journaled the end is the send
 *   row), `mKind` end (0 none, 1 recv, 2 drop) | 4 no send seen | 8 error body, `mSrc`, `mDest`
 *   (participant indices), `mType`, `mBody` (interned rest), `mId` network id minus the previous
 *   message's, `mMsgId` / `mReply` (value + 1, 0 when absent or not a small integer);
 * - client operations: `oInv`, `oEnd` (history indices), `oProc`, `oT0`, `oT1`, `oF`, `oType`;
 * - `clientProc`: per participant, the process it served (-1 for none); `bodies`: UTF-8 rests
 *   joined by newlines (`""` for none, a leading NUL for bodies that are not objects).
 */
import { pairs, stringifyJson, type Op } from '@gyre/history';
import { bodyType, compareParticipants, isClient, type NetEvent } from './lamport';

/** End of a message: how its arrow ends. */
const END_NONE = 0;
const END_RECV = 1;
const END_DROP = 2;
/** Flag: no send event was seen for this message. */
const FLAG_ORPHAN = 4;
/** Flag: the body is an error reply. */
const FLAG_ERROR = 8;

/** Outcome codes of operations in the data: ok, info, fail, still open at the end. */
const OP_TYPES = ['ok', 'info', 'fail', 'open'] as const;

/** The description of one packed column. */
export interface ColumnInfo {
  name: string;
  type: 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'f64';
  offset: number;
  length: number;
}

/** What the page needs besides the packed columns. */
export interface LamportMeta {
  version: 1;
  /** Journal events (rows). */
  rows: number;
  /** Messages. */
  messages: number;
  /** Client operations. */
  ops: number;
  participants: string[];
  types: string[];
  /** Operation functions (`f`). */
  fs: string[];
  /** Distinct interned body rests. */
  bodies: number;
  /** Bytes of the packed buffer before deflate. */
  rawBytes: number;
  columns: ColumnInfo[];
}

/** The built data: metadata plus the deflated column buffer. */
export interface LamportData {
  meta: LamportMeta;
  /** Deflated (raw deflate) column buffer. */
  packed: Uint8Array;
}

/**
 * A column being built: one growable Int32Array for every column (monomorphic, so pushes stay
 * cheap); unsigned columns are reinterpreted bit for bit when packed.
 */
class Col {
  arr = new Int32Array(4096);
  n = 0;
  push(v: number): void {
    if (this.n === this.arr.length) {
      const next = new Int32Array(this.arr.length * 2);
      next.set(this.arr);
      this.arr = next;
    }
    this.arr[this.n++] = v;
  }
  get(i: number): number {
    return this.arr[i]!;
  }
  set(i: number, v: number): void {
    this.arr[i] = v;
  }
  i32(): Int32Array {
    return this.arr.slice(0, this.n);
  }
  u32(): Uint32Array {
    return new Uint32Array(this.i32().buffer);
  }
  u16(): Uint16Array {
    return Uint16Array.from(this.arr.subarray(0, this.n));
  }
  u8(): Uint8Array {
    return Uint8Array.from(this.arr.subarray(0, this.n));
  }
}

const u8 = () => new Col();
const u16 = () => new Col();
const u32 = () => new Col();
const i32 = () => new Col();

/**
 * The narrowest integer type holding every value (read as unsigned when `unsigned`), and the
 * values in it.
 */
function narrow(values: Int32Array, unsigned: boolean): [ColumnInfo['type'], ArrayBufferView] {
  if (unsigned) {
    const u = new Uint32Array(values.buffer, values.byteOffset, values.length);
    let max = 0;
    for (let i = 0; i < u.length; i++) if (u[i]! > max) max = u[i]!;
    if (max < 0x100) return ['u8', Uint8Array.from(u)];
    if (max < 0x10000) return ['u16', Uint16Array.from(u)];
    return ['u32', u];
  }
  let min = 0;
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min >= 0) return narrow(values, true);
  if (min >= -0x80 && max < 0x80) return ['i8', Int8Array.from(values)];
  if (min >= -0x8000 && max < 0x8000) return ['i16', Int16Array.from(values)];
  return ['i32', values];
}

function smallId(v: unknown): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 0x7ffffffe ? v + 1 : 0;
}

/** Options of {@link LamportDataBuilder}. */
export interface LamportDataOptions {
  /**
   * Compresses the packed columns with raw deflate (RFC 1951), which the page inflates. Node's
   * `zlib.deflateRawSync` at level 4 (what `writeReport` passes) is faster than the default, which
   * runs anywhere. @defaultValue the web-standard `CompressionStream('deflate-raw')`
   */
  deflate?: (raw: Uint8Array) => Uint8Array | Promise<Uint8Array>;
}

async function deflateRawWeb(raw: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([raw]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Streams journal events into the columnar form. Call {@link add} for each event in journal order,
 * then {@link finish} with the history (for `#op=` deep links).
 */
export class LamportDataBuilder {
  private readonly rowDt = u32();
  private readonly rowBig: number[] = [];
  private lastTime = 0;
  private readonly mSend = u32();
  private readonly mEnd = u32();
  private readonly mKind = u8();
  private readonly mSrc = u16();
  private readonly mDest = u16();
  private readonly mType = u16();
  private readonly mBody = u32();
  private readonly mId = i32();
  private readonly mMsgId = i32();
  private readonly mReply = i32();
  private readonly sendRows = new Col();
  private lastSendRow = 0;
  private lastId = 0;
  private readonly byId = new Map<number, number>();
  private readonly participants = new Map<string, number>();
  private readonly types = new Map<string, number>();
  private readonly bodies = new Map<string, number>();
  private readonly bodyList: string[] = [];
  private readonly clientSends: number[] = [];
  private rows = 0;
  private readonly deflate: (raw: Uint8Array) => Uint8Array | Promise<Uint8Array>;

  constructor(options: LamportDataOptions = {}) {
    this.deflate = options.deflate ?? deflateRawWeb;
  }

  private intern(map: Map<string, number>, s: string): number {
    let i = map.get(s);
    if (i === undefined) {
      i = map.size;
      map.set(s, i);
    }
    return i;
  }

  private body(text: string): number {
    let i = this.bodies.get(text);
    if (i === undefined) {
      i = this.bodyList.length;
      this.bodies.set(text, i);
      this.bodyList.push(text);
    }
    return i;
  }

  private newMessage(row: number, id: number, src: string, dest: string, body: unknown, orphan: boolean): number {
    const m = this.mSend.n;
    this.mSend.push(row - this.lastSendRow);
    this.lastSendRow = row;
    this.sendRows.push(row);
    this.mEnd.push(0);
    this.mId.push(id - this.lastId);
    this.lastId = id;
    const s = this.intern(this.participants, src);
    this.mSrc.push(s);
    this.mDest.push(this.intern(this.participants, dest));
    const b = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    const type = bodyType(body);
    this.mType.push(this.intern(this.types, type));
    let flags = orphan ? FLAG_ORPHAN : 0;
    if (type === 'error') flags |= FLAG_ERROR;
    this.mKind.push(flags);
    let msgId = 0;
    let reply = 0;
    let rest = '';
    if (b) {
      msgId = smallId(b['msg_id']);
      reply = smallId(b['in_reply_to']);
      const r: Record<string, unknown> = {};
      let any = false;
      for (const k in b) {
        if (k === 'type' && typeof b[k] === 'string') continue;
        if ((k === 'msg_id' && msgId) || (k === 'in_reply_to' && reply)) continue;
        r[k] = b[k];
        any = true;
      }
      rest = any ? stringifyJson(r) : '';
    } else if (body !== undefined) {
      rest = '\u0000' + stringifyJson(body);
    }
    this.mMsgId.push(msgId);
    this.mReply.push(reply);
    this.mBody.push(this.body(rest));
    if (isClient(src) && !isClient(dest) && !orphan) this.clientSends.push(m);
    this.byId.set(id, m);
    return m;
  }

  /** Adds the next journal event. */
  add(ev: NetEvent): void {
    const row = this.rows++;
    const dt = ev.time - this.lastTime;
    if (dt >= 0 && dt < 0xffffffff && Number.isInteger(dt)) this.rowDt.push(dt | 0);
    else {
      this.rowDt.push(-1);
      this.rowBig.push(ev.time);
    }
    this.lastTime = ev.time;
    const kind = ev.kind ?? ev.type;
    if (kind === 'send') {
      const m = ev.message;
      this.newMessage(row, ev.id, m?.src ?? ev.src ?? '?', m?.dest ?? ev.dest ?? '?', m?.body, false);
      return;
    }
    let m = this.byId.get(ev.id);
    if (m === undefined || (this.mKind.get(m) & 3) !== END_NONE) {
      m = this.newMessage(row, ev.id, ev.src ?? '?', ev.dest ?? '?', undefined, true);
    } else this.byId.delete(ev.id);
    this.mEnd.set(m, row - this.sendRows.get(m));
    this.mKind.set(m, (this.mKind.get(m) & ~3) | (kind === 'recv' ? END_RECV : END_DROP));
  }

  /** Adds every event of an iterable (sync or async). */
  async addAll(events: Iterable<NetEvent> | AsyncIterable<NetEvent>): Promise<void> {
    if (Symbol.iterator in events) for (const ev of events) this.add(ev);
    else for await (const ev of events) this.add(ev);
  }

  /**
   * Packs and deflates the columns. `history` (optional) adds the client operations and the inferred
   * client → process map used by `#op=` links.
   */
  async finish(history: readonly Op[] = []): Promise<LamportData> {
    // Participant order: re-map interned indices to sorted order.
    const names = [...this.participants.keys()];
    const sorted = [...names].sort(compareParticipants);
    const rank = new Map(sorted.map((p, i) => [p, i]));
    const remap = names.map((p) => rank.get(p)!);
    const src = this.mSrc.u16();
    const dest = this.mDest.u16();
    for (let i = 0; i < src.length; i++) {
      src[i] = remap[src[i]!]!;
      dest[i] = remap[dest[i]!]!;
    }

    const ops = clientOps(history);
    const fs = [...new Set(ops.map((o) => o.f))].sort();
    const fIndex = new Map(fs.map((f, i) => [f, i]));
    const oInv = new Int32Array(ops.length);
    const oEnd = new Int32Array(ops.length);
    const oProc = new Int32Array(ops.length);
    const oT0 = new Float64Array(ops.length);
    const oT1 = new Float64Array(ops.length);
    const oF = new Uint16Array(ops.length);
    const oType = new Uint8Array(ops.length);
    ops.forEach((o, i) => {
      oInv[i] = o.inv;
      oEnd[i] = o.end;
      oProc[i] = o.process;
      oT0[i] = o.t0;
      oT1[i] = o.t1;
      oF[i] = fIndex.get(o.f)!;
      oType[i] = o.type;
    });
    const clientProc = this.inferClients(sorted.length, ops, src);

    const bodyBytes = new TextEncoder().encode(this.bodyList.join('\n'));
    const U = (name: string, c: Col | Int32Array | Uint16Array | Uint8Array): [string, ColumnInfo['type'], ArrayBufferView] => {
      const a = c instanceof Col ? c.i32() : c instanceof Int32Array ? c : Int32Array.from(c);
      return [name, ...narrow(a, true)];
    };
    const I = (name: string, c: Col | Int32Array): [string, ColumnInfo['type'], ArrayBufferView] => [name, ...narrow(c instanceof Col ? c.i32() : c, false)];
    const cols: [string, ColumnInfo['type'], ArrayBufferView][] = [
      // A row delta of 0xFFFFFFFF means "the time is the next rowBig"; narrowed only without any.
      this.rowBig.length ? ['rowDt', 'u32', this.rowDt.u32()] : U('rowDt', this.rowDt),
      ['rowBig', 'f64', Float64Array.from(this.rowBig)],
      U('mSend', this.mSend),
      U('mEnd', this.mEnd),
      ['mKind', 'u8', this.mKind.u8()],
      U('mSrc', src),
      U('mDest', dest),
      U('mType', this.mType),
      U('mBody', this.mBody),
      I('mId', this.mId),
      U('mMsgId', this.mMsgId),
      U('mReply', this.mReply),
      I('oInv', oInv),
      I('oEnd', oEnd),
      I('oProc', oProc),
      ['oT0', 'f64', oT0],
      ['oT1', 'f64', oT1],
      U('oF', oF),
      ['oType', 'u8', oType],
      I('clientProc', clientProc),
      ['bodies', 'u8', bodyBytes],
    ];
    let size = 0;
    const columns: ColumnInfo[] = [];
    for (const [name, type, a] of cols) {
      size = Math.ceil(size / 8) * 8;
      const per = type === 'u8' || type === 'i8' ? 1 : type === 'u16' || type === 'i16' ? 2 : type === 'f64' ? 8 : 4;
      columns.push({ name, type, offset: size, length: a.byteLength / per });
      size += a.byteLength;
    }
    const buf = new Uint8Array(size);
    cols.forEach(([, , a], i) => buf.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), columns[i]!.offset));
    const packed = await this.deflate(buf);
    return {
      meta: {
        version: 1,
        rows: this.rows,
        messages: this.mSend.n,
        ops: ops.length,
        participants: sorted,
        types: [...this.types.keys()],
        fs,
        bodies: this.bodyList.length,
        rawBytes: size,
        columns,
      },
      packed,
    };
  }

  /**
   * Which process each client participant served: each request a client sent votes for every
   * operation in flight at that moment, the most recently invoked one most (1, 1/2, 1/3, …); a
   * client's process is the one with most votes. -1 for servers and unmatched clients.
   */
  private inferClients(participants: number, ops: ClientOp[], mSrc: Uint16Array): Int32Array {
    const out = new Int32Array(participants).fill(-1);
    if (ops.length === 0 || this.clientSends.length === 0) return out;
    const times = this.rowTimes();
    const byStart = [...ops].sort((a, b) => a.t0 - b.t0);
    const votes = new Map<number, Map<number, number>>();
    let next = 0;
    let active: ClientOp[] = [];
    const sends = this.clientSends;
    for (const m of sends) {
      const t = times[this.sendRows.get(m)]!;
      while (next < byStart.length && byStart[next]!.t0 <= t) active.push(byStart[next++]!);
      active = active.filter((o) => o.t1 >= t);
      const c = mSrc[m]!;
      let v = votes.get(c);
      if (!v) votes.set(c, (v = new Map()));
      // A request leaves right after its invocation: the latest invocation weighs most.
      const ranked = active.length > 1 ? [...active].sort((a, b) => b.t0 - a.t0) : active;
      ranked.forEach((o, rank) => v.set(o.process, (v.get(o.process) ?? 0) + 1 / (1 + rank)));
    }
    for (const [c, v] of votes) {
      let best = -1;
      let bestN = 0;
      for (const [p, n] of v) if (n > bestN) [best, bestN] = [p, n];
      out[c] = best; // c is already remapped to sorted order
    }
    return out;
  }

  private rowTimes(): Float64Array {
    const t = new Float64Array(this.rows);
    const dt = this.rowDt.arr;
    const big = this.rowBig;
    let b = 0;
    let cur = 0;
    for (let i = 0; i < this.rows; i++) {
      const d = dt[i]!;
      cur = d === -1 ? big[b++]! : cur + (d >>> 0);
      t[i] = cur;
    }
    return t;
  }
}

interface ClientOp {
  inv: number;
  end: number;
  process: number;
  t0: number;
  t1: number;
  f: string;
  type: number;
}

function clientOps(history: readonly Op[]): ClientOp[] {
  let last = 0;
  for (const op of history) if (op.time > last) last = op.time;
  const out: ClientOp[] = [];
  for (const { invoke, completion } of pairs(history)) {
    if (typeof invoke.process !== 'number') continue;
    const type = completion ? OP_TYPES.indexOf(completion.type as 'ok') : 3;
    out.push({
      inv: invoke.index,
      end: completion ? completion.index : -1,
      process: invoke.process,
      t0: invoke.time,
      t1: completion ? completion.time : last,
      f: invoke.f,
      type: type < 0 ? 3 : type,
    });
  }
  return out;
}

/** Builds the data from a whole sequence of events (see {@link LamportDataBuilder}). */
export async function buildLamportData(events: Iterable<NetEvent> | AsyncIterable<NetEvent>, history: readonly Op[] = [], options: LamportDataOptions = {}): Promise<LamportData> {
  const b = new LamportDataBuilder(options);
  await b.addAll(events);
  return b.finish(history);
}
