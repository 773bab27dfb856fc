/**
 * End to end: `gyre sim` (one seed, many seeds, shards, shrinking, `--test-count`), `gyre sim merge`
 * and `gyre replay`, through the built CLI; and, in this process (where a test can say stderr is a
 * terminal), what a sweep shows as it goes.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTCOME } from '../src/outcome';
import { simCommand } from '../src/sim';
import { example, gyre, jsonRunLog, repo, textRunLog } from './helpers';

const node = (name: string) => join(repo, 'examples/nodes', `${name}.ts`);
const dirOf = (stdout: string, label: RegExp) => {
  const m = label.exec(stdout);
  if (!m) throw new Error(`no ${label} in:\n${stdout}`);
  return m[1]!.trim();
};

describe('gyre sim', () => {
  it('runs a TypeScript node under virtual time; the seed replays byte for byte', async () => {
    const args = ['sim', '-w', 'echo', '--node', node('echo'), '--node-count', '3', '--time-limit', '30', '--seed', '5', '--check-determinism'];
    const a = await gyre(args);
    expect(a.stdout).toContain(OUTCOME.valid);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/determinism: the seed ran twice with identical histories and journals/);
    expect(Number(/simulated (\d+\.\d) s in/.exec(a.stdout)?.[1])).toBeGreaterThan(29);
    for (const f of ['history.jsonl', 'history.txt', 'results.json', 'net-journal/journal.jsonl', 'node-logs/n0.log', 'messages.html', 'test.json']) {
      expect(existsSync(join(a.latest, f)), f).toBe(true);
    }
    const b = await gyre(args);
    expect(readFileSync(join(b.latest, 'history.jsonl'), 'utf8')).toBe(readFileSync(join(a.latest, 'history.jsonl'), 'utf8'));
    expect(readFileSync(join(b.latest, 'net-journal/journal.jsonl'), 'utf8')).toBe(readFileSync(join(a.latest, 'net-journal/journal.jsonl'), 'utf8'));
    const replay = await gyre(['replay', a.latest, '--store', a.store]);
    expect(replay.stdout).toMatch(/identical: same history and journal/);
    expect(replay.code).toBe(0);
  });

  it('sweeps seeds on worker threads, reports the smallest failing one, shards merge, and shrinking finds two colliding ids', async () => {
    const base = ['sim', '-w', 'unique-ids', '--node', node('unique-ids-colliding'), '--node-count', '3', '--time-limit', '3', '--rate', '1'];
    const all = await gyre([...base, '--seeds', '6', '--workers', '2', '--shrink']);
    expect(all.code).toBe(1);
    expect(all.stdout).toContain(OUTCOME.invalid);
    const smallest = dirOf(all.stdout, /smallest failing seed: (\d+)/);
    expect(all.stdout).toMatch(/seeds: 6 run: \d+ passed, \d+ invalid/);
    expect(all.stdout).toMatch(/shrunk in \d+ runs: \d+ → 2 operations/);
    const shrunkDir = dirOf(all.stdout, /smallest failing run: (\S+)/);
    expect(existsSync(join(shrunkDir, 'messages.html'))).toBe(true);
    expect(all.stdout).toMatch(/reproduce it: gyre sim -w unique-ids .*--node-count 2 /);

    const one = await gyre([...base, '--seeds', '6', '--shard', '1/2', '--workers', '0', '--summary', join(all.store, 'a.json')]);
    const two = await gyre([...base, '--seeds', '6', '--shard', '2/2', '--workers', '0', '--summary', join(all.store, 'b.json')]);
    expect([one.code, two.code].sort()).toContain(1);
    // --out in a directory that does not exist yet: made, as for --summary and --junit.
    const out = join(all.store, 'merged', 'all.json');
    const merged = await gyre(['sim', 'merge', join(all.store, 'a.json'), join(all.store, 'b.json'), '--out', out]);
    expect(merged.stdout).toMatch(/seeds: 6 run/);
    expect(merged.stdout).toContain(`summary: ${out}\n`);
    expect(dirOf(merged.stdout, /smallest failing seed: (\d+)/)).toBe(smallest);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ ran: 6, smallestFailing: smallest });
  });

  it('gyre sim merge --out: a path that cannot be written is exit 254 before anything is merged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-sim-merge-'));
    try {
      writeFileSync(join(dir, 'a.json'), '{}');
      const r = await gyre(['sim', 'merge', join(dir, 'a.json'), '--out', dir]);
      expect(r.code).toBe(254);
      expect(r.stderr).toContain(`--out ${dir}: ${dir} is a directory, not a file. Choose another with --out FILE.`);
      expect(r.stdout).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a module that says nothing about how to install a node', async () => {
    const r = await gyre(['sim', '-w', 'echo', '--node', join(repo, 'examples/lib/txn.ts'), '--time-limit', '1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/default export/);
  });
});

describe('gyre replay of a gyre test run', () => {
  it('gives fresh processes the recorded messages and finds the same output', async () => {
    const t = await gyre(['test', '-w', 'unique-ids', '--bin', example('unique-ids'), '--node-count', '3', '--time-limit', '3', '--rate', '20', '--seed', '9']);
    expect(t.code).toBe(0);
    const r = await gyre(['replay', t.latest, '--store', t.store]);
    expect(r.stdout).toMatch(/identical: every node wrote what it wrote in the recorded run/);
    expect(r.code).toBe(0);
    const dirs = readdirSync(join(t.store, 'unique-ids')).filter((d) => /^\d/.test(d));
    expect(dirs.length).toBe(2);
  });
});

/** The run directories of `workload` in a store, oldest first, with the seed each ran. */
const runsIn = (store: string, workload: string) =>
  readdirSync(join(store, workload))
    .filter((d) => d !== 'latest')
    .sort()
    .map((d) => ({ dir: join(store, workload, d), seed: (JSON.parse(readFileSync(join(store, workload, d, 'test.json'), 'utf8')) as { seed: unknown }).seed }));

describe('gyre sim --test-count, as gyre test --test-count', () => {
  const echo = (name: string) => ['sim', '-w', 'echo', '--node', node(name), '--node-count', '1', '--time-limit', '2', '--rate', '5'];

  it('runs N times, on the seeds SEED, SEED+1, ..., each recorded as one run, each a JUnit case', async () => {
    const junit = join(mkdtempSync(join(tmpdir(), 'gyre-sim-count-')), 'junit.xml');
    const r = await gyre([...echo('echo'), '--seed', '10', '--test-count', '3', '--junit', junit]);
    expect(r.code).toBe(0);
    expect(runsIn(r.store, 'echo').map((x) => x.seed)).toEqual(['10', '11', '12']);
    expect(r.stdout.match(/^reproduce: gyre sim .* --seed (\d+) /gm)?.map((l) => /--seed (\d+)/.exec(l)![1])).toEqual(['10', '11', '12']);
    expect(r.stdout.split(OUTCOME.valid)).toHaveLength(4);
    expect(readFileSync(junit, 'utf8').match(/<testcase name="echo #\d"/g)).toEqual(['<testcase name="echo #1"', '<testcase name="echo #2"', '<testcase name="echo #3"']);
  });

  it('stops at the first run that is not valid, with its exit code', async () => {
    const r = await gyre([...echo('echo-wrong'), '--seed', '10', '--test-count', '3']);
    expect(r.code).toBe(1);
    expect(runsIn(r.store, 'echo').map((x) => x.seed)).toEqual(['10']);
    expect(r.stdout).toContain(OUTCOME.invalid);
  });

  it('--logging-json: gyre.log as JSON lines {time, level, thread, message}, entry for entry the text log of the same seed', async () => {
    const text = await gyre([...echo('echo-wrong'), '--seed', '10']);
    const json = await gyre([...echo('echo-wrong'), '--seed', '10', '--logging-json']);
    for (const r of [text, json]) expect(r.code).toBe(1);
    const entries = jsonRunLog(readFileSync(join(json.latest, 'gyre.log'), 'utf8'));
    for (const e of entries) expect(Object.keys(e)).toEqual(['time', 'level', 'thread', 'message']);
    // Virtual time since the start of the run, the same in both: the seed replays.
    expect(entries.every((e) => /^\d\d:\d\d:\d\d,\d{3}$/.test(String(e['time'])))).toBe(true);
    const dirless = (es: readonly { message?: unknown }[]) => es.map((e) => ({ ...e, message: String(e.message).replace(/; store: \S+$/, '; store: DIR') }));
    expect(dirless(entries)).toEqual(dirless(textRunLog(readFileSync(join(text.latest, 'gyre.log'), 'utf8'))));
    expect(entries.filter((e) => e['thread'] === 'worker 0').length).toBeGreaterThan(10);
  });

  it('refuses a gyre test option it cannot honour: exit 254, nothing run', async () => {
    const r = await gyre([...echo('echo'), '--log-net-send']);
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/^gyre sim does not take --log-net-send: every message is in the run directory's net-journal\/journal\.jsonl, and messages\.html draws them\.\n\nRun `gyre sim --help` for every option\.\n$/);
    expect(readdirSync(r.store)).toEqual([]);
  });
});

describe("gyre sim --seeds and gyre test's --progress, --no-progress, --keep-node-dirs", () => {
  /** Runs `gyre sim` in this process, on a terminal or not. */
  const sim = async (args: string[], isTTY: boolean) => {
    const store = mkdtempSync(join(tmpdir(), 'gyre-sim-sweep-'));
    let stdout = '';
    let stderr = '';
    const io = { out: (s: string) => (stdout += s), err: (s: string) => (stderr += s), isTTY, cwd: repo };
    const code = await simCommand(['--store', store, '-w', 'echo', '--node-count', '1', '--time-limit', '1', '--rate', '5', '--seeds', '3', '--workers', '0', ...args], io);
    return { code, stdout, stderr, store };
  };
  const counted = /\r\x1b\[2K3\/3 seeds, 0 failed/;

  it('a terminal shows the live count of seeds; --no-progress shows none', async () => {
    const shown = await sim(['--node', node('echo')], true);
    expect(shown.code).toBe(0);
    expect(shown.stderr).toMatch(counted);
    const quiet = await sim(['--node', node('echo'), '--no-progress'], true);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toMatch(/seeds, \d+ failed/);
    expect(quiet.stderr).not.toContain('\x1b');
  });

  it('--progress shows the live count off a terminal too', async () => {
    const plain = await sim(['--node', node('echo')], false);
    expect(plain.stderr).not.toMatch(counted);
    const shown = await sim(['--node', node('echo'), '--progress'], false);
    expect(shown.code).toBe(0);
    expect(shown.stderr).toMatch(counted);
  });

  it('--logging-json: the run the sweep records writes gyre.log as JSON lines', async () => {
    const r = await sim(['--node', node('echo-wrong'), '--logging-json'], false);
    expect(r.code).toBe(1);
    const recorded = dirOf(r.stdout, /smallest failing seed \d+: (\S+)/);
    const entries = jsonRunLog(readFileSync(join(recorded, 'gyre.log'), 'utf8'));
    expect(entries[0]).toMatchObject({ level: 'INFO', thread: 'gyre', message: expect.stringMatching(/^Simulating echo with seed \d+ /) });
    expect(entries.some((e) => e['thread'] === 'worker 0')).toBe(true);
  });

  it('--keep-node-dirs keeps the node directories of the run the sweep records', async () => {
    const r = await sim(['--node', node('echo-wrong'), '--keep-node-dirs'], false);
    expect(r.code).toBe(1);
    const recorded = dirOf(r.stdout, /smallest failing seed \d+: (\S+)/);
    expect(readdirSync(join(recorded, 'node-dirs'))).toEqual(['n0']);
    const without = await sim(['--node', node('echo-wrong')], false);
    expect(existsSync(join(dirOf(without.stdout, /smallest failing seed \d+: (\S+)/), 'node-dirs'))).toBe(false);
  });
});
