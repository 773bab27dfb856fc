import { RpcError } from '@gyre/protocol';
import { MalformedReplyError } from '@gyre/workloads';
import { describe, expect, it } from 'vitest';
import { ClientTimeoutError } from './client';
import { errorCompletion } from './errors';

const none = new Set<string>();
const reads = new Set(['read']);

describe('error mapping (maelstrom.md §1.7)', () => {
  it('definite errors fail, indefinite and unknown codes are info', () => {
    expect(errorCompletion(RpcError.txnConflict('CAS failed!'), 'txn', none, 'translate')).toEqual({ type: 'fail', error: ['txn-conflict', 'CAS failed!'] });
    expect(errorCompletion(new RpcError(13, 'boom'), 'txn', none, 'translate')).toEqual({ type: 'info', error: ['crash', 'boom'] });
    expect(errorCompletion(new RpcError(1001, 'custom'), 'txn', none, 'translate')).toEqual({ type: 'info', error: ['unknown', 'custom'] });
    expect(errorCompletion(new RpcError(0, 'node says timeout'), 'write', none, 'translate')).toEqual({ type: 'info', error: ['timeout', 'node says timeout'] });
  });

  it('idempotent functions fail on any error', () => {
    expect(errorCompletion(new RpcError(13, 'boom'), 'read', reads, 'translate').type).toBe('fail');
    expect(errorCompletion(new ClientTimeoutError(5000), 'read', reads, 'translate')).toEqual({ type: 'fail', error: 'net-timeout' });
  });

  it('client timeouts are net-timeout, info unless idempotent', () => {
    expect(errorCompletion(new ClientTimeoutError(5000), 'write', reads, 'translate')).toEqual({ type: 'info', error: 'net-timeout' });
  });

  it('malformed replies and crash-mode workloads record an indeterminate info with the exception', () => {
    const m = errorCompletion(new MalformedReplyError('echo', {}, { type: 'echo_ok' }, 'echo: required'), 'echo', none, 'translate');
    expect(m.type).toBe('info');
    expect(m.error).toMatch(/^indeterminate: Malformed RPC response to echo/);
    expect(m['exception']).toMatchObject({ class: 'MalformedReplyError' });
    const c = errorCompletion(RpcError.abort('no'), 'add', none, 'crash');
    expect(c.type).toBe('info');
    expect(c.error).toMatch(/^indeterminate: abort \(14\): no/);
  });
});
