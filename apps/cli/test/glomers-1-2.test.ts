/**
 * End to end: Gossip Glomers 1 (echo) and 2 (unique ids, with partitions and total
 * availability) on their published command lines, with a shorter time limit.
 */
import { describe, expect, it } from 'vitest';
import { OUTCOME } from '../src/outcome';
import { describeRun, expectNemesisOps, historyOf, num, runGlomers } from './glomers';
import { example } from './helpers';

describe('Gossip Glomers 1 and 2', () => {
  it('1, echo', async () => {
    const r = await runGlomers('1', { bin: example('echo'), timeLimit: 3 });
    const why = describeRun(r);
    expect(r.code, why).toBe(0);
    expect(r.stdout).toContain(OUTCOME.valid);
  });

  it('2, unique ids at rate 1000 with partitions and --availability total', async () => {
    const r = await runGlomers('2', { bin: example('unique-ids'), timeLimit: 4 });
    const why = describeRun(r);
    expect(r.code, why).toBe(0);
    const res = r.results();
    expect(res['availability'], why).toMatchObject({ 'valid?': true });
    expect(num((res['availability'] as Record<string, unknown>)['ok-fraction'])).toBe(1);
    const w = res['workload'] as Record<string, number>;
    expect(w['duplicated-count'], why).toBe(0);
    expect(w['acknowledged-count'], why).toBeGreaterThan(500);
    expectNemesisOps(historyOf(r), ['start-partition', 'stop-partition']);
  });
});
