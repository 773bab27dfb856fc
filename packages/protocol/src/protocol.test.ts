import fc from 'fast-check';
import { JsonFloat, parseJson } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import { MessageSchema, checkEnvelope, decodeLine, encodeMessage, isClientId } from './envelope';
import { ERRORS, ErrorCodes, RpcError, errorName, isDefinite } from './errors';
import { SERVICE_RPCS, WORKLOAD_RPCS, checkResponse, workloadRpc } from './rpc';

describe('error table', () => {
  it('has every code of Maelstrom with its definite flag', () => {
    const table = Object.entries(ERRORS).map(([name, e]) => [e.code, name, e.definite]);
    expect(table).toEqual([
      [0, 'timeout', false],
      [1, 'node-not-found', true],
      [10, 'not-supported', true],
      [11, 'temporarily-unavailable', true],
      [12, 'malformed-request', true],
      [13, 'crash', false],
      [14, 'abort', true],
      [20, 'key-does-not-exist', true],
      [21, 'key-already-exists', true],
      [22, 'precondition-failed', true],
      [30, 'txn-conflict', true],
    ]);
    for (const [k, code] of Object.entries(ErrorCodes)) expect(errorName(code), k).not.toBe('unknown');
  });

  it('treats unregistered codes as unknown and indefinite', () => {
    expect(errorName(1000)).toBe('unknown');
    expect(isDefinite(1000)).toBe(false);
    expect(isDefinite(2)).toBe(false);
    expect(isDefinite(30)).toBe(true);
  });

  it('RpcError has no stack trace, and leaves the stack limit as it was', () => {
    const limit = Error.stackTraceLimit;
    const e = RpcError.timeout('no reply from n1 within 1000 ms');
    expect(e).toBeInstanceOf(RpcError);
    expect([e.code, e.definite, e.message]).toEqual([0, false, 'timeout (0): no reply from n1 within 1000 ms']);
    expect(e.stack).toBe('RpcError: timeout (0): no reply from n1 within 1000 ms');
    expect(Error.stackTraceLimit).toBe(limit);
    expect(RpcError.crash('boom').stack).toBe('RpcError: crash (13): boom');
    expect(new Error('x').stack).toMatch(/\n\s+at /);
  });

  it('RpcError carries code, text and definiteness, and is recognised by brand', () => {
    const e = RpcError.txnConflict('CAS failed!');
    expect(e.code).toBe(30);
    expect(e.definite).toBe(true);
    expect(e.errorName).toBe('txn-conflict');
    expect(e.toBody()).toEqual({ type: 'error', code: 30, text: 'CAS failed!' });
    expect(RpcError.is(e)).toBe(true);
    expect(RpcError.is(new Error('x'))).toBe(false);
    expect(new RpcError(0).definite).toBe(false);
    expect(RpcError.crash().definite).toBe(false);
  });
});

describe('envelope', () => {
  it('decodes a message and keeps number fidelity through a round trip', () => {
    const line = '{"src":"n1","dest":"c1","body":{"type":"generate_ok","id":18446744073709551615,"f":1.0,"in_reply_to":1}}';
    const d = decodeLine(line);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.message.body['id']).toBe(18446744073709551615n);
    expect(d.message.body['f']).toBeInstanceOf(JsonFloat);
    expect(encodeMessage({ ...d.message, id: 7 })).toBe(
      '{"id":7,"src":"n1","dest":"c1","body":{"type":"generate_ok","id":18446744073709551615,"f":1.0,"in_reply_to":1}}',
    );
  });

  it('names what is wrong with a bad line', () => {
    const cases: [string, string][] = [
      ['', 'blank-line'],
      ['   ', 'blank-line'],
      ['hello', 'not-json'],
      ['[1,2]', 'not-an-object'],
      ['"x"', 'not-an-object'],
      ['{"src":"n1","dest":"c1","body":{},"extra":1}', 'extra-key'],
      ['{"dest":"c1","body":{}}', 'bad-src'],
      ['{"src":null,"dest":"c1","body":{}}', 'bad-src'],
      ['{"src":"n1","body":{}}', 'bad-dest'],
      ['{"src":"n1","dest":"c1","body":[1]}', 'bad-body'],
      ['{"src":"n1","dest":"c1"}', 'bad-body'],
      ['{"src":"n1","dest":"c1","body":{},"id":1.5}', 'bad-id'],
      ['{"src":"n1","dest":"c1","body":{"echo":' + '['.repeat(5000) + ']'.repeat(5000) + '}}', 'too-deep'],
      ['{"src":"n1","dest":"c1","body":{"echo":' + '{"a":'.repeat(1000) + '1' + '}'.repeat(1000) + '}}', 'too-deep'],
    ];
    for (const [line, kind] of cases) {
      const d = decodeLine(line);
      expect(d.ok, line).toBe(false);
      if (!d.ok) expect(d.kind, line).toBe(kind);
    }
    const d = decodeLine('{"src":"n1","dest":"c1","body":{},"msg":1}');
    expect(!d.ok && d.reason).toMatch(/unexpected top-level key "msg"/);
  });

  it('the fast envelope check agrees with the zod schema on arbitrary values', () => {
    const field = fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.constant(null), fc.object({ maxDepth: 1 }), fc.array(fc.integer(), { maxLength: 2 }), fc.double());
    const env = fc.record(
      { src: field, dest: field, body: field, id: field, extra: field },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(env, field), (v) => {
        expect(checkEnvelope(v).ok).toBe(MessageSchema.safeParse(v).success);
      }),
      { numRuns: 5000 },
    );
    // Found by the property: ids beyond 2^53 as plain numbers are not integers zod (or JSON readers) can trust.
    for (const id of [2 ** 53, -(2 ** 53), 2 ** 60]) expect(checkEnvelope({ src: 'n1', dest: 'c1', body: {}, id }).ok).toBe(MessageSchema.safeParse({ src: 'n1', dest: 'c1', body: {}, id }).success);
    expect(checkEnvelope({ src: 'n1', dest: 'c1', body: {}, id: -(2 ** 53) }).ok).toBe(false);
  });

  it('never throws on arbitrary input lines', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.string({ unit: 'binary' })), (s) => {
        expect(() => decodeLine(s)).not.toThrow();
      }),
      { numRuns: 5000 },
    );
  });

  it('detects clients by the leading c', () => {
    expect(isClientId('c12')).toBe(true);
    expect(isClientId('n1')).toBe(false);
    expect(isClientId('lin-kv')).toBe(false);
  });
});

describe('RPC schemas', () => {
  it('closes reply schemas and requires in_reply_to', () => {
    const echo = workloadRpc('echo', 'echo')!;
    expect(checkResponse(echo, { type: 'echo_ok', echo: 'x', in_reply_to: 1 })).toBeNull();
    expect(checkResponse(echo, { type: 'echo_ok', echo: 'x', in_reply_to: 1, msg_id: 3 })).toBeNull();
    expect(checkResponse(echo, { type: 'echo_ok', echo: 'x', in_reply_to: 1, extra: 1 })).toMatch(/disallowed key "extra"/);
    expect(checkResponse(echo, { type: 'echo_ok', echo: 'x' })).toMatch(/in_reply_to/);
    expect(checkResponse(echo, { type: 'echo_ok', in_reply_to: 1 })).toMatch(/echo/);
    expect(checkResponse(echo, { type: 'echo_ok', echo: null, in_reply_to: 1 })).toBeNull();
    expect(checkResponse(echo, { type: 'echo', echo: 'x', in_reply_to: 1 })).toMatch(/type/);
  });

  it('Int fields reject floats like 5.0 and accept big integers', () => {
    const read = workloadRpc('g-counter', 'read')!;
    const body = (text: string) => parseJson(`{"type":"read_ok","in_reply_to":1,"value":${text}}`);
    expect(checkResponse(read, body('5'))).toBeNull();
    expect(checkResponse(read, body('123456789012345678901234'))).toBeNull();
    expect(checkResponse(read, body('5.0'))).not.toBeNull();
    expect(checkResponse(read, body('"5"'))).not.toBeNull();
  });

  it('sequence fields accept null, map fields do not', () => {
    const read = workloadRpc('broadcast', 'read')!;
    expect(checkResponse(read, { type: 'read_ok', messages: null, in_reply_to: 1 })).toBeNull();
    const poll = workloadRpc('kafka', 'poll')!;
    expect(checkResponse(poll, { type: 'poll_ok', msgs: null, in_reply_to: 1 })).not.toBeNull();
    expect(checkResponse(poll, { type: 'poll_ok', msgs: { '1': [[0, 5]] }, in_reply_to: 1 })).toBeNull();
  });

  it('txn-list-append replies must have lists or null for reads', () => {
    const txn = workloadRpc('txn-list-append', 'txn')!;
    expect(checkResponse(txn, { type: 'txn_ok', txn: [['r', 1, [1, 2]], ['append', 1, 3], ['r', 2, null]], in_reply_to: 1 })).toBeNull();
    expect(checkResponse(txn, { type: 'txn_ok', txn: [['r', 1, 5]], in_reply_to: 1 })).not.toBeNull();
  });

  it('every RPC is documented', () => {
    for (const rpcs of [...Object.values(WORKLOAD_RPCS), ...Object.values(SERVICE_RPCS)]) {
      for (const r of rpcs) expect(r.doc.length).toBeGreaterThan(10);
    }
  });
});

describe('schema descriptions for gyre doc', async () => {
  const { describeSchema, rpcMarkdown } = await import('./describe');
  it('describes fields in Maelstrom notation', () => {
    const poll = workloadRpc('kafka', 'poll')!;
    expect(describeSchema(poll.responseFields["msgs"]!)).toBe('{String [[Int Any]]}');
    expect(describeSchema(workloadRpc("broadcast", "topology")!.requestFields["topology"]!)).toBe('{String [String]}');
    expect(describeSchema(SERVICE_RPCS.kv[2].requestFields.create_if_not_exists)).toBe('Boolean');
    const md = rpcMarkdown(workloadRpc('echo', 'echo')!);
    expect(md).toContain('"type": "echo_ok"');
    expect(md).toContain('"echo": Any');
  });
});
