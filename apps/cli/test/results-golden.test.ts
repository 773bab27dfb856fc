/**
 * Golden results: the bytes of results.json and results.edn (and lin-kv's per-key results) of
 * deterministic `gyre sim` runs of every workload, valid and invalid (planted bugs), and the
 * `gyre check --json` output of every model on histories with known verdicts. Both come from the
 * one result serializer (`toWire` in @gyre/checker): a change to a result key shows here as a
 * diff. The files under golden/ were first written by the code before the serializer existed, so
 * they prove that it writes results byte for byte as before.
 *
 * Nothing here depends on wall-clock time: `gyre sim` runs in virtual time and its results carry no
 * wall-clock figures (no `perf.generator-lag`, which only `gyre test` records). Left out: invalid
 * lin-kv runs whose explanation outgrows its 1-second budget (raft's `--stale-lease` seed 4), since
 * a shrunk stretch cut short by the clock differs run to run.
 *
 * `GYRE_UPDATE_GOLDEN=1` rewrites the files (then review the diff).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main';
import { repo, sharedData } from './helpers';

const GOLDEN = join(import.meta.dirname, 'golden');
const UPDATE = process.env['GYRE_UPDATE_GOLDEN'] === '1';
const node = (name: string) => join(repo, 'examples/nodes', `${name}.ts`);

/** Runs `gyre ARGS` in this process, on the sources. */
async function gyre(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (s) => (stdout += s), err: (s) => (stderr += s), isTTY: false, cwd: repo });
  return { code, stdout, stderr };
}

/** Compares `text` with the golden file `path` (relative to golden/), or rewrites it. */
function golden(path: string, text: string): void {
  const full = join(GOLDEN, path);
  if (UPDATE) {
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
    return;
  }
  expect(existsSync(full), `golden file ${path} is missing (GYRE_UPDATE_GOLDEN=1 writes it)`).toBe(true);
  // Compared as text so that a failure shows the diff.
  expect(text, path).toBe(readFileSync(full, 'utf8'));
}

/** One `gyre sim` run per workload and verdict; every one with seed 7 unless it names its own. */
const SIMS: [name: string, args: string[]][] = [
  ['echo-valid', ['-w', 'echo', '--node', node('echo'), '--node-count', '1', '--time-limit', '5']],
  ['echo-invalid', ['-w', 'echo', '--node', node('echo-wrong'), '--node-count', '1', '--time-limit', '5']],
  ['unique-ids-valid', ['-w', 'unique-ids', '--node', node('unique-ids'), '--node-count', '3', '--time-limit', '5', '--rate', '20', '--nemesis', 'partition']],
  ['unique-ids-invalid', ['-w', 'unique-ids', '--node', node('unique-ids-colliding'), '--node-count', '3', '--time-limit', '5', '--rate', '20']],
  ['broadcast-valid', ['-w', 'broadcast', '--node', node('broadcast'), '--node-count', '5', '--time-limit', '10', '--rate', '10', '--nemesis', 'partition']],
  ['broadcast-invalid', ['-w', 'broadcast', '--node', node('broadcast-naive'), '--node-count', '5', '--time-limit', '10', '--rate', '10', '--nemesis', 'partition']],
  ['g-set-valid', ['-w', 'g-set', '--node', node('g-set'), '--node-count', '3', '--time-limit', '5', '--rate', '10', '--nemesis', 'partition']],
  ['g-counter-valid', ['-w', 'g-counter', '--node', node('g-counter-seqkv'), '--node-count', '3', '--time-limit', '5', '--rate', '20', '--nemesis', 'partition']],
  ['g-counter-invalid', ['-w', 'g-counter', '--node', node('counter-amnesiac'), '--node-count', '3', '--time-limit', '5', '--rate', '20', '--nemesis', 'kill', '--nemesis-interval', '1']],
  ['pn-counter-valid', ['-w', 'pn-counter', '--node', node('pn-counter'), '--node-count', '3', '--time-limit', '5', '--rate', '10', '--nemesis', 'partition']],
  ['pn-counter-invalid', ['-w', 'pn-counter', '--node', node('counter-double'), '--node-count', '3', '--time-limit', '5', '--rate', '10']],
  ['kafka-valid', ['-w', 'kafka', '--node', node('kafka'), '--node-count', '1', '--concurrency', '2n', '--time-limit', '5', '--rate', '50']],
  ['kafka-linkv-valid', ['-w', 'kafka', '--node', node('kafka-linkv'), '--node-count', '2', '--concurrency', '2n', '--time-limit', '5', '--rate', '50', '--nemesis', 'partition']],
  ['kafka-invalid', ['-w', 'kafka', '--node', node('kafka-dup-offset'), '--node-count', '1', '--concurrency', '2n', '--time-limit', '5', '--rate', '30']],
  ['lin-kv-valid', ['-w', 'lin-kv', '--node', node('raft'), '--node-count', '3', '--concurrency', '2n', '--time-limit', '10', '--rate', '20', '--nemesis', 'partition']],
  ['lin-kv-invalid', ['-w', 'lin-kv', '--node', node('lin-kv-stale-cache'), '--node-count', '3', '--concurrency', '2n', '--time-limit', '10', '--rate', '20']],
  ['lin-kv-availability', ['-w', 'lin-kv', '--node', node('raft'), '--node-count', '3', '--concurrency', '2n', '--time-limit', '10', '--rate', '20', '--nemesis', 'partition', '--availability', 'total']],
  ['txn-list-append-valid', ['-w', 'txn-list-append', '--node', node('txn-list-append'), '--node-count', '3', '--time-limit', '5', '--rate', '20']],
  ['txn-list-append-invalid', ['-w', 'txn-list-append', '--node', node('txn-list-append-replicated'), '--node-count', '3', '--time-limit', '10', '--rate', '20', '--nemesis', 'partition']],
  [
    'txn-rw-register-valid',
    ['-w', 'txn-rw-register', '--node', node('txn-rw-register'), '--node-count', '2', '--concurrency', '2n', '--time-limit', '5', '--rate', '50', '--consistency-models', 'read-committed', '--availability', 'total', '--nemesis', 'partition'],
  ],
  ['txn-rw-register-strict', ['-w', 'txn-rw-register', '--node', node('txn-rw-register'), '--node-count', '2', '--concurrency', '2n', '--time-limit', '5', '--rate', '50', '--nemesis', 'partition']],
];

/** `gyre sim` argument lists: the seed goes before a `--` that starts the node's own arguments. */
function simArgs(args: string[], store: string): string[] {
  const dash = args.indexOf('--');
  const own = dash < 0 ? args : args.slice(0, dash);
  const rest = dash < 0 ? [] : args.slice(dash);
  return ['sim', ...own, ...(own.includes('--seed') ? [] : ['--seed', '7']), '--store', store, ...rest];
}

/** The history files of the runs, for the `gyre check` cases below. */
const histories = new Map<string, string>();

describe('golden results of gyre sim runs', () => {
  for (const [name, args] of SIMS) {
    it(name, async () => {
      const store = mkdtempSync(join(tmpdir(), 'gyre-golden-'));
      const r = await gyre(simArgs(args, store));
      expect(r.code, r.stderr).toBe(name.includes('valid') && !name.includes('invalid') ? 0 : 1);
      const latest = join(store, 'latest');
      histories.set(name, join(latest, 'history.jsonl'));
      for (const f of ['results.json', 'results.edn']) golden(`results/${name}/${f}`, readFileSync(join(latest, f), 'utf8'));
      const independent = join(latest, 'independent');
      if (existsSync(independent)) {
        for (const k of readdirSync(independent).sort()) {
          for (const f of ['results.json', 'results.edn']) golden(`results/${name}/independent/${k}/${f}`, readFileSync(join(independent, k, f), 'utf8'));
        }
      }
    });
  }
});

/** Every model of `gyre check`, valid and invalid: hand-written histories, the shared data, and histories of the runs above. */
const CHECKS: [model: string, args: string[], files: string[]][] = [
  ...['cas-register', 'register', 'mutex', 'multi-register', 'fifo-queue', 'unordered-queue', 'lin-kv', 'list-append', 'rw-register', 'set', 'set-full', 'counter', 'bank'].map(
    (m): [string, string[], string[]] => [m, [], [`check/${m}-valid.jsonl`, `check/${m}-invalid.jsonl`]],
  ),
  ['long-fork', ['--group-size', '2'], ['check/long-fork-valid.jsonl', 'check/long-fork-invalid.jsonl']],
  ['kv', [], ['data:kv/c01-ok.txt', 'data:kv/c01-bad.txt']],
  ['cas-register', [], ['data:etcd/etcd_000.log', 'data:etcd/etcd_002.log']],
  ['list-append', [], ['data:elle/paper-example.edn']],
  ['list-append', ['-c', 'snapshot-isolation,repeatable-read'], ['data:elle/si-without-g-single.edn']],
  ['counter', [], ['run:g-counter-invalid', 'run:pn-counter-valid']],
  ['set-full', [], ['run:broadcast-invalid', 'run:g-set-valid']],
  ['lin-kv', [], ['run:lin-kv-invalid']],
  ['list-append', [], ['run:txn-list-append-invalid']],
  ['rw-register', [], ['run:txn-rw-register-strict']],
  ['rw-register', ['-c', 'read-committed'], ['run:txn-rw-register-valid']],
];

describe('golden output of gyre check --json', () => {
  it('prints every model’s result with Jepsen’s key names', async () => {
    const out: string[] = [];
    for (const [model, args, files] of CHECKS) {
      const paths = files.map((f) => {
        if (f.startsWith('data:')) return join(sharedData(), f.slice(5));
        if (f.startsWith('run:')) {
          const h = histories.get(f.slice(4));
          if (!h) throw new Error(`run ${f.slice(4)} has not run (run the whole file)`);
          return h;
        }
        return join(GOLDEN, f);
      });
      const r = await gyre(['check', '-m', model, ...args, '--json', ...paths]);
      expect([0, 1], r.stderr).toContain(r.code);
      // File names are machine-specific: keep the name given in the table.
      r.stdout
        .trim()
        .split('\n')
        .forEach((line, i) => out.push(line.replace(JSON.stringify(paths[i]), JSON.stringify(files[i]))));
    }
    golden('check.jsonl', out.join('\n') + '\n');
  });
});
