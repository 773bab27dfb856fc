/**
 * Dispatch throughput of @gyre/node: echo requests through `node.receive` to an output function,
 * in-process (no pipes), against a baseline that does only what any node must do per message
 * (JSON.parse, build the reply, JSON.stringify). Run: `pnpm bench` in packages/node.
 */
import { cpus, loadavg } from 'node:os';
import { createNode, WORKLOAD_RPCS } from '../src/index';

const N = 200_000;
const lines = Array.from({ length: N }, (_, i) => JSON.stringify({ id: i, src: 'c1', dest: 'n1', body: { type: 'echo', echo: `Please echo ${i % 128}`, msg_id: i + 1 } }));
const init = JSON.stringify({ src: 'c0', dest: 'n1', body: { type: 'init', node_id: 'n1', node_ids: ['n1'], msg_id: 1 } });

function baseline(): number {
  let bytes = 0;
  for (const line of lines) {
    const m = JSON.parse(line);
    bytes += JSON.stringify({ src: m.dest, dest: m.src, body: { type: 'echo_ok', echo: m.body.echo, in_reply_to: m.body.msg_id } }).length;
  }
  return bytes;
}

async function sdk(typed: boolean): Promise<number> {
  let bytes = 0;
  const node = createNode({ input: [], output: (l) => (bytes += l.length), log: () => {} });
  if (typed) node.handle(WORKLOAD_RPCS.echo[0], (req) => ({ echo: req.echo }));
  else node.on('echo', (msg) => ({ echo: msg.body['echo'] }));
  node.receive(init);
  for (const line of lines) node.receive(line);
  await node.close();
  return bytes;
}

async function time(name: string, f: () => unknown): Promise<number> {
  await f();
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await f();
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  const ms = runs[2]!;
  console.log(`${name.padEnd(28)} ${ms.toFixed(0).padStart(6)} ms  ${Math.round((N / ms) * 1000).toLocaleString('en').padStart(10)} msg/s`);
  return ms;
}

console.log(`node ${process.version}, ${cpus().length} x ${cpus()[0]?.model}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${N} echo messages, median of 5`);
const base = await time('baseline (JSON.parse/stringify)', baseline);
const on = await time('node.on', () => sdk(false));
const typed = await time('node.handle (zod-validated)', () => sdk(true));
console.log(`ratio to baseline: on ${(on / base).toFixed(2)}x, handle ${(typed / base).toFixed(2)}x`);
