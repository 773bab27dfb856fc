import { describe, expect, it } from 'vitest';
import type { Op } from '@gyre/history';
import { DATA, GENERIC_WIRE, OMIT, field, fields, listOf, mapOf, spread, toWire, wireEdn, wireJson, wireKeyword, wireName } from './wire';

const op: Op = { index: 3, time: 9, type: 'ok', process: 0, f: 'read', value: { okCount: 1 }, finalRead: true };

describe('toWire', () => {
  interface Inner {
    valid: boolean;
    okCount: number;
  }
  interface R {
    valid: boolean | 'unknown';
    okCount: number;
    approximate?: true;
    byNode: Record<string, Inner>;
    latencies: Record<string, number>;
    worst: Inner[];
    op: Op;
    state?: unknown;
    extra: Record<string, Inner>;
  }
  const inner = fields<Inner>({ valid: 'valid?', okCount: 'ok-count' });
  const form = fields<R>({
    valid: 'valid?',
    okCount: 'ok-count',
    approximate: 'approximate?',
    byNode: field('by-node', mapOf(inner)),
    latencies: 'latencies',
    worst: field('worst', listOf(inner)),
    op: 'op',
    state: OMIT,
    extra: spread(mapOf(inner)),
  });

  it('renames fields by the form, in the result’s order, and never renames data', () => {
    const r: R = {
      valid: 'unknown',
      okCount: 2,
      approximate: true,
      byNode: { n1: { valid: true, okCount: 1 }, okCount: { valid: false, okCount: 0 } },
      latencies: { '0.5': 3, '1': 4 }, // JavaScript puts integer keys first; data stays as JavaScript orders it
      worst: [{ valid: true, okCount: 5 }],
      op,
      state: { cyclic: true },
      extra: { 'lost-write': { valid: false, okCount: 6 }, G1a: { valid: true, okCount: 7 } },
    };
    const w = toWire(r, form);
    expect(JSON.stringify(w)).toBe(
      '{"valid?":"unknown","ok-count":2,"approximate?":true,"by-node":{"n1":{"valid?":true,"ok-count":1},"okCount":{"valid?":false,"ok-count":0}},' +
        '"latencies":{"1":4,"0.5":3},"worst":[{"valid?":true,"ok-count":5}],"op":{"index":3,"time":9,"type":"ok","process":0,"f":"read","value":{"okCount":1},"finalRead":true},' +
        '"lost-write":{"valid?":false,"ok-count":6},"G1a":{"valid?":true,"ok-count":7}}',
    );
    // The ops inside are the recorded ones, not copies with renamed keys.
    expect((w as { op: Op }).op).toBe(op);
  });

  it('leaves out undefined fields and names unlisted fields generically', () => {
    const w = toWire({ valid: true, okCount: undefined, notInForm: [1], 'already-kebab': 2 }, fields<{ valid: boolean }>({ valid: 'valid?' }));
    expect(w).toEqual({ 'valid?': true, 'not-in-form': [1], 'already-kebab': 2 });
  });

  it('writes values of an unexpected shape as they are', () => {
    const m = new Map([['a', 1]]);
    expect(toWire(m, GENERIC_WIRE)).toBe(m);
    expect(toWire([{ valid: true }], GENERIC_WIRE)).toEqual([{ valid: true }]);
    expect(toWire(null, fields<Inner>({ valid: 'valid?', okCount: 'ok-count' }))).toBeNull();
    expect(toWire('x', listOf(DATA))).toBe('x');
    expect(toWire(7, mapOf(DATA))).toBe(7);
  });

  it('writes a result without a form by the generic rule, at the top level only', () => {
    expect(toWire({ valid: false, lostCount: 1, byKey: { someKey: { okCount: 1 } } })).toEqual({ 'valid?': false, 'lost-count': 1, 'by-key': { someKey: { okCount: 1 } } });
  });
});

describe('wireName', () => {
  it('is valid? for valid, kebab-case for camelCase, and leaves anything else alone', () => {
    expect(['valid', 'anomalyTypes', 'msgsPerOp', 'count', 'x1', 'already-kebab', 'G1a', 'valid?', 'ok_count', 'aB2c'].map(wireName)).toEqual([
      'valid?',
      'anomaly-types',
      'msgs-per-op',
      'count',
      'x1',
      'already-kebab',
      'G1a',
      'valid?',
      'ok_count',
      'a-b2c',
    ]);
  });
});

describe('results text', () => {
  const w = { workload: { 'valid?': 'unknown', 'anomaly-types': ['G1c'], op: { f: 'read', type: 'ok', value: 'read' } }, 'valid?': false, seed: 'read' };

  it('prints :unknown, f, type and the anomaly type lists as EDN keywords, other strings as strings', () => {
    expect(wireEdn(w)).toBe('{:workload {:valid? :unknown,\n            :anomaly-types [:G1c],\n            :op {:f :read, :type :ok, :value "read"}},\n :valid? false,\n :seed "read"}');
    for (const k of ['f', 'type', 'anomaly-types', 'not', 'also-not', 'bad-error-types', 'error-types']) expect(wireKeyword(k, 'x'), k).toBe(true);
    expect([wireKeyword('valid?', 'unknown'), wireKeyword('valid?', 'x'), wireKeyword('value', 'x'), wireKeyword(undefined, 'x')]).toEqual([true, false, false, false]);
  });

  it('prints JSON on one line', () => {
    expect(wireJson(w)).toBe('{"workload":{"valid?":"unknown","anomaly-types":["G1c"],"op":{"f":"read","type":"ok","value":"read"}},"valid?":false,"seed":"read"}');
  });
});
