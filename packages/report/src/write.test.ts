import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeReport, REPORT_FILES } from './write';
import type { NetEvent } from './lamport';
import { syntheticBroadcast, writeRunFixture } from '../test/synthetic';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('writeReport', () => {
  it('writes every drawing and page for a run directory, reading what it is not given', async () => {
    const store = mkdtempSync(join(tmpdir(), 'gyre-write-'));
    dirs.push(store);
    const run = syntheticBroadcast({ nodes: 5, seconds: 2, rate: 40, lose: 1 });
    const dir = writeRunFixture(store, 'broadcast', '20261125T120301.972+0000', run);
    async function* events(): AsyncGenerator<NetEvent> {
      yield* run.events;
    }
    const { files, timings } = await writeReport(dir, { events: events() });
    expect(files.map((f) => basename(f)).sort()).toEqual([...REPORT_FILES].sort());
    for (const f of files) expect(existsSync(f)).toBe(true);
    expect(Object.keys(timings)).toContain('journal');
    const report = readFileSync(join(dir, 'report.html'), 'utf8');
    // history.jsonl, results.json and test.json were read from the directory.
    expect(report).toContain('data-valid="false">Invalid<');
    expect(report).toContain('5 nodes');
    expect(report).toContain('href="node-logs/n0.log"');
    expect(readFileSync(join(dir, 'messages.svg'), 'utf8')).toMatch(/^<svg /);
    expect(readFileSync(join(dir, 'timeline.html'), 'utf8')).toContain('messages.html');
  });

  it('leaves the Lamport files out without events, and the report does not link to them', async () => {
    const store = mkdtempSync(join(tmpdir(), 'gyre-write-'));
    dirs.push(store);
    const run = syntheticBroadcast({ nodes: 3, seconds: 1, rate: 20 });
    const dir = writeRunFixture(store, 'broadcast', '20261125T120301.972+0000', run);
    const { files } = await writeReport(dir, { history: run.history, results: run.results });
    expect(files.map((f) => basename(f))).not.toContain('messages.html');
    const report = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(report).not.toContain('messages.html');
    expect(report).toContain('data-valid="true">Valid<');
  });
});
