import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHistoryJsonl } from './format';
import { JsonFloat, stringifyJson } from './json';
import { JsonlHistoryReader, JsonlLineError } from './jsonl';
import { showInput } from './quote';
import { sameDecoded } from './test-values';

const bytes = (text: string) => new TextEncoder().encode(text);

/** Reads `text` through a reader, in chunks of `size` bytes. */
function read(text: string | Uint8Array, size = 1 << 20): { ops: unknown[]; lines: number[]; slow: number } {
  const b = typeof text === 'string' ? bytes(text) : text;
  const r = new JsonlHistoryReader();
  const chunk = new Uint8Array(size);
  for (let i = 0; i < b.length; i += size) {
    // The reader may not keep the chunk: it is overwritten by the next one.
    const part = b.subarray(i, i + size);
    chunk.set(part);
    r.push(chunk.subarray(0, part.length));
  }
  const { ops, lines } = r.end();
  return { ops, lines, slow: r.slowLines };
}

/** What parseHistoryJsonl gives, or its error. */
function reference(text: string): { ops: unknown[] } | { error: string; line: number } {
  try {
    return { ops: parseHistoryJsonl(text) };
  } catch (e) {
    return { error: (e as Error).message, line: (e as { line: number }).line };
  }
}

/** Lines the readers of {@link agree} read the fast way; bad lines it saw, last and not last. */
let fastLines = 0;
const badLines = { last: 0, notLast: 0 };

function agree(text: string, size?: number): void {
  const ref = reference(text);
  if ('error' in ref) {
    let err: unknown;
    try {
      read(text, size);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JsonlLineError);
    const e = err as JsonlLineError;
    expect({ error: e.message, line: e.line }).toEqual(ref);
    // The parts of the message: the line as it is in the text, and whether only blank lines follow.
    const rows = text.split('\n');
    expect(e.input).toBe(rows[e.line - 1]!.trim());
    expect(e.last).toBe(rows.slice(e.line).every((r) => r.trim() === ''));
    expect(e.notJson).toBe(e.problem.startsWith('not valid JSON ('));
    expect(e.message).toBe(`line ${e.line}: ${e.problem}: ${showInput(e.input)}`);
    badLines[e.last ? 'last' : 'notLast']++;
    return;
  }
  const got = read(text, size);
  fastLines += got.ops.length - got.slow;
  expect(got.ops.length).toBe(ref.ops.length);
  for (let i = 0; i < ref.ops.length; i++) expect(sameDecoded(got.ops[i], ref.ops[i]), stringifyJson(ref.ops[i])).toBe(true);
  const rows = text.split('\n');
  expect(got.lines).toEqual(rows.map((r, i) => (r.trim() === '' ? 0 : i + 1)).filter((l) => l > 0));
}

const op = '{"index":0,"time":5,"type":"invoke","process":0,"f":"write","value":3}';

describe('JsonlHistoryReader', () => {
  it("reads Gyre's lines without the lossless reader, with their line numbers", () => {
    const text = `${op}\n\n{"index":1,"time":6,"type":"ok","process":0,"f":"write","value":3}\n{"type":"invoke","f":"cas","value":["k",[1,2]],"process":"c1","error":{"a":[true,false,null]},"time":-7}\n`;
    const r = read(text);
    expect(r.slow).toBe(0);
    expect(r.lines).toEqual([1, 3, 4]);
    expect(r.ops).toEqual(parseHistoryJsonl(text));
    expect(r.ops[2]).toEqual({ type: 'invoke', f: 'cas', value: ['k', [1, 2]], process: 'c1', error: { a: [true, false, null] }, time: -7, index: 2 });
  });

  it('leaves escapes, non-ASCII text, floats, big integers and -0 to the lossless reader, line by line', () => {
    const odd = [
      '{"type":"ok","process":0,"f":"read","value":"a\\"b\\u00e9"}',
      '{"type":"ok","process":0,"f":"read","value":"é😀"}',
      '{"type":"ok","process":0,"f":"read","value":1.0}',
      '{"type":"ok","process":0,"f":"read","value":9007199254740993}',
      '{"type":"ok","process":0,"f":"read","value":-0}',
      '{"type":"ok","process":0,"f":"read","value":{"0":1,"__proto__":2}}',
    ];
    const text = [op, ...odd].join('\n');
    const r = read(text);
    expect(r.slow).toBe(odd.length);
    expect(r.ops.map((o) => (o as { value: unknown }).value)).toEqual([3, 'a"bé', 'é😀', new JsonFloat(1), 9007199254740993n, 0, JSON.parse('{"0":1,"__proto__":2}')]);
    agree(text);
  });

  it('reads CRLF line ends, blank and white lines, a byte-order mark and a last line without a newline', () => {
    agree(`\uFEFF${op}\r\n\r\n \t \r\n\f\u00a0\n${op}`);
    agree(`${op}\r\n${op}\r\n`, 7);
    expect(read(`${op}\r\n  ${op}  \r\n`).slow).toBe(0);
  });

  it('keeps the first place and the last value of a repeated key, as JSON.parse does', () => {
    const text = '{"value":1,"type":"invoke","process":0,"f":"read","value":2,"type":"ok"}';
    const [o] = read(text).ops as Record<string, unknown>[];
    expect(Object.keys(o!)).toEqual(['value', 'type', 'process', 'f', 'index', 'time']);
    expect(o).toMatchObject({ value: 2, type: 'ok' });
    agree(text);
  });

  it('refuses a bad line with its number and the lossless reader’s message: truncated, not an op, nested too deep, control characters', () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    for (const text of [
      `${op}\n{"type":"ok","process":0,"f":"wri`,
      `${op}\n\n[1,2]\n`,
      `${op}\n{"type":"ok","process":0,"f":"read","value":${deep}}\n`,
      `${op}\n{"type":"ok\u001b[2J","process":0,"f":"read"}\n`,
      `${op}\n{"type":"ok","process":0,"f":"read","value":"a\u0001b"}\n`,
      `${op}\n{"type":"ok","process":0,"f":"read","value":nul}\n`,
      `${op}\n{"type":"ok","process":1.5,"f":"read"}\n`,
    ]) {
      agree(text);
      expect(() => read(text)).toThrow(/^line [23]: /);
    }
    expect(() => read(`${op}\n{"type":"ok\u001b[2J","process":0,"f":"read"}\n`)).toThrow(/\\u001b/);
  });

  it('throws for a bad line once it has seen what follows: the next line that is not blank, or the end', () => {
    const r = new JsonlHistoryReader();
    r.push(bytes(`${op}\n{"type":"ok","process":0,"f":"read","value":[1,}\n \r\n\f\u00a0\uFEFF\u2028\n`));
    let err: unknown;
    try {
      r.push(bytes(`  ${op}\n`));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(JsonlLineError);
    expect(err).toMatchObject({ line: 2, notJson: true, last: false, input: '{"type":"ok","process":0,"f":"read","value":[1,}' });
    expect((err as Error).message).toMatch(/^line 2: not valid JSON \(.*\): \{"type"/);

    const cut = new JsonlHistoryReader();
    cut.push(bytes(`${op}\n{"type":"ok","pro`));
    cut.push(bytes('\n\n  \r\n'));
    expect(() => cut.end()).toThrow(expect.objectContaining({ line: 2, notJson: true, last: true, problem: expect.stringMatching(/^not valid JSON \(/) }));

    const notOp = new JsonlHistoryReader();
    notOp.push(bytes(`${op}\n{"type":"oops","process":0}\n`));
    expect(() => notOp.end()).toThrow(expect.objectContaining({ line: 2, notJson: false, last: true, problem: '"type" must be one of invoke, ok, fail, info (got "oops")' }));
  });

  it('names a bad line split across chunks of any size, multi-byte characters and CRLF included', () => {
    const bad = '{"type":"ok","process":0,"f":"read","value":"é😀\u0001",}';
    for (const text of [`${op}\r\n${bad}\r\n${op}\r\n`, `${op}\n${bad}`, `${op}\n${bad}\n\u00a0\n`, `${op}\n{"type":"ok","process":0,"f":"réad","value":1.5,"time":"é"}\n${op}`]) {
      for (const size of [1, 2, 3, 5, 16, 63, 64, 65, 70, 71, 1000]) agree(text, size);
    }
  });

  it('reads lines split across chunks of any size', () => {
    const text = `${op}\n{"type":"ok","process":0,"f":"read","value":["é",1.5,null]}\n${op}`;
    for (const size of [1, 2, 3, 5, 16, 70, 71, 72, 1000]) agree(text, size);
  });

  it('reads what parseHistoryJsonl reads, the same way, on random histories (property)', () => {
    const key = fc.oneof({ weight: 10, arbitrary: fc.constantFrom('index', 'time', 'type', 'process', 'f', 'value', 'error', 'final?', 'key', 'a b') }, fc.constantFrom('0', '__proto__', '', 'é', 'a"b'));
    // Mostly values of the common shape, now and then one the lossless reader must read.
    const scalar = fc.oneof(
      { weight: 20, arbitrary: fc.integer({ min: -1e6, max: 1e6 }).map(String) },
      { weight: 10, arbitrary: fc.constantFrom('0', '123456789012345', 'true', 'false', 'null', '"invoke"', '"nemesis"', '"a b"') },
      { weight: 10, arbitrary: fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)) },
      fc.constantFrom('-0', '1.0', '2e3', '-1.5E-2', '1234567890123456', '-9007199254740993', '"a\\nb"', '"\u0007"'),
      fc.string({ maxLength: 6, unit: 'grapheme' }).map((s) => JSON.stringify(s)),
    );
    const ws = fc.constantFrom('', '', '', ' ', '\t', '\r', ' \r');
    const { value } = fc.letrec<{ value: string; arr: string; obj: string }>((tie) => ({
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('arr'), tie('obj')),
      arr: fc.array(fc.tuple(tie('value'), ws), { maxLength: 3 }).map((xs) => `[${xs.map(([v, w]) => w + v + w).join(',')}]`),
      obj: fc.array(fc.tuple(key, tie('value'), ws), { maxLength: 3 }).map((kvs) => `{${kvs.map(([k, v, w]) => `${w}${JSON.stringify(k)}${w}:${w}${v}`).join(',')}}`),
    }));
    // Now and then a value that is not JSON: the whole text is then refused, by both.
    const anyValue = fc.oneof({ weight: 30, arbitrary: value }, fc.constantFrom('01', '1.', 'nul', 'tru', '[1,]', '{"a"}'));
    const entry = fc
      .tuple(
        fc.oneof({ weight: 30, arbitrary: fc.constantFrom('"invoke"', '"ok"', '"fail"', '"info"') }, fc.constantFrom('"oops"', '1')),
        fc.oneof({ weight: 30, arbitrary: fc.nat({ max: 5 }).map(String) }, fc.constantFrom('"nemesis"', '"c0"', 'null', '1.5', '12345678901234567890')),
        fc.oneof({ weight: 30, arbitrary: fc.constantFrom('"read"', '"write"', '"cas"') }, fc.constantFrom('null', '3')),
        anyValue,
        fc.array(fc.tuple(key.filter((k) => k !== 'index' && k !== 'time'), anyValue), { maxLength: 2 }),
        fc.boolean(),
        ws,
      )
      .map(([type, process, f, v, extra, shuffle, w]) => {
        const fields: [string, string][] = [['type', type], ['process', process], ['f', f], ['value', v], ...extra];
        if (shuffle) fields.reverse();
        return `${w}{${fields.map(([k, x]) => `${JSON.stringify(k)}:${w}${x}`).join(',')}}${w}`;
      });
    fastLines = 0;
    badLines.last = badLines.notLast = 0;
    const line = fc.oneof({ weight: 40, arbitrary: entry }, fc.constantFrom('', ' ', '\r', '\f', '\u00a0', '\uFEFF', '\u2028 '), fc.constantFrom('[1]', '{', '{"type":"ok"', 'garbage', '"é😀'));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.constantFrom('\n', '\r\n'), fc.integer({ min: 1, max: 64 }), (lines, nl, size) => {
        agree(lines.join(nl), size);
      }),
      { numRuns: 400 },
    );
    // Both paths were compared, not only the lossless one, and bad lines both last and followed by others.
    expect(fastLines).toBeGreaterThan(100);
    expect(badLines.last).toBeGreaterThan(20);
    expect(badLines.notLast).toBeGreaterThan(20);
  });
});
