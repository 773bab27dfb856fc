import { describe, expect, it } from 'vitest';
import { EdnSyntaxError, parseEdn, parseEdnAll, parseEdnRecords, prettyEdn, printEdn } from './edn';
import { formatOpEdn, formatOpJson, parseHistoryJsonl } from './format';
import { JsonSyntaxError, MAX_NESTING, exceedsMaxNesting, parseJson, stringifyJson, valueKey } from './json';

/** `depth` arrays, one inside the other, around `inner`. */
const nested = (depth: number, inner: unknown = 1): unknown => {
  let v = inner;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};
const jsonText = (depth: number, inner = '1') => '['.repeat(depth) + inner + ']'.repeat(depth);

/** Runs `f` with about `frames` frames already on the stack, as inside a deep caller. */
function underStack<T>(frames: number, f: () => T): T {
  const go = (n: number): T => (n === 0 ? f() : go(n - 1));
  return go(frames);
}

describe('one nesting limit for the readers and the printers', () => {
  it('is 1000 levels, as Jackson (which reads Maelstrom’s JSON) allows by default', () => {
    expect(MAX_NESTING).toBe(1000);
  });

  it('the JSON reader takes 1000 levels and refuses 1001, on the fast path and the precise one, with the position', () => {
    expect(stringifyJson(parseJson(jsonText(MAX_NESTING)))).toBe(jsonText(MAX_NESTING));
    expect(stringifyJson(parseJson(jsonText(MAX_NESTING, '1.5')))).toBe(jsonText(MAX_NESTING, '1.5'));
    for (const inner of ['1', '1.5', '{"a":9007199254740993}']) {
      const text = jsonText(MAX_NESTING + 1, inner);
      expect(() => parseJson(text)).toThrow(JsonSyntaxError);
      expect(() => parseJson(text)).toThrow(/nested deeper than 1000 levels at position 1000/);
    }
    const objects = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    expect(() => parseJson(objects)).toThrow(/nested deeper than 1000 levels/);
  });

  it('exceedsMaxNesting looks at brackets outside strings only', () => {
    expect(exceedsMaxNesting(jsonText(MAX_NESTING))).toBe(false);
    expect(exceedsMaxNesting(jsonText(MAX_NESTING + 1))).toBe(true);
    expect(exceedsMaxNesting(JSON.stringify({ s: '['.repeat(5000), t: 'a\\"[[' }))).toBe(false);
    expect(exceedsMaxNesting(JSON.stringify(['\\', nested(MAX_NESTING)]))).toBe(true);
    expect(exceedsMaxNesting('[' + '[]'.repeat(10_000) + ']')).toBe(false);
  });

  it('the EDN reader takes 1000 levels and refuses 1001 with the line and column', () => {
    const ok = '{:value ' + '['.repeat(MAX_NESTING - 1) + ']'.repeat(MAX_NESTING - 1) + '}';
    expect(printEdn(parseEdn(ok))).toBe(ok);
    const text = '{:type :ok}\n{:value ' + '['.repeat(MAX_NESTING) + ']'.repeat(MAX_NESTING) + '}';
    try {
      parseEdnAll(text);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(EdnSyntaxError);
      expect((e as EdnSyntaxError).message).toMatch(/nested deeper than 1000 levels/);
      expect((e as EdnSyntaxError).line).toBe(2);
      expect((e as EdnSyntaxError).column).toBe(9 + MAX_NESTING - 1);
    }
    for (const open of ['(', '#{', '[']) {
      const close = open === '(' ? ')' : open === '#{' ? '}' : ']';
      expect(() => parseEdn(open.repeat(5000) + close.repeat(5000))).toThrow(EdnSyntaxError);
    }
  });

  it('the fast EDN record reader hands anything deeper than 1000 levels to the full reader (never a stack overflow)', () => {
    const within = '['.repeat(MAX_NESTING) + ']'.repeat(MAX_NESTING);
    expect(parseEdnRecords(`{:value ${within.slice(1, -1)}}`)?.records).toHaveLength(1);
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    expect(parseEdnRecords(`{:type :ok}\n{:value ${deep}}`)).toBeUndefined();
    expect(() => parseEdnAll(`{:type :ok}\n{:value ${deep}}`)).toThrow(/nested deeper than 1000 levels/);
  });

  it('every printer writes 1000 levels, even from deep in the stack, and refuses 1001 with a clear error', () => {
    const deepest = nested(MAX_NESTING);
    underStack(2000, () => {
      expect(stringifyJson(deepest)).toBe(jsonText(MAX_NESTING));
      expect(stringifyJson(nested(MAX_NESTING, 5n))).toBe(jsonText(MAX_NESTING, '5'));
      expect(printEdn(deepest)).toBe(jsonText(MAX_NESTING));
      expect(prettyEdn({ value: nested(MAX_NESTING - 1) })).toContain('[[[');
      expect(valueKey(deepest)).toBe(jsonText(MAX_NESTING));
      const op = { index: 0, time: 0, type: 'ok' as const, process: 0, f: 'read', value: nested(MAX_NESTING - 1) };
      expect(parseHistoryJsonl(formatOpJson(op))[0]!.value).toEqual(op.value);
      expect(formatOpEdn(op)).toContain(':value [[[');
    });
    const tooDeep = nested(MAX_NESTING + 1);
    for (const print of [stringifyJson, printEdn, prettyEdn, (v: unknown) => stringifyJson(nested(2, v)), (v: unknown) => stringifyJson({ n: 5n, v })]) {
      expect(() => print(tooDeep)).toThrow(RangeError);
      expect(() => print(tooDeep)).toThrow(/nested deeper than 1000 levels/);
    }
  });
});

describe('EDN forms that nest without brackets', () => {
  it('tags and discards count as levels too', () => {
    expect(() => parseEdn('#a '.repeat(5000) + '1')).toThrow(/nested deeper than 1000 levels/);
    expect(() => parseEdnAll('#_'.repeat(5000) + '1')).toThrow(/nested deeper than 1000 levels/);
    expect(printEdn(parseEdn('#a '.repeat(MAX_NESTING) + '1'))).toBe('#a '.repeat(MAX_NESTING) + '1');
  });
});
