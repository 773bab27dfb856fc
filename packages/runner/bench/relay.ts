/**
 * The ceiling for the router benchmark: the least a harness can do to relay JSON lines between
 * Node processes through pipes. It spawns the same flood nodes, reads their STDOUT, parses each
 * line with JSON.parse (to find `dest`, and as the least validation a router must do), splices
 * in an `"id"`, and writes each node's lines in one batch per event-loop turn. No journal, no
 * history, no envelope checks, no latency, no accounting.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** What a relay run measured. */
export interface RelayResult {
  messages: number;
  seconds: number;
  /** Harness CPU (user + system) in microseconds over the measured window. */
  cpuUs: number;
}

/** Relays a flood between `nodes` flood nodes for `seconds` (after `warmup` seconds) and reports. */
export async function relay(bin: string, nodes: number, inFlight: number, seconds: number, warmup = 1): Promise<RelayResult> {
  const ids = Array.from({ length: nodes }, (_, i) => `n${i}`);
  const procs = new Map<string, ChildProcess>();
  const pending = new Map<string, string[]>();
  let nextId = 0;
  let relayed = 0;
  let flushing = false;
  const flush = () => {
    flushing = false;
    for (const [id, lines] of pending) {
      if (lines.length === 0) continue;
      procs.get(id)!.stdin!.write(lines.join('\n') + '\n');
      pending.set(id, []);
    }
  };
  let inits = 0;
  let started!: () => void;
  const allInit = new Promise<void>((r) => (started = r));
  for (const id of ids) {
    const p = spawn(bin, [String(inFlight)], { stdio: ['pipe', 'pipe', 'inherit'] });
    procs.set(id, p);
    pending.set(id, []);
    p.stdin!.on('error', () => {});
    let rest = '';
    p.stdout!.setEncoding('utf8');
    p.stdout!.on('data', (chunk: string) => {
      const text = rest + chunk;
      let start = 0;
      for (;;) {
        const nl = text.indexOf('\n', start);
        if (nl === -1) break;
        const line = text.slice(start, nl);
        start = nl + 1;
        const m = JSON.parse(line) as { dest: string; body: { type: string } };
        if (m.dest.charCodeAt(0) === 99) {
          if (m.body.type === 'init_ok' && ++inits === nodes) started();
          continue;
        }
        const q = pending.get(m.dest);
        if (q === undefined) continue;
        q.push('{"id":' + nextId++ + ',' + line.slice(1));
        relayed++;
      }
      rest = text.slice(start);
      if (!flushing) {
        flushing = true;
        setTimeout(flush, 0);
      }
    });
  }
  for (const id of ids) {
    procs.get(id)!.stdin!.write(JSON.stringify({ id: nextId++, src: 'c0', dest: id, body: { type: 'init', msg_id: 1, node_id: id, node_ids: ids } }) + '\n');
  }
  await allInit;
  for (const id of ids) procs.get(id)!.stdin!.write(JSON.stringify({ id: nextId++, src: 'c1', dest: id, body: { type: 'flood_start', msg_id: 1 } }) + '\n');
  await new Promise((r) => setTimeout(r, warmup * 1000));
  const m0 = relayed;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const messages = relayed - m0;
  const cpu = process.cpuUsage(c0);
  const elapsed = (performance.now() - t0) / 1000;
  for (const p of procs.values()) p.kill('SIGKILL');
  return { messages, seconds: elapsed, cpuUs: cpu.user + cpu.system };
}
