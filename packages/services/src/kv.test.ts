import { JsonFloat, parseJson, seededRandom } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import { Driver } from '../test/helpers';
import { linKv } from './lin-kv';
import { lwwKv } from './lww-kv';
import { seqKv } from './seq-kv';
import type { Service } from './service';

// With one requester seq-kv always works on its newest state, and lww-kv with one replica is a
// single map, so the §3.1 table applies to all three as a plain key-value store.
const stores: [string, () => Service<any>][] = [
  ['lin-kv', () => linKv()],
  ['seq-kv', () => seqKv()],
  ['lww-kv', () => lwwKv({ replicas: 1 })],
];

describe.each(stores)('%s: the KV operations of maelstrom.md §3.1', (name, make) => {
  const d = () => new Driver(make(), seededRandom(name));

  it('reads what was written; a missing key is error 20', () => {
    const kv = d();
    expect(kv.call('n1', { type: 'read', key: 'x' })).toEqual({ type: 'error', code: 20, text: 'key does not exist' });
    expect(kv.call('n1', { type: 'write', key: 'x', value: 5 })).toEqual({ type: 'write_ok' });
    expect(kv.call('n1', { type: 'read', key: 'x' })).toEqual({ type: 'read_ok', value: 5 });
    expect(kv.call('n1', { type: 'write', key: 'x', value: [1, { a: null }] })).toEqual({ type: 'write_ok' });
    expect(kv.call('n1', { type: 'read', key: 'x' })).toEqual({ type: 'read_ok', value: [1, { a: null }] });
  });

  it('stores null as a value distinct from a missing key', () => {
    const kv = d();
    kv.call('n1', { type: 'write', key: 'x', value: null });
    expect(kv.call('n1', { type: 'read', key: 'x' })).toEqual({ type: 'read_ok', value: null });
  });

  it('cas sets the value when it matches, error 22 when it does not, error 20 on a missing key', () => {
    const kv = d();
    expect(kv.call('n1', { type: 'cas', key: 'x', from: 1, to: 2 })).toEqual({ type: 'error', code: 20, text: 'key does not exist' });
    kv.call('n1', { type: 'write', key: 'x', value: 1 });
    expect(kv.call('n1', { type: 'cas', key: 'x', from: 1, to: 2 })).toEqual({ type: 'cas_ok' });
    expect(kv.call('n1', { type: 'read', key: 'x' })).toEqual({ type: 'read_ok', value: 2 });
    const r = kv.call('n1', { type: 'cas', key: 'x', from: 1, to: 3 });
    expect(r).toMatchObject({ type: 'error', code: 22 });
    expect(r['text']).toBe('current value 2 is not 1');
    expect(kv.call('n1', { type: 'read', key: 'x' })).toEqual({ type: 'read_ok', value: 2 });
  });

  it('cas with from: null on an existing key compares the stored value with nil', () => {
    const kv = d();
    kv.call('n1', { type: 'write', key: 'x', value: null });
    expect(kv.call('n1', { type: 'cas', key: 'x', from: null, to: 'a' })).toEqual({ type: 'cas_ok' });
    expect(kv.call('n1', { type: 'cas', key: 'x', from: null, to: 'b' })).toMatchObject({ code: 22 });
  });

  it('compares keys and values with Clojure equality: 1, 1.0 and "1" differ; big integers compare by value', () => {
    const kv = d();
    kv.call('n1', { type: 'write', key: 1, value: 'int' });
    kv.call('n1', { type: 'write', key: new JsonFloat(1), value: 'float' });
    kv.call('n1', { type: 'write', key: '1', value: 'string' });
    expect(kv.call('n1', { type: 'read', key: 1 })).toEqual({ type: 'read_ok', value: 'int' });
    expect(kv.call('n1', { type: 'read', key: new JsonFloat(1) })).toEqual({ type: 'read_ok', value: 'float' });
    expect(kv.call('n1', { type: 'read', key: '1' })).toEqual({ type: 'read_ok', value: 'string' });
    expect(kv.call('n1', { type: 'read', key: 1n })).toEqual({ type: 'read_ok', value: 'int' });

    const big = parseJson('{"k":[1,{"b":2,"a":1}],"v":123456789012345678901234567890}') as { k: unknown; v: bigint };
    expect(typeof big.v).toBe('bigint');
    kv.call('n1', { type: 'write', key: big.k, value: big.v });
    // Same key written with its object's fields in another order: one key.
    expect(kv.call('n1', { type: 'read', key: [1, { a: 1, b: 2 }] })).toEqual({ type: 'read_ok', value: 123456789012345678901234567890n });
    expect(kv.call('n1', { type: 'cas', key: [1, { a: 1, b: 2 }], from: 123456789012345678901234567890n, to: new JsonFloat(2) })).toEqual({ type: 'cas_ok' });
    expect(kv.call('n1', { type: 'cas', key: [1, { a: 1, b: 2 }], from: 2, to: 3 })).toMatchObject({ code: 22, text: 'current value 2.0 is not 2' });
    expect(kv.call('n1', { type: 'cas', key: [1, { a: 1, b: 2 }], from: new JsonFloat(2), to: 3 })).toEqual({ type: 'cas_ok' });
    // 9007199254740993 as a bigint and 2^53 + 1 never collapse onto 2^53.
    kv.call('n1', { type: 'write', key: 9007199254740993n, value: 'odd' });
    expect(kv.call('n1', { type: 'read', key: 9007199254740992 })).toMatchObject({ code: 20 });
  });

  it('copies msg_id into in_reply_to and sends no msg_id (null when the request had none)', () => {
    const kv = make();
    const r = seededRandom(0);
    const [s1, reply] = kv.handle(kv.init(), { src: 'n1', body: { type: 'write', key: 'k', value: 1, msg_id: 41 } }, r);
    expect(reply).toEqual({ type: 'write_ok', in_reply_to: 41 });
    const [, reply2] = kv.handle(s1, { src: 'n1', body: { type: 'read', key: 'k' } }, r);
    expect(reply2).toEqual({ type: 'read_ok', value: 1, in_reply_to: null });
    expect('msg_id' in reply2).toBe(false);
  });

  it('answers an unknown type with error 10 and a missing field with error 12 naming it', () => {
    const kv = d();
    expect(kv.call('n1', { type: 'delete', key: 'x' })).toEqual({
      type: 'error',
      code: 10,
      text: `${name} does not support requests of type "delete"; it answers read, write and cas`,
    });
    expect(kv.call('n1', { type: 'read' })).toEqual({ type: 'error', code: 12, text: 'read request is missing the required field "key"' });
    expect(kv.call('n1', { type: 'write', key: 'x' })).toMatchObject({ code: 12, text: 'write request is missing the required field "value"' });
    expect(kv.call('n1', { type: 'cas', key: 'x', to: 1 })).toMatchObject({ code: 12, text: 'cas request is missing the required field "from"' });
    expect(kv.call('n1', { type: 'cas', key: 'x', from: 1 })).toMatchObject({ code: 12, text: 'cas request is missing the required field "to"' });
    expect(kv.call('n1', { key: 'x' })).toEqual({ type: 'error', code: 12, text: 'request body has no "type" field' });
    expect(kv.call('n1', { type: 7 as unknown as string })).toMatchObject({ code: 12 });
    // None of these touched the store.
    expect(kv.call('n1', { type: 'read', key: 'x' })).toMatchObject({ code: 20 });
  });
});

describe('create_if_not_exists', () => {
  it.each([
    ['lin-kv', () => linKv()],
    ['seq-kv', () => seqKv()],
  ] as const)('%s creates a missing key with it, following Clojure truthiness', (_, make) => {
    const kv = new Driver<any>(make());
    expect(kv.call('n1', { type: 'cas', key: 'a', from: 0, to: 1, create_if_not_exists: true })).toEqual({ type: 'cas_ok' });
    expect(kv.call('n1', { type: 'read', key: 'a' })).toEqual({ type: 'read_ok', value: 1 });
    // Only a missing key is created: an existing key still needs from to match.
    expect(kv.call('n1', { type: 'cas', key: 'a', from: 0, to: 2, create_if_not_exists: true })).toMatchObject({ code: 22, text: 'current value 1 is not 0' });
    expect(kv.call('n1', { type: 'cas', key: 'b', from: 0, to: 1, create_if_not_exists: false })).toMatchObject({ code: 20 });
    expect(kv.call('n1', { type: 'cas', key: 'b', from: 0, to: 1, create_if_not_exists: null })).toMatchObject({ code: 20 });
    expect(kv.call('n1', { type: 'cas', key: 'c', from: 0, to: 1, create_if_not_exists: 0 })).toEqual({ type: 'cas_ok' });
  });

  it('lww-kv ignores it: a missing key is always error 20', () => {
    const kv = new Driver(lwwKv());
    for (let i = 0; i < 20; i++) {
      expect(kv.call('n1', { type: 'cas', key: 'a', from: 0, to: 1, create_if_not_exists: true })).toEqual({ type: 'error', code: 20, text: 'key does not exist' });
    }
  });
});

describe('the text of error 22', () => {
  const failing = (make: () => Service<any>, stored: unknown, from: unknown) => {
    const kv = new Driver(make());
    kv.call('n1', { type: 'write', key: 'k', value: stored });
    return kv.call('n1', { type: 'cas', key: 'k', from, to: 0 })['text'];
  };

  it('lin-kv and seq-kv print both values with pr-str (Appendix B)', () => {
    for (const make of [() => linKv(), () => seqKv()]) {
      expect(failing(make, 'n1-0', null)).toBe('current value "n1-0" is not nil');
      expect(failing(make, 1, '1')).toBe('current value 1 is not "1"');
      expect(failing(make, [1, 'a', null, true], { x: 'y', n: new JsonFloat(2.5) })).toBe('current value [1 "a" nil true] is not {"x" "y", "n" 2.5}');
      expect(failing(make, 'say "hi"\n', 2n ** 64n)).toBe('current value "say \\"hi\\"\\n" is not 18446744073709551616BIGINT');
    }
  });

  it('lww-kv prints the stored value with pr-str and from bare (str)', () => {
    const make = () => lwwKv({ replicas: 1 });
    expect(failing(make, 'n1-0', 'n1-1')).toBe('current value "n1-0" is not n1-1');
    expect(failing(make, 5, null)).toBe('current value 5 is not ');
    expect(failing(make, 5, ['a', 1])).toBe('current value 5 is not ["a" 1]');
    expect(failing(make, 5, 2n ** 64n)).toBe('current value 5 is not 18446744073709551616');
  });
});
