import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringifyJson } from '@gyre/history';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, detectFormat, opStartLines, parseHistoryText, readHistoryFile, type HistoryFormat, type ParsedHistory } from './check-input';

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

  it('looks at the first 64 K characters only', () => {
    const op = '{"type":"invoke","f":"read","process":0}\n';
    expect(detectFormat(' '.repeat(64 * 1024 - 100) + op)).toBe('jsonl');
    expect(detectFormat(' '.repeat(64 * 1024) + op)).toBeUndefined();
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

describe('readHistoryFile', () => {
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
      const fast = readHistoryFile(file('h.jsonl', text), text.startsWith('\uFEFF') ? 'jsonl' : undefined);
      const slow = parseHistoryText(text, 'jsonl');
      expect(fast).toEqual(slow);
      expect((fast as ParsedHistory).ops.map((o) => stringifyJson(o))).toEqual(slow.ops.map((o) => stringifyJson(o)));
    }
  });

  it('reads a file larger than its chunk, with lines across chunk ends', () => {
    const lines = Array.from({ length: 30_000 }, (_, i) => op(i, i % 2 ? 'ok' : 'invoke', `[${i},"${'x'.repeat(i % 50)}"]`));
    const text = lines.join('\n') + '\n';
    expect(text.length).toBeGreaterThan(2 << 20);
    expect(readHistoryFile(file('big.jsonl', text), undefined)).toEqual(parseHistoryText(text, 'jsonl'));
  });

  /** What reading `text` as a whole string in `format` gives (the text path of gyre check). */
  const viaText = (text: string, format: HistoryFormat) => {
    if (text.trim() === '') return 'the file is empty: there is no history to check';
    try {
      return parseHistoryText(text, format);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return { message: `not a readable ${format} history: ${(e as Error).message}`, line: (e as InputError).line };
    }
  };

  it('reads a file of another format as its text is read, whether it fits in the first chunk or not', () => {
    const edn = (i: number) => `{:index ${i}, :type :invoke, :f :read, :process 0, :value nil}`;
    const cases: [string, string | Uint8Array, HistoryFormat | undefined, HistoryFormat][] = [
      ['h.edn', `${edn(0)}\n${edn(1)}\n`, undefined, 'edn'],
      ['h.json', `[${op(0)}]`, undefined, 'json'],
      ['h2.jsonl', `${op(0)}\n`, 'edn', 'edn'],
      ['etcd.log', 'INFO  jepsen.util - 3\t:invoke\t:cas\t[1 4]\nINFO  jepsen.util - 3\t:ok\t:cas\t[1 4]\n', undefined, 'etcd-log'],
      ['big.edn', Array.from({ length: 30_000 }, (_, i) => edn(i)).join('\n'), undefined, 'edn'],
      ['bad.edn', `${edn(0)}\n{:index 1, :type :invoke, :f :read\n`, undefined, 'edn'],
      ['bad-utf8.edn', new Uint8Array([...Buffer.from(`${edn(0)}\n{:index 1, :type :invoke, :f :read, :process 0, :value "`), 0xc3, 0x28, 0xff, ...Buffer.from('"}\n')]), undefined, 'edn'],
    ];
    for (const [name, content, forced, format] of cases) {
      const text = typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
      expect(readHistoryFile(file(name, content), forced), name).toEqual(viaText(text, format));
    }
    expect((readHistoryFile(file('big2.edn', cases[4]![1]), undefined) as { ops: unknown[] }).ops).toHaveLength(30_000);
  });

  it('names what is wrong with a file it cannot read', () => {
    expect(readHistoryFile(file('bom.jsonl', `\uFEFF${op(0)}\n`), undefined)).toEqual({ message: expect.stringMatching(/^cannot tell the format of this file from its content; use --format/), line: 1 });
    expect(readHistoryFile(file('log.jsonl', 'hello\n'), undefined)).toEqual({ message: expect.stringMatching(/^cannot tell the format/), line: 1 });
    expect(readHistoryFile(file('empty.jsonl', ''), 'jsonl')).toBe('the file is empty: there is no history to check');
    expect(readHistoryFile(file('blank.edn', ' \n\n'), undefined)).toBe('the file is empty: there is no history to check');
    expect(readHistoryFile(join(dir, 'missing.jsonl'), undefined)).toBe(`no such file (looked for ${join(dir, 'missing.jsonl')})`);
    expect(readHistoryFile(dir, 'jsonl')).toBe('is a directory, not a history file');
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
      expect(readHistoryFile(file('bad.jsonl', text), undefined), text).toEqual(viaText(text, 'jsonl'));
    }
    // With a byte-order mark, under --format jsonl.
    const bom = `\uFEFF{"type":"ok","pro\n`;
    expect(readHistoryFile(file('bom-bad.jsonl', bom), 'jsonl')).toEqual({ message: `not a readable jsonl history: ${textError(bom)!.message}`, line: 1 });
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
      expect(readHistoryFile(file('big-bad.jsonl', t), undefined)).toEqual({ message: `not a readable jsonl history: ${want.message}`, line: want.line });
    }
    expect(textError(head + bad)!.message).toMatch(/is it truncated\?/);
  });

  it('with --format jsonl, reads a file whatever its first characters', () => {
    expect(readHistoryFile(file('ws.txt', `\n\n   ${op(0)}\n`), 'jsonl')).toEqual(parseHistoryText(`\n\n   ${op(0)}\n`, 'jsonl'));
  });
});
