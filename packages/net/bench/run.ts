/**
 * Router throughput, in process: 25 participants flood each other through the router on a real
 * clock. Every delivery triggers one new send (from the receiver to the next participant in turn,
 * with the raw JSON text a node would have printed, so the id-splicing fast path is used) until
 * the target count is reached. The journal sink measures each chunk's UTF-8 length (which
 * flattens it, as writing it to a file would). Reports messages routed per second end to end,
 * harness CPU per message (process.cpuUsage: all threads, GC helpers included) and garbage
 * collections, against a baseline: the same flood through a bare FIFO with no router at all.
 *
 *   pnpm bench                       # 2,000,000 messages per scenario, 1,000 and 10,000 in flight
 *   pnpm bench -- 500000             # fewer messages
 *   NET_BENCH_ONLY=journal pnpm bench   # only scenarios whose name contains "journal"
 */
import { seededRandom, type Clock, type TimerHandle } from '@gyre/history';
import type { Message } from '@gyre/protocol';
import { cpus, loadavg } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { createRouter, JournalTally, readJournal, type RouterOptions } from '../src/index';

const N = Number(process.argv[2] ?? 2_000_000);
const PARTICIPANTS = 25;

/** Garbage collections seen (count and total pause, ms). */
const gc = { count: 0, ms: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gc.count++;
    gc.ms += e.duration;
  }
}).observe({ entryTypes: ['gc'] });

/** A real clock as the runner would make one: hrtime nanoseconds; a 0 ms timer is setImmediate. */
function realClock(): Clock {
  const origin = process.hrtime.bigint();
  type Handle = { imm?: NodeJS.Immediate; tmo?: NodeJS.Timeout };
  return {
    now: () => Number(process.hrtime.bigint() - origin),
    setTimeout(fn, ms): TimerHandle {
      return ms <= 0 ? { imm: setImmediate(fn) } : { tmo: setTimeout(fn, ms) };
    },
    clearTimeout(h) {
      const x = h as Handle;
      if (x.imm) clearImmediate(x.imm);
      if (x.tmo) clearTimeout(x.tmo);
    },
  };
}

const ids = Array.from({ length: PARTICIPANTS }, (_, i) => `n${i}`);
/** Per (src, dest): the message object and the raw line a node would print. */
const wire: { m: Message; raw: string }[][] = ids.map((src) =>
  ids.map((dest) => {
    const raw = `{"src":"${src}","dest":"${dest}","body":{"type":"gossip","message":1234567,"seen":[1,2,3]}}`;
    return { m: JSON.parse(raw) as Message, raw };
  }),
);

interface Run {
  seconds: number;
  cpuUs: number;
  journalBytes: number;
}

/**
 * The flood through the router; `window` messages in flight per participant. With `outside`, a
 * delivery does not send directly: its reply waits in an outbox that a separate setImmediate
 * callback drains, as the runner's STDOUT handlers would (each send then reads the clock).
 */
function flood(window: number, opts: Partial<RouterOptions>, outside = false): Promise<Run> {
  return new Promise((resolve) => {
    let journalBytes = 0;
    const router = createRouter({
      clock: realClock(),
      random: seededRandom('bench'),
      ...opts,
      ...(opts.journal ? { journal: (chunk: string) => (journalBytes += Buffer.byteLength(chunk)) } : {}),
    });
    let sent = 0;
    let delivered = 0;
    let lineChars = 0;
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const finish = () => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const cpu = process.cpuUsage(c0);
      router.close();
      if (router.stats().delivered !== N || router.pending() !== 0 || lineChars === 0) throw new Error('bench: lost messages');
      resolve({ seconds, cpuUs: cpu.user + cpu.system, journalBytes });
    };
    let outbox: { m: Message; raw: string }[] = [];
    const drain = () => {
      const out = outbox;
      outbox = [];
      for (const w of out) router.send(w.m, w.raw);
    };
    ids.forEach((id, i) => {
      let k = 1;
      router.register(id, (_m, line) => {
        lineChars += line.length;
        if (++delivered === N) return finish();
        if (sent < N) {
          const w = wire[i]![(i + k) % PARTICIPANTS]!;
          k = k === PARTICIPANTS - 1 ? 1 : k + 1;
          sent++;
          if (!outside) router.send(w.m, w.raw);
          else if (outbox.push(w) === 1) setImmediate(drain);
        }
      });
    });
    for (let r = 0; r < window; r++) {
      for (let i = 0; i < PARTICIPANTS && sent < N; i++) {
        const w = wire[i]![(i + 1 + r) % PARTICIPANTS]!;
        sent++;
        router.send(w.m, w.raw);
      }
    }
  });
}

/** The baseline: the same flood through a bare FIFO drained on setImmediate, no router. */
function bare(window: number): Promise<Run> {
  return new Promise((resolve) => {
    let q: { dest: number; line: string }[] = [];
    let armed = false;
    let sent = 0;
    let delivered = 0;
    let lineChars = 0;
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const ks = ids.map(() => 1);
    const turn = () => {
      armed = false;
      const cur = q;
      q = [];
      for (const x of cur) deliver(x.dest, x.line);
    };
    const put = (src: number, dest: number) => {
      sent++;
      q.push({ dest, line: wire[src]![dest]!.raw });
      if (!armed) {
        armed = true;
        setImmediate(turn);
      }
    };
    const deliver = (i: number, line: string) => {
      lineChars += line.length;
      if (++delivered === N) {
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        const cpu = process.cpuUsage(c0);
        if (lineChars === 0) throw new Error('unreachable');
        resolve({ seconds, cpuUs: cpu.user + cpu.system, journalBytes: 0 });
        return;
      }
      if (sent < N) {
        const k = ks[i]!;
        ks[i] = k === PARTICIPANTS - 1 ? 1 : k + 1;
        put(i, (i + k) % PARTICIPANTS);
      }
    };
    for (let r = 0; r < window; r++) for (let i = 0; i < PARTICIPANTS && sent < N; i++) put(i, (i + 1 + r) % PARTICIPANTS);
  });
}

async function measure(name: string, run: () => Promise<Run>, base?: number): Promise<number> {
  const before = { ...gc };
  const r = await run();
  await new Promise((res) => setTimeout(res, 20));
  const rate = N / r.seconds;
  const cols = [
    name.padEnd(46),
    `${(rate / 1e6).toFixed(2).padStart(6)} M msgs/s`,
    `${((r.cpuUs / N) * 1000).toFixed(0).padStart(5)} ns CPU/msg`,
    `${String(gc.count - before.count).padStart(4)} GCs ${(gc.ms - before.ms).toFixed(0).padStart(5)} ms`,
    r.journalBytes ? `journal ${(r.journalBytes / N).toFixed(0)} B/msg` : '',
    base ? `${(rate / base).toFixed(2)}× baseline` : '',
  ];
  console.log(cols.filter(Boolean).join('  '));
  return rate;
}

/** Re-reading a journal: a 500,000-message flood's journal (a million events) through readJournal and a tally. */
async function reread(): Promise<void> {
  const chunks: string[] = [];
  const M = 500_000;
  await new Promise<void>((resolve) => {
    const router = createRouter({ clock: realClock(), random: seededRandom('bench'), journal: (c) => chunks.push(c) });
    let sent = 0;
    let delivered = 0;
    ids.forEach((id, i) => {
      let k = 1;
      router.register(id, () => {
        if (++delivered === M) {
          router.close();
          resolve();
        } else if (sent < M) {
          sent++;
          const w = wire[i]![(i + k) % PARTICIPANTS]!;
          k = k === PARTICIPANTS - 1 ? 1 : k + 1;
          router.send(w.m, w.raw);
        }
      });
    });
    for (let r = 0; r < 40; r++) for (let i = 0; i < PARTICIPANTS; i++, sent++) router.send(wire[i]![(i + 1 + r) % PARTICIPANTS]!.m, wire[i]![(i + 1 + r) % PARTICIPANTS]!.raw);
  });
  const text = chunks.join('');
  const lines = text.split('\n');
  const c0 = process.cpuUsage();
  const tally = new JournalTally();
  for (const ev of readJournal(lines)) tally.add(ev);
  const cpu = process.cpuUsage(c0);
  const s = (cpu.user + cpu.system) / 1e6;
  console.log(
    `\njournal re-read: ${tally.events.toLocaleString('en')} events (${(text.length / 1e6).toFixed(0)} MB) parsed and tallied in ${s.toFixed(2)} s CPU, ${(tally.events / s / 1e6).toFixed(2)} M events/s`,
  );
}

async function main() {
  const only = process.env['NET_BENCH_ONLY'];
  console.log(`node ${process.version}, ${cpus().length}× ${cpus()[0]?.model ?? '?'}, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log(`${PARTICIPANTS} participants, ${N.toLocaleString('en')} messages per scenario`);
  await flood(40, { journal: () => {} });
  const scenarios: [string, Partial<RouterOptions>, boolean?][] = [
    ['router, zero latency, journal on', { journal: () => {} }],
    ['router, zero latency, no journal', {}],
    ['router, uniform 1 ms latency, journal on', { journal: () => {}, latency: { mean: 1, dist: 'uniform' } }],
    ['router, sends from I/O callbacks, journal on', { journal: () => {} }, true],
  ];
  for (const window of [40, 400]) {
    console.log(`\n${window * PARTICIPANTS} messages in flight`);
    const base = await measure('baseline: bare FIFO, no router', () => bare(window));
    for (const [name, opts, outside] of scenarios) if (!only || name.includes(only)) await measure(name, () => flood(window, opts, outside), base);
  }
  if (!only || only === 'reread') await reread();
}

void main();
