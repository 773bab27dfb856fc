import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameDecoded } from './test-values';
import { EdnList, ednToPlain, parseEdnAll, parseEdnRecords } from './edn';


/** What the full reader gives: the forms, or the items of a lone vector or list, as plain values. */
function fullRead(text: string): unknown[] {
  let forms = parseEdnAll(text);
  const only = forms[0];
  if (forms.length === 1 && (Array.isArray(only) || only instanceof EdnList)) forms = Array.isArray(only) ? only : only.items;
  return forms.map(ednToPlain);
}

// EDN fragments, the fast reader's subset and beyond it.
const scalar = fc.oneof(
  { arbitrary: fc.constantFrom('nil', 'true', 'false', ':ok', ':invoke', ':f', ':a/b', '::x', '-0', '+5', '007', '-12', '123456789012345'), weight: 4 },
  { arbitrary: fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String), weight: 4 },
  { arbitrary: fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)), weight: 4 },
  { arbitrary: fc.constantFrom('"a\\nb"', '"tab\\there"', '"q\\"uote"', '"\\u00e9"', '"multi\nline"', '"back\\\\slash"', '"\\b\\f\\r\\t"', '"esc\\nthen\nnewline"'), weight: 2 },
  // Beyond the fast reader, or not EDN at all.
  { arbitrary: fc.constantFrom(':', ':-', '1234567890123456', '9007199254740993', '-9999999999999999', '12N', '1.5', '2e3', '1/2', '0x1F', '1M', 'foo', 'nil?', '\\a', '\\newline', '#inst "2020"', '#_ 3', '-', '+', '"\\x"', '"\\uZZZZ"', ')', '{'), weight: 1 },
);
const sep = fc.constantFrom(' ', ', ', ',', '\n', ' ; note\n', '\t', '\r\n', '');
const key = fc.constantFrom(':process', ':type', ':f', ':value', ':index', '"key"', ':__proto__', '"__proto__"', '1', 'sym', ':a', '::b', '[1]', 'nil');
const { form } = fc.letrec((tie) => ({
  form: fc.oneof({ depthSize: 'small' }, scalar, scalar, tie('vec'), tie('list'), tie('set'), tie('map')),
  vec: fc.tuple(fc.array(tie('form'), { maxLength: 4 }), sep).map(([xs, s]) => `[${(xs as string[]).join(s || ' ')}]`),
  list: fc.tuple(fc.array(tie('form'), { maxLength: 4 }), sep).map(([xs, s]) => `(${(xs as string[]).join(s || ' ')})`),
  set: fc.array(tie('form'), { maxLength: 3 }).map((xs) => `#{${(xs as string[]).join(' ')}}`),
  map: fc.tuple(fc.array(fc.tuple(key, tie('form')), { maxLength: 5 }), sep).map(([kvs, s]) => `{${(kvs as [string, string][]).map(([k, v]) => `${k} ${v}`).join(s === '' ? ', ' : s)}}`),
}));
/** An op-like map: the common case. */
const opMap = fc
  .record({
    process: fc.oneof(fc.nat(30).map(String), fc.constantFrom(':nemesis', ':c0')),
    type: fc.constantFrom(':invoke', ':ok', ':fail', ':info'),
    f: fc.constantFrom(':read', ':write', ':cas', ':txn'),
    value: form,
    extra: fc.option(fc.tuple(fc.constantFrom(':time', ':index', ':error', ':key'), form)),
  })
  .map(({ process, type, f, value, extra }) => `{:process ${process}, :type ${type}, :f ${f}, :value ${value}${extra ? `, ${extra[0]} ${extra[1]}` : ''}}`);

/** A history text and the line each record starts on: forms one after the other, or all in one vector or list. */
const historyText = fc
  .record({
    forms: fc.array(fc.oneof(opMap, opMap, opMap, form), { minLength: 1, maxLength: 6 }),
    seps: fc.array(fc.constantFrom('\n', '\n\n', ' ', '\n; comment\n', ',\n', '\r\n'), { minLength: 7, maxLength: 7 }),
    wrap: fc.constantFrom('', '', '[', '('),
    lead: fc.constantFrom('', '\n', '; header\n', '  '),
  })
  .map(({ forms, seps, wrap, lead }) => {
    let text = lead + wrap;
    const lines: number[] = [];
    forms.forEach((f, i) => {
      if (i > 0) text += seps[i]!;
      lines.push(text.split('\n').length);
      text += f;
    });
    if (wrap) text += wrap === '[' ? ']' : ')';
    return { text, lines, wrapped: wrap !== '' };
  });

describe('parseEdnRecords (the fast reader)', () => {
  it('gives exactly what the full reader gives, with the right lines, whenever it answers', () => {
    let answered = 0;
    let allMaps = 0;
    fc.assert(
      fc.property(historyText, ({ text, lines }) => {
        const fast = parseEdnRecords(text);
        if (!fast) return;
        answered++;
        const full = fullRead(text);
        if (!sameDecoded(fast.records, full)) expect({ text, records: fast.records }).toEqual({ text, records: full });
        // Line numbers are only meaningful for forms a generated text placed (a record that is itself a vector holds others).
        expect(fast.lines).toHaveLength(fast.records.length);
        if (fast.records.length === lines.length) expect(fast.lines).toEqual(lines);
        if (fast.records.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r))) allMaps++;
      }),
      { numRuns: 6000 },
    );
    expect(answered).toBeGreaterThan(1000);
    expect(allMaps).toBeGreaterThan(300);
  });

  it('reads the usual history lines, and leaves anything unusual to the full reader', () => {
    const text = '{:process 0, :type :invoke, :f :write, :value [0 3], :time 1}\n; a comment\n{:process :nemesis, :type :info, :f :start, :value "a\\"b", :key "k"}\n';
    expect(parseEdnRecords(text)).toEqual({
      records: [
        { process: 0, type: 'invoke', f: 'write', value: [0, 3], time: 1 },
        { process: 'nemesis', type: 'info', f: 'start', value: 'a"b', key: 'k' },
      ],
      lines: [1, 3],
    });
    expect(parseEdnRecords('[{:a 1}\n {:a #{2}}\n (3)]')).toEqual({ records: [{ a: 1 }, { a: [2] }, [3]], lines: [1, 2, 3] });
    for (const unusual of ['{:a 1.5}', '{:a 12345678901234567}', '{:a 5N}', '{:a foo}', '{:a #inst "x"}', '{:a \\c}', '{1 2}', '{:a 1 #_ :b 2}', '{:a', '{:a 1}}', '[{:a 1}] {:b 2}', '{:__proto__ 1}']) {
      expect([unusual, parseEdnRecords(unusual)]).toEqual([unusual, undefined]);
    }
  });
});
