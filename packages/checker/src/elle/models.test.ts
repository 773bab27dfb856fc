import { describe, expect, it } from 'vitest';
import {
  CONSISTENCY_MODEL_NAMES,
  ConsistencyModelError,
  anomaliesProhibitedBy,
  canonicalModelName,
  adyaModelName,
  modelBoundary,
  parseConsistencyModels,
} from './models';

describe('consistency model names', () => {
  it('lists friendly and Adya names', () => {
    for (const n of ['strict-serializable', 'serializable', 'snapshot-isolation', 'repeatable-read', 'read-committed', 'read-uncommitted', 'PL-SS', 'PL-3', 'PL-SI', 'PL-2.99', 'PL-2', 'PL-1', 'read-atomic', 'causal-cerone', 'linearizable', 'sequential']) {
      expect(CONSISTENCY_MODEL_NAMES).toContain(n);
    }
    expect([...CONSISTENCY_MODEL_NAMES]).toEqual([...CONSISTENCY_MODEL_NAMES].sort());
  });

  it('canonicalises to friendly names', () => {
    expect(canonicalModelName('PL-3')).toBe('serializable');
    expect(canonicalModelName('conflict-serializable')).toBe('serializable');
    expect(canonicalModelName('strong-serializable')).toBe('strict-serializable');
    expect(canonicalModelName('pl-ss')).toBe('strict-serializable');
    expect(canonicalModelName(':serializable')).toBe('serializable');
    expect(canonicalModelName('serialisable')).toBeUndefined();
    expect(adyaModelName('snapshot-isolation')).toBe('PL-SI');
  });
});

describe('parseConsistencyModels (--consistency-models)', () => {
  it("accepts Maelstrom's ' , ' separator and plain commas", () => {
    expect(parseConsistencyModels('serializable')).toEqual(['serializable']);
    expect(parseConsistencyModels('read-committed , serializable')).toEqual(['read-committed', 'serializable']);
    expect(parseConsistencyModels('read-committed,serializable')).toEqual(['read-committed', 'serializable']);
    expect(parseConsistencyModels('read-committed, PL-3')).toEqual(['read-committed', 'serializable']);
    expect(parseConsistencyModels('PL-3 , serializable')).toEqual(['serializable']);
  });

  it('rejects unknown names, listing the valid ones', () => {
    expect(() => parseConsistencyModels('serializable, bogus')).toThrow(ConsistencyModelError);
    expect(() => parseConsistencyModels('serializable, bogus')).toThrow(/unknown consistency model "bogus"; valid models are: .*strict-serializable/);
    expect(() => parseConsistencyModels('serializable read-committed')).toThrow(/"serializable read-committed"/);
    expect(() => parseConsistencyModels('')).toThrow(ConsistencyModelError);
  });
});

describe('the model hierarchy', () => {
  it('strict serializability forbids the realtime cycles and everything serializability does', () => {
    const p = anomaliesProhibitedBy(['strict-serializable']);
    for (const a of ['G0', 'G1a', 'G1b', 'G1c', 'G-single', 'G2-item', 'internal', 'lost-update', 'G2-item-realtime', 'G-single-realtime', 'G1c-realtime', 'PL-SS-cycle-exists']) {
      expect(p.has(a)).toBe(true);
    }
    expect(p.has('cycle-search-timeout')).toBe(false);
  });

  it('snapshot isolation allows write skew but not read skew', () => {
    const p = anomaliesProhibitedBy(['snapshot-isolation']);
    expect(p.has('G2-item')).toBe(false);
    expect(p.has('G-single')).toBe(true);
    expect(p.has('G-nonadjacent')).toBe(true);
    expect(p.has('G-single-realtime')).toBe(false);
  });

  it('reports the weakest ruled-out models as not, the rest as alsoNot', () => {
    expect(modelBoundary(['G2-item'])).toEqual({
      not: ['repeatable-read'],
      alsoNot: ['serializable', 'strict-serializable', 'strong-session-serializable'],
    });
    expect(modelBoundary(['G0']).not).toEqual(['read-uncommitted']);
    expect(modelBoundary(['cycle-search-timeout'])).toEqual({ not: [], alsoNot: [] });
  });
});
