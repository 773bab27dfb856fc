import fc from 'fast-check';
import { JsonFloat } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Num, SERVICE_RPCS, WORKLOAD_RPCS, type RpcDef } from './rpc';
import { quickCheck } from './validate';

const rpcs: RpcDef[] = [...Object.values(WORKLOAD_RPCS), ...Object.values(SERVICE_RPCS)].flat();
const schemas = rpcs.flatMap((r) => [
  [`${r.name} request`, r.request],
  [`${r.name} response`, r.response],
]) as [string, z.ZodType][];

// Every key some schema names, so that random bodies come near to valid ones.
const keys = [...new Set(rpcs.flatMap((r) => [...Object.keys(r.request.shape), ...Object.keys(r.response.shape)]))];
const scalar = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0.5, -0, Number.NaN, Infinity, 2 ** 60, 5n, 2n ** 70n, new JsonFloat(1), null, undefined, true, 'r', 'w', 'append', 'x', 'read_ok', 'echo_ok', 'txn_ok', 'send_ok', 'poll_ok', 'ts_ok'),
);
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.tuple(fc.constantFrom('r', 'w', 'append', 'x'), tie('value'), tie('value')),
    fc.dictionary(fc.constantFrom(...keys, 'k', 'extra'), tie('value'), { maxKeys: 4 }),
  ),
}));
const body = fc.record(
  {
    ...Object.fromEntries(keys.map((k) => [k, value])),
    type: fc.constantFrom(...rpcs.flatMap((r) => [r.name, `${r.name}_ok`]), 'error'),
    msg_id: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(1.5), fc.constant(5n)),
    in_reply_to: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant('1')),
  },
  { requiredKeys: [] },
);

// Bodies shaped like one RPC's request or reply, with random values, sometimes a key too many.
const shaped = fc.constantFrom(...rpcs).chain((r) => {
  const fields = [...new Set([...Object.keys(r.requestFields), ...Object.keys(r.responseFields)])];
  const arbs: Record<string, fc.Arbitrary<unknown>> = {
    ...Object.fromEntries(fields.map((k) => [k, value])),
    type: fc.constantFrom(r.name, `${r.name}_ok`),
    msg_id: fc.integer({ min: 0, max: 3 }),
    in_reply_to: fc.integer({ min: 0, max: 3 }),
    extra: value,
  };
  return fc.record(arbs, { requiredKeys: [...fields, 'type', 'in_reply_to'] });
});

describe('quickCheck', () => {
  it('never accepts what zod refuses, for every RPC schema', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(body, shaped), (b) => {
        for (const [name, s] of schemas) {
          if (!quickCheck(s)(b)) continue;
          accepted++;
          if (!s.safeParse(b).success) throw new Error(`${name} accepts what zod refuses`);
        }
      }),
      { numRuns: 4000 },
    );
    // Not vacuous: random bodies often pass.
    expect(accepted).toBeGreaterThan(500);
  });

  it('accepts the replies nodes send, thousands of values included', () => {
    const [, , read] = WORKLOAD_RPCS.broadcast;
    const many = Array.from({ length: 5000 }, (_, i) => i);
    expect(quickCheck(read.response)({ type: 'read_ok', messages: many, in_reply_to: 3 })).toBe(true);
    expect(quickCheck(read.response)({ type: 'read_ok', messages: null, in_reply_to: 3, msg_id: 2n })).toBe(true);
    const [txn] = WORKLOAD_RPCS['txn-list-append'];
    expect(quickCheck(txn.response)({ type: 'txn_ok', txn: [['r', 1, [1, 2]], ['append', 2, 3], ['r', 3, null]], in_reply_to: 1 })).toBe(true);
    const [, poll] = WORKLOAD_RPCS.kafka;
    expect(quickCheck(poll.response)({ type: 'poll_ok', msgs: { k1: [[0, 'a'], [1, new JsonFloat(2)]] }, in_reply_to: 1 })).toBe(true);
    expect(quickCheck(Num)(new JsonFloat(1.5))).toBe(true);
  });

  it('leaves to zod what it does not model', () => {
    expect(quickCheck(z.string().min(2))('abc')).toBe(false);
    expect(quickCheck(z.number().int().max(3))(2)).toBe(false);
    expect(quickCheck(z.string().transform((s) => s.length))('abc')).toBe(false);
    expect(quickCheck(z.tuple([z.string()], z.number()))(['a', 1])).toBe(false);
  });

  it('refuses replies with extra, missing or mistyped fields, as the closed schemas do', () => {
    const [, , read] = WORKLOAD_RPCS.broadcast;
    const q = quickCheck(read.response);
    expect(q({ type: 'read_ok', messages: [1], in_reply_to: 1, extra: 1 })).toBe(false);
    expect(q({ type: 'read_ok', in_reply_to: 1 })).toBe(false);
    expect(q({ type: 'read_ok', messages: [1], in_reply_to: 1.5 })).toBe(false);
    expect(q({ type: 'read', messages: [1], in_reply_to: 1 })).toBe(false);
    expect(q({ type: 'read_ok', messages: [undefined], in_reply_to: 1 })).toBe(false);
  });
});
