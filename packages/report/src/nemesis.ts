/**
 * Fault periods from the nemesis entries of a history, for shading plots and timelines.
 */
import type { Op } from '@gyre/history';

/** A span of time during which a fault was in effect. */
export interface NemesisPeriod {
  /** The fault family: `partition`, `kill`, `pause`, or the `X` of `start-X` / `stop-X`. */
  kind: string;
  /** Nanoseconds since the test began: the first entry of the starting operation. */
  start: number;
  /** When the matching stop completed; the history's last time when the fault never ended. */
  end: number;
  /** True when no stop was recorded. */
  open: boolean;
  /** The starting operation's value (a partition's grudge, the nodes killed), when any. */
  value?: unknown;
  /** History index of the op that began the fault. */
  startIndex: number;
  /** History index of the op that ended it, when any. */
  endIndex?: number;
}

const STARTS: Record<string, string> = { kill: 'kill', pause: 'pause', partition: 'partition' };
const STOPS: Record<string, string> = { start: 'kill', resume: 'pause', heal: 'partition' };

/** The fault family an `f` begins or ends, or undefined when it does neither. */
function classify(f: string): { kind: string; begins: boolean } | undefined {
  if (f in STARTS) return { kind: STARTS[f]!, begins: true };
  if (f in STOPS) return { kind: STOPS[f]!, begins: false };
  const m = /^(start|stop)-(.+)$/.exec(f);
  if (m) return { kind: m[2]!, begins: m[1] === 'start' };
  return undefined;
}

/**
 * Pairs nemesis operations into fault periods. `start-X` opens a period of kind `X` that
 * `stop-X` closes; `kill`/`start`, `pause`/`resume` and `partition`/`heal` pair likewise. A period
 * begins at the first entry (invoke or info) of the opening operation and ends at the last entry of
 * the closing one; a period never closed runs to the end of the history.
 */
export function nemesisPeriods(history: readonly Op[]): NemesisPeriod[] {
  const open = new Map<string, NemesisPeriod>();
  const closing = new Map<string, NemesisPeriod>();
  const out: NemesisPeriod[] = [];
  let last = 0;
  for (const op of history) {
    if (op.time > last) last = op.time;
    if (op.process !== 'nemesis') continue;
    const c = classify(op.f);
    if (!c) continue;
    if (c.begins) {
      closing.delete(c.kind);
      const already = open.get(c.kind);
      if (already) {
        if (already.value === undefined && op.value !== null && op.value !== undefined) already.value = op.value;
        continue;
      }
      const p: NemesisPeriod = { kind: c.kind, start: op.time, end: op.time, open: true, startIndex: op.index };
      if (op.value !== null && op.value !== undefined) p.value = op.value;
      open.set(c.kind, p);
      out.push(p);
    } else {
      const p = open.get(c.kind) ?? closing.get(c.kind);
      if (!p) continue;
      open.delete(c.kind);
      closing.set(c.kind, p);
      p.end = op.time;
      p.endIndex = op.index;
      p.open = false;
    }
  }
  for (const p of open.values()) p.end = Math.max(p.start, last);
  return out;
}
