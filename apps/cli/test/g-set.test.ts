/**
 * End to end: the g-set workload with real node processes: a state-based CRDT under partitions
 * and pauses.
 */
import { describe, expect, it } from 'vitest';
import { describeRun, expectNemesisOps, historyOf } from './glomers';
import { example, gyre } from './helpers';

type SetFull = { 'valid?': unknown; 'attempt-count': number; 'stable-count': number; 'lost-count': number };

const args = (...extra: string[]) => ['test', '-w', 'g-set', '--bin', example('g-set'), '--node-count', '3', '--time-limit', '4', '--rate', '20', '--recovery-time', '1', ...extra];

describe('gyre test -w g-set', () => {
  it('the gossiping CRDT is valid with partitions', async () => {
    const r = await gyre(args('--nemesis', 'partition', '--nemesis-interval', '1'));
    const why = describeRun(r);
    expect(r.code, why).toBe(0);
    const w = r.results()['workload'] as SetFull;
    expect(w['valid?'], why).toBe(true);
    expect(w['lost-count'], why).toBe(0);
    expect(w['stable-count'], why).toBe(w['attempt-count']);
    expectNemesisOps(historyOf(r), ['start-partition', 'stop-partition']);
  });

  it('the gossiping CRDT is valid with pauses', async () => {
    const r = await gyre(args('--nemesis', 'pause', '--nemesis-interval', '1'));
    const why = describeRun(r);
    expect(r.code, why).toBe(0);
    const w = r.results()['workload'] as SetFull;
    expect(w['valid?'], why).toBe(true);
    expect(w['stable-count'], why).toBe(w['attempt-count']);
    const nem = expectNemesisOps(historyOf(r), ['pause', 'resume']);
    expect(nem.at(-1), why).toMatchObject({ f: 'resume' });
  });
});
