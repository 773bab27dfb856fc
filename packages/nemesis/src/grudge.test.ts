import { seededRandom } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import {
  bisect,
  bridge,
  completeGrudge,
  type Grudge,
  grudgeValue,
  invertGrudge,
  isSymmetric,
  majoritiesRing,
  PARTITION_SHAPES,
  partitionGrudge,
  splitOne,
  visibleFrom,
} from './grudge';

const nodesOf = (n: number) => Array.from({ length: n }, (_, i) => `n${i + 1}`);
const SIZES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 25];
const SEEDS = Array.from({ length: 40 }, (_, i) => i);
const cutCount = (g: Grudge) => [...g.values()].reduce((a, s) => a + s.size, 0);

describe('grudge helpers', () => {
  it('completeGrudge cuts every component off from the others', () => {
    const g = completeGrudge([['a'], ['b', 'c'], []]);
    expect(grudgeValue(g)).toEqual({ a: ['b', 'c'], b: ['a'], c: ['a'] });
    expect(isSymmetric(g)).toBe(true);
  });

  it('bisect puts the smaller half first', () => {
    expect(bisect([1, 2, 3, 4, 5])).toEqual([[1, 2], [3, 4, 5]]);
    expect(bisect([])).toEqual([[], []]);
  });

  it('splitOne isolates one node, chosen or given', () => {
    const [one, rest] = splitOne(['a', 'b', 'c'], seededRandom(1));
    expect(one).toHaveLength(1);
    expect([...one, ...rest].sort()).toEqual(['a', 'b', 'c']);
    expect(splitOne(['a', 'b'], seededRandom(1), 'b')).toEqual([['b'], ['a']]);
  });

  it('bridge keeps one node connected to both halves', () => {
    const g = bridge(['a', 'b', 'c', 'd', 'e']);
    expect(grudgeValue(g, ['a', 'b', 'c', 'd', 'e'])).toEqual({ a: ['d', 'e'], b: ['d', 'e'], d: ['a', 'b'], e: ['a', 'b'] });
    expect(isSymmetric(g)).toBe(true);
  });

  it('invertGrudge drops whoever a node is not connected to, never itself', () => {
    const g = invertGrudge(['a', 'b', 'c'], new Map([['a', ['b']]]));
    expect(grudgeValue(g)).toEqual({ a: ['c'], b: ['a', 'c'], c: ['a', 'b'] });
  });

  it('isSymmetric spots one-way cuts', () => {
    expect(isSymmetric(new Map([['a', new Set(['b'])]]))).toBe(false);
  });

  it('grudgeValue orders by the node list', () => {
    const g = new Map([['n3', new Set(['n2', 'n1'])], ['n1', new Set(['n3'])]]);
    expect(JSON.stringify(grudgeValue(g, ['n1', 'n2', 'n3']))).toBe('{"n1":["n3"],"n3":["n1","n2"]}');
  });
});

describe('partition shapes', () => {
  it('one: a single node cut off from all others', () => {
    for (const n of SIZES) {
      const nodes = nodesOf(n);
      const g = partitionGrudge('one', nodes, seededRandom(n));
      expect(isSymmetric(g)).toBe(true);
      if (n === 1) {
        expect(cutCount(g)).toBe(0);
        continue;
      }
      if (n === 2) {
        expect(grudgeValue(g, nodes)).toEqual({ n1: ['n2'], n2: ['n1'] });
        continue;
      }
      const loners = nodes.filter((x) => g.get(x)!.size === n - 1);
      expect(loners).toHaveLength(1);
      for (const x of nodes) if (x !== loners[0]) expect([...g.get(x)!]).toEqual(loners);
    }
  });

  it('minority-third: floor((N-1)/3) nodes cut off, nothing for N <= 3', () => {
    for (const n of SIZES) {
      const nodes = nodesOf(n);
      const g = partitionGrudge('minority-third', nodes, seededRandom(n));
      const k = Math.floor((n - 1) / 3);
      expect(isSymmetric(g)).toBe(true);
      if (n <= 3) {
        expect(k).toBe(0);
        expect(cutCount(g)).toBe(0);
        continue;
      }
      const minority = nodes.filter((x) => g.get(x)!.size === n - k);
      const majority = nodes.filter((x) => g.get(x)!.size === k);
      expect(minority).toHaveLength(k);
      expect(majority).toHaveLength(n - k);
      for (const x of minority) expect(visibleFrom(g, nodes, x).sort()).toEqual([...minority].sort());
    }
  });

  it('majority: floor(N/2) nodes against the rest', () => {
    for (const n of SIZES) {
      const nodes = nodesOf(n);
      const g = partitionGrudge('majority', nodes, seededRandom(n));
      expect(isSymmetric(g)).toBe(true);
      const small = Math.floor(n / 2);
      const sides = new Map<string, string[]>();
      for (const x of nodes) {
        const side = visibleFrom(g, nodes, x).sort().join(',');
        sides.set(side, [...(sides.get(side) ?? []), x]);
      }
      const sizes = [...sides.values()].map((s) => s.length).sort((a, b) => a - b);
      expect(sizes).toEqual(small === 0 ? [n] : [small, n - small]);
    }
  });

  it('majorities-ring: every node hears a majority, no two hear the same one', () => {
    for (const n of SIZES) {
      const nodes = nodesOf(n);
      const m = Math.floor(n / 2) + 1;
      for (const seed of SEEDS) {
        const g = majoritiesRing(nodes, seededRandom(seed));
        expect([...g.keys()].sort()).toEqual([...nodes].sort());
        const seen = nodes.map((x) => visibleFrom(g, nodes, x));
        for (const v of seen) expect(v.length).toBeGreaterThanOrEqual(m);
        if (n <= 2) {
          expect(cutCount(g)).toBe(0);
          continue;
        }
        expect(new Set(seen.map((v) => v.join(','))).size).toBe(n);
        for (const v of seen) expect(v.length).toBeLessThanOrEqual(n <= 5 ? m : m + 1);
        if (n !== 3) expect(isSymmetric(g)).toBe(true);
      }
    }
  });

  it('majorities-ring for 5 nodes is a ring: each hears its two neighbours', () => {
    const nodes = nodesOf(5);
    const g = majoritiesRing(nodes, seededRandom(3));
    // Follow the "hears" relation: a 5-cycle in which every node has degree 2.
    const next = new Map(nodes.map((x) => [x, visibleFrom(g, nodes, x).filter((y) => y !== x)]));
    for (const v of next.values()) expect(v).toHaveLength(2);
    const cycle = [nodes[0]!];
    while (cycle.length < 5) cycle.push(next.get(cycle.at(-1)!)!.find((y) => !cycle.includes(y))!);
    expect(next.get(cycle[4]!)).toContain(cycle[0]);
  });

  it('majorities-ring for 3 nodes is a one-way ring', () => {
    const nodes = nodesOf(3);
    const g = majoritiesRing(nodes, seededRandom(1));
    for (const x of nodes) expect(g.get(x)!.size).toBe(1);
    expect(isSymmetric(g)).toBe(false);
  });

  it('majorities-ring above 5 nodes is random, not one fixed pattern', () => {
    const nodes = nodesOf(7);
    const shapes = new Set(SEEDS.map((s) => JSON.stringify(grudgeValue(majoritiesRing(nodes, seededRandom(s)), nodes))));
    expect(shapes.size).toBeGreaterThan(20);
  });

  it('every shape is a function of the seed', () => {
    const nodes = nodesOf(9);
    for (const shape of PARTITION_SHAPES) {
      const a = grudgeValue(partitionGrudge(shape, nodes, seededRandom('s')), nodes);
      expect(grudgeValue(partitionGrudge(shape, nodes, seededRandom('s')), nodes)).toEqual(a);
    }
  });

  it('rejects unknown shapes', () => {
    expect(() => partitionGrudge('halves' as never, ['a'], seededRandom(1))).toThrow(RangeError);
  });
});
