/**
 * `gyre sim --seeds N --shard auto`: which block of the seeds this machine runs, read from the
 * environment of the job engine that started it. Each engine numbers its parallel jobs its own way:
 *
 * | engine | index | total | first index |
 * |---|---|---|---|
 * | Kubernetes Indexed Job | `JOB_COMPLETION_INDEX` | none: pass it, `--shard auto/N` (N = `completions`) | 0 |
 * | GitLab CI (`parallel:`) | `CI_NODE_INDEX` | `CI_NODE_TOTAL` | 1 |
 * | CircleCI (`parallelism:`) | `CIRCLE_NODE_INDEX` | `CIRCLE_NODE_TOTAL` | 0 |
 * | Buildkite (`parallelism:`) | `BUILDKITE_PARALLEL_JOB` | `BUILDKITE_PARALLEL_JOB_COUNT` | 0 |
 *
 * GitHub Actions has no such variables: a matrix passes `--shard K/N` itself.
 */

/** A shard: the `index`-th (from 1) of `total` contiguous blocks of the seeds. */
export interface Shard {
  index: number;
  total: number;
  /** Where it came from, for the console: `GitLab (CI_NODE_INDEX=2, CI_NODE_TOTAL=4)`. */
  source?: string;
}

/** How one engine names its job's index and total. */
interface Engine {
  name: string;
  index: string;
  total?: string;
  /** The number of the first job: 0 or 1. */
  base: 0 | 1;
}

/** The engines `--shard auto` knows, in the order they are looked for. */
const SHARD_ENGINES: readonly Engine[] = [
  { name: 'Kubernetes Indexed Job', index: 'JOB_COMPLETION_INDEX', base: 0 },
  { name: 'GitLab', index: 'CI_NODE_INDEX', total: 'CI_NODE_TOTAL', base: 1 },
  { name: 'CircleCI', index: 'CIRCLE_NODE_INDEX', total: 'CIRCLE_NODE_TOTAL', base: 0 },
  { name: 'Buildkite', index: 'BUILDKITE_PARALLEL_JOB', total: 'BUILDKITE_PARALLEL_JOB_COUNT', base: 0 },
];

/** `--shard auto` could not be resolved: the message says what was missing or wrong, and where. */
export class ShardError extends Error {
  override name = 'ShardError';
}

function integer(name: string, v: string): number {
  if (!/^\s*\d+\s*$/.test(v)) throw new ShardError(`--shard auto: ${name}=${JSON.stringify(v)} is not a non-negative integer.`);
  return Number(v);
}

/**
 * The shard of this job from `env`: the one engine whose index variable is set. `total` is the
 * total given on the command line (`--shard auto/N`): required for Kubernetes, which does not put
 * it in the environment, and checked against the engine's own otherwise. Throws a
 * {@link ShardError} when no engine's variables are set, when two engines' are, or when the values
 * are out of range.
 */
export function shardFromEnv(env: Readonly<Record<string, string | undefined>>, total?: number): Shard {
  const set = (k: string | undefined) => k !== undefined && env[k] !== undefined && env[k] !== '';
  const found = SHARD_ENGINES.filter((e) => set(e.index));
  if (found.length === 0) {
    // A GitLab job without `parallel:` has CI_NODE_TOTAL=1 and no index: the whole range.
    if (env['CI_NODE_TOTAL'] === '1' && (total === undefined || total === 1)) return { index: 1, total: 1, source: 'GitLab (CI_NODE_TOTAL=1, a job without parallel:)' };
    const looked = SHARD_ENGINES.map((e) => `${e.index} (${e.name})`).join(', ');
    throw new ShardError(`--shard auto: no job index in the environment (looked for ${looked}). Run it as a parallel job of one of these engines, or say the shard: --shard K/N.`);
  }
  if (found.length > 1) {
    throw new ShardError(`--shard auto: the environment names jobs of ${found.map((e) => `${e.name} (${e.index}=${env[e.index]})`).join(' and ')}; say which with --shard K/N.`);
  }
  const e = found[0]!;
  const raw = integer(e.index, env[e.index]!);
  let n: number;
  let source = `${e.name} (${e.index}=${env[e.index]}`;
  if (e.total === undefined) {
    if (total === undefined) {
      throw new ShardError(`--shard auto: ${e.index}=${env[e.index]} (${e.name}) gives this job's index but not how many jobs there are; pass it: --shard auto/N, with N the Job's completions.`);
    }
    n = total;
    source += `, --shard auto/${total})`;
  } else {
    if (!set(e.total)) throw new ShardError(`--shard auto: ${e.index} is set (${e.name}) but ${e.total} is not.`);
    n = integer(e.total, env[e.total]!);
    if (total !== undefined && total !== n) throw new ShardError(`--shard auto/${total}: ${e.name} says ${e.total}=${n}; the totals must agree.`);
    source += `, ${e.total}=${env[e.total]})`;
  }
  if (n < 1) throw new ShardError(`--shard auto: the number of jobs must be at least 1, got ${n} (${source}).`);
  const index = raw - e.base + 1;
  if (index < 1 || index > n) throw new ShardError(`--shard auto: ${e.index}=${raw} is out of range for ${n} jobs (${e.name} counts from ${e.base}).`);
  return { index, total: n, source };
}
