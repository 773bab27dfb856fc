import fc from 'fast-check';
import { seededRandom } from '@gyre/history';
import type { Message } from '@gyre/protocol';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../test/virtual-clock';
import { readJournal, tallyJournal } from './journal';
import { createRouter, type Router } from './router';

const IDS = ['n0', 'n1', 'n2', 'n3', 'c0', 'c1', 'lin-kv'];
const idx = fc.integer({ min: 0, max: IDS.length - 1 });

type Op =
  | { t: 'send'; s: number; d: number; act: number }
  | { t: 'advance'; ms: number }
  | { t: 'partition'; pairs: [number, number][] }
  | { t: 'heal' }
  | { t: 'down'; i: number; down: boolean }
  | { t: 'unregister'; i: number }
  | { t: 'register'; i: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ t: fc.constant('send' as const), s: idx, d: idx, act: fc.integer({ min: 0, max: 5 }) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('partition' as const), pairs: fc.array(fc.tuple(idx, idx), { maxLength: 8 }) }) },
  { weight: 1, arbitrary: fc.constant({ t: 'heal' as const }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('down' as const), i: idx, down: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('unregister' as const), i: idx }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('register' as const), i: idx }) },
);

const latency = fc.record({
  mean: fc.constantFrom(0, 1, 5, 20),
  dist: fc.constantFrom('constant' as const, 'uniform' as const, 'exponential' as const),
});

/**
 * Drives a router with a schedule. Deliveries may act back on the router (reply, go down, close a
 * participant), as the runner's callbacks would.
 */
function drive(lat: { mean: number; dist: 'constant' | 'uniform' | 'exponential' }, ops: Op[], seed: number) {
  const clock = new VirtualClock();
  const chunks: string[] = [];
  const router: Router = createRouter({ clock, random: seededRandom(seed), latency: lat, journal: (c) => chunks.push(c), journalChunkChars: 512 });
  const delivered: Message[] = [];
  const seenIds = new Set<number>();
  let draining = false;
  let lastId = -1;
  const check = () => {
    const s = router.stats();
    expect(s.sent).toBe(s.delivered + s.dropped.partition + s.dropped.down + s.dropped.unregistered + s.pending);
    expect(s.pending).toBe(router.pending());
    expect(s.delivered).toBe(delivered.length);
    expect(s.clients.sent + s.servers.sent).toBe(s.sent);
    expect(s.clients.delivered + s.servers.delivered).toBe(s.delivered);
    expect(s.sent).toBe(lastId + 1);
  };
  const send = (m: Message) => {
    const r = router.send(m);
    if (r.ok) {
      expect(r.id).toBe(lastId + 1);
      lastId = r.id;
    } else expect(router.has(m.src) && router.has(m.dest)).toBe(false);
  };
  const register = (id: string) =>
    router.register(id, (m) => {
      expect(m.dest).toBe(id);
      expect(seenIds.has(m.id!)).toBe(false);
      seenIds.add(m.id!);
      delivered.push(m);
      if (draining) return;
      const act = m.body['act'];
      if (act === 1) send({ src: id, dest: m.src, body: { type: 'reply', act: 0 } });
      else if (act === 2) router.setDown(id, true);
      else if (act === 3) router.unregister(m.src);
    });
  for (const id of IDS) register(id);
  for (const o of ops) {
    switch (o.t) {
      case 'send':
        send({ src: IDS[o.s]!, dest: IDS[o.d]!, body: { type: 'x', act: o.act } });
        break;
      case 'advance':
        clock.advance(o.ms);
        break;
      case 'partition': {
        const g = new Map<string, Set<string>>();
        for (const [r, s] of o.pairs) g.set(IDS[r]!, (g.get(IDS[r]!) ?? new Set()).add(IDS[s]!));
        router.partition(g);
        break;
      }
      case 'heal':
        router.heal();
        break;
      case 'down':
        router.setDown(IDS[o.i]!, o.down);
        break;
      case 'unregister':
        router.unregister(IDS[o.i]!);
        break;
      case 'register':
        register(IDS[o.i]!);
        break;
    }
    check();
  }
  return {
    router,
    clock,
    chunks,
    delivered,
    check,
    drain() {
      draining = true;
      router.heal();
      for (const id of IDS) router.setDown(id, false);
      clock.runAll();
      check();
    },
  };
}

describe('router properties', () => {
  it('never throws, loses nothing, and its journal agrees with its counters', () => {
    fc.assert(
      fc.property(latency, fc.array(op, { maxLength: 120 }), fc.integer(), (lat, ops, seed) => {
        const run = drive(lat, ops, seed);
        run.router.flush();
        const mid = tallyJournal(run.chunks.join('').split('\n'));
        const { rejected: _, ...live } = run.router.stats();
        expect(mid.stats()).toEqual(live);
        run.drain();
        expect(run.router.pending()).toBe(0);
        run.router.close();
        const lines = run.chunks.join('').split('\n');
        let last = -1;
        for (const ev of readJournal(lines)) {
          expect(ev.time).toBeGreaterThanOrEqual(last);
          last = ev.time;
        }
        const tally = tallyJournal(lines);
        const { rejected: __, ...end } = run.router.stats();
        expect(tally.stats()).toEqual(end);
        expect(tally.netResult(7)).toEqual(run.router.netResult(7));
        expect(run.clock.pendingTimers).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps each sender → receiver pair FIFO under constant latency, partitions or not', () => {
    const calm = op.filter((o) => o.t === 'send' || o.t === 'advance' || o.t === 'partition' || o.t === 'heal');
    fc.assert(
      fc.property(fc.constantFrom(0, 3, 10), fc.array(calm, { maxLength: 150 }), (mean, ops, ) => {
        const run = drive({ mean, dist: 'constant' }, ops.map((o) => (o.t === 'send' ? { ...o, act: o.act === 1 ? 1 : 0 } : o)), 1);
        run.drain();
        const last = new Map<string, number>();
        for (const m of run.delivered) {
          const k = `${m.src}>${m.dest}`;
          expect(m.id!).toBeGreaterThan(last.get(k) ?? -1);
          last.set(k, m.id!);
        }
      }),
      { numRuns: 200 },
    );
  });
});
