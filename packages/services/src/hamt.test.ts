import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../test/helpers';
import { emptyMap, hashString, mapForEach, mapGet, mapMerge, mapSet, mapSize, type PMap } from './hamt';

type Step = { k: string; v: number };
const keys = fc.oneof(fc.string({ maxLength: 3 }), fc.integer({ min: 0, max: 2000 }).map(String));
// A hash with few distinct values forces deep paths and collision nodes.
const hashes = [(k: string) => hashString(k), (k: string) => hashString(k) & 0b1000000000100000000010000000001, () => 7];

function toObject(m: PMap<number>): Record<string, number> {
  const out: Record<string, number> = {};
  mapForEach(m, (v, k) => (out[k] = v));
  return out;
}

describe('persistent hash map', () => {
  it.each(hashes.map((h, i) => [i, h] as const))('agrees with a Map and leaves old versions intact (hash %i)', (_, h) => {
    fc.assert(
      fc.property(fc.array(fc.record({ k: keys, v: fc.integer({ min: 0, max: 3 }) }), { maxLength: 300 }), (steps: Step[]) => {
        let m = emptyMap<number>();
        const model = new Map<string, number>();
        const versions: [PMap<number>, Map<string, number>][] = [];
        for (const { k, v } of steps) {
          deepFreeze(m);
          const next = mapSet(m, k, v, h(k));
          if (model.get(k) === v) expect(next).toBe(m);
          m = next;
          model.set(k, v);
          versions.push([m, new Map(model)]);
        }
        for (const [version, snapshot] of versions) {
          expect(mapSize(version)).toBe(snapshot.size);
          for (const [k, v] of snapshot) expect(mapGet(version, k, h(k))).toBe(v);
          expect(mapGet(version, 'absent-key', h('absent-key'))).toBeUndefined();
        }
      }),
      { numRuns: 60 },
    );
  });

  it.each(hashes.map((h, i) => [i, h] as const))('merges like a per-key winner function, sharing what it can (hash %i)', (_, h) => {
    const entries = fc.array(fc.record({ k: keys, v: fc.integer({ min: 0, max: 5 }) }), { maxLength: 80 });
    fc.assert(
      fc.property(entries, entries, entries, (common, onlyA, onlyB) => {
        let base = emptyMap<number>();
        for (const { k, v } of common) base = mapSet(base, k, v, h(k));
        let a = base;
        let b = base;
        for (const { k, v } of onlyA) a = mapSet(a, k, v, h(k));
        for (const { k, v } of onlyB) b = mapSet(b, k, v, h(k));
        deepFreeze(a);
        deepFreeze(b);
        const winner = (s: number, d: number) => (s >= d ? s : d);
        const merged = mapMerge(a, b, winner);
        const expected = toObject(b);
        for (const [k, v] of Object.entries(toObject(a))) expected[k] = k in expected ? winner(v, expected[k]!) : v;
        expect(toObject(merged)).toEqual(expected);
        for (const k of Object.keys(expected)) expect(mapGet(merged, k, h(k))).toBe(expected[k]);
        // Merging again changes nothing and returns the very same map.
        expect(mapMerge(a, merged, winner)).toBe(merged);
        expect(mapMerge(merged, merged, winner)).toBe(merged);
        expect(mapMerge(base, base, winner)).toBe(base);
      }),
      { numRuns: 80 },
    );
  });

  it('returns the destination itself when the source adds nothing', () => {
    let a = emptyMap<number>();
    for (let i = 0; i < 1000; i++) a = mapSet(a, `k${i}`, 1);
    const b = mapSet(a, 'k5', 2);
    expect(mapMerge(a, b, (s, d) => Math.max(s, d))).toBe(b);
    expect(mapMerge(b, a, (s, d) => Math.max(s, d))).toBe(b);
  });
});
