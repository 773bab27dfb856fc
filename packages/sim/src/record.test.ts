import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultWorkloadOptions } from '@gyre/workloads';
import { describe, expect, it } from 'vitest';
import { recordRun } from './record';
import type { SimSpec } from './spec';

const repo = new URL('../../../', import.meta.url).pathname;
const spec: SimSpec = {
  workload: 'echo',
  node: join(repo, 'examples/nodes/echo-wrong.ts'),
  nodeArgs: [],
  options: defaultWorkloadOptions({ nodes: ['n0'], rate: 10, timeLimit: 2 }),
  latencyDist: 'constant',
  nemesisInterval: 10,
  recoveryTime: 0,
};

describe('recordRun', () => {
  it('writes the run directory and its report pages', async () => {
    const r = await recordRun(spec, '1', mkdtempSync(join(tmpdir(), 'gyre-record-')));
    expect(r.exitCode).toBe(1);
    expect(r.reportError).toBeUndefined();
    for (const f of ['results.json', 'gyre.log', 'report.html', 'messages.html']) expect(existsSync(join(r.dir, f)), f).toBe(true);
  });

  it('report pages that cannot be written: the run and its verdict stand, reportError says why, no throw', async () => {
    // A directory where report.html goes, made as soon as the run says where its directory is.
    const reporter = {
      info: (m: string) => {
        const dir = /; store: (\S+)$/.exec(m)?.[1];
        if (dir) mkdirSync(join(dir, 'report.html'));
      },
      warn: () => {},
    };
    const r = await recordRun(spec, '1', mkdtempSync(join(tmpdir(), 'gyre-record-')), { reporter });
    expect(r.reportError).toMatch(/EISDIR/);
    expect(r.exitCode).toBe(1);
    expect(r.valid).toBe(false);
    expect(JSON.parse(readFileSync(join(r.dir, 'results.json'), 'utf8'))['valid?']).toBe(false);
  });

  it('writes gyre.log in the format asked for', async () => {
    const r = await recordRun(spec, '1', mkdtempSync(join(tmpdir(), 'gyre-record-')), { logFormat: 'json' });
    const lines = readFileSync(join(r.dir, 'gyre.log'), 'utf8').trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(Object.keys(JSON.parse(line))).toEqual(['time', 'level', 'thread', 'message']);
  });
});
