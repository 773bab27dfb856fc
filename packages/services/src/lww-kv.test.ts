import { seededRandom, valueKey } from '@gyre/history';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepFreeze, Driver, scripted } from '../test/helpers';
import { emptyMap, mapGet, mapSet } from './hamt';
import { lwwKv, mergeReplicas, type LwwEntry, type LwwKvState, type LwwReplica } from './lww-kv';

const X = valueKey('x');
const replica = (clock: number, entries: Record<string, LwwEntry>): LwwReplica => {
  let kv = emptyMap<LwwEntry>();
  for (const [k, e] of Object.entries(entries)) kv = mapSet(kv, valueKey(k), e);
  return { clock, kv };
};
const entry = (r: LwwReplica, k: string) => mapGet(r.kv, valueKey(k));

describe('lww-kv merge', () => {
  it('keeps the higher timestamp per key, gives ties to the source, and takes the larger clock', () => {
    const src = replica(5, { a: { ts: 4, value: 'src' }, b: { ts: 1, value: 'src' }, c: { ts: 2, value: 'src' }, only: { ts: 0, value: 's' } });
    const dst = replica(3, { a: { ts: 2, value: 'dst' }, b: { ts: 2, value: 'dst' }, c: { ts: 2, value: 'dst' }, mine: { ts: 0, value: 'd' } });
    const m = mergeReplicas(src, dst);
    expect(m.clock).toBe(5);
    expect(entry(m, 'a')?.value).toBe('src');
    expect(entry(m, 'b')?.value).toBe('dst');
    expect(entry(m, 'c')?.value).toBe('src');
    expect(entry(m, 'only')?.value).toBe('s');
    expect(entry(m, 'mine')?.value).toBe('d');
    expect(mergeReplicas(m, m)).toBe(m);
    expect(mergeReplicas(src, m)).toBe(m);
    // Merging the other way, the tie on c goes to the new source.
    expect(entry(mergeReplicas(dst, m), 'c')?.value).toBe('dst');
  });
});

describe('lww-kv step by step', () => {
  it('merges source into destination, then runs the request on a third random replica', () => {
    // Random draws per request: source, destination, target.
    const kv = new Driver(lwwKv(), scripted([0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 1]));
    expect(kv.call('n1', { type: 'write', key: 'x', value: 'a' })).toEqual({ type: 'write_ok' }); // on replica 0, ts 0
    expect(kv.call('n1', { type: 'read', key: 'x' })).toMatchObject({ code: 20 }); // replica 1 has not seen it
    expect(kv.call('n1', { type: 'read', key: 'x' })).toEqual({ type: 'read_ok', value: 'a' }); // 0 merged into 1
    expect(kv.call('n1', { type: 'read', key: 'x' })).toEqual({ type: 'read_ok', value: 'a' });
    expect(kv.state.replicas.map((r) => r.clock)).toEqual([1, 1]);
  });

  it('stamps writes with the replica clock and advances it; cas ignores create_if_not_exists', () => {
    const kv = new Driver(lwwKv({ replicas: 1 }), scripted(Array(30).fill(0)));
    kv.call('n1', { type: 'write', key: 'x', value: 1 });
    kv.call('n1', { type: 'write', key: 'x', value: 2 });
    expect(kv.call('n1', { type: 'cas', key: 'x', from: 2, to: 3 })).toEqual({ type: 'cas_ok' });
    expect(kv.call('n1', { type: 'cas', key: 'y', from: 2, to: 3, create_if_not_exists: true })).toMatchObject({ code: 20 });
    expect(kv.state.replicas[0]!.clock).toBe(3);
    expect(mapGet(kv.state.replicas[0]!.kv, X)).toEqual({ ts: 2, value: 3 });
  });

  it('with keepMerges: false (Maelstrom) the replicas never converge', () => {
    const kv = new Driver(lwwKv({ keepMerges: false }), seededRandom('maelstrom'));
    kv.random = scripted([0, 1, 0]);
    kv.call('n1', { type: 'write', key: 'x', value: 1 });
    kv.random = seededRandom('maelstrom');
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(String(kv.call('n1', { type: 'read', key: 'x' }).type));
    expect([...seen].sort()).toEqual(['error', 'read_ok']);
    expect(mapGet(kv.state.replicas[1]!.kv, X)).toBeUndefined();
  });

  it('never mutates a previous state', () => {
    const kv = new Driver(lwwKv(), seededRandom(9));
    const snaps: [LwwKvState, string][] = [];
    for (let i = 0; i < 300; i++) {
      deepFreeze(kv.state);
      snaps.push([kv.state, JSON.stringify(kv.state.replicas.map((r) => r.clock))]);
      kv.call('n1', i % 2 ? { type: 'write', key: i % 7, value: i } : { type: 'read', key: i % 7 });
    }
    for (const [s, clocks] of snaps) expect(JSON.stringify(s.replicas.map((r) => r.clock))).toBe(clocks);
  });
});

const writes = fc.array(fc.record({ key: fc.constantFrom('x', 'y', 'z'), value: fc.integer({ min: 0, max: 1000 }) }), { minLength: 1, maxLength: 60 });

describe('lww-kv convergence (Gyre keeps its merges)', () => {
  it('after writes stop, repeated reads settle on one value per key, the one with the highest timestamp', () => {
    fc.assert(
      fc.property(writes, fc.integer(), (ws, seed) => {
        const kv = new Driver(lwwKv(), seededRandom(seed));
        for (const w of ws) kv.call('n1', { type: 'write', ...w });
        // Candidates: per key, the entries with the highest timestamp on either replica (on a tie,
        // whichever replica merges first decides).
        const before = kv.state.replicas;
        for (let i = 0; i < 200; i++) kv.call('n2', { type: 'read', key: 'x' });
        const [a, b] = kv.state.replicas;
        for (const k of ['x', 'y', 'z']) {
          const ea = mapGet(a!.kv, valueKey(k));
          expect(ea).toEqual(mapGet(b!.kv, valueKey(k)));
          const entries = before.map((r) => mapGet(r.kv, valueKey(k))).filter((e) => e !== undefined);
          const top = Math.max(...entries.map((e) => e.ts));
          if (ea === undefined) expect(entries).toEqual([]);
          else expect(entries.filter((e) => e.ts === top)).toContainEqual(ea);
          const wanted = ea === undefined ? { type: 'error', code: 20, text: 'key does not exist' } : { type: 'read_ok', value: ea.value };
          for (let i = 0; i < 20; i++) expect(kv.call('n3', { type: 'read', key: k })).toEqual(wanted);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('returns the last write once the replicas had time to converge between writes', () => {
    fc.assert(
      fc.property(writes, fc.integer(), (ws, seed) => {
        const kv = new Driver(lwwKv(), seededRandom(seed));
        const last = new Map<string, number>();
        for (const w of ws) {
          kv.call('n1', { type: 'write', ...w });
          last.set(w.key, w.value);
          // Quiet period: reads until both replicas agree on everything, clocks included.
          let guard = 0;
          for (;;) {
            const [a, b] = kv.state.replicas;
            if (a!.clock === b!.clock && ['x', 'y', 'z'].every((k) => JSON.stringify(mapGet(a!.kv, valueKey(k))) === JSON.stringify(mapGet(b!.kv, valueKey(k))))) break;
            kv.call('n2', { type: 'read', key: 'x' });
            expect(++guard).toBeLessThan(500);
          }
        }
        for (const [key, value] of last) expect(kv.call('n3', { type: 'read', key })).toEqual({ type: 'read_ok', value });
      }),
      { numRuns: 100 },
    );
  });

  it('a write is eventually seen by every read', () => {
    for (let seed = 0; seed < 50; seed++) {
      const kv = new Driver(lwwKv(), seededRandom(seed));
      kv.call('n1', { type: 'write', key: 'k', value: seed });
      let i = 0;
      while (kv.call('n2', { type: 'read', key: 'k' }).type !== 'read_ok') expect(++i).toBeLessThan(200);
      for (let j = 0; j < 100; j++) kv.call('n2', { type: 'read', key: 'k' });
      for (let j = 0; j < 20; j++) expect(kv.call('n2', { type: 'read', key: 'k' })).toEqual({ type: 'read_ok', value: seed });
    }
  });
});
