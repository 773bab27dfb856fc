import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Keyword, formatOpEdn, formatOpJson, parseHistoryEdn, parseHistoryJsonl, reindex, seededRandom, stringifyJson, type Op } from '@gyre/history';
import { TxnEdnReader, TxnJsonlReader, TxnReadError, checkListAppend, checkRwRegister, txnHistory, type TxnHistory } from './index';
import { simulate } from './sim';

const bytes = (s: string) => new TextEncoder().encode(s);

/** Reads text through a reader in chunks of `size` bytes (lines and characters cut anywhere). */
function read(reader: TxnJsonlReader | TxnEdnReader, text: string, size = 1 << 20): TxnHistory {
  const b = bytes(text);
  for (let s = 0; s < b.length; s += size) reader.push(b.slice(s, s + size));
  return reader.end();
}

const ops = (h: TxnHistory) => Array.from({ length: h.length }, (_, i) => h.op(i));
const edn = (op: Op) => formatOpEdn(op, (v) => (Array.isArray(v) ? v.map((m) => (Array.isArray(m) ? [new Keyword(m[0] as string), m[1], m[2]] : m)) : v));

/** A simulated history with failed and info transactions, a nemesis op, string keys and odd values. */
function history(workload: 'list-append' | 'rw-register'): Op[] {
  const h = simulate(seededRandom(`read-${workload}`), { txns: 300, workload, concurrency: 5, failRate: 0.1, infoRate: 0.1 });
  const out: Op[] = [{ index: 0, time: 1, type: 'info', process: 'nemesis', f: 'start-partition', value: 'majority' }, ...h.map((op) => ({ ...op, index: op.index + 1 }))];
  // String keys and values, a big integer, a float, an extra field, an escaped string.
  out.push({ index: out.length, time: 2, type: 'invoke', process: 99, f: 'txn', value: [['r', 'k"1', null], [workload === 'list-append' ? 'append' : 'w', 'k"1', 'é']] });
  out.push({ index: out.length, time: 3, type: 'ok', process: 99, f: 'txn', value: [['r', 'k"1', workload === 'list-append' ? [12345678901234567890n] : 2.5], [workload === 'list-append' ? 'append' : 'w', 'k"1', 'é']], node: 'n1' });
  return out;
}

describe('TxnJsonlReader and TxnEdnReader', () => {
  for (const workload of ['list-append', 'rw-register'] as const) {
    it(`read ${workload} histories as parseHistoryJsonl / parseHistoryEdn do, whatever the chunks`, () => {
      const h = history(workload);
      const jsonl = h.map(formatOpJson).join('\n') + '\n';
      const expected = stringifyJson(parseHistoryJsonl(jsonl));
      for (const size of [1, 7, 64, 1 << 20]) expect(stringifyJson(ops(read(new TxnJsonlReader(), jsonl, size))), `chunks of ${size}`).toBe(expected);
      const ednText = '; a comment line\n' + h.map(edn).join('\n') + '\n';
      const expectedEdn = stringifyJson(parseHistoryEdn(ednText));
      for (const size of [5, 1 << 20]) expect(stringifyJson(ops(read(new TxnEdnReader(), ednText, size))), `chunks of ${size}`).toBe(expectedEdn);
      // And the checkers give the same result from the columns as from the ops.
      const check = workload === 'list-append' ? checkListAppend : checkRwRegister;
      expect(stringifyJson(check(read(new TxnJsonlReader(), jsonl)))).toBe(stringifyJson(check(parseHistoryJsonl(jsonl))));
    });
  }

  it('record each line of the file, blank lines and CRLF included', () => {
    const h = read(new TxnJsonlReader(), '\n{"type":"invoke","value":[["r",1,null]]}\r\n\r\n{"type":"ok","value":[["r",1,[]]]}');
    expect([h.lineOf(0), h.lineOf(1)]).toEqual([2, 4]);
    // Missing fields take toOp's defaults: index from the position, process 0, time 0, f "".
    expect(h.op(1)).toEqual({ index: 1, time: 0, type: 'ok', process: 0, f: '', value: [['r', 1, []]] });
  });

  it('renumber indices that do not increase', () => {
    const r = new TxnJsonlReader();
    const h = read(r, '{"index":5,"type":"invoke","process":0,"value":[]}\n{"index":5,"type":"ok","process":0,"value":[]}\n');
    expect(r.renumbered).toBe(true);
    expect(Array.from(h.index)).toEqual([0, 1]);
  });

  it('throw TxnReadError with the line for a line that is not an op', () => {
    const bad = (reader: TxnJsonlReader | TxnEdnReader, text: string) => {
      try {
        read(reader, text);
      } catch (e) {
        return e instanceof TxnReadError ? [e.line, e.message] : e;
      }
      return undefined;
    };
    expect(bad(new TxnJsonlReader(), '{"type":"invoke","value":[]}\n{"type":"ok",')).toEqual([2, expect.stringMatching(/^not valid JSON/)]);
    expect(bad(new TxnJsonlReader(), '{"type":"done"}')).toEqual([1, expect.stringMatching(/"type" must be one of/)]);
    expect(bad(new TxnEdnReader(), '{:type :invoke}\n[{:type :ok}]')).toEqual([2, expect.stringMatching(/^not valid EDN|expected one op map/)]);
    expect(bad(new TxnEdnReader(), '{:type :invoke} {:type :ok}')).toEqual([1, 'expected one op map on the line']);
  });

  it('txnHistory keeps the ops it was given', () => {
    const h = history('list-append');
    const t = txnHistory(h);
    expect(t.op(5)).toBe(h[5]);
    expect(t.length).toBe(h.length);
  });
});

describe('TxnJsonlReader and TxnEdnReader on arbitrary lines', () => {
  // Ops with fields in any order, any spacing, and values of every kind the lossless readers know.
  const scalar = fc.oneof(
    fc.integer({ min: -5, max: 40 }),
    fc.constantFrom(0, -0, 2 ** 31, 2 ** 53 - 1, 1.5, 1e21, 12345678901234567890n, true, false, null),
    fc.constantFrom('x', 'y"z', 'é', 'a\\b', 'nemesis', ''),
  );
  const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }), fc.array(fc.array(scalar, { maxLength: 2 }), { maxLength: 2 }));
  const mop = fc.tuple(fc.constantFrom('r', 'append', 'w', 'cas'), scalar, value);
  const op = fc.record(
    {
      index: fc.oneof(fc.nat(20), fc.constant(1.5)),
      time: fc.oneof(fc.nat(1e6), fc.constant(null)),
      type: fc.constantFrom('invoke', 'ok', 'fail', 'info', 'done'),
      process: fc.oneof(fc.nat(5), fc.constantFrom('nemesis', -3, null)),
      f: fc.constantFrom('txn', 'read', null),
      value: fc.oneof(fc.array(mop, { maxLength: 4 }), scalar),
      node: fc.constant('n1'),
    },
    { requiredKeys: ['type'] },
  );

  it('read exactly what parseHistoryJsonl reads, or refuse what it refuses', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(2), { minLength: 1, maxLength: 5 }), (given, spaces) => {
        const text = given.map((o) => spaced(stringifyJson(o), spaces)).join('\n');
        let expected: unknown;
        try {
          expected = plain(renumbered(parseHistoryJsonl(text)));
        } catch (e) {
          expected = e as Error;
        }
        let got: unknown;
        try {
          got = plain(ops(read(new TxnJsonlReader(), text, 13)));
        } catch (e) {
          got = e as Error;
        }
        if (expected instanceof Error) expect(got).toBeInstanceOf(TxnReadError);
        else expect(got).toEqual(expected);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('read EDN exactly as parseHistoryEdn does, or refuse it', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 6 }), (given) => {
        const text = given.map((o) => edn(o as unknown as Op)).join('\n');
        let expected: unknown;
        try {
          expected = plain(renumbered(parseHistoryEdn(text)));
        } catch (e) {
          expected = e as Error;
        }
        let got: unknown;
        try {
          got = plain(ops(read(new TxnEdnReader(), text, 13)));
        } catch (e) {
          got = e as Error;
        }
        if (expected instanceof Error) expect(got).toBeInstanceOf(TxnReadError);
        else expect(got).toEqual(expected);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

/** JSON text with `spaces[i]` spaces after its punctuation (strings included: both readers see the same text). */
const spaced = (text: string, spaces: number[]) => text.replace(/([,:[\]{}])/g, (c, _m, at: number) => (spaces[at % spaces.length]! > 0 ? c + ' '.repeat(spaces[at % spaces.length]!) : c));

/** Ops renumbered when their indices do not increase, as the readers (and `gyre check`) do. */
const renumbered = (h: Op[]): Op[] => (h.every((op, i) => i === 0 || op.index > h[i - 1]!.index) ? h : reindex(h));

/** Ops as plain JSON data, compared whatever the order of their fields (big integers and floats as text). */
const plain = (h: readonly Op[]): unknown => JSON.parse(stringifyJson(h)) as unknown;

describe('the fast path of TxnJsonlReader and TxnEdnReader', () => {
  /** The error a reader throws for a text, as [line, message]; undefined if it reads it. */
  const refusal = (reader: TxnJsonlReader | TxnEdnReader, text: string, size?: number) => {
    try {
      read(reader, text, size);
    } catch (e) {
      if (e instanceof TxnReadError) return [e.line, e.message];
      throw e;
    }
    return undefined;
  };
  const good = '{"index":0,"type":"invoke","process":0,"f":"txn","value":[["r",1,null]]}';

  it('refuse, naming the line, what JSON refuses even when it looks like the usual shape', () => {
    for (const bad of [
      '{"type":"ok","value":[["r",1,[1,2,]]]}',
      '{"type":"ok","value":[["r",1,null],]}',
      '{"type":"ok","value":[["r",1,[1 2]]]}',
      '{"type":"ok","value":[["r",1,[01]]]}',
      '{"type":"ok","value":[["r",1,[-]]]}',
      '{"type":"ok","value":[["r" 1 null]]}',
      '{"type":"ok","value":[["r",1,nul]]}',
      '{"type":"ok","value":[["r",1,"a\tb"]]}',
      '{"type":"ok" "f":"txn"}',
      '{"type":"ok",}',
      '{"type":"ok","value":[["r",1,[1,2]]]} x',
      '{"type":"ok","value":[["r",1,[1,2]]]}}',
    ]) {
      for (const size of [1, 1 << 20]) expect(refusal(new TxnJsonlReader(), `${good}\n${bad}\n${good}\n`, size), bad).toEqual([2, expect.stringMatching(/^not valid JSON/)]);
    }
    expect(refusal(new TxnJsonlReader(), `${good}\n{"type":"ok","process":1.5,"value":[]}\n`)).toEqual([2, expect.stringMatching(/"process" must be an integer/)]);
    expect(refusal(new TxnEdnReader(), '{:type :invoke, :value [[:r 1 nil]]}\n{:type :ok, :value [[:r 1 [1 2]]]}}\n')).toEqual([2, expect.stringMatching(/^not valid EDN|expected one op map/)]);
    expect(refusal(new TxnEdnReader(), '{:type :invoke, :value [[:r 1 nil]]}\n{:type :ok :value [[:r 1 [1 2]]] :f}\n')).toEqual([2, expect.stringMatching(/^not valid EDN/)]);
  });

  it('refuse a truncated last line, naming it, however the file is cut into chunks', () => {
    for (const size of [1, 5, 1 << 20]) {
      expect(refusal(new TxnJsonlReader(), `${good}\n{"index":1,"type":"ok","process":0,"f":"txn","value":[["r",1,[1,2`, size)).toEqual([2, expect.stringMatching(/^not valid JSON/)]);
      expect(refusal(new TxnEdnReader(), '{:index 0, :type :invoke, :value [[:r 1 nil]]}\n{:index 1, :type :ok, :value [[:r 1 [1 2', size)).toEqual([2, expect.stringMatching(/^not valid EDN/)]);
    }
  });

  it('read CRLF, blank and white-space lines, and a last line without its newline, as parseHistoryJsonl does', () => {
    const text = ` \r\n${good}\r\n\r\n\u00a0\u2003\n\t{"index":1,"type":"ok","process":0,"f":"txn","value":[["r",1,[3,4]]]}  \r\n\n{"index":2,"type":"invoke","process":0,"f":"txn","value":[["append",1,5]]}`;
    for (const size of [1, 3, 1 << 20]) {
      const h = read(new TxnJsonlReader(), text, size);
      expect(plain(ops(h))).toEqual(plain(parseHistoryJsonl(text)));
      expect([h.lineOf(0), h.lineOf(1), h.lineOf(2)]).toEqual([2, 5, 7]);
    }
    const ednText = '; comment\r\n{:index 0, :type :invoke, :value [[:r 1 nil]]}\r\n\r\n  \n{:index 1, :type :ok, :value [[:r 1 [3 4]]]}';
    const e = read(new TxnEdnReader(), ednText, 4);
    expect(plain(ops(e))).toEqual(plain(parseHistoryEdn(ednText)));
    expect([e.lineOf(0), e.lineOf(1)]).toEqual([2, 5]);
  });

  it('grow the columns within a line: long reads and long transactions', () => {
    const long = Array.from({ length: 5000 }, (_, i) => i + 1);
    const mops = Array.from({ length: 300 }, (_, i) => ['append', i, 1]);
    const h: Op[] = [
      { index: 0, time: 0, type: 'invoke', process: 0, f: 'txn', value: mops },
      { index: 1, time: 1, type: 'ok', process: 0, f: 'txn', value: mops },
      { index: 2, time: 2, type: 'invoke', process: 1, f: 'txn', value: [['r', 'k', null]] },
      { index: 3, time: 3, type: 'ok', process: 1, f: 'txn', value: [['r', 'k', long]] },
    ];
    const text = h.map(formatOpJson).join('\n');
    for (const size of [7, 1 << 20]) expect(plain(ops(read(new TxnJsonlReader({ bytes: text.length }), text, size)))).toEqual(plain(h));
  });

  it('agree with the lossless readers on list-append histories in any field order and spacing, verdicts included', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.nat(2), { minLength: 1, maxLength: 4 }), fc.boolean(), fc.integer({ min: 1, max: 300 }), (seed, spaces, crlf, size) => {
        const r = seededRandom(`fast-${seed}`);
        const h = simulate(r, { txns: 20, concurrency: 3, failRate: 0.1, infoRate: 0.1, workload: 'list-append' });
        // Fields in a random order (the same for every line of one history, as a writer would).
        const fields = ['index', 'time', 'type', 'process', 'f', 'value'];
        for (let i = fields.length - 1; i > 0; i--) {
          const j = Math.floor(r.next() * (i + 1));
          [fields[i], fields[j]] = [fields[j]!, fields[i]!];
        }
        const eol = crlf ? '\r\n' : '\n';
        const text = h.map((op) => spaced(stringifyJson(Object.fromEntries(fields.map((k) => [k, op[k]]))), spaces)).join(eol) + eol;
        const lossless = parseHistoryJsonl(text);
        const fast = read(new TxnJsonlReader(), text, size);
        expect(plain(ops(fast))).toEqual(plain(lossless));
        expect(stringifyJson(checkListAppend(fast))).toBe(stringifyJson(checkListAppend(lossless)));
        const ednText = h.map(edn).join(eol) + eol;
        const ednFast = read(new TxnEdnReader(), ednText, size);
        expect(plain(ops(ednFast))).toEqual(plain(parseHistoryEdn(ednText)));
        expect(stringifyJson(checkListAppend(ednFast))).toBe(stringifyJson(checkListAppend(lossless)));
      }),
      { numRuns: 60, seed: 17 },
    );
  });
});
