/**
 * Type-level tests: `tsc -p tsconfig.json` (the package's typecheck) fails if a line marked
 * `@ts-expect-error` compiles, i.e. if typed handlers stop catching wrong field names.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { createNode, defineRpc, SERVICE_RPCS, WORKLOAD_RPCS, type ReplyBody, type RequestBody } from './index';

const fresh = () => createNode({ input: [], output: () => {} });
const [echo] = WORKLOAD_RPCS.echo;
const [topology, broadcast, read] = WORKLOAD_RPCS.broadcast;
const [send, poll] = WORKLOAD_RPCS.kafka;
const [ts] = SERVICE_RPCS.tso;

describe('typed handlers', () => {
  it('type requests and replies from the zod schemas', () => {
    expectTypeOf<RequestBody<typeof echo>['echo']>().toBeUnknown();
    expectTypeOf<RequestBody<typeof send>['key']>().toBeString();
    expectTypeOf<ReplyBody<typeof poll>['msgs']>().toEqualTypeOf<Record<string, [number | bigint, unknown][] | null>>();
    expectTypeOf<ReplyBody<typeof ts>['ts']>().toEqualTypeOf<number | bigint>();

    fresh().handle(echo, (req) => ({ echo: req.echo }));
    fresh().handle(echo, async (req) => ({ echo: req.echo }));
    fresh().handle(topology, (req) => {
      expectTypeOf(req.topology).toEqualTypeOf<Record<string, string[]>>();
      return {};
    });
    fresh().handle(broadcast, async () => ({}));
    fresh().handle(read, () => ({ messages: [1, 2] }));
    fresh().handle(send, (req, msg) => {
      expectTypeOf(msg.src).toBeString();
      return { offset: req.key.length };
    });
  });

  it('reject wrong field names, missing fields and wrong types at compile time', () => {
    // @ts-expect-error: misspelt reply field
    fresh().handle(echo, (req) => ({ echoo: req.echo }));
    // @ts-expect-error: extra reply field (closed schema)
    fresh().handle(echo, async (req) => ({ echo: req.echo, extra: 1 }));
    // @ts-expect-error: extra reply field, sync
    fresh().handle(read, () => ({ messages: [], value: [] }));
    // @ts-expect-error: misspelt request field
    fresh().handle(echo, (req) => ({ echo: req.echoo }));
    // @ts-expect-error: missing reply field
    fresh().handle(read, () => ({}));
    // @ts-expect-error: offset must be an integer type
    fresh().handle(send, () => ({ offset: 'zero' }));
    // @ts-expect-error: the request of send has no "message" field
    fresh().handle(send, (req) => ({ offset: req.message }));
  });

  it('type call() requests and replies, including user-defined RPCs', async () => {
    const gossip = defineRpc({ name: 'gossip', doc: 'Sends seen messages.', request: { seen: z.array(z.number()) }, response: { ack: z.number() } });
    const node = fresh();
    node.handle(gossip, (req) => ({ ack: req.seen.length }));
    const r = node.call(gossip, 'n2', { seen: [1] });
    expectTypeOf(r).resolves.toHaveProperty('ack').toEqualTypeOf<number>();
    // @ts-expect-error: wrong request field
    void node.call(gossip, 'n2', { sen: [1] }).catch(() => {});
    r.catch(() => {});
  });
});
