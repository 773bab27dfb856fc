/**
 * Interpreter throughput: invocations per wall-clock second, in virtual time (no real waiting).
 * `pnpm bench` in packages/generator. Prints one line per case.
 */
import { type Op, seededRandom, type TestInfo } from '@gyre/history';
import { any, clients, eachThread, interpret, limit, mix, nemesis, phases, repeat, stagger, untilOk, VirtualClock } from '../src/index';
import type { Context, GenLike } from '../src/index';
import { simulate } from '../src/testing';

const test: TestInfo = { nodes: ['n1', 'n2', 'n3', 'n4', 'n5'], concurrency: 10 };
const threads = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 'nemesis'] as const;
const rw = (ctx: Context) => (ctx.random.chance(0.5) ? { f: 'read' } : { f: 'write', value: ctx.random.int(5) });

function maelstrom(n: number): GenLike {
  return phases(
    limit(
      n,
      any(
        clients(stagger(0.0001, mix([repeat(rw), repeat({ f: 'cas', value: [1, 2] })]))),
        nemesis(stagger(0.5, repeat({ f: 'start-partition', value: 'majority' }))),
      ),
    ),
    clients(eachThread(untilOk({ f: 'read', final: true }))),
  );
}

function time<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, (performance.now() - t0) / 1000];
}

async function timeAsync<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await f();
  return [r, (performance.now() - t0) / 1000];
}

const latency = (op: Op) => 0.001 + (op.index % 13) * 0.0005;
const rate = (h: Op[], s: number) => Math.round(h.filter((op) => op.type === 'invoke').length / s);

const N = Number(process.env['BENCH_OPS'] ?? 200_000);
for (let round = 0; round < 2; round++) {
  const [h1, s1] = time(() =>
    simulate(clients(limit(N, repeat({ f: 'read' }))), { test, threads, random: seededRandom(1), latency, maxOps: Infinity }),
  );
  const [h2, s2] = time(() =>
    simulate(maelstrom(N), { test, threads, random: seededRandom(1), latency, maxOps: Infinity, maxTime: Infinity }),
  );
  const clock = new VirtualClock({ autoAdvance: true });
  const [r3, s3] = await timeAsync(() =>
    interpret({
      generator: maelstrom(N / 4),
      clock,
      random: seededRandom(1),
      test,
      threads,
      record: () => {},
      keepHistory: true,
      invoke: (_t, op) => new Promise((res) => clock.setTimeout(() => res({ ...op, type: 'ok' }), latency(op) * 1000)),
    }),
  );
  if (round === 0) continue; // warm-up
  console.log(`simulate, repeat template, 10 threads: ${rate(h1, s1)} ops/s (${N} ops)`);
  console.log(`simulate, maelstrom-shaped (stagger+mix+any+nemesis+final eachThread): ${rate(h2, s2)} ops/s (${N} ops)`);
  console.log(`interpret on auto-advancing VirtualClock, same generator: ${rate(r3.history, s3)} ops/s (${N / 4} ops)`);
}
