import { decodeLine } from '@gyre/protocol';
import { describe, expect, it } from 'vitest';
import { UNDECODED_BODY, decodeForRouting, destIsClientOrService } from './decode';

describe('destIsClientOrService', () => {
  it('spots clients and services, with or without spaces, and says no when unsure', () => {
    expect(destIsClientOrService('{"src":"n1","dest":"c3","body":{}}')).toBe(true);
    expect(destIsClientOrService('{"src": "n1", "dest" : "lin-kv", "body": {}}')).toBe(true);
    expect(destIsClientOrService('{"src":"n1","dest":"seq-kv","body":{}}')).toBe(true);
    expect(destIsClientOrService('{"src":"n1","dest":"n2","body":{}}')).toBe(false);
    expect(destIsClientOrService('{"src":"n1","dest":"lin-kv-2","body":{}}')).toBe(false);
    expect(destIsClientOrService('{"src":"n1","dest":5,"body":{}}')).toBe(false);
    expect(destIsClientOrService('{"src":"n1","body":{}}')).toBe(false);
  });
});

describe('decodeForRouting', () => {
  const isNode = (id: string) => id === 'n1' || id === 'n2';

  it('keeps big integers and 1.0 in bodies Gyre reads, even when the hint misleads', () => {
    const line = '{"src":"n1","body":{"note":"\\"dest\\":\\"n2\\"","v":123456789012345678901234567890,"f":1.0},"dest":"c1"}';
    expect(decodeForRouting(line, isNode)).toEqual(decodeLine(line));
    const m = decodeForRouting(line, isNode);
    expect(m.ok && m.message.body['v']).toBe(123456789012345678901234567890n);
  });

  it('reports the same errors as decodeLine', () => {
    const deep = (dest: string) => `{"src":"n1","dest":"${dest}","body":{"v":${'['.repeat(1500)}${']'.repeat(1500)}}}`;
    for (const line of ['', 'nope', '[1]', '{"src":"n1","dest":"n2","body":{},"x":1}', '{"src":"n1","dest":"n2"}', deep('n2'), deep('c1'), deep('n77')]) {
      expect(decodeForRouting(line, isNode)).toEqual(decodeLine(line));
    }
    expect(decodeForRouting(deep('n2'), isNode)).toMatchObject({ ok: false, kind: 'too-deep' });
  });

  it('leaves the body of a plain node-to-node message undecoded, and decodes it when Gyre may show it', () => {
    const plain = decodeForRouting('{"src":"n1","dest":"n2","body":{"type":"gossip","v":[1,2]}}', isNode);
    expect(plain).toEqual({ ok: true, message: { src: 'n1', dest: 'n2', body: UNDECODED_BODY } });
    // From an id that is not a node: the router will refuse it and quote the message, body and all.
    const spoofed = decodeForRouting('{"src":"n77","dest":"n2","body":{"type":"gossip"}}', isNode);
    expect(spoofed).toMatchObject({ ok: true, message: { src: 'n77', body: { type: 'gossip' } } });
    const withId = decodeForRouting('{"id":5,"src":"n1","dest":"n2","body":{"type":"gossip"}}', isNode);
    expect(withId).toMatchObject({ ok: true, message: { id: 5, body: { type: 'gossip' } } });
  });
});
