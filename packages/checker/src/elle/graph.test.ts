import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type EdgeSource, buildGraph } from './graph';

type Edge = [number, number, number];

/** The graph as a map from "dst src" to the or of the relations, self-loops dropped. */
function expected(sources: Edge[][]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of sources) for (const [a, b, r] of s) if (a !== b) m.set(`${b} ${a}`, (m.get(`${b} ${a}`) ?? 0) | r);
  return m;
}

function actual(n: number, sources: Edge[][], capacity: number): Map<string, number> {
  const srcs: EdgeSource[] = sources.map((s) => (emit) => {
    for (const [a, b, r] of s) emit(a, b, r);
  });
  const g = buildGraph(n, srcs, undefined, capacity, capacity);
  const m = new Map<string, number>();
  expect(g.start[0]).toBe(0);
  expect(g.start[n]).toBe(g.src.length);
  for (let v = 0; v < n; v++) {
    expect(g.start[v + 1]!).toBeGreaterThanOrEqual(g.start[v]!);
    for (let e = g.start[v]!; e < g.start[v + 1]!; e++) {
      const key = `${v} ${g.src[e]}`;
      // Parallel edges are merged: each (src, dst) pair appears once.
      expect(m.has(key)).toBe(false);
      m.set(key, g.rel[e]!);
    }
  }
  return m;
}

const edge = (n: number) => fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.constantFrom(1, 2, 4, 8, 16));

describe('buildGraph', () => {
  it('holds every edge of every source once, relations merged, whatever order the sources emit them in', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }).chain((n) =>
          fc.tuple(
            fc.constant(n),
            fc.array(fc.array(edge(n), { maxLength: 40 }), { minLength: 1, maxLength: 3 }),
            fc.boolean(),
            fc.boolean(),
            fc.constantFrom(1, 4, 1024),
          ),
        ),
        ([n, sources, sortFirst, groupOthers, capacity]) => {
          // Sorted and grouped sources take the one-run path (with vertices skipped between
          // groups); random order takes the two-run one.
          const srcs = sources.map((s, i) => {
            if (i === 0 && sortFirst) return [...s].sort((x, y) => x[1] - y[1]);
            if (i > 0 && groupOthers) {
              const order = [...new Set(s.map((e) => e[1]))].reverse();
              return order.flatMap((b) => s.filter((e) => e[1] === b));
            }
            return s;
          });
          expect(actual(n, srcs, capacity)).toEqual(expected(srcs));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps the first place of a merged edge and the order of the sources within a vertex', () => {
    const g = buildGraph(4, [
      (emit) => {
        emit(2, 1, 1);
        emit(0, 1, 2);
        emit(2, 1, 4);
        emit(1, 3, 2);
      },
      (emit) => {
        emit(3, 1, 16);
        emit(0, 1, 16);
        emit(0, 2, 16);
      },
    ]);
    expect(Array.from(g.start)).toEqual([0, 0, 3, 4, 5]);
    expect(Array.from(g.src)).toEqual([2, 0, 3, 0, 1]);
    expect(Array.from(g.rel)).toEqual([5, 18, 16, 16, 2]);
  });
});
