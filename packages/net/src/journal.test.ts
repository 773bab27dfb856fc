import { describe, expect, it } from 'vitest';
import { harness } from '../test/harness';
import {
  JOURNAL_HEADER,
  JournalFormatError,
  JournalTally,
  JournalReader,
  netResultFromJournal,
  readJournal,
  tallyJournal,
  type JournalEvent,
} from './journal';

/** A run with every kind of event: latency, clients, a partition, a down node, a closed client. */
function scriptedRun(journalChunkChars?: number) {
  const h = harness(['n0', 'n1', 'n2', 'c0', 'c1', 'lin-kv'], {
    latency: { mean: 5, dist: 'exponential' },
    seed: 'journal',
    ...(journalChunkChars === undefined ? {} : { journalChunkChars }),
  });
  for (let i = 0; i < 3; i++) {
    h.send(`c0`, `n${i}`, { type: 'init', msg_id: i + 1, node_id: `n${i}` });
    h.send(`n${i}`, 'c0', { type: 'init_ok', in_reply_to: i + 1 });
  }
  h.clock.runAll();
  h.router.partition(new Map([['n2', new Set(['n0', 'n1'])]]));
  for (let i = 0; i < 20; i++) {
    h.send(`n${i % 3}`, `n${(i + 1) % 3}`, { type: 'gossip', i });
    h.send(`n${i % 3}`, 'lin-kv', { type: 'read', key: i, msg_id: i });
    h.clock.advance(1);
  }
  h.clock.runAll();
  h.router.setDown('n1', true);
  for (let i = 0; i < 14; i++) h.send('n0', 'n1', { type: 'gossip', i });
  h.send('n0', 'c1', { type: 'late' });
  h.router.unregister('c1');
  h.clock.runAll();
  h.router.heal();
  h.router.setDown('n1', false);
  h.clock.runAll();
  h.router.send({ src: 'nobody', dest: 'n0', body: {} });
  return h;
}

describe('journal', () => {
  it('round-trips: events are contiguous and agree with deliveries; the tally equals the live counters', () => {
    const h = scriptedRun();
    const text = h.journal();
    const lines = text.split('\n');
    expect(lines[0]).toBe(JOURNAL_HEADER);
    expect(lines.at(-1)).toBe('');
    const events = [...readJournal(lines)];
    expect(events.map((e) => e.index)).toEqual(events.map((_, i) => i));
    for (let i = 1; i < events.length; i++) expect(events[i]!.time).toBeGreaterThanOrEqual(events[i - 1]!.time);

    const sends = new Map<number, JournalEvent & { type: 'send' }>();
    for (const e of events) if (e.type === 'send') sends.set(e.id, e);
    expect([...sends.keys()]).toEqual([...sends.keys()].map((_, i) => i));
    const recvs = events.filter((e) => e.type === 'recv');
    expect(recvs.map((e) => [e.id, e.src, e.dest, e.time / 1e6])).toEqual(h.all.map((d) => [d.m.id, d.m.src, d.m.dest, d.at]));
    for (const d of h.all) {
      const s = sends.get(d.m.id!)!;
      expect(s.line).toBe(d.line);
      expect(s.message).toEqual(d.m);
      expect([s.src, s.dest]).toEqual([d.m.src, d.m.dest]);
    }
    for (const e of events) if (e.type !== 'send') expect(sends.get(e.id)!.time).toBeLessThanOrEqual(e.time);

    const { rejected, ...live } = h.router.stats();
    expect(rejected['unknown-src']).toBe(1);
    expect(live.dropped.partition).toBeGreaterThan(0);
    expect(live.dropped.down).toBe(4);
    expect(live.dropped.unregistered).toBe(1);
    const tally = tallyJournal(lines);
    expect(tally.stats()).toEqual(live);
    expect(tally.events).toBe(events.length);
    for (const n of [0, 3, 40]) expect(netResultFromJournal(lines, n)).toEqual(h.router.netResult(n));
  });

  it('hands the sink chunks of whole lines near the chunk size, the same text whatever the size', () => {
    const small = scriptedRun(300);
    const whole = scriptedRun().journal();
    expect(small.journal()).toBe(whole);
    expect(small.chunks.length).toBeGreaterThan(10);
    for (const c of small.chunks.slice(0, -1)) {
      expect(c.endsWith('\n')).toBe(true);
      expect(c.length).toBeGreaterThanOrEqual(300);
      expect(c.length).toBeLessThan(300 + 200);
    }
  });

  it('reads ids that need escaping and keeps message numbers exact', () => {
    const odd = 'n"1\\é';
    const h = harness([odd, 'n2']);
    h.send(odd, 'n2', { type: 'x', big: 12345678901234567890n });
    h.clock.runAll();
    const events = [...readJournal(h.journal().split('\n'))];
    expect(events.map((e) => [e.type, e.src, e.dest])).toEqual([
      ['send', odd, 'n2'],
      ['recv', odd, 'n2'],
    ]);
    const send = events[0]!;
    if (send.type !== 'send') throw new Error('expected a send');
    expect(send.message.body['big']).toBe(12345678901234567890n);
  });

  it('skips the header and blank lines, tolerates CRLF, fills in src and dest, and rejects what is not an event', () => {
    const r = new JournalReader();
    expect(r.read(JOURNAL_HEADER)).toBeUndefined();
    expect(r.read('')).toBeUndefined();
    expect(r.read('[5,"s",2,"n1","n2",{"src":"n1","dest":"n2","body":{}}]')).toMatchObject({ index: 0, time: 5, type: 'send', id: 2 });
    expect(r.read('[7,"s",3,"n2","n1",{"src":"n2","dest":"n1","body":{}}]')?.index).toBe(1);
    expect(r.pending).toBe(2);
    expect(r.read('[10,"r",2]\r')).toEqual({ index: 2, time: 10, type: 'recv', id: 2, src: 'n1', dest: 'n2' });
    expect(r.read('[11,"d",3,"down"]')).toEqual({ index: 3, time: 11, type: 'drop', id: 3, src: 'n2', dest: 'n1', reason: 'down' });
    expect(r.pending).toBe(0);
    expect(r.events).toBe(4);
    const bad = [
      'hello',
      '[1,"x",3]',
      '[1,"r",3]', // never sent
      '[1,"r",2]', // already received
      '[1,"s",9,"a","b",{}',
      '[1,"s",9,"a",{}]',
      '[x,"r",3]',
    ];
    for (const line of bad) expect(() => r.read(line), line).toThrow(JournalFormatError);
    const s = new JournalReader();
    s.read('[1,"s",4,"a","b",{"body":{}}]');
    expect(() => s.read('[2,"d",4,"lost"]')).toThrow(JournalFormatError);
    expect(() => s.read('[2,"s",4,"a","b",{"body":{}}]')).toThrow(/sent twice/);
  });

  it('counts each message id once in msg-count, as Maelstrom does', () => {
    const t = new JournalTally();
    const lines = ['[0,"s",0,"c0","n1",{}]', '[0,"r",0]', '[0,"s",1,"n1","n2",{}]', '[0,"d",1,"partition"]'];
    for (const ev of readJournal(lines)) t.add(ev);
    expect(t.netResult(1)).toEqual({
      all: { sendCount: 2, recvCount: 1, msgCount: 2, msgsPerOp: 2 },
      clients: { sendCount: 1, recvCount: 1, msgCount: 1 },
      servers: { sendCount: 1, recvCount: 0, msgCount: 1, msgsPerOp: 1 },
      valid: true,
    });
    expect(t.stats()).toMatchObject({ sent: 2, delivered: 1, pending: 0, dropped: { partition: 1 } });
  });

  it('writes nothing when there is no sink', () => {
    const h = harness(['n1', 'n2'], { journal: undefined });
    h.send('n1', 'n2');
    h.clock.runAll();
    h.router.close();
    expect(h.chunks).toEqual([]);
    expect(h.router.stats().delivered).toBe(1);
  });
});
