import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileLines, readHistory, readResults, readTest, RunReadError } from './read';

const dir = () => mkdtempSync(join(tmpdir(), 'gyre-read-'));

describe('readTest', () => {
  it('reads test.json as plain JSON; a missing or broken one is a RunReadError naming it', () => {
    const d = dir();
    expect(() => readTest(d)).toThrow(/is not a Gyre run directory \(it has no test.json\)/);
    writeFileSync(join(d, 'test.json'), '{"name": "echo", "options": {"latency": 2.5}}');
    expect(readTest(d)).toEqual({ name: 'echo', options: { latency: 2.5 } });
    writeFileSync(join(d, 'test.json'), '{"name": ');
    expect(() => readTest(d)).toThrow(RunReadError);
    expect(() => readTest(d)).toThrow(/Cannot read .*test\.json/);
  });
});

describe('readHistory', () => {
  it('drops a partial last line and says so', () => {
    const d = dir();
    const op = '{"index":0,"time":1,"type":"invoke","process":0,"f":"echo","value":"x"}';
    writeFileSync(join(d, 'history.jsonl'), `${op}\n{"index":1,"ti`);
    const r = readHistory(d);
    expect(r.partialLine).toBe(true);
    expect(r.history).toMatchObject([{ index: 0, f: 'echo', value: 'x' }]);
    writeFileSync(join(d, 'history.jsonl'), `${op}\n`);
    expect(readHistory(d).partialLine).toBe(false);
    expect(() => readHistory(dir())).toThrow(/Cannot read the history of/);
  });
});

describe('readResults', () => {
  it('is undefined when a run has no results (killed before its analysis)', () => {
    const d = dir();
    expect(readResults(d)).toBeUndefined();
    writeFileSync(join(d, 'results.json'), '{"valid?": true}');
    expect(readResults(d)).toEqual({ 'valid?': true });
  });
});

describe('fileLines', () => {
  it('reads complete lines across chunk boundaries and drops a partial last line', () => {
    const path = join(dir(), 'j.jsonl');
    const lines = Array.from({ length: 30_000 }, (_, i) => `line ${i} ${'€'.repeat(i % 70)}`);
    writeFileSync(path, lines.join('\n') + '\npartial');
    expect([...fileLines(path)]).toEqual(lines);
  });
});
