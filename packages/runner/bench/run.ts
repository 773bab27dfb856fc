/**
 * The router benchmark end to end (issue 3): 25 real node processes flood each other through
 * Gyre (`runTest` with a tiny `flood` workload: no client operations, `--rate 0`, the journal on),
 * and through the least possible relay harness (relay.ts), on the same machine in the same run.
 * Reports messages routed per second end to end, the harness's CPU per message, and the ratio.
 *
 *   pnpm bench                 # 25 nodes, 16 messages in flight per node, 10 s each
 *   pnpm bench -- 20 50        # 20 s each, 50 in flight per node
 *   node --cpu-prof --conditions=@gyre/source --import tsx bench/run.ts 10 16 gyre   # profile Gyre only
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineRpc } from '@gyre/protocol';
import { defineWorkload } from '@gyre/workloads';
import { runTest, type RunStatus } from '../src/index';
import { relay } from './relay';

const SECONDS = Number(process.argv[2] ?? 10);
const IN_FLIGHT = Number(process.argv[3] ?? 16);
const ONLY = process.argv[4];
const NODES = 25;
const bin = join(import.meta.dirname, 'flood-node.mjs');

const FLOOD_START = defineRpc({ name: 'flood_start', doc: 'Starts the flood.', request: {}, response: {} });

const flood = defineWorkload({
  name: 'flood',
  doc: 'Benchmark only: nodes flood each other; no client operations.',
  rpcs: [FLOOD_START],
  async setup(ctx) {
    await Promise.all(ctx.options.nodes.map((n) => ctx.rpcOnce(n, FLOOD_START, {})));
  },
  generator: () => null,
  client: {
    invoke: async () => ({ type: 'ok' }),
  },
  check: () => ({ 'valid?': true }),
});

interface Measured {
  messages: number;
  seconds: number;
  cpuUs: number;
}

/** Runs Gyre on the flood; measures the steady state from the live status (every 250 ms), skipping the first second. */
async function gyre(): Promise<Measured & { journalBytes: number }> {
  const store = mkdtempSync(join(tmpdir(), 'gyre-bench-'));
  const samples: { t: number; delivered: number; cpu: number }[] = [];
  let delivered = 0;
  const r = await runTest({
    workload: flood,
    options: {
      nodes: Array.from({ length: NODES }, (_, i) => `n${i}`),
      concurrency: 1,
      rate: 0,
      timeLimit: SECONDS + 1,
      latency: 0,
      topology: 'grid',
      keyCount: undefined,
      maxTxnLength: 4,
      maxWritesPerKey: 16,
      consistencyModels: [],
      availability: undefined,
      nemesis: [],
      seed: '1',
    },
    bin,
    binArgs: [String(IN_FLIGHT)],
    latencyDist: 'constant',
    nemesisInterval: 10,
    recoveryTime: 0,
    seed: '1',
    store,
    argv: [],
    reporter: {
      info: () => {},
      warn: (m) => console.error('WARN', m),
      status: (s: RunStatus) => {
        if (s.phase !== 'main') return;
        delivered += s.msgsPerSecond / 4;
        const c = process.cpuUsage();
        samples.push({ t: performance.now(), delivered, cpu: c.user + c.system });
      },
    },
  });
  if (r.crash) throw new Error(r.crash);
  const { statSync } = await import('node:fs');
  const journalBytes = statSync(join(r.dir, 'net-journal', 'journal.jsonl')).size;
  rmSync(store, { recursive: true, force: true });
  const from = samples.find((s) => s.t >= samples[0]!.t + 1000)!;
  const to = samples.at(-1)!;
  return { messages: to.delivered - from.delivered, seconds: (to.t - from.t) / 1000, cpuUs: to.cpu - from.cpu, journalBytes };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const row = (name: string, m: Measured) =>
  `${name.padEnd(28)} ${fmt(m.messages / m.seconds).padStart(10)} msgs/s  ${(m.cpuUs / m.messages).toFixed(2).padStart(6)} µs CPU/msg  (${fmt(m.messages)} in ${m.seconds.toFixed(1)} s)`;

console.log(`# router benchmark: ${NODES} flood nodes, ${IN_FLIGHT} in flight each, ${SECONDS} s measured`);
console.log(`# ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
let ceiling: Measured | undefined;
if (ONLY !== 'gyre') {
  ceiling = await relay(bin, NODES, IN_FLIGHT, SECONDS);
  console.log(row('relay ceiling (relay.ts)', ceiling));
}
if (ONLY !== 'relay') {
  const g = await gyre();
  console.log(row('gyre (runTest, journal on)', g) + `  journal ${(g.journalBytes / g.messages).toFixed(0)} B/msg`);
  if (ceiling) console.log(`ratio gyre / ceiling: ${((g.messages / g.seconds / (ceiling.messages / ceiling.seconds)) * 100).toFixed(0)}%`);
}
console.log(`# load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
