import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRun, listRuns, parseRunName } from './list';
import { RunReadError } from './read';

function storeWith(runs: string[], extra: (root: string) => void = () => {}): string {
  const root = mkdtempSync(join(tmpdir(), 'gyre-list-'));
  for (const r of runs) {
    mkdirSync(join(root, r), { recursive: true });
    writeFileSync(join(root, r, 'test.json'), '{}\n');
  }
  extra(root);
  return root;
}

describe('parseRunName', () => {
  it('reads Jepsen basic ISO times with offsets and same-millisecond numbers', () => {
    expect(parseRunName('20261125T120301.972+0000').time?.toISOString()).toBe('2026-11-25T12:03:01.972Z');
    expect(parseRunName('20210207T160331.972-0500').time?.toISOString()).toBe('2021-02-07T21:03:31.972Z');
    expect(parseRunName('20261125T120301.972+0000-2')).toEqual({ time: new Date('2026-11-25T12:03:01.972Z'), n: 2 });
    expect(parseRunName('latest')).toEqual({ time: undefined, n: 0 });
  });
});

describe('listRuns', () => {
  it('lists run directories holding a test.json, oldest first by the time in their names', async () => {
    const root = storeWith(
      [
        'lin-kv/20261125T130000.000+0000',
        'echo/20261125T140000.000+0100', // 13:00 UTC, the same instant as lin-kv's: ordered by path
        'echo/20261125T120000.000+0000-1',
        'echo/20261125T120000.000+0000',
        'echo/20261125T110000.000-0100', // 12:00 UTC too: before …T120000.000+0000 by path, and before its -1
        'echo/hand-made',
      ],
      (r) => {
        mkdirSync(join(r, 'echo', '20261125T150000.000+0000')); // no test.json: not a run
        symlinkSync('20261125T130000.000+0000', join(r, 'lin-kv', 'latest'));
        symlinkSync('lin-kv/20261125T130000.000+0000', join(r, 'latest'));
        mkdirSync(join(r, 'sweeps'));
        writeFileSync(join(r, 'sweeps', 'echo-20261125T120000.000+0000.json'), '{}');
      },
    );
    const runs = await listRuns(root);
    expect(runs.map((r) => r.path)).toEqual([
      'echo/hand-made',
      'echo/20261125T110000.000-0100',
      'echo/20261125T120000.000+0000',
      'echo/20261125T120000.000+0000-1',
      'echo/20261125T140000.000+0100',
      'lin-kv/20261125T130000.000+0000',
    ]);
    expect(runs[4]).toEqual({ dir: join(root, 'echo', '20261125T140000.000+0100'), workload: 'echo', name: '20261125T140000.000+0100', path: 'echo/20261125T140000.000+0100', time: new Date('2026-11-25T13:00:00Z') });
  });

  it('finds nothing in a store that does not exist', async () => {
    expect(await listRuns(join(tmpdir(), 'gyre-no-such-store-' + process.pid))).toEqual([]);
  });
});

describe('findRun', () => {
  it('by index from the oldest (0) or the latest (-1), or by path; a clear error otherwise', async () => {
    const root = storeWith(['echo/20261125T120000.000+0000', 'echo/20261125T130000.000+0000']);
    expect(await findRun(root, '0', '/')).toBe(join(root, 'echo/20261125T120000.000+0000'));
    expect(await findRun(root, '-1', '/')).toBe(join(root, 'echo/20261125T130000.000+0000'));
    expect(await findRun(root, 'echo/20261125T120000.000+0000', root)).toBe(realpathSync(join(root, 'echo/20261125T120000.000+0000')));
    await expect(findRun(root, '2', '/')).rejects.toThrow(/has 2 runs \(indexes 0 to 1, or -1 to -2\)/);
    await expect(findRun(root, 'echo', root)).rejects.toThrow(/is not a Gyre run directory/);
    await expect(findRun(storeWith([]), '-1', '/')).rejects.toThrow(RunReadError);
  });
});
