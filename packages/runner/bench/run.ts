/**
 * The router benchmark end to end (issue 3): 25 real node processes flood each other through
 * Gyre (`runTest` with a tiny `flood` workload: no client operations, `--rate 0`, the journal on),
 * and through the least possible relay harness (relay.ts), on the same machine in the same run.
 * Reports messages routed per second end to end, the harness's CPU per message, and the ratio.
 *
 * Throughput on a shared machine swings with everyone else's load, so the two alternate, several
 * times, and the report gives the best and the median of each; CPU per message is steadier.
 *
 *   pnpm bench                        # 5 s per run, 400 messages in flight per node, 5 runs of each
 *   pnpm bench -- 8 100 3             # 8 s per run, 100 in flight per node, 3 runs of each
 *   pnpm bench -- garbage [S] [N]     # the error path's benchmark alone (garbage.ts)
 *
 * After the router benchmark, the error path's (garbage.ts: a node flooding bad lines).
 *   node --cpu-prof --conditions=@gyre/source --import tsx bench/run.ts 8 400 1 gyre   # profile Gyre only
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineRpc } from '@gyre/protocol';
import { defineWorkload } from '@gyre/workloads';
import { runTest, type RunStatus } from '../src/index';
import { garbageBench } from './garbage';
import { benchRun } from './options';
import { relay } from './relay';

// `pnpm bench -- 8 100 3` passes the `--` on.
const argv = process.argv.slice(2).filter((a, i) => i > 0 || a !== '--');
if (argv[0] === 'garbage') {
  await garbageBench(Number(argv[1] ?? 10), Number(argv[2] ?? 3));
  process.exit(0);
}
const SECONDS = Number(argv[0] ?? 5);
const IN_FLIGHT = Number(argv[1] ?? 400);
const REPS = Number(argv[2] ?? 5);
const ONLY = argv[3];
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
  check: () => ({ valid: true }),
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
  const r = await runTest(
    benchRun({
      workload: flood,
      options: { nodes: Array.from({ length: NODES }, (_, i) => `n${i}`), concurrency: 1, rate: 0, timeLimit: SECONDS + 1 },
      bin,
      binArgs: [String(IN_FLIGHT)],
      store,
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
    }),
  );
  if (r.crash) throw new Error(r.crash);
  const { statSync } = await import('node:fs');
  const journalBytes = statSync(join(r.dir, 'net-journal', 'journal.jsonl')).size;
  rmSync(store, { recursive: true, force: true });
  const from = samples.find((s) => s.t >= samples[0]!.t + 1000)!;
  const to = samples.at(-1)!;
  return { messages: to.delivered - from.delivered, seconds: (to.t - from.t) / 1000, cpuUs: to.cpu - from.cpu, journalBytes };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const rate = (m: Measured) => m.messages / m.seconds;
const cpu = (m: Measured) => m.cpuUs / m.messages;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary = (name: string, ms: Measured[]) => {
  const rates = ms.map(rate);
  const cpus = ms.map(cpu);
  return `${name.padEnd(28)} best ${fmt(Math.max(...rates)).padStart(9)} msgs/s, median ${fmt(median(rates)).padStart(9)}   CPU/msg best ${Math.min(...cpus).toFixed(2)} µs, median ${median(cpus).toFixed(2)} µs   (${ms.length} runs)`;
};

console.log(`# router benchmark: ${NODES} flood nodes, ${IN_FLIGHT} in flight each, ${SECONDS} s measured per run, ${REPS} runs of each, alternating`);
console.log(`# ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const relays: Measured[] = [];
const gyres: Measured[] = [];
for (let i = 0; i < REPS; i++) {
  if (ONLY !== 'gyre') {
    const m = await relay(bin, NODES, IN_FLIGHT, SECONDS);
    relays.push(m);
    console.log(`  relay  ${fmt(rate(m)).padStart(9)} msgs/s  ${cpu(m).toFixed(2)} µs CPU/msg   load ${loadavg()[0]!.toFixed(2)}`);
  }
  if (ONLY !== 'relay') {
    const m = await gyre();
    gyres.push(m);
    console.log(`  gyre   ${fmt(rate(m)).padStart(9)} msgs/s  ${cpu(m).toFixed(2)} µs CPU/msg   load ${loadavg()[0]!.toFixed(2)}   journal ${(m.journalBytes / m.messages).toFixed(0)} B/msg`);
  }
}
if (relays.length) console.log(summary('relay ceiling (relay.ts)', relays));
if (gyres.length) console.log(summary('gyre (runTest, journal on)', gyres));
if (relays.length && gyres.length) {
  console.log(`ratio gyre / ceiling: best ${((Math.max(...gyres.map(rate)) / Math.max(...relays.map(rate))) * 100).toFixed(0)}%, median ${((median(gyres.map(rate)) / median(relays.map(rate))) * 100).toFixed(0)}%; CPU per message ${(median(gyres.map(cpu)) / median(relays.map(cpu))).toFixed(1)}× the relay's`);
}
console.log(`# load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

await garbageBench(10, 3);
