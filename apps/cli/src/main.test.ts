/**
 * Every command's parse, help and usage errors come from its table: checked here for each one,
 * in process (nothing runs: each case stops at parsing or before any node starts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ANALYZE_SPEC } from './analyze';
import { helpText, OptionError, parseOptions, rowsOf, type CommandSpec, type OptionRow } from './args';
import { CHECK_SPEC } from './check';
import { DEMO_SPEC } from './demo';
import { DOC_SPEC } from './doc';
import { main } from './main';
import { TEST_SPEC } from './options';
import { REPLAY_SPEC } from './replay';
import { SERVE_SPEC } from './serve';
import { MERGE_SPEC, SIM_SPEC } from './sim';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

async function gyre(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s), isTTY: false, cwd: process.cwd() });
  return { code, out, err };
}

/** Each command by how it is typed, with its table, and one bad value it must refuse. */
const COMMANDS: [string[], CommandSpec<any>, [string[], RegExp] | undefined][] = [
  [['test'], TEST_SPEC, [['--time-limit', 'ten'], /--time-limit must be a positive integer, got "ten"/]],
  [['sim'], SIM_SPEC, [['--seeds', '0'], /--seeds must be an integer ≥ 1, got "0"/]],
  [['sim', 'merge'], MERGE_SPEC, undefined],
  [['analyze'], ANALYZE_SPEC, undefined],
  [['check'], CHECK_SPEC, [['--format', 'yaml'], /--format must be one of jsonl, json, edn, etcd-log, kv-trace, got "yaml"/]],
  [['doc'], DOC_SPEC, undefined],
  [['serve'], SERVE_SPEC, [['--port', '99999'], /--port must be an integer from 0 to 65535, got "99999"/]],
  [['demo'], DEMO_SPEC, [['--rate', 'fast'], /--rate must be a number, got "fast"/]],
  [['replay'], REPLAY_SPEC, undefined],
];

/** A value a row accepts: its default, or one that fits its placeholder. */
const sample = (r: OptionRow<unknown>) => r.def ?? ({ NUM: '3', N: '3', INT: '3', SECONDS: '7', MS: '5', 'K/N': '1/2', 'N[n]': '2n', MODEL: 'set', FORMAT: 'edn', TYPE: 'uniform', FAULTS: 'kill', SPECS: 'one', SPEC: 'line', EXPECTED: '0.5', RATE: '2', MILLIS: '4' } as Record<string, string>)[r.arg!] ?? 'x';

/** The parse of argv by a spec, or its error message. */
const outcome = (spec: CommandSpec<unknown>, argv: string[]) => {
  try {
    return parseOptions(spec, argv).draft;
  } catch (e) {
    if (e instanceof OptionError) return e.message;
    throw e;
  }
};

/** A misspelling of a name: its third and fourth letters swapped, or its last letter doubled. */
const misspell = (s: string) => (s.length >= 4 ? s.slice(0, 2) + s[3] + s[2] + s.slice(4) : s + s.at(-1));

describe.each(COMMANDS)('gyre %s', (words, spec, bad) => {
  const rows = rowsOf(spec as CommandSpec<unknown>).filter((r) => !r.hidden);
  const valued = rows.filter((r) => r.arg !== undefined && r.set !== null);

  it('--help prints the help made from its table, with every default, and exits 0', async () => {
    const r = await gyre(...words, '--help');
    expect(r.code).toBe(0);
    expect(r.out).toBe(helpText(spec));
    const blocks = r.out.split(/\n(?= {2}(?:-\w, | {4})--)/);
    for (const row of rows) {
      const block = blocks.find((b) => b.startsWith(`  ${row.short ? `-${row.short}, ` : '    '}--${row.long}${row.arg ? ` ${row.arg}` : ''} `) || b.startsWith(`  ${row.short ? `-${row.short}, ` : '    '}--${row.long}${row.arg ? ` ${row.arg}` : ''}\n`));
      expect(block, `--${row.long} in the help`).toBeDefined();
      const def = row.def ?? row.defText;
      if (def !== undefined) expect(block!.replace(/\s+/g, ' '), `--${row.long}'s default`).toContain(`[default: ${def}]`);
    }
  });

  it('--version prints the CLI package version and exits 0', async () => {
    expect(await gyre(...words, '--version')).toEqual({ code: 0, out: `gyre ${VERSION}\n`, err: '' });
  });

  it('every default in the table is a valid value, and giving it changes nothing', () => {
    const none = outcome(spec, []);
    expect(typeof none).toBe('object');
    for (const r of rows.filter((r) => r.def !== undefined)) expect([r.long, outcome(spec, [`--${r.long}`, r.def!])]).toEqual([r.long, none]);
  });

  it('reads --x=v and --x v (and -x v) alike', () => {
    expect(valued.length).toBeGreaterThan(0);
    for (const r of valued) {
      const v = sample(r);
      const spaced = outcome(spec, [`--${r.long}`, v]);
      expect([r.long, outcome(spec, [`--${r.long}=${v}`])]).toEqual([r.long, spaced]);
      if (r.short) expect([r.long, outcome(spec, [`-${r.short}`, v])]).toEqual([r.long, spaced]);
    }
  });

  it('an unknown option: exit 254, naming it and the nearest option', async () => {
    const target = valued.find((r) => r.long.length >= 5) ?? valued[0]!;
    const wrong = misspell(target.long);
    const r = await gyre(...words, `--${wrong}`, sample(target));
    expect(r.code).toBe(254);
    expect(r.err).toContain(`Unknown option: "--${wrong}"; did you mean "--${target.long}"?`);
    expect(r.err).toContain(`Run \`gyre ${words.join(' ')} --help\` for every option.`);
  });

  it('a missing value: exit 254, naming the option', async () => {
    const r = await gyre(...words, `--${valued.at(-1)!.long}`);
    expect(r.code).toBe(254);
    expect(r.err).toContain(`Missing argument for "--${valued.at(-1)!.long}" (${valued.at(-1)!.arg})`);
  });

  it.runIf(bad)('a bad value: exit 254 with what was wrong', async () => {
    const r = await gyre(...words, ...bad![0]);
    expect(r.code).toBe(254);
    expect(r.err).toMatch(bad![1]);
  });
});

describe('gyre', () => {
  it('--version and --help', async () => {
    expect(await gyre('--version')).toEqual({ code: 0, out: `gyre ${VERSION}\n`, err: '' });
    const help = await gyre('--help');
    expect(help.code).toBe(0);
    for (const c of ['analyze', 'check', 'demo', 'doc', 'replay', 'serve', 'sim', 'test']) expect(help.out).toContain(`  gyre ${c}`);
  });

  it('a misspelt command: exit 254 with the nearest command', async () => {
    for (const [typed, meant] of [['tset', 'test'], ['chekc', 'check'], ['analyse', 'analyze'], ['serv', 'serve']]) {
      const r = await gyre(typed!, '-w', 'echo');
      expect(r.code).toBe(254);
      expect(r.err).toContain(`Unknown command: "${typed}"; did you mean "${meant}"?`);
    }
    const far = await gyre('frobnicate');
    expect(far.code).toBe(254);
    expect(far.err).toMatch(/Unknown command: "frobnicate"\n$/);
    expect((await gyre()).code).toBe(254);
  });

  it('a misspelt workload, topology, fault or model: exit 254 with the nearest name', async () => {
    const cases: [string[], string][] = [
      [['test', '--bin', process.execPath, '-w', 'broadcats'], 'Unknown workload "broadcats"; did you mean "broadcast"? Expected one of: broadcast, echo,'],
      [['sim', '--node', './x.ts', '-w', 'unique-id'], 'Unknown workload "unique-id"; did you mean "unique-ids"?'],
      [['test', '--topology', 'tre'], '--topology must be one of grid, line, total, tree, tree2, tree3, tree4, got "tre"; did you mean "tree"?'],
      [['test', '--nemesis', 'partiton'], '--nemesis: unknown fault "partiton"; expected one or more of partition, kill, pause; did you mean "partition"?'],
      [['test', '--latency-dist', 'exponental'], 'did you mean "exponential"?'],
      [['check', '-m', 'list-apend', 'h.edn'], 'Unknown model "list-apend": expected one of'],
      [['check', '-m', 'list-apend', 'h.edn'], '; did you mean "list-append"?'],
      [['check', '-f', 'jsnol', 'h.edn'], 'did you mean "jsonl"?'],
    ];
    for (const [argv, message] of cases) {
      const r = await gyre(...argv);
      expect([argv, r.code]).toEqual([argv, 254]);
      expect(r.err).toContain(message);
    }
  });

  it('gyre sim --nodes-file on a missing file: exit 254 with the message gyre test gives (it crashed with exit 255)', async () => {
    const sim = await gyre('sim', '--node', './x.ts', '--nodes-file', 'missing-nodes.txt');
    const test = await gyre('test', '--bin', process.execPath, '--nodes-file', 'missing-nodes.txt');
    expect(sim.code).toBe(254);
    expect(test.code).toBe(254);
    expect(sim.err).toMatch(/^--nodes-file \S*missing-nodes\.txt: cannot read it \(ENOENT\)\n/);
    expect(sim.err.split('\n')[0]).toBe(test.err.split('\n')[0]);
  });

  it('gyre sim --seeds with a --seed that is not an integer: exit 254 (it was 255)', async () => {
    const r = await gyre('sim', '--node', './x.ts', '--seeds', '3', '--seed', 'abc');
    expect(r.code).toBe(254);
    expect(r.err).toContain('With --seeds, --seed is the first seed: an integer, got "abc"');
  });

  it('gyre check: an option for other models names every option of its kind', async () => {
    const elle = await gyre('check', '-m', 'cas-register', '-c', 'serializable', 'h.edn');
    expect(elle.code).toBe(254);
    expect(elle.err).toContain('--consistency-models, --anomalies and --cycle-search-timeout apply to the Elle models (list-append, rw-register), not to cas-register.');
    expect((await gyre('check', '-m', 'set', '--time-limit', '5', 'h.edn')).err).toContain('--time-limit and --explain apply to the linearizability models, not to set.');
    expect((await gyre('check', '-m', 'set', '-g', '2', 'h.edn')).err).toContain('--group-size applies to --model long-fork only.');
    expect((await gyre('check', '-m', 'set', '-n', 'h.edn')).err).toContain('--allow-negative-balances, --total-amount and --accounts apply to --model bank only.');
    expect((await gyre('check', '-m', 'bank', '--negative-balances', 'nope.edn')).err).toMatch(/^nope\.edn: no such file/);
  });

  it('gyre demo refuses --bin and --workload, which each demo chooses', async () => {
    for (const argv of [['--bin', 'x'], ['-w', 'echo'], ['--workload=echo']]) {
      const r = await gyre('demo', ...argv);
      expect(r.code).toBe(254);
      expect(r.err).toContain('gyre demo chooses --bin and --workload itself');
    }
    expect((await gyre('demo', '--help')).out).not.toMatch(/^ +(-w, )?--(bin|workload)/m);
  });

  it('gyre replay takes one run directory', async () => {
    expect((await gyre('replay')).err).toContain('Expected the RUN_DIR of a recorded run');
    const two = await gyre('replay', 'a', 'b');
    expect(two.code).toBe(254);
    expect(two.err).toContain('Expected one RUN_DIR, got "a" and "b"');
  });

  it('commands without words refuse them, suggesting the option they look like', async () => {
    const r = await gyre('serve', 'port', '9000');
    expect(r.code).toBe(254);
    expect(r.err).toContain('Unexpected argument "port" (gyre serve takes only options); did you mean "--port"?');
  });
});
