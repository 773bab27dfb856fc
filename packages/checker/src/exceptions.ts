import type { Op } from '@gyre/history';
import type { CheckResult } from './validity';
import { field, fields, listOf, type WireForm } from './wire';

/** One kind of unhandled exception seen in a history. */
export interface ExceptionSummary {
  /** The exception's class (see {@link exceptionClass}). */
  class: string;
  /** How many operations carried it. */
  count: number;
  /** The first operation that carried it. */
  example: Op;
}

/** Result of {@link exceptions}: Maelstrom's `:exceptions`. Always valid. */
export interface ExceptionsResult extends CheckResult {
  valid: true;
  /** Present only when some operation carried an exception; most frequent first. */
  exceptions?: ExceptionSummary[];
}

/** How an {@link ExceptionsResult} is written: `valid?`, `exceptions` (each example op as recorded). */
export const exceptionsWire: WireForm = fields<ExceptionsResult>({
  valid: 'valid?',
  exceptions: field('exceptions', listOf(fields<ExceptionSummary>({ class: 'class', count: 'count', example: 'example' }))),
});

/**
 * The class of an op's `exception` field: Jepsen's `(-> e :via first :type)` when the field has
 * that shape, else its `class`, `type` or `name` string, else the field itself if it is a string,
 * else `'unknown'`.
 */
export function exceptionClass(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object') {
    const o = e as Record<string, unknown>;
    const via = o['via'];
    if (Array.isArray(via) && via[0] && typeof via[0] === 'object') {
      const t = (via[0] as Record<string, unknown>)['type'];
      if (typeof t === 'string') return t;
    }
    for (const k of ['class', 'type', 'name']) if (typeof o[k] === 'string') return o[k] as string;
  }
  return 'unknown';
}

/**
 * Jepsen's unhandled-exceptions checker: groups the `info` completions that carry an
 * `exception` field by class, most frequent first (ties in order of first appearance). Always
 * valid; it only informs.
 */
export function exceptions(history: readonly Op[]): ExceptionsResult {
  const groups = new Map<string, ExceptionSummary>();
  for (const op of history) {
    if (op.type !== 'info' || op['exception'] === undefined || op['exception'] === null) continue;
    const cls = exceptionClass(op['exception']);
    const g = groups.get(cls);
    if (g) g.count++;
    else groups.set(cls, { class: cls, count: 1, example: op });
  }
  if (groups.size === 0) return { valid: true };
  const list = [...groups.values()].sort((a, b) => b.count - a.count);
  return { valid: true, exceptions: list };
}
