import { GENERIC_WIRE, setFullWire, toWire } from '@gyre/checker';
import { describe, expect, it, vi } from 'vitest';
import { echo } from './builtin/echo';
import { gSet } from './builtin/sets';
import { LEGACY_RESULT_WARNING, workloadChecker } from './result';
import { defineWorkload } from './types';

const options = { nodes: ['n0'] } as never;

describe('workloadChecker', () => {
  it("runs the workload's check with its options and gives its wire form (the generic one by default)", () => {
    expect(workloadChecker(gSet, options).wire).toBe(setFullWire);
    expect(workloadChecker(gSet, options).check([])).toMatchObject({ valid: 'unknown', attemptCount: 0 });
    const plain = defineWorkload({ ...echo, wire: undefined, check: (h, o) => ({ valid: true, opCount: h.length, nodeCount: o.nodes.length }) });
    const c = workloadChecker(plain, options);
    expect(c.wire).toBe(GENERIC_WIRE);
    expect(toWire(c.check([]), c.wire)).toEqual({ 'valid?': true, 'op-count': 0, 'node-count': 1 });
  });

  it("accepts a result in the old shape ('valid?' and Maelstrom's keys), written unchanged, with one deprecation warning", () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const legacy = defineWorkload({ ...echo, wire: undefined, check: () => ({ 'ok-count': 2, 'valid?': false, 'by-node': { n1: { 'ok-count': 2 } } }) as never });
      const c = workloadChecker(legacy, options);
      const r = c.check([]);
      expect(r).toEqual({ 'ok-count': 2, valid: false, 'by-node': { n1: { 'ok-count': 2 } } });
      expect(JSON.stringify(toWire(r, c.wire))).toBe('{"ok-count":2,"valid?":false,"by-node":{"n1":{"ok-count":2}}}');
      c.check([]);
      // Once per process (each test file has its own module instance).
      expect(warn.mock.calls).toEqual([[LEGACY_RESULT_WARNING, { type: 'DeprecationWarning', code: 'GYRE_LEGACY_RESULT' }]]);
      expect(LEGACY_RESULT_WARNING).toMatch(/Return \{ valid: \.\.\., camelCase fields \} instead/);
    } finally {
      warn.mockRestore();
    }
  });
});
