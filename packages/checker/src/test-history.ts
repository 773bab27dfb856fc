/**
 * Test helper: builds small histories. Not exported from the package.
 */
import type { Op, OpType, ProcessId } from '@gyre/history';

/** `[process, type, f, value, time (ns), extra fields]`; time defaults to the row's position. */
export type Row = [ProcessId, OpType, string, unknown, number?, Record<string, unknown>?];

/** A history from rows, indexed in order. */
export function hist(...rows: Row[]): Op[] {
  return rows.map(([process, type, f, value, time, extra], index) => ({ index, time: time ?? index, type, process, f, value, ...extra }));
}

/** Milliseconds to nanoseconds. */
export const ms = (x: number): number => x * 1_000_000;
