/**
 * docs/ci.md's examples, run: the GitHub Actions matrix workflow and the Kubernetes Indexed Job.
 * The test reads their YAML from the page, derives the command each shard would run (the matrix's
 * values; the index Kubernetes puts in the environment and into `$(JOB_COMPLETION_INDEX)`), runs
 * them here, runs the merge step the way the workflow and the second Job do, and checks the merged
 * summary equals one unsharded sweep of the same seeds.
 *
 * What differs from the page, so that it runs in seconds: 24 seeds instead of 100,000, the example
 * node broadcast-naive (which fails on most seeds under partitions, so there are failing seeds to
 * merge) on 3 nodes for 4 s, in this process (`--workers 0`); the paths are moved into a temporary
 * directory.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main';
import { repo } from './helpers';
import { parseJUnit, validateJUnit } from './junit-schema';

const SEEDS = 24;
const page = readFileSync(join(repo, 'docs/ci.md'), 'utf8');

/** The YAML block after `<!-- ci-example: NAME -->`. */
function example(name: string): string {
  const m = new RegExp(`<!-- ci-example: ${name} -->\\n\`\`\`yaml\\n([\\s\\S]*?)\\n\`\`\``).exec(page);
  if (!m) throw new Error(`docs/ci.md has no ci-example ${name}`);
  return m[1]!;
}

/** `npx gyre ARGS` as the argument list after `gyre`. */
function gyreArgs(words: string[]): string[] {
  expect(words.slice(0, 2)).toEqual(['npx', 'gyre']);
  return words.slice(2);
}

/** A shell line without quotes or variables left, as words; `*` globs expanded in `cwd`. */
function words(line: string, cwd: string): string[] {
  expect(line).not.toMatch(/["'$`]/);
  return line
    .trim()
    .split(/\s+/)
    .flatMap((w) => {
      if (!w.includes('*')) return [w];
      const slash = w.lastIndexOf('/');
      const dir = w.slice(0, slash);
      const re = new RegExp(`^${w.slice(slash + 1).replace(/\./g, '\\.').replace(/\*/g, '.*')}$`);
      return readdirSync(join(cwd, dir))
        .filter((f) => re.test(f))
        .sort()
        .map((f) => `${dir}/${f}`);
    });
}

/** The page's sweep command, made small enough to run here (see the file's comment). */
function small(args: string[], store: string): string[] {
  const out = [...args];
  const set = (flag: string, value: string) => {
    const i = out.indexOf(flag);
    expect(i, `the example's command has ${flag}`).toBeGreaterThan(0);
    out[i + 1] = value;
  };
  set('--node', join(repo, 'examples/nodes/broadcast-naive.ts'));
  set('--node-count', '3');
  set('--time-limit', '4');
  set('--seeds', String(SEEDS));
  expect(out).not.toContain('--workers');
  const store_ = out.indexOf('--store');
  if (store_ < 0) out.push('--store', store);
  return [...out, '--recovery-time', '2', '--workers', '0'];
}

async function gyre(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTTY: false, cwd, env });
  return { code, out, err };
}

interface Summary {
  ran: number;
  passed: number;
  invalid: number;
  unknown: number;
  crashed: number;
  failing: unknown[];
  smallestFailing: string | null;
  stopped: boolean;
  simSeconds: number;
  ranges: { first: number; count: number }[];
  spec: unknown;
}

const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Summary;

/** The merged summary says what one unsharded sweep of the same seeds says. */
function expectSameSweep(merged: Summary, whole: Summary): void {
  const facts = (s: Summary) => ({ ran: s.ran, passed: s.passed, invalid: s.invalid, unknown: s.unknown, crashed: s.crashed, failing: s.failing, smallestFailing: s.smallestFailing, stopped: s.stopped, spec: s.spec });
  expect(facts(merged)).toEqual(facts(whole));
  expect(merged.simSeconds).toBeCloseTo(whole.simSeconds, 6);
  expect(merged.ranges.reduce((n, r) => n + r.count, 0)).toBe(SEEDS);
  expect(whole.ranges).toEqual([{ first: 0, count: SEEDS }]);
  // Some seeds pass and some fail, so that the merge has something to add up.
  expect(whole.passed).toBeGreaterThan(0);
  expect(whole.invalid).toBeGreaterThan(0);
}

/** One unsharded sweep of the same command, for comparison. */
async function unsharded(args: string[], dir: string): Promise<Summary> {
  const a = [...args];
  const shard = a.indexOf('--shard');
  a.splice(shard, 2);
  a.splice(a.indexOf('--summary'), 2, '--summary', join(dir, 'whole.json'));
  a.splice(a.indexOf('--junit'), 2);
  const r = await gyre(a, dir);
  expect(r.code, r.err).toBe(1);
  return read(join(dir, 'whole.json'));
}

describe('docs/ci.md: the GitHub Actions matrix workflow', () => {
  it('its shards, merged as its merge job does, give the summary of one unsharded sweep', async () => {
    const wf = parse(example('github-actions')) as { jobs: { sweep: { strategy: { matrix: { shard: number[] } }; steps: { run?: string }[] }; merge: { needs: string; if: string; steps: { run?: string }[] } } };
    const shards = wf.jobs.sweep.strategy.matrix.shard;
    expect(shards).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const sweepRun = wf.jobs.sweep.steps.map((s) => s.run).find((r) => r?.includes('gyre sim'))!;
    expect(sweepRun).toContain(`--shard \${{ matrix.shard }}/${shards.length}`);
    expect([wf.jobs.merge.needs, wf.jobs.merge.if]).toEqual(['sweep', 'always()']);
    const dir = mkdtempSync(join(tmpdir(), 'gyre-gha-'));
    const store = join(dir, 'store');

    let args: string[] = [];
    let cases = 0;
    for (const shard of shards) {
      args = small(gyreArgs(words(sweepRun.replaceAll('${{ matrix.shard }}', String(shard)), dir)), store);
      const r = await gyre(args, dir);
      expect([0, 1], r.err).toContain(r.code);
      expect(r.err).toContain(`(shard ${shard}/${shards.length})`);
      const junit = readFileSync(join(dir, `junit/shard-${shard}.xml`), 'utf8');
      expect((await validateJUnit(junit)).errors).toEqual([]);
      cases += (await parseJUnit(junit)).testsuite[0]!.tests;
    }
    expect(cases).toBe(SEEDS);

    const mergeRun = wf.jobs.merge.steps.map((s) => s.run).find((r) => r?.includes('gyre sim merge'))!;
    const merged = await gyre(gyreArgs(words(mergeRun, dir)), dir);
    expect(merged.code, merged.err).toBe(1);
    expect(merged.out).toMatch(/smallest failing seed: \d+/);
    expectSameSweep(read(join(dir, 'merged.json')), await unsharded(args, dir));
  });
});

describe('docs/ci.md: the Kubernetes Indexed Job', () => {
  it('its pods, each with its JOB_COMPLETION_INDEX, merged by the second Job, give the summary of one unsharded sweep', async () => {
    const [sweep, merge] = parseAllDocuments(example('kubernetes')).map((d) => d.toJSON()) as {
      kind: string;
      spec: { completionMode?: string; completions?: number; template: { spec: { containers: { command: string[]; workingDir: string }[] } } };
    }[];
    expect([sweep!.kind, sweep!.spec.completionMode]).toEqual(['Job', 'Indexed']);
    const n = sweep!.spec.completions!;
    const container = sweep!.spec.template.spec.containers[0]!;
    expect(container.command).toContain(`auto/${n}`);
    const dir = mkdtempSync(join(tmpdir(), 'gyre-k8s-'));
    mkdirSync(join(dir, 'results'));
    // The volumes: /results (shared by the pods) and the working directory /app, both here.
    const local = (a: string) => a.replace(/^\/results/, join(dir, 'results'));

    let args: string[] = [];
    for (let i = 0; i < n; i++) {
      // Kubernetes sets JOB_COMPLETION_INDEX in the pod's environment and expands $(VAR) in the command.
      const env = { JOB_COMPLETION_INDEX: String(i) };
      const command = container.command.map((a) => a.replaceAll('$(JOB_COMPLETION_INDEX)', env.JOB_COMPLETION_INDEX)).map(local);
      args = small(gyreArgs(command), join(dir, 'store'));
      const r = await gyre(args, dir, env);
      expect([0, 1], r.err).toContain(r.code);
      expect(r.err).toContain(`(shard ${i + 1}/${n} from Kubernetes Indexed Job (JOB_COMPLETION_INDEX=${i}, --shard auto/${n}))`);
    }

    const sh = merge!.spec.template.spec.containers[0]!.command;
    expect(sh.slice(0, 2)).toEqual(['sh', '-c']);
    const mergeArgs = gyreArgs(words(sh[2]!.replaceAll('/results', 'results'), dir)).map((a) => (a.startsWith('results/') ? join(dir, a) : a));
    const merged = await gyre(mergeArgs, dir);
    expect(merged.code, merged.err).toBe(1);
    expectSameSweep(read(join(dir, 'results/merged.json')), await unsharded(args, dir));
  });
});
