/**
 * Many seeds fast: a simulation run per seed, spread over worker threads (one per core by
 * default), with early stop, shards and summaries that merge.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { runSeed, type SeedResult, type SimSpec } from './spec';
import type { FromWorker, ToWorker } from './worker';

/** Options of {@link sweep}. */
export interface SweepOptions {
  spec: SimSpec;
  /** The seeds to run, in the order they are handed out. */
  seeds: readonly string[];
  /**
   * Worker threads; 0 runs every seed in this thread, one after another.
   * @defaultValue the machine's available parallelism, at most one per seed
   */
  workers?: number;
  /** Hand out no more seeds once one has failed (runs already going finish). @defaultValue false */
  stopOnFailure?: boolean;
  /** Told of every seed's outcome as it comes, with how many have finished. */
  onResult?(result: SeedResult, finished: number): void;
  /** Stops handing out seeds; runs going finish. */
  signal?: AbortSignal;
  /** Compute each run's {@link SeedResult.digest} (costs building and hashing the journal). @defaultValue false */
  digest?: boolean;
}

/** What {@link sweep} resolves with. */
export interface SweepOutcome {
  /** One per seed run, in the order of `seeds`. */
  results: SeedResult[];
  /** True when seeds were left unrun (a failure with `stopOnFailure`, or the signal). */
  stopped: boolean;
  wallSeconds: number;
  workers: number;
}

/** True for a run that did not come out valid (invalid, unknown or crashed). */
export function failed(r: Pick<SeedResult, 'exitCode'>): boolean {
  return r.exitCode !== 0;
}

/** Runs every seed of `o.seeds` and collects their outcomes. */
export async function sweep(o: SweepOptions): Promise<SweepOutcome> {
  const t0 = process.hrtime.bigint();
  const seeds = o.seeds;
  const nWorkers = Math.max(0, Math.min(o.workers ?? availableParallelism(), seeds.length));
  const bySeed = new Map<string, SeedResult>();
  let next = 0;
  let finished = 0;
  let stop = false;
  const take = (): string | undefined => {
    if (stop || o.signal?.aborted || next >= seeds.length) return undefined;
    return seeds[next++];
  };
  const done = (r: SeedResult) => {
    bySeed.set(r.seed, r);
    finished++;
    if (o.stopOnFailure && failed(r)) stop = true;
    o.onResult?.(r, finished);
  };
  const crashed = (seed: string, error: string): SeedResult => ({
    seed,
    valid: 'unknown',
    exitCode: 255,
    crash: error,
    size: { ops: 0, faults: 0, nodes: o.spec.options.nodes.length, seconds: 0, messages: 0 },
    simSeconds: 0,
    wallSeconds: 0,
    analysisSeconds: 0,
    digest: '',
    failures: [],
    invalid: [],
  });

  if (nWorkers === 0) {
    for (let s = take(); s !== undefined; s = take()) {
      try {
        done(await runSeed(o.spec, s, { digest: o.digest === true }));
      } catch (e) {
        done(crashed(s, String((e as Error)?.stack ?? e)));
      }
    }
  } else {
    await Promise.all(Array.from({ length: nWorkers }, () => runWorker(o.spec, o.digest === true, take, done, crashed)));
  }
  const results = seeds.filter((s) => bySeed.has(s)).map((s) => bySeed.get(s)!);
  return { results, stopped: results.length < seeds.length, wallSeconds: Number(process.hrtime.bigint() - t0) / 1e9, workers: nWorkers };
}

function spawnWorker(spec: SimSpec, digest: boolean): Worker {
  const self = import.meta.url;
  if (self.endsWith('.ts')) {
    // From sources: a JavaScript bootstrap registers tsx, then loads the TypeScript worker.
    const entry = new URL('./worker.ts', self).href;
    const execArgv = process.execArgv.includes('--conditions=@gyre/source') ? process.execArgv : [...process.execArgv, '--conditions=@gyre/source'];
    return new Worker(new URL('./boot.mjs', self), { workerData: { gyreSimWorker: true, spec, digest, entry }, execArgv });
  }
  return new Worker(new URL('./worker.js', self), { workerData: { gyreSimWorker: true, spec, digest } });
}

function runWorker(spec: SimSpec, digest: boolean, take: () => string | undefined, done: (r: SeedResult) => void, crashed: (seed: string, error: string) => SeedResult): Promise<void> {
  return new Promise<void>((resolve) => {
    const w = spawnWorker(spec, digest);
    let current: string | undefined;
    let over = false;
    const finish = () => {
      if (over) return;
      over = true;
      void w.terminate();
      resolve();
    };
    const feed = () => {
      current = take();
      if (current === undefined) return finish();
      w.postMessage({ type: 'run', seed: current } satisfies ToWorker);
    };
    w.on('message', (m: FromWorker) => {
      if (m.type === 'result') done(m.result);
      else done(crashed(m.seed, m.error));
      feed();
    });
    w.on('error', (e) => {
      if (current !== undefined) done(crashed(current, `the worker thread failed: ${e.stack ?? e}`));
      current = undefined;
      finish();
    });
    w.on('exit', () => {
      if (!over && current !== undefined) done(crashed(current, 'the worker thread exited'));
      finish();
    });
    w.on('online', feed);
  });
}

/** Seeds `first`, `first + 1`, …: `count` of them, as strings. */
export function seedRange(first: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(first + i));
}

/**
 * Shard `index` (1-based) of `total` of a range of `count` seeds starting at `first`, the way
 * Playwright splits tests: contiguous blocks whose sizes differ by at most one, the larger first.
 */
export function shardRange(first: number, count: number, index: number, total: number): { first: number; count: number } {
  if (!Number.isInteger(total) || total < 1) throw new RangeError(`shard total must be a positive integer, got ${total}`);
  if (!Number.isInteger(index) || index < 1 || index > total) throw new RangeError(`shard index must be 1..${total}, got ${index}`);
  const base = Math.floor(count / total);
  const extra = count % total;
  const i = index - 1;
  const start = first + i * base + Math.min(i, extra);
  return { first: start, count: base + (i < extra ? 1 : 0) };
}
