import { describe, expect, it } from 'vitest';
import { isTopologyName, topology, TOPOLOGY_NAMES } from './topology';

const n1to5 = ['n1', 'n2', 'n3', 'n4', 'n5'];
const n0to9 = Array.from({ length: 10 }, (_, i) => `n${i}`);

describe('topology (Appendix A of the Maelstrom spec)', () => {
  it('grid, n1…n5', () => {
    expect(topology('grid', n1to5)).toEqual({ n1: ['n4', 'n2'], n2: ['n5', 'n3', 'n1'], n3: ['n2'], n4: ['n1', 'n5'], n5: ['n2', 'n4'] });
  });

  it('grid, n0…n9 (side 4)', () => {
    expect(topology('grid', n0to9)).toEqual({
      n0: ['n4', 'n1'],
      n1: ['n5', 'n2', 'n0'],
      n2: ['n6', 'n3', 'n1'],
      n3: ['n7', 'n2'],
      n4: ['n8', 'n0', 'n5'],
      n5: ['n9', 'n1', 'n6', 'n4'],
      n6: ['n2', 'n7', 'n5'],
      n7: ['n3', 'n6'],
      n8: ['n4', 'n9'],
      n9: ['n5', 'n8'],
    });
  });

  it('line, n1…n5', () => {
    expect(topology('line', n1to5)).toEqual({ n1: ['n2'], n2: ['n1', 'n3'], n3: ['n2', 'n4'], n4: ['n3', 'n5'], n5: ['n4'] });
  });

  it('total, n1…n5', () => {
    expect(topology('total', n1to5)).toEqual({
      n1: ['n2', 'n3', 'n4', 'n5'],
      n2: ['n1', 'n3', 'n4', 'n5'],
      n3: ['n1', 'n2', 'n4', 'n5'],
      n4: ['n1', 'n2', 'n3', 'n5'],
      n5: ['n1', 'n2', 'n3', 'n4'],
    });
  });

  it('tree2 (and tree), tree3, tree4, n1…n5', () => {
    const tree2 = { n1: ['n2', 'n3'], n2: ['n1', 'n4', 'n5'], n3: ['n1'], n4: ['n2'], n5: ['n2'] };
    expect(topology('tree2', n1to5)).toEqual(tree2);
    expect(topology('tree', n1to5)).toEqual(tree2);
    expect(topology('tree3', n1to5)).toEqual({ n1: ['n2', 'n3', 'n4'], n2: ['n1', 'n5'], n3: ['n1'], n4: ['n1'], n5: ['n2'] });
    expect(topology('tree4', n1to5)).toEqual({ n1: ['n2', 'n3', 'n4', 'n5'], n2: ['n1'], n3: ['n1'], n4: ['n1'], n5: ['n1'] });
  });

  it('tree2 and tree4, n0…n9', () => {
    expect(topology('tree2', n0to9)).toEqual({
      n0: ['n1', 'n2'],
      n1: ['n0', 'n3', 'n4'],
      n2: ['n0', 'n5', 'n6'],
      n3: ['n1', 'n7', 'n8'],
      n4: ['n1', 'n9'],
      n5: ['n2'],
      n6: ['n2'],
      n7: ['n3'],
      n8: ['n3'],
      n9: ['n4'],
    });
    expect(topology('tree4', n0to9)).toEqual({
      n0: ['n1', 'n2', 'n3', 'n4'],
      n1: ['n0', 'n5', 'n6', 'n7', 'n8'],
      n2: ['n0', 'n9'],
      n3: ['n0'],
      n4: ['n0'],
      n5: ['n1'],
      n6: ['n1'],
      n7: ['n1'],
      n8: ['n1'],
      n9: ['n2'],
    });
  });

  it('one node: grid, total and trees give {n: []}; line gives {}', () => {
    for (const name of ['grid', 'total', 'tree', 'tree2', 'tree3', 'tree4']) expect(topology(name, ['n1'])).toEqual({ n1: [] });
    expect(topology('line', ['n1'])).toEqual({});
    for (const name of TOPOLOGY_NAMES) expect(topology(name, [])).toEqual({});
  });

  it('keeps node order in the map and is symmetric', () => {
    for (const name of TOPOLOGY_NAMES) {
      const t = topology(name, n0to9);
      expect(Object.keys(t)).toEqual(n0to9);
      for (const [a, ns] of Object.entries(t)) for (const b of ns) expect(t[b]).toContain(a);
    }
  });

  it('rejects unknown names', () => {
    expect(isTopologyName('grid')).toBe(true);
    expect(isTopologyName('ring')).toBe(false);
    expect(() => topology('ring', n1to5)).toThrow(RangeError);
  });
});
