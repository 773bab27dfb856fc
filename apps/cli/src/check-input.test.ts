import { describe, expect, it } from 'vitest';
import { detectFormat, opStartLines, parseHistoryText } from './check-input';

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
