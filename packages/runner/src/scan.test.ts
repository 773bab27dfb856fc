import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanEnvelope } from './scan';

/** What JSON.parse says about a line, in scanEnvelope's terms. */
function reference(line: string): { src: string; dest: string } | 'not-json' | 'other' {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return 'not-json';
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'other';
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  if (keys.join(',') !== 'body,dest,src') return 'other';
  if (typeof o['src'] !== 'string' || typeof o['dest'] !== 'string') return 'other';
  if (o['body'] === null || typeof o['body'] !== 'object' || Array.isArray(o['body'])) return 'other';
  return { src: o['src'], dest: o['dest'] };
}

const id = fc.stringMatching(/^[a-z0-9-]{1,8}$/);
const message = fc.record({ src: id, dest: id, body: fc.dictionary(fc.string(), fc.jsonValue()) });
const messageLine = fc.oneof(
  message.map((m) => JSON.stringify(m)),
  message.map((m) => JSON.stringify({ body: m.body, dest: m.dest, src: m.src }, null, 1)),
  message.map((m) => ` ${JSON.stringify(m)}\t`),
);

/** A valid line with one character replaced, inserted or removed, or cut short. */
const mutated = fc.tuple(messageLine, fc.nat(), fc.constantFrom('', '"', '\\', '{', '}', '[', ']', ',', ':', '0', '-', '.', 'e', ' ', '\u0001', '\ud800', 'n', 't', 'x'), fc.constantFrom('replace', 'insert', 'delete', 'cut')).map(([l, at, ch, op]) => {
  const i = l.length === 0 ? 0 : at % l.length;
  if (op === 'replace') return l.slice(0, i) + ch + l.slice(i + 1);
  if (op === 'insert') return l.slice(0, i) + ch + l.slice(i);
  if (op === 'delete') return l.slice(0, i) + l.slice(i + 1);
  return l.slice(0, i);
});

// Sized to take about a second on a quiet machine; the timeouts hold at 4x slower on a loaded one.
describe('scanEnvelope', () => {
  it('accepts every compact node-to-node message, with the right src and dest', () => {
    fc.assert(
      fc.property(messageLine, (l) => {
        expect(scanEnvelope(l)).toEqual(reference(l));
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('never accepts what JSON.parse rejects or reads differently (random, mutated and adversarial lines)', () => {
    const line = fc.oneof(mutated, fc.string(), fc.json(), messageLine.map((l) => l.replace('"src"', '"src","src":"x"')), messageLine.map((l) => l.replace('"body":{', '"body":{"deep":' + '['.repeat(70) + ']'.repeat(70) + ',')));
    fc.assert(
      fc.property(line, (l) => {
        const got = scanEnvelope(l);
        if (got !== undefined) expect(reference(l)).toEqual(got);
      }),
      { numRuns: 3000 },
    );
  }, 60_000);

  it('leaves unusual but valid messages to the full decoder', () => {
    for (const l of [
      '{"src":"n1","dest":"n2","body":{},"id":3}',
      '{"src":"n\\u0031","dest":"n2","body":{}}',
      '{"\\u0073rc":"n1","dest":"n2","body":{}}',
      '{"src":"n1","src":"n3","dest":"n2","body":{}}',
      '{"src":"n1","dest":"n2","body":[]}',
      '{"src":"n1","dest":"n2","body":{"a":' + '['.repeat(100) + ']'.repeat(100) + '}}',
    ]) {
      expect(scanEnvelope(l), l).toBeUndefined();
    }
    expect(scanEnvelope('{"src":"n1","dest":"n2","body":{"a":[1,-2.5e+3,true,null,"\\u00e9\\n",{"b":{}}]}}')).toEqual({ src: 'n1', dest: 'n2' });
  });
});
