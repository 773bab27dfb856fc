import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireSharedData } from '../../../../scripts/shared-data.mjs';
import { parseJepsenLog, parseKvTrace } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import { casRegister, linearizable, stringKv } from './index';


const DATA = requireSharedData();
const LINEARIZABLE = new Set('002 005 007 018 025 031 038 045 048 049 051 053 056 067 075 076 080 087 092 098 100 101 102'.split(' '));
const etcdLogs = readdirSync(join(DATA, 'etcd'))
  .filter((f) => /^etcd_\d{3}\.log$/.test(f) && f !== 'etcd_095.log')
  .sort();

describe('etcd Jepsen logs (Porcupine test data), cas-register', () => {
  it('has the 102 logs with a known verdict', () => {
    expect(etcdLogs).toHaveLength(102);
  });

  it.each(etcdLogs)('%s gets its expected verdict', (file) => {
    const history = parseJepsenLog(readFileSync(join(DATA, 'etcd', file), 'utf8'));
    const expected = LINEARIZABLE.has(file.slice(5, 8));
    const result = linearizable(history, { model: casRegister(), explain: !expected, explainTimeLimit: 30_000 });
    expect(result.valid).toBe(expected);
    expect(result.partitions).toHaveLength(1);
    expect(result.partitions[0]!.valid).toBe(expected);
    if (!expected) {
      const failure = result.failure!;
      expect(failure.longestPrefix.length).toBeGreaterThan(0);
      expect(failure.stretch.ops).toContain(failure.op.index);
      expect(failure.states.length).toBeGreaterThan(0);
      expect(failure.reason).toBeTypeOf('string');
    }
  });
});

describe('kv traces (Porcupine test data), string kv per key', () => {
  const traces = ['c01-ok', 'c01-bad', 'c10-ok', 'c10-bad', 'c50-ok', 'c50-bad'];
  it.each(traces)('%s gets its expected verdict, partitioned by key', (name) => {
    const history = parseKvTrace(readFileSync(join(DATA, 'kv', `${name}.txt`), 'utf8'));
    const result = linearizable(history, { model: stringKv() });
    const expected = name.endsWith('-ok');
    expect(result.valid).toBe(expected);
    expect(result.partitions.length).toBeGreaterThan(1);
    if (expected) expect(result.partitions.every((p) => p.valid === true)).toBe(true);
    else {
      expect(result.partitions.some((p) => p.valid === false)).toBe(true);
      expect(result.failure?.key).toBeTypeOf('string');
    }
  });

  it.each(['c01-ok', 'c01-bad'])('%s gets the same verdict unpartitioned', (name) => {
    const history = parseKvTrace(readFileSync(join(DATA, 'kv', `${name}.txt`), 'utf8'));
    const result = linearizable(history, { model: stringKv({ partitioned: false }) });
    expect(result.valid).toBe(name.endsWith('-ok'));
    expect(result.partitions).toHaveLength(1);
  });

  it('checks every partition when asked, and stops at the first invalid one otherwise', () => {
    const history = parseKvTrace(readFileSync(join(DATA, 'kv', 'c10-bad.txt'), 'utf8'));
    const first = linearizable(history, { model: stringKv() });
    const all = linearizable(history, { model: stringKv(), allPartitions: true });
    expect(all.partitions.every((p) => p.cause !== 'not-checked')).toBe(true);
    const invalidAt = first.partitions.findIndex((p) => p.valid === false);
    expect(first.partitions.slice(invalidAt + 1).every((p) => p.cause === 'not-checked')).toBe(true);
    // smallest partitions first
    const sizes = first.partitions.map((p) => p.opCount);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
  });
});
