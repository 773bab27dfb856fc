import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { JsonFloat, type Op } from '@gyre/history';
import { compareParticipants, lamportSvg, messageColor, messageLabel, type NetEvent } from './lamport';
import { buildLamportData, type LamportData } from './lamport-data';
import { lamportHtml } from './lamport-html';
import { LAMPORT_JS } from './client/lamport';
import { TIMELINE_JS } from './client/timeline';
import { find, parseXml, textOf } from '../test/xml';

/** A small journal: init, a client write and its reply, gossip, an error, a dropped message and one never delivered. */
function journal(): NetEvent[] {
  const evs: Omit<NetEvent, 'index'>[] = [];
  let id = 0;
  let t = 0;
  const send = (src: string, dest: string, body: Record<string, unknown>) => {
    const ev = { time: (t += 1000), kind: 'send' as const, id: id++, message: { src, dest, body } };
    evs.push(ev);
    return ev.id;
  };
  const recv = (mid: number) => evs.push({ time: (t += 1000), kind: 'recv', id: mid });
  for (const n of ['n0', 'n1', 'n10', 'n2']) {
    const i = send('c0', n, { type: 'init', msg_id: 1, node_id: n, node_ids: ['n0', 'n1', 'n2', 'n10'] });
    recv(i);
    recv(send(n, 'c0', { type: 'init_ok', in_reply_to: 1 }));
  }
  const w = send('c12', 'n1', { type: 'write', msg_id: 7, key: 3, value: 'x'.repeat(80) });
  const g = send('n1', 'n10', { type: 'gossip', msg_id: 2, values: [1, 2, 3] });
  recv(w);
  recv(g);
  const kv = send('n1', 'lin-kv', { type: 'cas', msg_id: 3, key: 3, from: 1, to: 2 });
  recv(kv);
  recv(send('lin-kv', 'n1', { type: 'error', in_reply_to: 3, code: 22, text: 'expected 1, had 4' }));
  recv(send('n1', 'c12', { type: 'write_ok', in_reply_to: 7 }));
  const d = send('n2', 'n0', { type: 'gossip', msg_id: 9, values: [4], big: 12345678901234567890n, f: new JsonFloat(1) });
  evs.push({ time: (t += 1000), kind: 'drop', id: d });
  send('c3', 'n2', { type: 'read', msg_id: 1 });
  return evs.map((e, index) => ({ ...e, index }));
}

describe('participants and labels', () => {
  it('orders letters+digits ids by prefix then number, services after, alphabetically', () => {
    const ids = ['lin-kv', 'n10', 'c2', 'n2', 'seq-kv', 'c10', 'n0', 'c1', 'lww-kv'];
    expect(ids.sort(compareParticipants)).toEqual(['c1', 'c2', 'c10', 'n0', 'n2', 'n10', 'lin-kv', 'lww-kv', 'seq-kv']);
  });

  it('labels with the type then the rest of the body, cut to 48 characters', () => {
    expect(messageLabel({ type: 'read', msg_id: 4 })).toBe('read');
    expect(messageLabel({ type: 'broadcast', msg_id: 4, message: 5 })).toBe('broadcast {"message":5}');
    const long = messageLabel({ type: 'write', msg_id: 1, in_reply_to: 2, value: 'y'.repeat(100) });
    expect(long).toHaveLength(48);
    expect(long.endsWith('…')).toBe(true);
    expect(long.startsWith('write {"value":"yyy')).toBe(true);
    expect(messageLabel({ type: 'error', in_reply_to: 3, code: 20, text: 'key does not exist' })).toBe('error 20 key does not exist');
  });

  it('colours errors pink, client traffic light blue, server traffic black', () => {
    expect(messageColor('n1', 'c3', { type: 'error', code: 11 })).toBe('#FF1E90');
    expect(messageColor('c3', 'n1', { type: 'read' })).toBe('#81BFFC');
    expect(messageColor('n1', 'lin-kv', { type: 'read' })).toBe('#000000');
  });
});

describe('messages.svg', () => {
  const svg = parseXml(lamportSvg(journal())).children[0]!;

  it('leaves init and init_ok out and draws one arrow per delivered message', () => {
    const arrows = find(svg, 'g', 'message');
    // write, gossip, cas, error, write_ok delivered; the drop and the undelivered read have no arrow.
    expect(arrows.map((a) => a.attrs['data-src'] + '>' + a.attrs['data-dest'])).toEqual(['c12>n1', 'n1>n10', 'n1>lin-kv', 'lin-kv>n1', 'n1>c12']);
    expect(svg.attrs['data-events']).toBe('13');
    expect(svg.attrs['data-omitted']).toBe('0');
    expect(find(svg, 'text', 'notice')).toHaveLength(0);
  });

  it('draws one line per participant in Maelstrom order, names at the top', () => {
    const lines = find(svg, 'line', 'participant').map((l) => l.attrs['data-node']);
    expect(lines).toEqual(['c3', 'c12', 'n0', 'n1', 'n2', 'n10', 'lin-kv']);
    const xs = find(svg, 'line', 'participant').map((l) => Number(l.attrs['x1']));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(find(svg, 'text', 'participant-name').map(textOf)).toEqual(lines);
  });

  it('colours arrows, labels them and puts src → dest and the full body in the hover title', () => {
    const arrows = find(svg, 'g', 'message');
    const color = (i: number) => arrows[i]!.children.find((c) => c.tag === 'line')!.attrs['stroke'];
    expect([0, 1, 3].map(color)).toEqual(['#81BFFC', '#000000', '#FF1E90']);
    expect(textOf(arrows[0]!.children.find((c) => c.tag === 'title')!)).toBe(`c12 → n1 {"type":"write","msg_id":7,"key":3,"value":"${'x'.repeat(80)}"}`);
    const label = textOf(find(arrows[0]!, 'text', 'label')[0]!);
    expect(label).toHaveLength(48);
    expect(textOf(find(arrows[3]!, 'text', 'label')[0]!)).toBe('error 22 expected 1, had 4');
  });

  it('arrows go from the send row down to the receive row', () => {
    for (const a of find(svg, 'g', 'message')) {
      const l = a.children.find((c) => c.tag === 'line')!;
      expect(Number(l.attrs['y2'])).toBeGreaterThan(Number(l.attrs['y1']));
    }
  });

  it('takes @gyre/net journal events as they are (type instead of kind, src and dest on every event)', () => {
    const sent = new Map<number, { src: string; dest: string }>();
    const netStyle = journal().map(({ kind, message, ...rest }) => {
      if (message) sent.set(rest.id, message);
      const { src, dest } = sent.get(rest.id)!;
      return { ...rest, type: kind, src, dest, ...(message ? { get message() { return message; } } : {}) };
    });
    expect(lamportSvg(netStyle)).toBe(lamportSvg(journal()));
  });

  it('caps the events and says so in orange; repeats names every 50 rows', () => {
    const many: NetEvent[] = [];
    for (let i = 0; i < 200; i++) {
      many.push({ index: 2 * i, time: i * 10, kind: 'send', id: i, message: { src: 'n1', dest: 'n2', body: { type: 'ping' } } });
      many.push({ index: 2 * i + 1, time: i * 10 + 5, kind: 'recv', id: i });
    }
    const capped = parseXml(lamportSvg(many, { maxEvents: 120 })).children[0]!;
    expect(capped.attrs['data-events']).toBe('120');
    expect(capped.attrs['data-omitted']).toBe('280');
    const notice = find(capped, 'text', 'notice')[0]!;
    expect(notice.attrs['fill']).toBe('#D96918');
    expect(textOf(notice)).toMatch(/^Additional network events not shown/);
    expect([...new Set(find(capped, 'text', 'participant-name').map((t) => t.attrs['data-row']))]).toEqual(['0', '50', '100']);
    expect(find(capped, 'g', 'message')).toHaveLength(60);
  });
});

/** Decodes the packed columns the way the page does. */
function decode(data: LamportData) {
  const buf = inflateRawSync(data.packed);
  expect(buf.length).toBe(data.meta.rawBytes);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
  const T = { u8: Uint8Array, i8: Int8Array, u16: Uint16Array, i16: Int16Array, u32: Uint32Array, i32: Int32Array, f64: Float64Array };
  const col: Record<string, ArrayLike<number>> = {};
  for (const c of data.meta.columns) col[c.name] = new T[c.type](ab, c.offset, c.length);
  const times: number[] = [];
  let cur = 0;
  let big = 0;
  for (let i = 0; i < data.meta.rows; i++) {
    const d = col['rowDt']![i]!;
    cur = d === 0xffffffff ? col['rowBig']![big++]! : cur + d;
    times.push(cur);
  }
  const bodies = new TextDecoder().decode(col['bodies'] as Uint8Array).split('\n');
  const msgs: { send: number; end: number; kind: number; src: string; dest: string; type: string; id: number; rest: string; msgId: number; reply: number }[] = [];
  let s = 0;
  let id = 0;
  for (let i = 0; i < data.meta.messages; i++) {
    s += col['mSend']![i]!;
    id += col['mId']![i]!;
    const e = col['mEnd']![i]!;
    msgs.push({
      send: s,
      end: e ? s + e : (col['mKind']![i]! & 7) > 4 ? s : -1,
      kind: col['mKind']![i]!,
      src: data.meta.participants[col['mSrc']![i]!]!,
      dest: data.meta.participants[col['mDest']![i]!]!,
      type: data.meta.types[col['mType']![i]!]!,
      id,
      rest: bodies[col['mBody']![i]!]!,
      msgId: col['mMsgId']![i]! - 1,
      reply: col['mReply']![i]! - 1,
    });
  }
  return { times, msgs, col, bodies };
}

describe('the interactive view’s data', () => {
  it('keeps every event (init included), in order, with exact times and message ends', async () => {
    const evs = journal();
    const data = await buildLamportData(evs);
    expect(data.meta.rows).toBe(evs.length);
    const { times, msgs } = decode(data);
    expect(times).toEqual(evs.map((e) => e.time));
    expect(msgs).toHaveLength(evs.filter((e) => e.kind === 'send').length);
    const write = msgs.find((m) => m.type === 'write')!;
    expect(write).toMatchObject({ src: 'c12', dest: 'n1', kind: 1, msgId: 7, reply: -1, rest: `{"key":3,"value":"${'x'.repeat(80)}"}` });
    expect(evs[write.send]!.kind).toBe('send');
    expect(evs[write.end]).toMatchObject({ kind: 'recv', id: evs[write.send]!.id });
    const dropped = msgs.find((m) => m.type === 'gossip' && m.dest === 'n0')!;
    expect(dropped.kind & 3).toBe(2);
    // Big integers and floats survive in the body text.
    expect(dropped.rest).toBe('{"values":[4],"big":12345678901234567890,"f":1.0}');
    const read = msgs.find((m) => m.type === 'read')!;
    expect(read.end).toBe(-1);
    expect(msgs.find((m) => m.type === 'error')!.kind & 8).toBe(8);
    expect(data.meta.participants).toEqual(['c0', 'c3', 'c12', 'n0', 'n1', 'n2', 'n10', 'lin-kv']);
  });

  it('interns repeated bodies', async () => {
    const evs: NetEvent[] = [];
    for (let i = 0; i < 1000; i++) evs.push({ index: i, time: i, kind: 'send', id: i, message: { src: 'n1', dest: 'n2', body: { type: 'gossip', msg_id: i, value: i % 10 } } });
    const data = await buildLamportData(evs);
    expect(data.meta.bodies).toBe(10);
    expect(data.meta.types).toEqual(['gossip']);
  });

  it('handles times that do not fit a 32-bit delta and receives with no send', async () => {
    const evs: NetEvent[] = [
      { index: 0, time: 5, kind: 'send', id: 0, message: { src: 'n1', dest: 'n2', body: { type: 'a' } } },
      { index: 1, time: 1e13, kind: 'recv', id: 0 },
      { index: 2, time: 1e13 + 7, kind: 'recv', id: 42, src: 'n3', dest: 'n1' },
    ];
    const { times, msgs } = decode(await buildLamportData(evs));
    expect(times).toEqual([5, 1e13, 1e13 + 7]);
    expect(msgs[1]).toMatchObject({ src: 'n3', dest: 'n1', id: 42, send: 2, end: 2 });
    expect(msgs[1]!.kind & 4).toBe(4);
  });

  it('maps client ids to the processes whose operations they carried', async () => {
    const history: Op[] = [];
    const evs: NetEvent[] = [];
    let id = 0;
    // Two processes working concurrently through clients c7 (process 0) and c9 (process 1).
    for (let k = 0; k < 20; k++) {
      const t = k * 100;
      for (const [p, c] of [[0, 'c7'], [1, 'c9']] as const) {
        const t0 = t + p * 30;
        history.push({ index: history.length, time: t0, type: 'invoke', process: p, f: 'read', value: null });
        evs.push({ index: evs.length, time: t0 + 1, kind: 'send', id: id++, message: { src: c, dest: 'n1', body: { type: 'read' } } });
        history.push({ index: history.length, time: t0 + 50, type: 'ok', process: p, f: 'read', value: 1 });
      }
    }
    history.sort((a, b) => a.time - b.time).forEach((op, i) => (op.index = i));
    evs.sort((a, b) => a.time - b.time).forEach((e, i) => (e.index = i));
    const data = await buildLamportData(evs, history);
    const { col } = decode(data);
    const proc = (c: string) => col['clientProc']![data.meta.participants.indexOf(c)];
    expect(proc('c7')).toBe(0);
    expect(proc('c9')).toBe(1);
    expect(proc('n1')).toBe(-1);
    expect(data.meta.ops).toBe(40);
  });
});

describe('the pages’ scripts', () => {
  it('are valid JavaScript', () => {
    expect(() => new Function(LAMPORT_JS)).not.toThrow();
    expect(() => new Function(TIMELINE_JS)).not.toThrow();
  });

  it('messages.html embeds everything inline and keeps data from closing the script element', async () => {
    const evs = journal();
    evs.push({ index: evs.length, time: 1e9, kind: 'send', id: 99, message: { src: 'n1', dest: 'n2', body: { type: '</script><script>alert(1)</script>' } } });
    const html = lamportHtml(await buildLamportData(evs));
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(html).not.toMatch(/\bsrc=["']https?:|\bhref=["']https?:/);
  });
});
