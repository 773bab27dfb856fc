import { describe, expect, it } from 'vitest';
import { echo } from './builtin/echo';
import { defineWorkload, type WorkloadInput } from './types';

const { check, final: _final, ...base } = echo;
const final = () => null;

describe('defineWorkload', () => {
  it('returns a definition with check and final under either name', () => {
    const a = defineWorkload({ ...base, check, final });
    const b = defineWorkload({ ...base, checker: check, finalPhase: final });
    expect(b.check).toBe(check);
    expect(b.final).toBe(final);
    expect(a.check).toBe(b.check);
    expect('checker' in b).toBe(false);
    expect('finalPhase' in b).toBe(false);
    expect(b.check([], { nodes: ['n0'] } as never)).toHaveProperty('valid', true);
  });

  it('names every problem of a bad definition', () => {
    expect(() => defineWorkload({ name: '', rpcs: 'x' } as unknown as WorkloadInput)).toThrow(
      /Invalid workload definition: "name" must be a non-empty string; "rpcs" must be an array.*"generator" must be a function.*"client.invoke".*"check" \(or "checker"\)/,
    );
    expect(() => defineWorkload({ ...base, check, checker: () => ({ valid: true }) })).toThrow(/"check" or as "checker", not both/);
    expect(() => defineWorkload({ ...base, check, wire: { fields: {} } } as unknown as WorkloadInput)).toThrow(/"wire" must be a wire form from @gyre\/checker/);
    expect(() => defineWorkload({ ...base, check, finalPhase: 3 } as unknown as WorkloadInput)).toThrow(/"final" \(or "finalPhase"\) must be a function/);
    expect(() => defineWorkload(null as unknown as WorkloadInput)).toThrow(/expected an object/);
  });
});
