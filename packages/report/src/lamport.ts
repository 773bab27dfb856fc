/**
 * Lamport (space-time) diagrams of the network journal: participants as vertical lines, one row
 * per journal event, one arrow per delivered message from its send row to its receive row.
 *
 * {@link lamportSvg} writes `messages.svg` as Maelstrom draws it (capped at 10,000 events); the
 * interactive view without a cap is in `lamport-html.ts`.
 */
import { stringifyJson } from '@gyre/history';
import { clip, esc, px } from './text';

/**
 * One network journal event, already parsed. The message (with `src`, `dest` and `body`) is
 * required on `send` events; `recv` and `drop` events name the message by `id`. Events should come
 * in journal order (by `index`); `src` / `dest` on the event itself are accepted as well, so are
 * `@gyre/net`'s journal events as they are (`type` for `kind`).
 */
export interface NetEvent {
  /** Position in the journal: 0, 1, 2, … */
  index: number;
  /** Nanoseconds since the test began. */
  time: number;
  /** A message entered the network, was delivered, or will never be delivered. */
  kind?: 'send' | 'recv' | 'drop';
  /** The same as `kind`, as `@gyre/net`'s journal events name it; one of the two must be present. */
  type?: 'send' | 'recv' | 'drop';
  /** The network's message id. */
  id: number;
  /** The message, on `send` events. */
  message?: { src: string; dest: string; body: unknown };
  /** Sender, when the event carries it directly. */
  src?: string;
  /** Receiver, when the event carries it directly. */
  dest?: string;
}

/** Events to draw: a synchronous or asynchronous iterable. */
export type NetEvents = Iterable<NetEvent> | AsyncIterable<NetEvent>;

const NAMED = /^([A-Za-z]+)(\d+)$/;

/**
 * Orders participants as Maelstrom does: ids of letters then digits first (`c0`, `c1`, …, `n0`, …),
 * by prefix and then by number; every other id (services such as `lin-kv`) after, alphabetically.
 */
export function compareParticipants(a: string, b: string): number {
  const ma = NAMED.exec(a);
  const mb = NAMED.exec(b);
  if (ma && mb) {
    if (ma[1] !== mb[1]) return ma[1]! < mb[1]! ? -1 : 1;
    const d = Number(ma[2]) - Number(mb[2]);
    return d !== 0 ? d : a < b ? -1 : a > b ? 1 : 0;
  }
  if (ma) return -1;
  if (mb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True for a client id (`c1`, …): starts with `c`, as Maelstrom's net statistics decide. */
export function isClient(id: string): boolean {
  return id.charCodeAt(0) === 99;
}

/** The body as a record (empty for anything else). */
function rec(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** The body's `type`, or `?`. */
export function bodyType(body: unknown): string {
  const t = rec(body)['type'];
  return typeof t === 'string' ? t : '?';
}

/** True when the body is an error reply (`type: "error"`). */
function isErrorBody(body: unknown): boolean {
  return rec(body)['type'] === 'error';
}

/** The body without `type`, `msg_id` and `in_reply_to`, as compact JSON (`{}` when nothing is left). */
function bodyRest(body: unknown): string {
  const b = rec(body);
  const rest: Record<string, unknown> = {};
  for (const k of Object.keys(b)) if (k !== 'type' && k !== 'msg_id' && k !== 'in_reply_to') rest[k] = b[k];
  return stringifyJson(rest);
}

/**
 * An arrow's label: the body's `type`, then the rest of the body (without `type`, `msg_id` and
 * `in_reply_to`; for errors, the code and text), cut to `max` characters with "…".
 */
export function messageLabel(body: unknown, max = 48): string {
  const b = rec(body);
  const type = bodyType(body);
  if (type === 'error') {
    const code = b['code'] !== undefined ? ` ${stringifyJson(b['code'])}` : '';
    const text = typeof b['text'] === 'string' ? ` ${b['text']}` : '';
    return clip(`error${code}${text}`, max);
  }
  const rest = bodyRest(body);
  return clip(rest === '{}' ? type : `${type} ${rest}`, max);
}

/** Arrow colour: errors pink, traffic involving a client light blue, between servers black. */
export function messageColor(src: string, dest: string, body: unknown): string {
  if (isErrorBody(body)) return '#FF1E90';
  if (isClient(src) || isClient(dest)) return '#81BFFC';
  return '#000000';
}

/** Options of {@link lamportSvg}. */
export interface LamportSvgOptions {
  /** Most events drawn (init and init_ok left out first). @defaultValue 10000 */
  maxEvents?: number;
  /** Width in pixels. @defaultValue 1200 */
  width?: number;
  /** Height of an event's row in pixels. @defaultValue 20 */
  rowHeight?: number;
  /** Rows between repetitions of the participants' names. @defaultValue 50 */
  namesEvery?: number;
}

/** Orange of the notice drawn when events were left out. */
export const NOTICE_COLOR = '#D96918';

interface SvgMsg {
  src: string;
  dest: string;
  body: unknown;
  row: number;
}

/**
 * Incremental builder of `messages.svg`: feed it every journal event with {@link add}, then
 * {@link finish}. Memory is bounded by the cap.
 */
export class LamportSvgBuilder {
  private readonly max: number;
  private readonly opts: Required<LamportSvgOptions>;
  private readonly init = new Set<number>();
  private readonly sent = new Map<number, SvgMsg>();
  private readonly arrows: { m: SvgMsg; id: number; to: number }[] = [];
  private readonly names = new Set<string>();
  private rows = 0;
  private more = 0;

  constructor(options: LamportSvgOptions = {}) {
    this.opts = { maxEvents: 10_000, width: 1200, rowHeight: 20, namesEvery: 50, ...options };
    this.max = this.opts.maxEvents;
  }

  /** Adds one journal event. */
  add(ev: NetEvent): void {
    const kind = ev.kind ?? ev.type;
    if (kind === 'send') {
      const m = ev.message;
      const t = m ? bodyType(m.body) : '?';
      if (t === 'init' || t === 'init_ok') {
        this.init.add(ev.id);
        return;
      }
      if (this.rows >= this.max) {
        this.more++;
        return;
      }
      const src = m?.src ?? ev.src ?? '?';
      const dest = m?.dest ?? ev.dest ?? '?';
      this.names.add(src);
      this.names.add(dest);
      this.sent.set(ev.id, { src, dest, body: m?.body, row: this.rows++ });
      return;
    }
    if (this.init.has(ev.id)) {
      this.init.delete(ev.id);
      return;
    }
    if (this.rows >= this.max) {
      this.more++;
      return;
    }
    const m = this.sent.get(ev.id);
    const row = this.rows++;
    if (m && kind === 'recv') this.arrows.push({ m, id: ev.id, to: row });
    if (m) this.sent.delete(ev.id);
  }

  /** The SVG text. */
  finish(): string {
    const { width, rowHeight: rh, namesEvery } = this.opts;
    const parts = [...this.names].sort(compareParticipants);
    const col = new Map(parts.map((p, i) => [p, i]));
    const margin = 40;
    const step = parts.length > 1 ? (width - 2 * margin) / (parts.length - 1) : 0;
    const xOf = (p: string) => (parts.length > 1 ? margin + step * col.get(p)! : width / 2);
    const top = 30;
    const yOf = (row: number) => top + rh * (row + 0.5);
    const bodyH = this.rows * rh;
    const height = top + bodyH + (this.more > 0 ? 50 : 20);
    const out: string[] = [];
    out.push(
      `<svg xmlns="http://www.w3.org/2000/svg" class="gyre-lamport" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" data-events="${this.rows}" data-omitted="${this.more}">`,
      `<style>.gyre-lamport{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:11px}.gyre-lamport .participant-name{font-weight:600;fill:#444}.gyre-lamport .label{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}.gyre-lamport .message:hover line{stroke-width:2.5}</style>`,
      `<defs>${['#FF1E90', '#81BFFC', '#000000'].map((c) => `<marker id="arrow-${c.slice(1)}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="${c}"/></marker>`).join('')}</defs>`,
      `<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`,
    );
    for (const p of parts) {
      const x = px(xOf(p));
      out.push(`<line class="participant" data-node="${esc(p)}" x1="${x}" x2="${x}" y1="${top - 8}" y2="${top + bodyH}" stroke="#ccc" stroke-width="1"/>`);
    }
    for (let r = 0; r === 0 || r < this.rows; r += namesEvery) {
      for (const p of parts) {
        out.push(`<text class="participant-name" data-row="${r}" x="${px(xOf(p))}" y="${top + r * rh - 10}" text-anchor="middle">${esc(p)}</text>`);
      }
    }
    for (const a of this.arrows) {
      const { m } = a;
      const color = messageColor(m.src, m.dest, m.body);
      const x1 = xOf(m.src);
      const y1 = yOf(m.row);
      const x2 = xOf(m.dest);
      const y2 = yOf(a.to);
      const full = m.body === undefined ? '' : stringifyJson(m.body);
      const angle = (Math.atan2(y2 - y1, x2 - x1) * 180) / Math.PI;
      const flip = Math.abs(angle) > 90;
      const rot = flip ? angle + 180 : angle;
      const mx = (x1 + x2) / 2;
      const my = (y1 + y2) / 2;
      out.push(
        `<g class="message" data-id="${a.id}" data-src="${esc(m.src)}" data-dest="${esc(m.dest)}"><title>${esc(`${m.src} → ${m.dest} ${full}`)}</title>` +
          `<line x1="${px(x1)}" y1="${px(y1)}" x2="${px(x2)}" y2="${px(y2)}" stroke="${color}" stroke-width="1.2" marker-end="url(#arrow-${color.slice(1)})"/>` +
          `<text class="label" x="${px(mx)}" y="${px(my)}" dy="-4" text-anchor="middle" fill="${color === '#81BFFC' ? '#2f7fc8' : color}" transform="rotate(${px(rot)} ${px(mx)} ${px(my)})">${esc(messageLabel(m.body))}</text></g>`,
      );
    }
    if (this.more > 0) {
      out.push(
        `<text class="notice" x="${width / 2}" y="${top + bodyH + 30}" text-anchor="middle" fill="${NOTICE_COLOR}" font-size="14">Additional network events not shown (${this.more} more; open messages.html for all of them)</text>`,
      );
    }
    out.push('</svg>');
    return out.join('\n');
  }
}

/** `messages.svg` for a sequence of journal events (see {@link LamportSvgBuilder}). */
export function lamportSvg(events: Iterable<NetEvent>, options: LamportSvgOptions = {}): string {
  const b = new LamportSvgBuilder(options);
  for (const ev of events) b.add(ev);
  return b.finish();
}
