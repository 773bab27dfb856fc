import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringifyJson } from '@gyre/history';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFormat, opStartLines, parseHistoryText, readJsonlFile } from './check-input';

describe('detectFormat', () => {
  it.each([
    ['{"type":"invoke","f":"read","process":0}\n', 'jsonl'],
    ['  [ {"type": "invoke"} ]', 'json'],
    ['[]', 'json'],
    ['{:type :invoke, :f :read, :process 0}\n', 'edn'],
    ['; a comment\n[{:type :invoke}]', 'edn'],
    ['(#jepsen.history.Op{:type :invoke})', 'edn'],
    ['{:process 0, :type :invoke, :f :put, :key "3", :value "x"}\n', 'kv-trace'],
    ['INFO  jepsen.core - Running test\nINFO  jepsen.util - 3\t:invoke\t:cas\t[1 4]\n', 'etcd-log'],
    ['hello', undefined],
    ['', undefined],
  ])('%j is %s', (text, format) => {
    expect(detectFormat(text)).toBe(format);
  });
});

describe('opStartLines', () => {
  it('finds the line of every top-level form, skipping comments, strings and nested forms', () => {
    const edn = '; header { not a form\n{:a "}\\n{" :b [1 {:c 2}]}\n\n{:a #{1 2}}\n[:odd]\n#jepsen.history.Op{:a 1}\nnil\n';
    expect(opStartLines(edn, true)).toEqual([2, 4, 5, 6, 7]);
    expect(opStartLines('[\n {"a": "[{"},\n\n {"b": [{}]}]', false)).toEqual([2, 4]);
    expect(opStartLines('(\n{:a 1}\n{:b 2})', true)).toEqual([2, 3]);
  });

  it('gives each parsed op its line', () => {
    const p = parseHistoryText('; c\n[{:type :invoke, :f :read, :process 0}\n\n {:type :ok, :f :read, :process 0, :value 1}]', 'edn');
    expect(p.lines).toEqual([2, 4]);
    expect(p.ops.map((o) => o.type)).toEqual(['invoke', 'ok']);
  });
});

describe('readJsonlFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gyre-check-input-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string | Uint8Array) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  const op = (i: number, type = 'invoke', value: string = '1') => `{"index":${i},"time":${i},"type":"${type}","process":0,"f":"write","value":${value}}`;

  it('reads what parseHistoryText reads from the text: the same ops, key order included, and lines', () => {
    const texts = [
      `${op(0)}\n${op(1, 'ok')}\n`,
      `\uFEFF${op(0)}\r\n\r\n${op(1, 'ok', '1.0')}\r\n  \n${op(2, 'invoke', '"é\\n"')}`,
      `${op(0, 'invoke', '12345678901234567890')}\n\n\n{"value":[1,{"a":null}],"type":"ok","process":0,"f":"write","type":"info"}`,
    ];
    for (const text of texts) {
      // detectFormat does not take a byte-order mark for JSON Lines: --format jsonl does.
      const fast = readJsonlFile(file('h.jsonl', text), text.startsWith('\uFEFF') ? 'jsonl' : undefined);
      const slow = parseHistoryText(text, 'jsonl');
      expect(fast).toEqual(slow);
      expect(fast!.ops.map((o) => stringifyJson(o))).toEqual(slow.ops.map((o) => stringifyJson(o)));
    }
  });

  it('reads a file larger than its chunk, with lines across chunk ends', () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => op(i, i % 2 ? 'ok' : 'invoke', `[${i},"${'x'.repeat(i % 50)}"]`));
    const text = lines.join('\n') + '\n';
    expect(text.length).toBeGreaterThan(2 << 20);
    expect(readJsonlFile(file('big.jsonl', text), undefined)).toEqual(parseHistoryText(text, 'jsonl'));
  });

  it('leaves to the text reader a file of another format, an empty file, a bad line, a missing file', () => {
    expect(readJsonlFile(file('bom.jsonl', `\uFEFF${op(0)}\n`), undefined)).toBeUndefined();
    expect(readJsonlFile(file('h.edn', '{:type :invoke, :f :read, :process 0}\n'), undefined)).toBeUndefined();
    expect(readJsonlFile(file('h.json', `[${op(0)}]`), undefined)).toBeUndefined();
    expect(readJsonlFile(file('h2.jsonl', `${op(0)}\n`), 'edn')).toBeUndefined();
    expect(readJsonlFile(file('empty.jsonl', ''), 'jsonl')).toBeUndefined();
    expect(readJsonlFile(file('blank.jsonl', '\n \n'), 'jsonl')).toBeUndefined();
    expect(readJsonlFile(file('cut.jsonl', `${op(0)}\n{"type":"ok","pro`), undefined)).toBeUndefined();
    expect(readJsonlFile(file('odd.jsonl', `${op(0)}\n{"type":"ok","process":0,"value":1\u0001}\n`), undefined)).toBeUndefined();
    expect(readJsonlFile(join(dir, 'missing.jsonl'), undefined)).toBeUndefined();
    expect(readJsonlFile(dir, 'jsonl')).toBeUndefined();
  });

  it('with --format jsonl, reads a file whatever its first characters', () => {
    expect(readJsonlFile(file('ws.txt', `\n\n   ${op(0)}\n`), 'jsonl')).toEqual(parseHistoryText(`\n\n   ${op(0)}\n`, 'jsonl'));
  });
});
