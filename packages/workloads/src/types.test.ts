import { limit } from '@gyre/generator';
import { simulate } from '@gyre/generator/testing';
import { seededRandom } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import { echo } from './builtin/echo';
import { broadcast, gCounter, gSet, pnCounter } from './builtin/sets';
import { kafka } from './builtin/kafka';
import { linKv } from './builtin/lin-kv';
import { txnListAppend, txnRwRegister } from './builtin/txn';
import { uniqueIds } from './builtin/unique-ids';
import { checkNeeds, DEFAULT_KEY_COUNT, defaultWorkloadOptions, defineWorkload, type WorkloadDefinition, type WorkloadInput } from './types';

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

describe('checkNeeds', () => {
  it('defaults to the final phase for workloads with one, and to nothing for the others', () => {
    for (const w of [broadcast, gSet, gCounter, pnCounter, kafka]) expect(checkNeeds(w), w.name).toEqual(['final']);
    for (const w of [uniqueIds, linKv, txnListAppend]) expect(checkNeeds(w), w.name).toEqual([]);
    // Echo's checker counts an echo cut off by the end of the run as an error: it needs the whole main phase.
    expect(checkNeeds(echo)).toEqual(['main']);
    expect(checkNeeds(defineWorkload({ ...base, check, final, checkNeeds: [] }))).toEqual([]);
    expect(checkNeeds(defineWorkload({ ...base, check, checkNeeds: ['main'] }))).toEqual(['main']);
  });

  it('refuses phases a checker cannot need', () => {
    expect(() => defineWorkload({ ...base, check, checkNeeds: ['teardown'] } as unknown as WorkloadInput)).toThrow(/"checkNeeds" must be a list of phases, each "main" or "final"/);
    expect(() => defineWorkload({ ...base, check, checkNeeds: ['final'] })).toThrow(/"checkNeeds" names the final phase, but the workload has no "final"/);
  });
});

describe('defaultWorkloadOptions', () => {
  it("gives Maelstrom's test defaults (maelstrom.md §4.2), which gyre test keeps: the spec these values must meet", () => {
    expect(defaultWorkloadOptions()).toEqual({
      nodes: ['n1', 'n2', 'n3', 'n4', 'n5'],
      concurrency: 5,
      rate: 5,
      timeLimit: 60,
      latency: 0,
      topology: 'grid',
      keyCount: undefined,
      maxTxnLength: 4,
      maxWritesPerKey: 16,
      consistencyModels: ['strict-serializable'],
      availability: undefined,
      nemesis: [],
      seed: undefined,
    });
  });

  it('keeps what it is given; concurrency follows the nodes given unless given too', () => {
    const o = defaultWorkloadOptions({ nodes: ['a', 'b'], rate: 0, nemesis: ['partition'], seed: '7' });
    expect(o).toMatchObject({ nodes: ['a', 'b'], concurrency: 2, rate: 0, nemesis: ['partition'], seed: '7', timeLimit: 60 });
    expect(defaultWorkloadOptions({ nodes: ['a', 'b'], concurrency: 9 }).concurrency).toBe(9);
  });

  it('gives each caller its own arrays', () => {
    const a = defaultWorkloadOptions();
    (a.nodes as string[]).push('n6');
    expect(defaultWorkloadOptions().nodes).toHaveLength(5);
  });
});

describe('DEFAULT_KEY_COUNT', () => {
  it('is what the txn workloads and kafka use when --key-count is not given (keyCount undefined)', () => {
    const invocations = (w: WorkloadDefinition, keyCount: number | undefined) =>
      simulate(limit(300, w.generator(defaultWorkloadOptions({ nodes: ['n0'], keyCount }), seededRandom(3))), { test: { nodes: ['n0'], concurrency: 1 }, random: seededRandom(4), complete: () => ({ type: 'info' }) })
        .filter((o) => o.type === 'invoke')
        .map((o) => [o.f, o.value]);
    expect(DEFAULT_KEY_COUNT).toBe(10); // Elle's default, as Maelstrom's
    for (const w of [txnListAppend, txnRwRegister, kafka]) {
      const unset = invocations(w, undefined);
      expect(unset, w.name).toEqual(invocations(w, DEFAULT_KEY_COUNT));
      // The key count shows in the operations (a retired key's successor is numbered from it).
      expect(unset, w.name).not.toEqual(invocations(w, DEFAULT_KEY_COUNT + 1));
    }
  });
});
