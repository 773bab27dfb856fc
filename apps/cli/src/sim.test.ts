import { describe, expect, it } from 'vitest';
import { OptionError } from './options';
import { parseSimArgs } from './sim';

describe('parseSimArgs', () => {
  it('takes --node as the module when it looks like a path, and as a node id otherwise', () => {
    expect(parseSimArgs(['--node', './my-node.ts', '-w', 'echo']).sim.node).toBe('./my-node.ts');
    expect(parseSimArgs(['--node=nodes/x.js']).sim.node).toBe('nodes/x.js');
    const ids = parseSimArgs(['--node', 'n1', '--node', 'n2', '--bin', 'a.ts']);
    expect(ids.sim.node).toBeUndefined();
    expect(ids.rest).toEqual(['--node', 'n1', '--node', 'n2', '--bin', 'a.ts']);
  });

  it('reads its own options and passes the rest and everything after -- through', () => {
    const r = parseSimArgs(['--seeds', '1000', '--shard', '2/4', '--stop-on-failure', '--workers', '3', '--shrink', '--max-ops', '40', '--rate', '10', '--', '--stale-lease']);
    expect(r.sim).toMatchObject({ seeds: 1000, shard: { index: 2, total: 4 }, stopOnFailure: true, workers: 3, shrink: true, maxOps: 40 });
    expect(r.rest).toEqual(['--rate', '10', '--', '--stale-lease']);
  });

  it('rejects bad values', () => {
    expect(() => parseSimArgs(['--seeds', '0'])).toThrow(OptionError);
    expect(() => parseSimArgs(['--seeds', '10', '--shard', '5/4'])).toThrow(/--shard/);
    expect(() => parseSimArgs(['--shard', '1/2'])).toThrow(/needs --seeds/);
  });
});
