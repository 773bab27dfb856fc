import type { Op } from '@gyre/history';
import type { RunStatus } from '@gyre/runner';
import { describe, expect, it } from 'vitest';
import { consoleReporter, resultsMap, statusLine } from './console';
import type { Io } from './io';

function io(isTTY: boolean): Io & { text: () => string } {
  let err = '';
  return { out: () => {}, err: (s) => (err += s), isTTY, cwd: '/', text: () => err };
}

const status = (elapsed: number, phase: RunStatus['phase'] = 'main', fault?: string): RunStatus => ({ elapsed, limit: 8, ok: 3, fail: 1, info: 0, msgsPerSecond: 40.4, fault, phase });
const invoke: Op = { index: 0, time: 1, type: 'invoke', process: 0, f: 'echo', value: 'Please echo 35' };
const partition: Op = { index: 1, time: 2, type: 'info', process: 'nemesis', f: 'start-partition', value: 'majority' };

describe('statusLine', () => {
  it('shows the main phase against its limit, and says so when operations in flight keep it past the limit', () => {
    expect(statusLine(status(2.5))).toBe('2.5/8s  ok 3  fail 1  info 0  40 msgs/s');
    expect(statusLine(status(14.1))).toBe('overran 8s by 6.1s  ok 3  fail 1  info 0  40 msgs/s');
    expect(statusLine(status(15, 'recovery', 'partition'))).toBe('recovery  ok 3  fail 1  info 0  40 msgs/s  fault: partition');
  });
});

describe('consoleReporter', () => {
  it('off a terminal, prints a plain status line every 5 s of the run and at each phase change', () => {
    const c = io(false);
    const r = consoleReporter(c);
    for (const t of [0, 0.25, 1, 4.9, 5, 7.5, 9.9, 10.1, 10.3]) r.status!(status(t));
    r.status!(status(10.5, 'recovery'));
    r.status!(status(10.75, 'recovery'));
    const lines = c.text().trimEnd().split('\n');
    expect(lines).toEqual([
      'INFO  status: 0.0/8s  ok 3  fail 1  info 0  40 msgs/s',
      'INFO  status: 5.0/8s  ok 3  fail 1  info 0  40 msgs/s',
      'INFO  status: overran 8s by 2.1s  ok 3  fail 1  info 0  40 msgs/s',
      'INFO  status: recovery  ok 3  fail 1  info 0  40 msgs/s',
    ]);
    expect(c.text()).not.toContain('\r');
  });

  it('on a terminal (or with --progress), redraws one live line and clears it before other output', () => {
    const c = io(true);
    const r = consoleReporter(c);
    r.status!(status(1));
    r.info('Waiting for recovery...');
    expect(c.text()).toBe('\r\x1b[2K1.0/8s  ok 3  fail 1  info 0  40 msgs/s\r\x1b[2KINFO  Waiting for recovery...\n');
    expect(consoleReporter(io(false), { progress: true }).status).toBeDefined();
  });

  it('prints no status with --no-progress', () => {
    expect(consoleReporter(io(false), { progress: false }).status).toBeUndefined();
    expect(consoleReporter(io(true), { progress: false }).status).toBeUndefined();
  });

  it('prints nemesis operations as they happen, and the clients’ only with --log-ops, as Jepsen’s worker lines', () => {
    const quiet = io(false);
    const r = consoleReporter(quiet);
    r.op!('worker 0', '0\t:invoke\t:echo\t"Please echo 35"', invoke);
    r.op!('nemesis', ':nemesis\t:info\t:start-partition\t:majority', partition);
    expect(quiet.text()).toBe('INFO  [nemesis] :nemesis\t:info\t:start-partition\t:majority\n');
    const loud = io(false);
    consoleReporter(loud, { logOps: true }).op!('worker 0', '0\t:invoke\t:echo\t"Please echo 35"', invoke);
    expect(loud.text()).toBe('INFO  [worker 0] 0\t:invoke\t:echo\t"Please echo 35"\n');
  });
});

describe('resultsMap', () => {
  it('is the EDN of results.edn', () => {
    expect(resultsMap({ workload: { 'valid?': true, errors: [] }, 'valid?': true })).toBe('{:workload {:valid? true, :errors []}, :valid? true}');
  });
});
