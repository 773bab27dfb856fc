import { seededRandom } from '@gyre/history';
import type { Body } from '@gyre/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepFreeze, kvRequest } from '../test/helpers';
import { createService, createServices, ServiceHost, SERVICE_IDS, isServiceId } from './index';
import type { Service } from './service';

const request = (id: string): fc.Arbitrary<Body> =>
  id === 'lin-tso' ? fc.oneof(fc.constant<Body>({ type: 'ts' }), fc.constant<Body>({ type: 'read', key: 1 })) : kvRequest;

const stream = (id: string) => fc.array(fc.tuple(fc.constantFrom('n1', 'n2', 'n3'), request(id)), { maxLength: 150 });

function replies(service: Service<any>, reqs: [string, Body][], seed: string): Body[] {
  const host = new ServiceHost(service, seededRandom(seed));
  return reqs.map(([src, body], i) => host.handle({ src, body: { ...body, msg_id: i } }));
}

describe('createServices', () => {
  it('creates the four services, in a fixed order, each registered under its id', () => {
    expect(createServices().map((s) => s.id)).toEqual(['lin-kv', 'seq-kv', 'lww-kv', 'lin-tso']);
    expect(SERVICE_IDS).toEqual(['lin-kv', 'seq-kv', 'lww-kv', 'lin-tso']);
    for (const id of SERVICE_IDS) {
      expect(isServiceId(id)).toBe(true);
      expect(createService(id).id).toBe(id);
    }
    expect(isServiceId('lin-kv2')).toBe(false);
    expect(() => createService('nope' as never)).toThrow(RangeError);
    expect(createService('lin-tso').types).toEqual(['ts']);
    expect(createService('seq-kv').types).toEqual(['read', 'write', 'cas']);
  });

  it('passes per-service options', () => {
    const [, seq, lww] = createServices({ seqKv: { window: 2 }, lwwKv: { replicas: 3 } });
    expect(lww!.init().replicas).toHaveLength(3);
    const host = new ServiceHost(seq!, seededRandom(1));
    for (let i = 0; i < 5; i++) host.handle({ src: 'n1', body: { type: 'write', key: 1, value: i } });
    expect(host.state.states).toHaveLength(2);
  });
});

describe.each(SERVICE_IDS)('%s', (id) => {
  it('is deterministic: same seed, same replies', () => {
    fc.assert(
      fc.property(stream(id), fc.string(), (reqs, seed) => {
        expect(replies(createService(id), reqs, seed)).toEqual(replies(createService(id), reqs, seed));
      }),
      { numRuns: 60 },
    );
  });

  it('is pure: states are never mutated, and replaying a step from its saved state gives the same reply', () => {
    fc.assert(
      fc.property(stream(id), fc.string(), (reqs, seed) => {
        const service = createService(id) as Service<unknown>;
        let state = service.init();
        const steps: [unknown, Body, Body][] = [];
        reqs.forEach(([src, body], i) => {
          deepFreeze(state);
          const req = { src, body: { ...body, msg_id: i } };
          const [next, reply] = service.handle(state, req, seededRandom(`${seed}/${i}`));
          steps.push([state, req.body, reply]);
          state = next;
        });
        steps.forEach(([before, body, reply], i) => {
          expect(service.handle(before, { src: reqs[i]![0], body }, seededRandom(`${seed}/${i}`))[1]).toEqual(reply);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('replies to every request with in_reply_to and never with msg_id', () => {
    fc.assert(
      fc.property(stream(id), (reqs) => {
        replies(createService(id), reqs, 'r').forEach((reply, i) => {
          expect(reply['in_reply_to']).toBe(i);
          expect(reply).not.toHaveProperty('msg_id');
          expect(typeof reply.type).toBe('string');
        });
      }),
      { numRuns: 30 },
    );
  });
});

describe('randomness', () => {
  it('seq-kv and lww-kv answer differently under different seeds', () => {
    const reqs: [string, Body][] = [];
    for (let i = 0; i < 200; i++) reqs.push([`n${i % 3}`, i % 4 === 0 ? { type: 'write', key: 'k', value: i } : { type: 'read', key: 'k' }]);
    for (const id of ['seq-kv', 'lww-kv'] as const) {
      expect(replies(createService(id), reqs, 'a')).not.toEqual(replies(createService(id), reqs, 'b'));
    }
  });
});
