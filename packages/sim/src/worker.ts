/**
 * A worker thread of {@link sweep}: loads the spec's workload and node module once, then runs the
 * seeds it is sent, one at a time, answering each with its {@link SeedResult}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runSeed, type SimSpec } from './spec';

/** A message to a worker. */
export type ToWorker = { type: 'run'; seed: string };
/** A message from a worker. */
export type FromWorker = { type: 'result'; result: import('./spec').SeedResult } | { type: 'error'; seed: string; error: string };

const port = parentPort;
if (port && (workerData as { gyreSimWorker?: boolean } | undefined)?.gyreSimWorker) {
  const { spec, digest } = workerData as { spec: SimSpec; digest: boolean };
  port.on('message', (m: ToWorker) => {
    if (m.type !== 'run') return;
    runSeed(spec, m.seed, { digest }).then(
      (result) => port.postMessage({ type: 'result', result } satisfies FromWorker),
      (e: unknown) => port.postMessage({ type: 'error', seed: m.seed, error: String((e as Error)?.stack ?? e) } satisfies FromWorker),
    );
  });
}
