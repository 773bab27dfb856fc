import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringifyJson } from '@gyre/history';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, detectFormat, opStartLines, parseHistoryText, readJsonlFile } from './check-input';

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

  it('leaves to the text reader a file of another format, an empty file, a missing file, a directory', () => {
    expect(readJsonlFile(file('bom.jsonl', `\uFEFF${op(0)}\n`), undefined)).toBeUndefined();
    expect(readJsonlFile(file('h.edn', '{:type :invoke, :f :read, :process 0}\n'), undefined)).toBeUndefined();
    expect(readJsonlFile(file('h.json', `[${op(0)}]`), undefined)).toBeUndefined();
    expect(readJsonlFile(file('h2.jsonl', `${op(0)}\n`), 'edn')).toBeUndefined();
    expect(readJsonlFile(file('empty.jsonl', ''), 'jsonl')).toBeUndefined();
    expect(readJsonlFile(file('log.jsonl', 'hello\n'), undefined)).toBeUndefined();
    expect(readJsonlFile(join(dir, 'missing.jsonl'), undefined)).toBeUndefined();
    expect(readJsonlFile(dir, 'jsonl')).toBeUndefined();
  });

  it('reads a file of blank lines as no ops, with --format jsonl', () => {
    expect(readJsonlFile(file('blank.jsonl', '\n \r\n\u00a0\n\uFEFF'), 'jsonl')).toEqual({ format: 'jsonl', ops: [], lines: [] });
  });

  /** What parseHistoryText throws for the text, or undefined. */
  const textError = (text: string) => {
    try {
      parseHistoryText(text, 'jsonl');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return e as InputError;
    }
    return undefined;
  };

  it('refuses a bad line with the error parseHistoryText gives: the same message, the same line', () => {
    const texts = [
      `${op(0)}\n{"type":"ok","pro`,
      `${op(0)}\n{"type":"ok","pro\n\n \r\n\u00a0\n`,
      `${op(0)}\n{"type":"ok","pro\n${op(1)}\n`,
      `${op(0)}\n{"type":"ok","process":0,"value":1\u0001}\n`,
      `${op(0)}\r\n\r\n{"type":"ok","process":0,"f":"write","value":"é😀\u001b[2J",}\r\n${op(1)}`,
      `${op(0)}\n${op(1, 'oops')}\n`,
      `${op(0)}\n${op(1, 'ok', '1.5')}\n{"type":"ok","process":1.5}`,
      `${op(0)}\n{"type":"ok","process":0,"f":"write","value":"${'x'.repeat(300)}`,
      `${op(0)}\n[1,2]\n`,
    ];
    for (const text of texts) {
      const want = textError(text);
      expect(want, text).toBeDefined();
      let got: unknown;
      try {
        readJsonlFile(file('bad.jsonl', text), undefined);
      } catch (e) {
        got = e;
      }
      expect(got).toBeInstanceOf(InputError);
      expect({ message: (got as InputError).message, line: (got as InputError).line }).toEqual({ message: want!.message, line: want!.line });
    }
    // With a byte-order mark, under --format jsonl.
    const bom = `\uFEFF{"type":"ok","pro\n`;
    expect(() => readJsonlFile(file('bom-bad.jsonl', bom), 'jsonl')).toThrow(expect.objectContaining({ message: textError(bom)!.message, line: 1 }));
  });

  it('refuses a bad line past the first megabyte, across a chunk end and inside a character cut by it, as parseHistoryText does', () => {
    const CHUNK = 1 << 20;
    const good = `${op(0)}\n`;
    const k = Math.floor((CHUNK - 200) / good.length);
    const bad = `{"type":"ok","pr${'é'.repeat(10)},"f":"write"}`;
    // Line k + 1 pads the text so that line k + 2, the bad one, has the first byte of its first "é" last in the first chunk.
    const prefix = '{"type":"ok","process":0,"f":"write","value":"';
    const first = `${prefix}${'y'.repeat(CHUNK - 16 - 1 - k * good.length - prefix.length - 3)}"}\n`;
    const head = good.repeat(k) + first;
    expect(Buffer.byteLength(head + bad.slice(0, 16))).toBe(CHUNK - 1);
    const text = head + bad + '\n' + good.repeat(2000);
    for (const t of [text, head + bad, head + bad + '\n\n', text.replaceAll('\n', '\r\n')]) {
      const want = textError(t)!;
      expect(want.line).toBe(k + 2);
      expect(() => readJsonlFile(file('big-bad.jsonl', t), undefined)).toThrow(expect.objectContaining({ message: want.message, line: want.line }));
    }
    expect(textError(head + bad)!.message).toMatch(/is it truncated\?/);
  });

  it('with --format jsonl, reads a file whatever its first characters', () => {
    expect(readJsonlFile(file('ws.txt', `\n\n   ${op(0)}\n`), 'jsonl')).toEqual(parseHistoryText(`\n\n   ${op(0)}\n`, 'jsonl'));
  });
});
