import { describe, expect, it } from 'vitest';
import { EdnMap, Keyword, parseEdn, parseEdnAll, ednToPlain, printEdn, prettyEdn } from './edn';
import {
  HistoryFormatError,
  formatOpEdn,
  formatOpJson,
  formatOpText,
  parseHistoryEdn,
  parseHistoryJsonArray,
  parseHistoryJsonl,
  toOp,
} from './format';
import type { Op } from './op';
import { pairs } from './op';

const ops: Op[] = [
  { index: 0, time: 10, type: 'invoke', process: 0, f: 'generate', value: null },
  { index: 1, time: 20, type: 'ok', process: 0, f: 'generate', value: 12345678901234567890n },
  { index: 2, time: 30, type: 'invoke', process: 'nemesis', f: 'start-partition', value: 'majority' },
  { index: 3, time: 40, type: 'info', process: 1, f: 'add', value: 3, error: 'net-timeout' },
  { index: 4, time: 50, type: 'ok', process: 2, f: 'read', value: 7, final: true },
];

describe('JSON Lines', () => {
  it('round-trips ops, big integers included', () => {
    const text = ops.map(formatOpJson).join('\n') + '\n';
    expect(parseHistoryJsonl(text)).toEqual(ops);
    expect(formatOpJson(ops[1]!)).toBe('{"index":1,"time":20,"type":"ok","process":0,"f":"generate","value":12345678901234567890}');
  });

  it('names the line of a bad entry', () => {
    const text = formatOpJson(ops[0]!) + '\n{"index":1,"time":2,"type":"done","process":0,"f":"x","value":1}\n';
    expect(() => parseHistoryJsonl(text)).toThrow(HistoryFormatError);
    expect(() => parseHistoryJsonl(text)).toThrow(/line 2: "type" must be one of/);
    expect(() => parseHistoryJsonl('{"index":0,\n')).toThrow(/line 1: not valid JSON/);
  });

  it('accepts a truncated last line only if it is complete JSON', () => {
    const text = ops.map(formatOpJson).join('\n');
    expect(parseHistoryJsonl(text)).toHaveLength(5);
    expect(() => parseHistoryJsonl(text.slice(0, -3))).toThrow(/line 5/);
  });

  it('reads JSON arrays as elle-cli writes them', () => {
    const h = parseHistoryJsonArray('[{"type":"invoke","f":"txn","value":[["append",1,2]],"process":0},{"type":"ok","f":"txn","value":[["append",1,2]],"process":0}]');
    expect(h.map((o) => o.index)).toEqual([0, 1]);
    expect(() => parseHistoryJsonArray('{"a":1}')).toThrow(/expected a JSON array/);
  });
});

describe('EDN', () => {
  it('reads the forms Jepsen writes', () => {
    const v = parseEdn('{:index 3, :type :ok, :value [[:append 1 2] [:r 3 nil]], :set #{1 2}, :big 123456789012345678901N, :f 1.5, :tag #jepsen.history.Op{:a 1} ; comment\n}');
    expect(v).toBeInstanceOf(EdnMap);
    const plain = ednToPlain(v) as Record<string, unknown>;
    expect(plain['type']).toBe('ok');
    expect(plain['value']).toEqual([['append', 1, 2], ['r', 3, null]]);
    expect(plain['set']).toEqual([1, 2]);
    expect(plain['big']).toBe(123456789012345678901n);
    expect(plain['tag']).toEqual({ a: 1 });
  });

  it('reports syntax errors with line and column', () => {
    expect(() => parseEdn('{:a 1\n :b')).toThrow(/line 1, column 1/);
    expect(() => parseEdn('[1 2 "x]')).toThrow(/unterminated string/);
    expect(() => parseEdn('{:a}')).toThrow(/odd number/);
  });

  it('prints keywords, maps and strings', () => {
    expect(printEdn({ 'valid?': 'unknown', 'by-f': { echo: { count: 2 } }, n: 1n }, { keywordValue: (k) => k === 'valid?' })).toBe(
      '{:valid? :unknown, :by-f {:echo {:count 2}}, :n 1}',
    );
    expect(printEdn([new Keyword('r'), 'x', null, true])).toBe('[:r "x" nil true]');
    expect(printEdn({ '0': 1, 'a b': 2, '0.95': 3 })).toBe('{0 1, "a b" 2, 0.95 3}');
    const big = { workload: { 'valid?': true, errors: Array.from({ length: 30 }, (_, i) => i) }, stats: { count: 1 } };
    const pretty = prettyEdn(big);
    expect(pretty.split('\n').length).toBeGreaterThan(1);
    expect(ednToPlain(parseEdn(pretty))).toEqual(big);
  });

  it('round-trips history.edn lines', () => {
    const text = ops.map((o) => formatOpEdn(o)).join('\n');
    expect(text.split('\n')[2]).toBe('{:index 2, :time 30, :type :invoke, :process :nemesis, :f :start-partition, :value "majority"}');
    expect(text.split('\n')[3]).toContain(':error :net-timeout');
    expect(text.split('\n')[4]).toContain(':final? true');
    const back = parseHistoryEdn(text);
    expect(back[1]!.value).toBe(12345678901234567890n);
    expect(back[4]!.final).toBe(true);
    expect(back[3]!.error).toBe('net-timeout');
    expect(parseEdnAll(text)).toHaveLength(5);
  });

  it('reads a history given as one vector, and ops without process or time', () => {
    const h = parseHistoryEdn('[{:type :invoke, :value [[:append 255 8]]} {:type :ok, :value [[:append 255 8]]}]');
    expect(h).toHaveLength(2);
    expect(h[0]!.process).toBe(0);
    expect(pairs(h)[0]!.completion?.type).toBe('ok');
  });

  it('names the op that is wrong', () => {
    expect(() => parseHistoryEdn('{:type :invoke, :f :read}\n{:type :bogus, :f :read}')).toThrow(/line 2: operation 1: "type" must be/);
  });

  it('writes history.txt lines', () => {
    expect(formatOpText(ops[3]!)).toBe('1\t:info\t:add\t3\t:net-timeout');
    expect(formatOpText({ ...ops[0]!, error: ['txn-conflict', 'CAS failed!'] })).toBe('0\t:invoke\t:generate\tnil\t[:txn-conflict "CAS failed!"]');
  });
});

describe('toOp', () => {
  it('gives the same op, keys in the same order, whether it copies the object or reuses it', () => {
    const raws = [
      { type: 'invoke', f: 'read', value: null, process: 3 },
      { process: 'nemesis', type: 'info', extra: [1], 'final?': true, time: 5 },
      { index: 7, value: [1, 2], type: 'ok', f: 'write', node: 'n1' },
      { type: 'fail', process: null, f: null, time: 12n },
    ];
    for (const raw of raws) {
      const copied = toOp(structuredClone(raw), 4);
      const reused = toOp(structuredClone(raw), 4, true);
      expect(reused).toEqual(copied);
      expect(Object.keys(reused as object)).toEqual(Object.keys(copied as object));
    }
    expect(toOp({ type: 'bad' }, 0, true)).toMatch(/"type" must be one of/);
  });
});
