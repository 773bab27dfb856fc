/**
 * How a client call's outcome becomes a history entry (maelstrom.md §1.7).
 */
import { RpcError } from '@gyre/protocol';
import type { ClientResult } from '@gyre/workloads';
import { ClientTimeoutError } from './client';

/** Converts a thrown error into a completion, per the workload's error mode. */
export function errorCompletion(e: unknown, f: string, idempotent: ReadonlySet<string>, mode: 'translate' | 'crash'): ClientResult {
  const message = e instanceof Error ? e.message : String(e);
  if (mode === 'crash' || !RpcError.is(e)) {
    return {
      type: 'info',
      error: `indeterminate: ${message}`,
      exception: { class: e instanceof Error ? e.name : typeof e, message },
    };
  }
  if (e instanceof ClientTimeoutError) {
    return { type: idempotent.has(f) ? 'fail' : 'info', error: 'net-timeout' };
  }
  return { type: e.definite || idempotent.has(f) ? 'fail' : 'info', error: [e.errorName, e.text] };
}
