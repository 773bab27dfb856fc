import { describe, expect, it } from 'vitest';
import { seedRange } from '@gyre/sim';
import { helpText } from './args';
import { OptionError } from './options';
import { parseSimArgs, runSeeds, simCommand, SIM_SPEC } from './sim';

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
    expect(() => parseSimArgs(['--test-count', '0'])).toThrow(/--test-count must be a positive integer/);
    expect(() => parseSimArgs(['--seeds', '10', '--seed', 'abc'])).toThrow(/With --seeds, --seed is the first seed: an integer, got "abc"/);
    expect(() => parseSimArgs(['--seeds=10', '--time-limt', '5'])).toThrow(/Unknown option: "--time-limt"; did you mean "--time-limit"\?/);
  });
});

describe("gyre sim and gyre test's options: each is honoured or refused, never ignored", () => {
  it('--test-count N: N runs on the seeds SEED, SEED+1, ..., numbered as --seeds numbers them', () => {
    expect(parseSimArgs(['--test-count', '3']).options.testCount).toBe(3);
    expect(parseSimArgs([]).options.testCount).toBe(1);
    const never = () => {
      throw new Error('no random seed was wanted');
    };
    expect(runSeeds('7', 3, never)).toEqual(['7', '8', '9']);
    expect(runSeeds('7', 3, never)).toEqual(seedRange(7, 3));
    expect(runSeeds(undefined, 3, () => 4000)).toEqual(['4000', '4001', '4002']);
    // One run keeps the seed as given, whatever it is, as before.
    expect(runSeeds('abc', 1, never)).toEqual(['abc']);
    expect(runSeeds(undefined, 1, () => 12)).toEqual(['12']);
  });

  it('--test-count needs an integer --seed (the first seed), and does not go with --seeds', () => {
    expect(() => parseSimArgs(['--test-count', '2', '--seed', 'abc'])).toThrow(/With --test-count, --seed is the first seed: an integer, got "abc"/);
    expect(parseSimArgs(['--test-count', '1', '--seed', 'abc']).options.seed).toBe('abc');
    expect(() => parseSimArgs(['--seeds', '5', '--test-count', '2'])).toThrow(/--test-count and --seeds both repeat the run: give --seeds N \(with --stop-on-failure/);
  });

  it('refuses the options a simulated run cannot honour, naming what it offers instead, and leaves them out of its help', async () => {
    const cases: [string, RegExp][] = [
      ['--log-stderr', /gyre sim does not take --log-stderr: .*node-logs\/NODE\.log/],
      ['--log-net-send', /gyre sim does not take --log-net-send: .*net-journal\/journal\.jsonl, and messages\.html/],
      ['--log-net-recv', /gyre sim does not take --log-net-recv: .*net-journal\/journal\.jsonl, and messages\.html/],
    ];
    const help = helpText(SIM_SPEC);
    for (const [flag, message] of cases) {
      expect(() => parseSimArgs(['-w', 'echo', flag])).toThrow(message);
      expect(help).not.toMatch(new RegExp(`^ +${flag}\\b`, 'm'));
      expect(help).toContain(flag);
      let err = '';
      const code = await simCommand(['-w', 'echo', '--node', 'x.ts', flag], { out: () => {}, err: (s) => (err += s), isTTY: false, cwd: '/nonexistent' });
      expect([flag, code]).toEqual([flag, 254]);
      expect(err).toMatch(message);
      expect(err).toContain('Run `gyre sim --help` for every option.');
    }
  });

  it('takes --logging-json, in one run and in a sweep (the runs it records write gyre.log as JSON lines)', () => {
    expect(parseSimArgs(['-w', 'echo', '--logging-json']).options.loggingJson).toBe(true);
    expect(parseSimArgs(['-w', 'echo', '--logging-json', '--seeds', '3']).options.loggingJson).toBe(true);
    expect(helpText(SIM_SPEC)).toMatch(/^ +--logging-json\b/m);
  });

  it('refuses an option that does nothing in the mode chosen: one run, or a --seeds sweep', () => {
    expect(() => parseSimArgs(['--progress'])).toThrow(/--progress needs --seeds: one simulated run has no status line/);
    expect(parseSimArgs(['--progress', '--seeds', '3']).options.progress).toBe(true);
    expect(parseSimArgs(['--no-progress', '--seeds', '3']).options.progress).toBe(false);
    expect(parseSimArgs(['--no-progress']).options.progress).toBe(false);
    expect(() => parseSimArgs(['--seeds', '3', '--log-ops'])).toThrow(/--log-ops prints the operations of one run .*--seed N --log-ops/);
    expect(parseSimArgs(['--log-ops']).options.logOps).toBe(true);
    expect(() => parseSimArgs(['--seeds', '3', '--check-determinism'])).toThrow(/--check-determinism checks one seed: run it with --seed N/);
    for (const words of [['--workers', '2'], ['--stop-on-failure'], ['--summary', 's.json']]) {
      expect(() => parseSimArgs(words)).toThrow(new RegExp(`^${words[0]} needs --seeds$`));
      expect(() => parseSimArgs([...words, '--seeds', '3'])).not.toThrow();
    }
    expect(() => parseSimArgs(['--shrink-budget', '5'])).toThrow(/^--shrink-budget needs --shrink$/);
    expect(parseSimArgs(['--shrink-budget', '5', '--shrink']).sim.shrinkBudget).toBe(5);
    // Every problem at once.
    expect(() => parseSimArgs(['--workers', '2', '--summary', 's.json'])).toThrow(/^--workers needs --seeds\n--summary needs --seeds$/);
  });
});
