import { describe, expect, it } from 'vitest';
import { DEMOS, demoTestArgs } from './demo';
import { parseTestArgs } from './options';

describe('demoTestArgs', () => {
  const kafka = DEMOS.find((d) => d.workload === 'kafka')!;

  it("gives each demo its workload and binary, and lets the demo's own options win", () => {
    const o = parseTestArgs(demoTestArgs(['--time-limit', '3', '--node-count', '5'], kafka, '/ex')).options;
    expect(o.workload).toBe('kafka');
    expect(o.bin).toBe('/ex/dist/kafka.js');
    expect(o.timeLimit).toBe(3);
    expect(o.nodes).toEqual(['n0']);
    expect(o.binArgs).toEqual([]);
  });

  it('keeps the words after -- for the binary, after the demo\'s options (they went to the binary before)', () => {
    const o = parseTestArgs(demoTestArgs(['--rate', '7', '--', '--verbose'], kafka, '/ex')).options;
    expect(o.workload).toBe('kafka');
    expect(o.bin).toBe('/ex/dist/kafka.js');
    expect(o.rate).toBe(7);
    expect(o.binArgs).toEqual(['--verbose']);
  });
});
