/**
 * End to end: the kafka workload with real node processes. Gossip Glomers 5a and 5b (5c is the
 * same line as 5b) on their published command lines with a shorter time limit and recovery
 * wait, and a node that hands out an offset twice.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTCOME } from '../src/outcome';
import { describeRun, historyOf, runGlomers } from './glomers';
import { example, gyre } from './helpers';

type KafkaResult = { 'valid?': unknown; 'error-types': string[]; 'bad-error-types': string[] };

describe('Gossip Glomers 5: Kafka-style log', () => {
  it('5a, one node in memory, rate 1000', async () => {
    const r = await runGlomers('5a', { bin: example('kafka'), timeLimit: 4, recoveryTime: 1 });
    const why = describeRun(r);
    expect(r.code, why).toBe(0);
    expect(r.stdout).toContain(OUTCOME.valid);
    const res = r.results();
    expect((res['workload'] as KafkaResult)['valid?'], why).toBe(true);
    const byF = (res['stats'] as { 'by-f': Record<string, { 'ok-count': number }> })['by-f'];
    expect(byF['send']!['ok-count'], why).toBeGreaterThan(100);
    expect(byF['poll']!['ok-count'], why).toBeGreaterThan(100);
    const history = historyOf(r);
    // The final phase: every worker crashes, assigns every key from the beginning, and polls.
    expect(history.filter((o) => o.type === 'invoke' && o.f === 'assign' && o['seek-to-beginning?'] === true).length).toBeGreaterThanOrEqual(2);
    expect(readFileSync(join(r.latest, 'history.edn'), 'utf8')).toMatch(/:f :send, :value \[\[:send \d+ \d+\]\]/);
  });

  it('5b (and 5c), two nodes sharing logs through lin-kv, rate 1000', async () => {
    const r = await runGlomers('5b', { bin: example('kafka-linkv'), timeLimit: 4, recoveryTime: 1 });
    const why = describeRun(r);
    expect(r.code, why).toBe(0);
    const res = r.results();
    expect((res['workload'] as KafkaResult)['valid?'], why).toBe(true);
    const byF = (res['stats'] as { 'by-f': Record<string, { 'ok-count': number }> })['by-f'];
    expect(byF['send']!['ok-count'], why).toBeGreaterThan(50);
  });
});

describe('gyre test -w kafka', () => {
  it('a node that hands out an offset twice is invalid: inconsistent offsets', async () => {
    const r = await gyre(['test', '-w', 'kafka', '--bin', example('kafka-dup-offset'), '--node-count', '1', '--concurrency', '2n', '--time-limit', '3', '--rate', '100', '--recovery-time', '1']);
    const why = describeRun(r);
    expect(r.code, why).toBe(1);
    expect(r.stdout).toContain(OUTCOME.invalid);
    const w = r.results()['workload'] as KafkaResult;
    expect(w['valid?'], why).toBe(false);
    expect(w['bad-error-types'], why).toContain('inconsistent-offsets');
  });
});
