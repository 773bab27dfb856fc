import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHistoryEdn } from '@gyre/history';
import { requireSharedData } from '../../../../scripts/shared-data.mjs';
import { checkListAppend, type CycleAnomaly } from './index';


const load = (name: string) => parseHistoryEdn(readFileSync(join(requireSharedData(), 'elle', name), 'utf8'));

describe("Elle's reference histories", () => {
  it('paper-example.edn: not serializable, a G-single cycle', () => {
    const res = checkListAppend(load('paper-example.edn'));
    expect(res.valid).toBe(false);
    expect(res.anomalyTypes).toEqual(['G-single']);
    expect(res.not).toEqual(['consistent-view']);
    expect(res.alsoNot).toContain('serializable');
    const c = res.anomalies!['G-single']![0] as CycleAnomaly;
    // T3 (op 7) missed T1's append of 8 to 255, T2 (op 5) saw it, and T3 appended 3 to 256 after T2's 4.
    expect(c.cycle.map((op) => op.index)).toEqual([7, 3, 5, 7]);
    expect(c.steps.map((s) => [s.type, s.key])).toEqual([
      ['rw', 255],
      ['wr', 255],
      ['ww', 256],
    ]);
  });

  it('si-without-g-single.edn, checked for snapshot-isolation and repeatable-read: G2-item only', () => {
    const res = checkListAppend(load('si-without-g-single.edn'), { consistencyModels: ['snapshot-isolation', 'repeatable-read'] });
    expect(res.valid).toBe(false);
    expect(res.anomalyTypes).toEqual(['G2-item']);
    expect(res.not).toEqual(['repeatable-read']);
  });

  it('huge-scc.edn is never valid, and gives concrete named cycles', () => {
    const res = checkListAppend(load('huge-scc.edn'));
    expect(res.valid).toBe(false);
    expect(res.not).toEqual(['strong-snapshot-isolation']);
    const cycles = (res.anomalyTypes ?? []).filter((t) => /^G/.test(t));
    expect(cycles.length).toBeGreaterThan(0);
    for (const t of cycles) {
      const c = res.anomalies![t]![0] as CycleAnomaly;
      expect(c.steps.length).toBe(c.cycle.length - 1);
      expect(c.steps.every((s) => s.text.length > 0)).toBe(true);
    }
  });

  it('huge-scc.edn with a spent search budget: cycle-search-timeout and a fallback, never valid', () => {
    let clock = 0;
    const now = () => (clock += 1000);
    const strict = checkListAppend(load('huge-scc.edn'), { now, cycleSearchTimeout: 1 });
    expect(strict.valid).toBe(false);
    expect(strict.anomalyTypes).toContain('cycle-search-timeout');
    expect(strict.not).toEqual(['strong-snapshot-isolation']);
    const timeout = strict.anomalies!['cycle-search-timeout']![0] as { anomalySpecType: string; sccSize: number };
    expect(timeout.sccSize).toBeGreaterThan(1000);
    // Under strong-read-committed (real-time edges, no cycle of ww / wr / realtime) nothing
    // forbidden is found, so the spent budget makes it unknown.
    const weak = checkListAppend(load('huge-scc.edn'), { now, cycleSearchTimeout: 1, consistencyModels: ['strong-read-committed'] });
    expect(weak).toMatchObject({ valid: 'unknown', anomalyTypes: ['cycle-search-timeout'] });
  });
});
