import { describe, expect, it } from 'vitest';
import { OptionError } from './options';
import { parseSimArgs } from './sim';

describe('parseSimArgs', () => {
  it('takes --node as the module when it looks like a path, and as a node id otherwise', () => {
    expect(parseSimArgs(['--node', './my-node.ts', '-w', 'echo']).sim.node).toBe('./my-node.ts');
    expect(parseSimArgs(['--node=nodes/x.js']).sim.node).toBe('nodes/x.js');
    expect(parseSimArgs(['-n', 'nodes/x.js']).sim.node).toBe('nodes/x.js');
    const ids = parseSimArgs(['--node', 'n1', '--node', 'n2', '--bin', 'a.ts']);
    expect(ids.sim.node).toBeUndefined();
    expect(ids.options.nodes).toEqual(['n1', 'n2']);
    expect(ids.options.bin).toBe('a.ts');
  });

  it("reads its own options and gyre test's, and passes everything after -- to the node", () => {
    const r = parseSimArgs(['--seeds', '1000', '--shard', '2/4', '--stop-on-failure', '--workers', '3', '--shrink', '--max-ops', '40', '--rate', '10', '--', '--stale-lease']);
    expect(r.sim).toMatchObject({ seeds: 1000, shard: { index: 2, total: 4 }, stopOnFailure: true, workers: 3, shrink: true, maxOps: 40, shrinkBudget: 1000 });
    expect(r.options.rate).toBe(10);
    expect(r.options.binArgs).toEqual(['--stale-lease']);
  });

  it('rejects bad values', () => {
    expect(() => parseSimArgs(['--seeds', '0'])).toThrow(OptionError);
    expect(() => parseSimArgs(['--seeds', '10', '--shard', '5/4'])).toThrow(/--shard/);
    expect(() => parseSimArgs(['--shard', '1/2'])).toThrow(/needs --seeds/);
    expect(() => parseSimArgs(['--seeds', '10', '--seed', 'abc'])).toThrow(/With --seeds, --seed is the first seed: an integer, got "abc"/);
    expect(() => parseSimArgs(['--seeds=10', '--time-limt', '5'])).toThrow(/Unknown option: "--time-limt"; did you mean "--time-limit"\?/);
  });
});
