/**
 * Fuzzing the path from a node's STDOUT to the router: random and adversarial byte streams, cut
 * into random chunks, through LineSplitter and decodeLine. Nothing may throw, and every
 * newline-terminated line must give exactly one message or one protocol error.
 */
import { decodeLine } from '@gyre/protocol';
import { decodeForRouting } from './decode';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from './process';

const ERROR_KINDS = new Set(['blank-line', 'not-json', 'not-an-object', 'extra-key', 'bad-src', 'bad-dest', 'bad-body', 'bad-id', 'too-deep']);

/** Fragments that stress the splitter and the decoder. */
const fragment: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  fc.constantFrom(
    '\n',
    '\r\n',
    '\r',
    '',
    ' ',
    '{"src":"n1","dest":"n2","body":{"type":"x"}}',
    '{"id":3,"src":"n1","dest":"c1","body":{"in_reply_to":1}}',
    '{"src":"n1","dest":"n2","body":{},"__proto__":{"x":1}}',
    '{"src":"n1","dest":"n2","body":{"constructor":1,"n":123456789012345678901234567890}}',
    '{"src":null,"dest":"n2","body":{}}',
    '{"src":"n1","dest":"n2","body":[]}',
    '{"src":"n1","dest":"n2","body":{},"id":1.5}',
    '[1,2,3]',
    '"just a string"',
    '1e999',
    '-0',
    'null',
    '{"a":',
    '}',
    '\u2028\u2029',
    '€😀',
    '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
  ).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
  fc.constantFrom([0xff], [0xfe, 0xff], [0xc0, 0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x98], [0x00], [0x0a, 0xff, 0x0a]).map((b) => new Uint8Array(b)),
  fc.nat({ max: 5000 }).map((n) => new Uint8Array(Buffer.from('['.repeat(n) + ']'.repeat(n)))),
);

const stream = fc.array(fragment, { maxLength: 60 }).map((fs) => Buffer.concat(fs.map((f) => Buffer.from(f))));

/** Cuts a buffer at the given (sorted, deduplicated) positions. */
function cut(buf: Buffer, at: number[]): Buffer[] {
  const points = [...new Set(at.map((p) => p % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  out.push(buf.subarray(prev));
  return out;
}

function count(buf: Buffer, byte: number): number {
  let n = 0;
  for (const b of buf) if (b === byte) n++;
  return n;
}

describe('LineSplitter + decodeLine on random and adversarial streams', () => {
  it('never throws; one outcome per newline-terminated line, one more for a last partial line', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 20 }), (buf, cuts) => {
        let messages = 0;
        let errors = 0;
        let badUtf8 = 0;
        const s = new LineSplitter(
          (line) => {
            const d = decodeLine(line);
            if (d.ok) {
              messages++;
              expect(typeof d.message.src).toBe('string');
              expect(typeof d.message.dest).toBe('string');
            } else {
              errors++;
              expect(ERROR_KINDS.has(d.kind)).toBe(true);
              expect(d.reason.length).toBeGreaterThan(0);
            }
          },
          () => badUtf8++,
        );
        for (const c of cut(buf, cuts)) s.push(c);
        expect(messages + errors + badUtf8).toBe(count(buf, 10));
        s.end();
        const partial = buf.length > 0 && buf[buf.length - 1] !== 10 ? 1 : 0;
        expect(messages + errors + badUtf8).toBe(count(buf, 10) + partial);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same lines however the stream is cut', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 20 }), (buf, cuts) => {
        const collect = (chunks: Buffer[]) => {
          const out: string[] = [];
          const s = new LineSplitter(
            (l) => out.push('ok:' + l),
            (l) => out.push('bad:' + l),
          );
          for (const c of chunks) s.push(c);
          s.end();
          return out;
        };
        const whole = collect([buf]);
        expect(collect(cut(buf, cuts))).toEqual(whole);
        // One byte at a time, too.
        expect(collect([...buf].map((b) => Buffer.from([b])))).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes valid UTF-8 lines exactly, without their CR, and reports every invalid one and every one over the cap, however cut', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 20 }), fc.option(fc.integer({ min: 1, max: 400 })), (buf, cuts, cap) => {
        const got: string[] = [];
        const s = new LineSplitter(
          (l) => got.push('ok:' + l),
          (_l, _r, kind) => got.push(kind === 'line-too-long' ? 'long' : 'bad'),
          cap === null ? {} : { maxLineBytes: cap },
        );
        for (const c of cut(buf, cuts)) {
          s.push(c);
          if (cap !== null) expect(s.buffered).toBeLessThanOrEqual(cap);
        }
        s.end();
        const expected: string[] = [];
        let start = 0;
        for (;;) {
          const nl = buf.indexOf(10, start);
          if (nl === -1 && start >= buf.length) break;
          let end = nl === -1 ? buf.length : nl;
          const tooLong = cap !== null && end - start > cap;
          if (end > start && buf[end - 1] === 13) end--;
          const line = buf.subarray(start, end);
          expected.push(tooLong ? 'long' : Buffer.from(line.toString('utf8'), 'utf8').equals(line) ? 'ok:' + line.toString('utf8') : 'bad');
          if (nl === -1) break;
          start = nl + 1;
        }
        expect(got).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('decodeForRouting', () => {
  const nodes = new Set(['n1', 'n2']);
  const isNode = (id: string) => nodes.has(id);
  const line = fc.oneof(
    fc.string(),
    fc.record({ src: fc.constantFrom('n1', 'n2', 'c1', 'lin-kv', 5), dest: fc.constantFrom('n1', 'n2', 'c3', 'seq-kv', null), body: fc.jsonValue() }).map((o) => JSON.stringify(o)),
    fc.record({ id: fc.oneof(fc.integer(), fc.double()), src: fc.constant('n1'), dest: fc.constant('n2'), body: fc.object() }).map((o) => JSON.stringify(o)),
    fc.constantFrom('', '  ', '{"src":"n1","dest":"n2","body":{"big":123456789012345678901234567890,"f":1.0}}', '{"src":"n1","dest":"c1","body":{"f":1.0}}'),
  );

  it('agrees with decodeLine: same verdict, same kind, same envelope; lossless bodies wherever Gyre reads them', () => {
    fc.assert(
      fc.property(line, (l) => {
        const a = decodeLine(l);
        const b = decodeForRouting(l, isNode);
        expect(b.ok).toBe(a.ok);
        if (!a.ok || !b.ok) {
          expect(b).toEqual(a);
          return;
        }
        expect([b.message.src, b.message.dest, b.message.id]).toEqual([a.message.src, a.message.dest, a.message.id]);
        if (!isNode(a.message.dest) || a.message.id !== undefined) expect(b).toEqual(a);
      }),
      { numRuns: 2000 },
    );
  });
});
