import { seededRandom, valueKey } from '@gyre/history';
import type { Body } from '@gyre/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepFreeze, Driver, scripted } from '../test/helpers';
import { mapGet } from './hamt';
import { seqKv, type SeqKvState } from './seq-kv';

const X = valueKey('x');
const newestX = (s: SeqKvState) => mapGet(s.states[s.states.length - 1]!, X);
const indexOf = (s: SeqKvState, src: string) => mapGet(s.requesters, src) ?? 0;

/** n1 writes x = 1, 2, ..., n (each write appends a state: state i holds x = i). */
function written(n: number, window?: number): Driver<SeqKvState> {
  const kv = new Driver(seqKv(window === undefined ? {} : { window }), scripted(Array(n).fill(0)));
  for (let i = 1; i <= n; i++) kv.call('n1', { type: 'write', key: 'x', value: i });
  return kv;
}

describe('seq-kv, step by step (maelstrom.md §3.3)', () => {
  it('picks an index in [requester index, last index] and records it after an unchanged result', () => {
    const kv = written(3);
    expect(kv.state.lastIndex).toBe(3);
    kv.random = scripted([1, 0, 1, 1]);
    // n2 starts at index 0: choice 1 is state 1.
    expect(kv.call('n2', { type: 'read', key: 'x' })).toEqual({ type: 'read_ok', value: 1 });
    expect(indexOf(kv.state, 'n2')).toBe(1);
    // Now its range starts at 1: choice 0 is state 1 again, choice 1 is state 2.
    expect(kv.call('n2', { type: 'read', key: 'x' })).toEqual({ type: 'read_ok', value: 1 });
    expect(kv.call('n2', { type: 'read', key: 'x' })).toEqual({ type: 'read_ok', value: 2 });
    expect(kv.call('n2', { type: 'read', key: 'x' })).toEqual({ type: 'read_ok', value: 3 });
    // State 0 is the empty store.
    kv.random = scripted([0]);
    expect(kv.call('n3', { type: 'read', key: 'x' })).toMatchObject({ code: 20 });
    expect(kv.state.lastIndex).toBe(3);
  });

  it('lets a cas fail against a stale state', () => {
    const kv = written(3);
    kv.random = scripted([1]);
    expect(kv.call('n2', { type: 'cas', key: 'x', from: 3, to: 4 })).toEqual({ type: 'error', code: 22, text: 'current value 1 is not 3' });
    expect(kv.state.lastIndex).toBe(3);
    expect(indexOf(kv.state, 'n2')).toBe(1);
  });

  it('re-runs an update on the newest state and appends the result, even when that run changes nothing', () => {
    const kv = written(3);
    kv.random = scripted([1]);
    // On stale state 1 the cas would succeed (a change), so it runs on state 3, where it fails.
    expect(kv.call('n2', { type: 'cas', key: 'x', from: 1, to: 9 })).toEqual({ type: 'error', code: 22, text: 'current value 3 is not 1' });
    expect(kv.state.lastIndex).toBe(4);
    expect(newestX(kv.state)).toBe(3);
    expect(indexOf(kv.state, 'n2')).toBe(4);
    kv.random = scripted([0]);
    expect(kv.call('n2', { type: 'write', key: 'y', value: 0 })).toEqual({ type: 'write_ok' });
    expect(kv.state.lastIndex).toBe(5);
    expect(indexOf(kv.state, 'n2')).toBe(5);
  });

  it('treats a write equal to a stale value as a no-op that never reaches the newest state', () => {
    const kv = written(3);
    kv.random = scripted([1, 0]);
    expect(kv.call('n2', { type: 'write', key: 'x', value: 1 })).toEqual({ type: 'write_ok' });
    expect(kv.state.lastIndex).toBe(3);
    expect(newestX(kv.state)).toBe(3);
    expect(indexOf(kv.state, 'n2')).toBe(1);
    // create_if_not_exists on a state where the key exists with that value: also unchanged.
    expect(kv.call('n2', { type: 'cas', key: 'x', from: 1, to: 1, create_if_not_exists: true })).toEqual({ type: 'cas_ok' });
    expect(kv.state.lastIndex).toBe(3);
  });

  it('keeps only the last 32 states', () => {
    const kv = written(40);
    expect(kv.state.states.length).toBe(32);
    expect(kv.state.states.map((s) => mapGet(s, X))).toEqual(Array.from({ length: 32 }, (_, i) => i + 9));
  });

  it('wraps a requester more than 31 states behind into the window, and may then go backwards (Maelstrom quirk)', () => {
    const kv = written(40);
    // n2 is at index 0 and picks index 3. 3 - 40 - 1 = -38 ≡ 26 (mod 32): position 26 of the
    // ring holds state 9 + 26 = 35. n2 sees state 35 but records index 3.
    kv.random = scripted([3]);
    expect(kv.call('n2', { type: 'read', key: 'x' })).toEqual({ type: 'read_ok', value: 35 });
    expect(indexOf(kv.state, 'n2')).toBe(3);
    // Next it picks index 10, inside the window: state 10, older than the 35 it saw.
    kv.random = scripted([7]);
    expect(kv.call('n2', { type: 'read', key: 'x' })).toEqual({ type: 'read_ok', value: 10 });
    // An update brings it to the newest state, as always.
    kv.random = scripted([0]);
    kv.call('n2', { type: 'write', key: 'y', value: 1 });
    expect(indexOf(kv.state, 'n2')).toBe(41);
  });

  it('picks uniformly in [requester index, last index], both bounds included', () => {
    const kv = written(10);
    kv.random = seededRandom('uniform');
    const counts = new Array(11).fill(0);
    for (let i = 0; i < 11_000; i++) {
      const r = kv.call(`fresh${i}`, { type: 'read', key: 'x' });
      counts[r.type === 'error' ? 0 : (r['value'] as number)]++;
    }
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it('never mutates a previous state', () => {
    const kv = written(40);
    kv.random = seededRandom(5);
    const snapshots: [SeqKvState, number][] = [];
    for (let i = 0; i < 300; i++) {
      deepFreeze(kv.state);
      snapshots.push([kv.state, kv.state.lastIndex]);
      kv.call(`n${i % 4}`, i % 3 === 0 ? { type: 'write', key: 'x', value: 100 + i } : { type: 'read', key: 'x' });
    }
    for (const [s, last] of snapshots) expect(s.lastIndex).toBe(last);
  });
});

/**
 * Random runs of reads and writes of unique values to one key, so that a value read identifies
 * the state it came from (the empty state 0 answers error 20).
 */
const runs = fc.record({
  seed: fc.integer(),
  window: fc.constantFrom(32, 32, 4),
  reqs: fc.array(fc.tuple(fc.constantFrom('n1', 'n2', 'n3', 'n4'), fc.constantFrom('read', 'read', 'read', 'write')), { maxLength: 400 }),
});

interface Observation {
  src: string;
  index: number;
  /** Whether the requester's index was more than window - 1 behind when it asked. */
  wrapped: boolean;
  last: number;
}

function observe(seed: number, window: number, reqs: [string, string][]): { kv: Driver<SeqKvState>; obs: Observation[] } {
  const kv = new Driver(seqKv({ window }), seededRandom(seed));
  const stateOf = new Map<unknown, number>();
  const obs: Observation[] = [];
  let n = 0;
  for (const [src, type] of reqs) {
    const wrapped = kv.state.lastIndex - indexOf(kv.state, src) > window - 1;
    const body: Body = type === 'write' ? { type, key: 'x', value: ++n } : { type, key: 'x' };
    const reply = kv.call(src, body);
    const last = kv.state.lastIndex;
    if (type === 'write') {
      stateOf.set(n, last);
      obs.push({ src, index: last, wrapped, last });
    } else {
      obs.push({ src, index: reply.type === 'error' ? 0 : stateOf.get(reply['value'])!, wrapped, last });
    }
  }
  return { kv, obs };
}

describe('seq-kv properties', () => {
  it('never reads a state more than window - 1 states older than the newest', () => {
    fc.assert(
      fc.property(runs, ({ seed, window, reqs }) => {
        for (const o of observe(seed, window, reqs).obs) {
          expect(o.index).toBeLessThanOrEqual(o.last);
          expect(o.index).toBeGreaterThanOrEqual(o.last - (window - 1));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('reads by one requester never go backwards while it stays within the window', () => {
    fc.assert(
      fc.property(runs, ({ seed, window, reqs }) => {
        const prev = new Map<string, Observation>();
        for (const o of observe(seed, window, reqs).obs) {
          const p = prev.get(o.src);
          if (p && !p.wrapped && !o.wrapped) expect(o.index).toBeGreaterThanOrEqual(p.index);
          prev.set(o.src, o);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('with the default window and requests evenly spread, reads by one requester never go backwards', () => {
    // 4 requesters with 1 write in 4 requests: a requester falls 32 states behind essentially never.
    fc.assert(
      fc.property(runs, ({ seed, reqs }) => {
        const { obs } = observe(seed, 32, reqs);
        if (obs.some((o) => o.wrapped)) return;
        const prev = new Map<string, number>();
        for (const o of obs) {
          expect(o.index).toBeGreaterThanOrEqual(prev.get(o.src) ?? 0);
          prev.set(o.src, o.index);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('answers a requester repeated reads with the newest state eventually, then forever', () => {
    fc.assert(
      fc.property(runs, fc.constantFrom('n1', 'n9'), ({ seed, window, reqs }, reader) => {
        const { kv } = observe(seed, window, reqs);
        const newest = newestX(kv.state);
        const want = newest === undefined ? { type: 'error', code: 20, text: 'key does not exist' } : { type: 'read_ok', value: newest };
        // Eventually the reader picks the newest index (a stale state holding the same value does
        // not count: with an index behind the window its next read may wrap to an older value).
        let k = 0;
        while (indexOf(kv.state, reader) !== kv.state.lastIndex) {
          kv.call(reader, { type: 'read', key: 'x' });
          expect(++k).toBeLessThan(2000);
        }
        for (let i = 0; i < 50; i++) expect(kv.call(reader, { type: 'read', key: 'x' })).toEqual(want);
      }),
      { numRuns: 100 },
    );
  });

  it('is deterministic: same seed, same replies', () => {
    fc.assert(
      fc.property(runs, ({ seed, window, reqs }) => {
        const a = observe(seed, window, reqs).obs;
        const b = observe(seed, window, reqs).obs;
        expect(b).toEqual(a);
      }),
      { numRuns: 50 },
    );
  });
});
