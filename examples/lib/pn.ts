/** A PN-counter's state: per entry (a node, or a node's incarnation), its positive and negative totals. */
export type PnState = Record<string, [number, number]>;

/** Merges `other` into `into`, entry by entry, keeping the larger value of each total. */
export function mergePn(into: PnState, other: unknown): void {
  if (other === null || typeof other !== 'object') return;
  for (const [k, v] of Object.entries(other as Record<string, unknown>)) {
    if (!Array.isArray(v) || v.length !== 2) continue;
    const [p, n] = v.map(Number) as [number, number];
    const mine = (into[k] ??= [0, 0]);
    mine[0] = Math.max(mine[0], p);
    mine[1] = Math.max(mine[1], n);
  }
}

/** Adds `delta` to `entry` (P for a positive delta, N for a negative one). */
export function addPn(s: PnState, entry: string, delta: number): void {
  const e = (s[entry] ??= [0, 0]);
  if (delta >= 0) e[0] += delta;
  else e[1] -= delta;
}

/** The counter's value: ΣP − ΣN. */
export const pnValue = (s: PnState): number => Object.values(s).reduce((acc, [p, n]) => acc + p - n, 0);
