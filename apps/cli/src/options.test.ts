import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_MAX_LINE_BYTES } from '@gyre/runner';
import { DEFAULT_KEY_COUNT, defaultWorkloadOptions, type WorkloadOptions } from '@gyre/workloads';
import { helpText } from './args';
import { OptionError, maxLineBytes, parseTestArgs, splitModels, TEST_ROWS, TEST_SPEC, workloadOptions } from './options';

const parse = (s: string, files: Record<string, string> = {}) => parseTestArgs(s.split(' ').filter((x) => x !== ''), (p) => files[p] ?? '');

describe('gyre test options, Maelstrom rules (maelstrom.md §4.2)', () => {
  // The values are @gyre/workloads' (next describe); here they are held to Maelstrom's.
  it('has Maelstrom defaults', () => {
    const { options: o } = parse('--bin x');
    expect(o.workload).toBe('lin-kv');
    expect(o.nodes).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    expect(o.concurrency).toBe(5);
    expect(o.timeLimit).toBe(60);
    expect(o.rate).toBe(5);
    expect(o.latency).toBe(0);
    expect(o.latencyDist).toBe('constant');
    expect(o.nemesis).toEqual([]);
    expect(o.nemesisInterval).toBe(10);
    expect(o.topology).toBe('grid');
    expect(o.availability).toBeUndefined();
    expect(o.consistencyModels).toEqual(['strict-serializable']);
    expect(o.maxTxnLength).toBe(4);
    expect(o.maxWritesPerKey).toBe(16);
    expect(o.testCount).toBe(1);
    expect(o.recoveryTime).toBe(10);
  });

  it('--node-count gives zero-based ids and overrides --node/--nodes', () => {
    expect(parse('--bin x --node-count 3').options.nodes).toEqual(['n0', 'n1', 'n2']);
    expect(parse('--bin x --nodes a,b --node-count 2').options.nodes).toEqual(['n0', 'n1']);
  });

  it('combines --nodes-file, --nodes and --node in that order', () => {
    expect(parse('--nodes a,b').options.nodes).toEqual(['a', 'b']);
    expect(parse('--nodes a, -n z').options.nodes).toEqual(['a', 'z']);
    expect(parse('--nodes-file f --nodes b', { f: 'x\ny\n' }).options.nodes).toEqual(['x', 'y', 'b']);
    expect(parse('-n p -n q').options.nodes).toEqual(['p', 'q']);
  });

  it('resolves --concurrency Nn against the node count', () => {
    expect(parse('--node-count 3 --concurrency 2n').options.concurrency).toBe(6);
    expect(parse('--concurrency 10').options.concurrency).toBe(10);
    expect(() => parse('--concurrency 2x')).toThrow(/--concurrency must be an integer/);
    expect(() => parse('--concurrency n')).toThrow(OptionError);
  });

  it('validates numbers', () => {
    expect(() => parse('--time-limit 0')).toThrow(/--time-limit must be a positive integer/);
    expect(() => parse('--time-limit 1.5')).toThrow(/positive integer/);
    expect(() => parse('--rate -1')).toThrow(/--rate/);
    expect(parse('--rate 0.5').options.rate).toBe(0.5);
    expect(parse('--rate 0').options.rate).toBe(0);
    expect(() => parse('--latency -5')).toThrow(/--latency/);
    expect(() => parse('--latency-dist normal')).toThrow(/constant, uniform, exponential/);
    expect(parse('--nemesis-interval 0.5').options.nemesisInterval).toBe(0.5);
    expect(() => parse('--nemesis-interval 0')).toThrow(/positive/);
    expect(() => parse('--topology star')).toThrow(/--topology must be one of/);
    expect(() => parse('--availability 1.5')).toThrow(/--availability/);
    expect(parse('--availability total').options.availability).toBe('total');
    expect(parse('--availability 0.9').options.availability).toBe(0.9);
  });

  it('splits --nemesis on commas and rejects unknown faults', () => {
    expect(parse('--nemesis partition').options.nemesis).toEqual(['partition']);
    expect(parse('--nemesis partition,kill').options.nemesis).toEqual(['partition', 'kill']);
    expect(() => parse('--nemesis clock')).toThrow(/unknown fault "clock"/);
  });

  it('--nemesis-targets (Gyre) picks which node sets a kill or pause may hit; all four by default', () => {
    expect(parse('').options.nemesisTargets).toEqual(['one', 'minority', 'majority', 'all']);
    expect(parse('--nemesis-targets one,majority').options.nemesisTargets).toEqual(['one', 'majority']);
    expect(() => parse('--nemesis-targets some')).toThrow(/unknown target "some"/);
    expect(() => parse('--nemesis-targets ,')).toThrow(/at least one/);
  });

  it('passes positional words and everything after -- to the binary', () => {
    const { options: o } = parse('--bin x foo bar -- --baz -w qux');
    expect(o.binArgs).toEqual(['foo', 'bar', '--baz', '-w', 'qux']);
    expect(o.workload).toBe('lin-kv');
  });

  it('rejects unknown options with a suggestion, and missing values', () => {
    expect(() => parse('--node-cuont 3')).toThrow(/Unknown option: "--node-cuont"; did you mean "--node-count"\?/);
    expect(() => parse('--bin')).toThrow(/Missing argument for "--bin"/);
    expect(() => parse('-x')).toThrow(/Unknown option/);
  });

  it('accepts --opt=value and short options with attached values', () => {
    expect(parse('--workload=echo').options.workload).toBe('echo');
    expect(parse('-wecho').options.workload).toBe('echo');
  });

  it('runs the Gossip Glomers 6c line as published: the en-dash flag goes to the binary, with a warning', () => {
    const line = 'test -w txn-rw-register --bin ~/go/bin/maelstrom-txn --node-count 2 --concurrency 2n --time-limit 20 --rate 1000 --consistency-models read-committed --availability total –-nemesis partition';
    const { options: o, warnings } = parseTestArgs(line.split(' ').slice(1));
    expect(o.nemesis).toEqual([]);
    expect(o.binArgs).toEqual(['–-nemesis', 'partition']);
    expect(o.concurrency).toBe(4);
    expect(o.consistencyModels).toEqual(['read-committed']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/"–-nemesis" starts with an en dash/);
    expect(warnings[0]).toMatch(/Did you mean "--nemesis"\?/);
  });

  it('parses every Gossip Glomers command line as published (ecosystem.md)', () => {
    const lines: [string, Partial<Record<string, unknown>>][] = [
      ['-w echo --bin ~/go/bin/maelstrom-echo --node-count 1 --time-limit 10', { workload: 'echo', nodes: ['n0'], timeLimit: 10 }],
      ['-w unique-ids --bin ~/go/bin/maelstrom-unique-ids --time-limit 30 --rate 1000 --node-count 3 --availability total --nemesis partition', { workload: 'unique-ids', rate: 1000, availability: 'total', nemesis: ['partition'], concurrency: 3 }],
      ['-w broadcast --bin ~/go/bin/maelstrom-broadcast --node-count 25 --time-limit 20 --rate 100 --latency 100', { workload: 'broadcast', latency: 100, concurrency: 25, topology: 'grid' }],
      ['-w g-counter --bin ~/go/bin/maelstrom-counter --node-count 3 --rate 100 --time-limit 20 --nemesis partition', { workload: 'g-counter', nemesis: ['partition'] }],
      ['-w kafka --bin ~/go/bin/maelstrom-kafka --node-count 2 --concurrency 2n --time-limit 20 --rate 1000', { workload: 'kafka', concurrency: 4, concurrencySpec: '2n' }],
      ['-w txn-rw-register --bin ~/go/bin/maelstrom-txn --node-count 1 --time-limit 20 --rate 1000 --concurrency 2n --consistency-models read-uncommitted --availability total', { consistencyModels: ['read-uncommitted'], concurrency: 2 }],
      ['-w lin-kv --bin ./node --topology tree4 --latency-dist=exponential --latency=5 --nemesis=partition,kill', { topology: 'tree4', latencyDist: 'exponential', latency: 5, nemesis: ['partition', 'kill'] }],
    ];
    for (const [line, expected] of lines) {
      const { options, warnings } = parse(line);
      expect([line, warnings]).toEqual([line, []]);
      expect(options).toMatchObject({ ...expected, bin: line.split(' ')[3] });
    }
  });

  it('parses --consistency-models in Maelstrom\'s spelling and with plain commas', () => {
    expect(splitModels('read-committed , serializable')).toEqual(['read-committed', 'serializable']);
    expect(splitModels('a,b')).toEqual(['a', 'b']);
    expect(splitModels('a, b')).toEqual(['a', 'b']);
    expect(splitModels(':serializable')).toEqual(['serializable']);
  });

  it('warns about node ids that look like clients, rejects those that are, and duplicates', () => {
    expect(parse('--nodes cat,n2').warnings[0]).toMatch(/starts with "c"/);
    expect(() => parse('--nodes c1,n2')).toThrow(/Node id "c1" is a client's id/);
    expect(() => parse('--nodes a,a')).toThrow(/unique/);
  });

  it('rejects node ids that are paths or service ids, from every source', () => {
    expect(() => parse('--nodes ../../x')).toThrow(/Node id "..\/..\/x" is not allowed/);
    expect(() => parse('-n a/b')).toThrow(/Node id "a\/b" is not allowed/);
    expect(() => parse('--nodes-file f', { f: 'n1\n..\n' })).toThrow(/Node id "\.\." is not allowed/);
    expect(() => parse('--nodes lin-kv')).toThrow(/service's id/);
  });

  it('--max-line-mib (Gyre) caps one line from a node: 64 MiB by default, the runner\'s default', () => {
    expect(maxLineBytes(parse('--bin x').options)).toBe(DEFAULT_MAX_LINE_BYTES);
    expect(maxLineBytes(parse('--max-line-mib 0.5').options)).toBe(512 * 1024);
    expect(() => parse('--max-line-mib 0')).toThrow(/--max-line-mib must be a positive number, got 0/);
    expect(() => parse('--max-line-mib lots')).toThrow(/--max-line-mib must be a number/);
  });

  it('recognises --help', () => {
    expect(parse('--help').help).toBe(true);
    expect(parse('-h').help).toBe(true);
  });
});

/** The `[default: …]` the help shows for `--long`. */
const helpDefault = (help: string, long: string): string | undefined => {
  const block = help.split(/\n(?= {2}(?:-\w, )? *--)/).find((b) => new RegExp(`^ {2}(?:-\\w, )? *--${long} `).test(b));
  return /\[default: ([^\]]*)\]/.exec(block?.replace(/\s+/g, ' ') ?? '')?.[1];
};

/** The help's default of each option a workload sees, from its default value. */
const spelt = (d: WorkloadOptions): Record<string, string> => ({
  node: d.nodes.join(' '),
  concurrency: `${d.concurrency / d.nodes.length}n`,
  rate: String(d.rate),
  'time-limit': String(d.timeLimit),
  latency: String(d.latency),
  topology: d.topology,
  'consistency-models': d.consistencyModels.join(','),
  'max-txn-length': String(d.maxTxnLength),
  'max-writes-per-key': String(d.maxWritesPerKey),
});

describe("the workload options' defaults are @gyre/workloads' defaultWorkloadOptions", () => {
  it('parsing no workload arguments gives exactly defaultWorkloadOptions()', () => {
    expect(workloadOptions(parse('--bin x -w echo').options)).toEqual(defaultWorkloadOptions());
    expect(workloadOptions(parse('').options)).toEqual(defaultWorkloadOptions());
  });

  it('for another node list too: the default concurrency follows the nodes, as defaultWorkloadOptions({ nodes }) does', () => {
    expect(workloadOptions(parse('--node-count 3').options)).toEqual(defaultWorkloadOptions({ nodes: ['n0', 'n1', 'n2'] }));
    expect(workloadOptions(parse('--nodes a,b').options)).toEqual(defaultWorkloadOptions({ nodes: ['a', 'b'] }));
    expect(workloadOptions(parse('--nodes a,b --seed 9 --rate 2').options)).toEqual(defaultWorkloadOptions({ nodes: ['a', 'b'], seed: '9', rate: 2 }));
  });

  it("--help shows defaultWorkloadOptions()'s values as the defaults", () => {
    const help = helpText(TEST_SPEC);
    for (const [long, value] of Object.entries(spelt(defaultWorkloadOptions()))) {
      expect([long, helpDefault(help, long)]).toEqual([long, value]);
      const row = TEST_ROWS.find((r) => r.long === long)!;
      expect([long, row.def ?? row.defText]).toEqual([long, value]);
    }
    // No default where the workloads have none.
    for (const long of ['availability', 'nemesis']) expect([long, helpDefault(help, long)]).toEqual([long, undefined]);
  });

  it("--key-count's help default is @gyre/workloads' DEFAULT_KEY_COUNT, and the parsed value stays unset (the workloads' own default)", async () => {
    expect(helpDefault(helpText(TEST_SPEC), 'key-count')).toBe(String(DEFAULT_KEY_COUNT));
    expect(parse('--bin x').options.keyCount).toBeUndefined();
    vi.resetModules();
    vi.doMock('@gyre/workloads', async (importOriginal) => ({ ...(await importOriginal<typeof import('@gyre/workloads')>()), DEFAULT_KEY_COUNT: 37 }));
    try {
      const options = await import('./options');
      const args = await import('./args');
      expect(helpDefault(args.helpText(options.TEST_SPEC), 'key-count')).toBe('37');
    } finally {
      vi.doUnmock('@gyre/workloads');
      vi.resetModules();
    }
  });

  it('a change to defaultWorkloadOptions changes the parsed options and the help: the CLI keeps no copy', async () => {
    const changed = (over: Partial<WorkloadOptions> = {}): WorkloadOptions => {
      const nodes = over.nodes ?? ['a1', 'a2'];
      return { nodes, concurrency: 3 * nodes.length, rate: 7, timeLimit: 33, latency: 2, topology: 'line', keyCount: 6, maxTxnLength: 3, maxWritesPerKey: 9, consistencyModels: ['serializable', 'read-committed'], availability: 'total', nemesis: ['partition'], seed: 'abc', ...over };
    };
    vi.resetModules();
    vi.doMock('@gyre/workloads', async (importOriginal) => ({ ...(await importOriginal<typeof import('@gyre/workloads')>()), defaultWorkloadOptions: changed }));
    try {
      const options = await import('./options');
      const args = await import('./args');
      expect(options.workloadOptions(options.parseTestArgs([]).options)).toEqual(changed());
      expect(options.workloadOptions(options.parseTestArgs(['--node-count', '4']).options)).toEqual(changed({ nodes: ['n0', 'n1', 'n2', 'n3'] }));
      const help = args.helpText(options.TEST_SPEC);
      for (const [long, value] of Object.entries(spelt(changed()))) expect([long, helpDefault(help, long)]).toEqual([long, value]);
      expect(helpDefault(help, 'concurrency')).toBe('3n');
    } finally {
      vi.doUnmock('@gyre/workloads');
      vi.resetModules();
    }
  });
});
