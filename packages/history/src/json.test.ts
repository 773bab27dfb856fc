import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameDecoded } from './test-values';
import { JsonFloat, JsonSyntaxError, compareValues, jsonStartProblem, needsLosslessJson, parseJson, parseJsonLossless, stringifyJson, valueKey, valuesEqual } from './json';

describe('lossless JSON', () => {
  it('keeps integers beyond 2^53 exactly', () => {
    const text = '{"id":9007199254740993,"neg":-123456789012345678901234567890}';
    const v = parseJson(text) as Record<string, unknown>;
    expect(v['id']).toBe(9007199254740993n);
    expect(v['neg']).toBe(-123456789012345678901234567890n);
    expect(stringifyJson(v)).toBe(text);
  });

  it('keeps 1 and 1.0 apart', () => {
    const v = parseJson('[1,1.0,1e3,2.50]') as unknown[];
    expect(v[0]).toBe(1);
    expect(v[1]).toBeInstanceOf(JsonFloat);
    expect(valuesEqual(v[0], v[1])).toBe(false);
    expect(stringifyJson(v)).toBe('[1,1.0,1000.0,2.5]');
  });

  it('safe integers stay numbers, and 2^53-1 is safe', () => {
    expect(parseJson('9007199254740991')).toBe(9007199254740991);
    expect(parseJson('9007199254740992')).toBe(9007199254740992n);
  });

  it('decodes escapes and unicode exactly', () => {
    const text = JSON.stringify({ s: 'a"b\\c\n\u0001é😀', n: 1.5 });
    expect(parseJson(text)).toEqual({ s: 'a"b\\c\n\u0001é😀', n: new JsonFloat(1.5) });
  });

  it('rejects bad JSON with a position', () => {
    for (const bad of ['', '{', '{"a":}', '[1,]', '01', '1.', '"abc', '{"a":1}x', 'nul', '{"a" 1}']) {
      expect(() => parseJson(bad), bad).toThrow(JsonSyntaxError);
    }
    try {
      parseJson('{"a":1.5,}');
    } catch (e) {
      expect((e as JsonSyntaxError).offset).toBe(9);
    }
  });

  it('round-trips arbitrary JSON texts, numbers included', () => {
    const num = fc.oneof(
      fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((b) => b.toString()),
      fc.integer().map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => new JsonFloat(d).toString()),
    );
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, num, fc.string().map((s) => JSON.stringify(s)), fc.constantFrom('true', 'false', 'null'), tie('arr'), tie('obj')),
      arr: fc.array(tie('tree'), { maxLength: 4 }).map((xs) => `[${(xs as string[]).join(',')}]`),
      obj: fc.uniqueArray(fc.tuple(fc.string(), tie('tree')), { maxLength: 4, selector: ([k]) => k }).map(
        (kvs) => `{${(kvs as [string, string][]).map(([k, v]) => JSON.stringify(k) + ':' + v).join(',')}}`,
      ),
    }));
    fc.assert(
      fc.property(tree, (text) => {
        const once = stringifyJson(parseJson(text as string));
        expect(stringifyJson(parseJson(once))).toBe(once);
        expect(valueKey(parseJson(once))).toBe(valueKey(parseJson(text as string)));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with JSON.parse wherever JSON.parse is exact', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const ours = parseJson(text);
        const theirs = JSON.parse(text);
        expect(JSON.parse(stringifyJson(ours))).toEqual(theirs);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('value equality and order', () => {
  it('compares like Clojure', () => {
    expect(valuesEqual(5, 5n)).toBe(true);
    expect(valuesEqual(1, '1')).toBe(false);
    expect(valuesEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(valuesEqual([1, 2], [1, 2, 3])).toBe(false);
    expect(compareValues(9007199254740993n, 9007199254740992)).toBe(1);
    expect(compareValues([1, 2], [0, 0, 0])).toBe(-1);
    expect(compareValues('a', 'b')).toBe(-1);
    expect(() => compareValues(1, 'a')).toThrow(/cannot compare 1 with "a"/);
    expect(() => compareValues({}, {})).toThrow(TypeError);
  });
});


describe('the fast path of parseJson (native JSON.parse when needsLosslessJson says it is safe)', () => {
  const num = fc.oneof(
    fc.integer({ min: -1000, max: 1000 }).map(String),
    fc.integer().map(String),
    fc.maxSafeInteger().map(String),
    fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((b) => b.toString()),
    fc.constantFrom('-0', '0', '1.0', '1e3', '1E-2', '-0.0', '9007199254740991', '9007199254740992', '-9007199254740993', '123456789012345', '1234567890123456'),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  );
  const key = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', '0', '1', 'a-0', 'x1.5', '10'));
  const ws = fc.constantFrom('', ' ', '\n', '\t', '\r\n ');
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small' }, num, num, fc.string().map((s) => JSON.stringify(s)), fc.constantFrom('true', 'false', 'null', '"-0"', '"1.5"'), tie('arr'), tie('obj')),
    arr: fc.tuple(fc.array(tie('tree'), { maxLength: 5 }), ws).map(([xs, w]) => `[${w}${(xs as string[]).join(`,${w}`)}${w}]`),
    obj: fc.tuple(fc.array(fc.tuple(key, tie('tree')), { maxLength: 5 }), ws).map(([kvs, w]) => `{${w}${(kvs as [string, string][]).map(([k, v]) => JSON.stringify(k) + `${w}:${w}` + v).join(',')}${w}}`),
  }));

  it('gives exactly the lossless value for every text it lets through, and lets most ordinary ones through', () => {
    let fast = 0;
    fc.assert(
      fc.property(tree, (text) => {
        const t = text as string;
        if (needsLosslessJson(t)) return;
        fast++;
        const native = JSON.parse(t) as unknown;
        const lossless = parseJsonLossless(t);
        if (!sameDecoded(native, lossless)) expect({ text: t, native }).toEqual({ text: t, native: lossless });
        expect(sameDecoded(parseJson(t), lossless)).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    expect(fast).toBeGreaterThan(4000);
  });

  it('sends floats, long integers and -0 to the lossless reader', () => {
    for (const t of ['1.0', '[1e5]', '{"a":-0}', '[-0]', '9007199254740993', '1234567890123456', '{"x":2.5E3}']) expect([t, needsLosslessJson(t)]).toEqual([t, true]);
    for (const t of ['{"a":1,"b":[2,-3],"c":"x"}', '123456789012345', '-10', '{"s":"a-b"}']) expect([t, needsLosslessJson(t)]).toEqual([t, false]);
    // Numbers inside strings are text: no reason for the slow reader; escaped quotes end no string.
    for (const t of ['{"s":"1.5","t":"-0","u":"12345678901234567"}', '["a\\"1.5",2]', '["\\\\",3]']) expect([t, needsLosslessJson(t)]).toEqual([t, false]);
    expect(needsLosslessJson('["\\\\",1.5]')).toBe(true);
    // Too deep for Gyre's readers: the lossless reader refuses it, as JSON.parse would not.
    expect(needsLosslessJson('['.repeat(1001) + ']'.repeat(1001))).toBe(true);
    expect(needsLosslessJson('['.repeat(1000) + ']'.repeat(1000))).toBe(false);
    expect(parseJson('-0')).toBe(0);
    expect(Object.is((parseJson('[-0]') as number[])[0], 0)).toBe(true);
  });
});

describe('jsonStartProblem: the parser\'s error for text that cannot be JSON from its first character', () => {
  const thrown = (text: string): string | undefined => {
    try {
      parseJson(text);
      return undefined;
    } catch (e) {
      expect(e).toBeInstanceOf(JsonSyntaxError);
      return (e as Error).message;
    }
  };

  it('gives exactly the message parseJson throws, whenever it gives one', () => {
    const start = fc.constantFrom('', ' ', '\t', '\r\n ', '  \n');
    const rest = fc.oneof(fc.string(), fc.constantFrom('got echo from c1', 'nul', 'truth', 'false', '{"a":1}', '[1]', '\u001b[31mred', '\ud83d\ude00 smile', 'n', 't', 'f'));
    fc.assert(
      fc.property(start, rest, (ws, text) => {
        const early = jsonStartProblem(ws + text);
        if (early !== undefined) expect(thrown(ws + text)).toBe(early);
      }),
      { numRuns: 3000 },
    );
  });

  it('answers for log lines, and leaves whatever may be JSON to the parser', () => {
    expect(jsonStartProblem('got echo from c12, replying')).toBe('unexpected character "g" at position 0');
    expect(jsonStartProblem('  node n1 ready')).toBe('invalid literal at position 2');
    for (const maybe of ['{"src":"n1"}', '[1]', '"s"', '-1', '12', 'true', 'false x', 'null', '{bad']) expect(jsonStartProblem(maybe)).toBeUndefined();
  });
});

describe('JsonFloat across copies of the package', () => {
  it('JsonFloat.is knows a float from another copy, where instanceof cannot', async () => {
    // A second instance of this module, as a node's own @gyre/history beside the one in the gyre binary.
    // @ts-expect-error: the query names the same file; TypeScript cannot resolve it, vitest loads it again.
    const other = (await import('./json?another-copy')) as typeof import('./json');
    expect(other.JsonFloat).not.toBe(JsonFloat);
    const foreign = other.parseJson('1.0');
    expect(foreign instanceof JsonFloat).toBe(false);
    expect(JsonFloat.is(foreign)).toBe(true);
    expect(other.JsonFloat.is(parseJson('2.5e3'))).toBe(true);
    for (const v of [1, '1.0', null, undefined, {}, [1.5], { value: 1 }]) expect(JsonFloat.is(v)).toBe(false);
  });
});
