import { seededRandom, valueKey, valuesEqual } from '@gyre/history';
import type { Body } from '@gyre/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepFreeze, Driver, kvRequest } from '../test/helpers';
import { prStr } from './clojure';
import { linKv } from './lin-kv';
import { linTso } from './lin-tso';

/** A plain sequential key-value store: the specification every lin-kv reply must match. */
function sequentialModel() {
  const m = new Map<string, unknown>();
  return (b: Body): Body => {
    const k = valueKey(b['key']);
    const has = m.has(k);
    if (b.type === 'read') return has ? { type: 'read_ok', value: m.get(k) } : { type: 'error', code: 20, text: 'key does not exist' };
    if (b.type === 'write') {
      m.set(k, b['value']);
      return { type: 'write_ok' };
    }
    if (!has && !b['create_if_not_exists']) return { type: 'error', code: 20, text: 'key does not exist' };
    if (has && !valuesEqual(m.get(k), b['from'])) return { type: 'error', code: 22, text: `current value ${prStr(m.get(k))} is not ${prStr(b['from'])}` };
    m.set(k, b['to']);
    return { type: 'cas_ok' };
  };
}

describe('lin-kv', () => {
  it('is linearizable: every reply equals a sequential execution of the requests in arrival order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('n1', 'n2', 'n3'), kvRequest), { maxLength: 200 }), fc.integer(), (reqs, seed) => {
        const kv = new Driver(linKv(), seededRandom(seed));
        const model = sequentialModel();
        for (const [src, body] of reqs) expect(kv.call(src, body)).toEqual(model(body));
      }),
      { numRuns: 150 },
    );
  });

  it('never mutates a previous state: replaying from an old state gives the old answers', () => {
    const kv = linKv();
    const r = seededRandom(3);
    let s = deepFreeze(kv.init());
    const states = [s];
    for (let i = 0; i < 200; i++) {
      [s] = kv.handle(s, { src: 'n1', body: { type: 'write', key: i % 17, value: i } }, r);
      states.push(deepFreeze(s));
    }
    for (let i = 1; i < states.length; i++) {
      const [, reply] = kv.handle(states[i]!, { src: 'n1', body: { type: 'read', key: (i - 1) % 17, msg_id: 1 } }, r);
      expect(reply).toEqual({ type: 'read_ok', value: i - 1, in_reply_to: 1 });
    }
  });

  it('returns the same state object for requests that change nothing', () => {
    const kv = new Driver(linKv());
    kv.call('n1', { type: 'write', key: 'x', value: 1 });
    const s = kv.state;
    kv.call('n1', { type: 'read', key: 'x' });
    kv.call('n1', { type: 'write', key: 'x', value: 1 });
    kv.call('n1', { type: 'cas', key: 'x', from: 2, to: 3 });
    kv.call('n1', { type: 'frob' });
    expect(kv.state).toBe(s);
  });
});

describe('lin-tso', () => {
  it('hands out 0, 1, 2, ... whoever asks', () => {
    const tso = new Driver(linTso());
    const got = Array.from({ length: 50 }, (_, i) => tso.call(`n${i % 3}`, { type: 'ts' }));
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => ({ type: 'ts_ok', ts: i })));
  });

  it('copies msg_id and answers anything else with an error, without using up a timestamp', () => {
    const tso = new Driver(linTso());
    expect(tso.send('n1', { type: 'ts' })).toEqual({ type: 'ts_ok', ts: 0, in_reply_to: 1 });
    expect(tso.call('n1', { type: 'read', key: 1 })).toEqual({
      type: 'error',
      code: 10,
      text: 'lin-tso does not support requests of type "read"; it answers ts',
    });
    expect(tso.call('n1', {})).toMatchObject({ type: 'error', code: 12 });
    expect(tso.call('n1', { type: 'ts' })).toEqual({ type: 'ts_ok', ts: 1 });
  });

  it('is monotonic and pure: an old state hands out the same timestamp again', () => {
    const tso = linTso();
    const r = seededRandom(0);
    const s0 = deepFreeze(tso.init());
    const [s1, a] = tso.handle(s0, { src: 'n1', body: { type: 'ts' } }, r);
    const [, b] = tso.handle(s1, { src: 'n1', body: { type: 'ts' } }, r);
    const [, c] = tso.handle(s0, { src: 'n1', body: { type: 'ts' } }, r);
    expect([a['ts'], b['ts'], c['ts']]).toEqual([0, 1, 0]);
  });
});
