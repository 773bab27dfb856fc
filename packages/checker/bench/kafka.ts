/**
 * Benchmark of the Kafka checker on a generated history.
 *
 *   node --conditions=@gyre/source --import tsx bench/kafka.ts [operations] [seed]
 *
 * Simulates Maelstrom's kafka workload against a correct single log: 10 client threads, 10 keys
 * picked with an exponential bias, half sends and half polls, an assign every ~64 ops, a crash
 * every ~100 ops (new process, fresh client), 1% of sends timing out (half of them applied),
 * then a final phase in which every thread crashes, assigns all keys from the beginning and
 * polls until it has seen everything. Operations overlap (up to one per thread).
 */
import { seededRandom, type Op } from '@gyre/history';
import { kafka } from '../src/kafka';

const TARGET = Number(process.argv[2] ?? 100_000);
const SEED = process.argv[3] ?? 'kafka-bench';
const THREADS = 10;
const KEYS = 10;

function generate(target: number, seed: string): Op[] {
  const r = seededRandom(seed);
  const history: Op[] = [];
  const logs: unknown[][] = Array.from({ length: KEYS }, () => []);
  const nextValue = new Array<number>(KEYS).fill(1);
  let time = 0;
  let ops = 0;
  interface Thread {
    process: number;
    offsets: Map<string, number>;
    pending?: { f: string; value: unknown; apply: () => { type: Op['type']; value: unknown } };
  }
  const threads: Thread[] = Array.from({ length: THREADS }, (_, i) => ({ process: i, offsets: new Map() }));
  const emit = (t: Thread, type: Op['type'], f: string, value: unknown, extra: Record<string, unknown> = {}) => {
    time += Math.floor(r.exponential(200_000));
    history.push({ index: history.length, time, type, process: t.process, f, value, ...extra });
  };
  const pickKey = () => {
    let k = 0;
    while (k < KEYS - 1 && r.chance(0.5)) k++;
    return k;
  };
  const pollNow = (t: Thread, batch = 5) => {
    const msgs: Record<string, [number, unknown][]> = {};
    for (const [k, off] of t.offsets) {
      const log = logs[Number(k)]!;
      const got: [number, unknown][] = [];
      for (let o = off; o < log.length && got.length < batch; o++) got.push([o, log[o]]);
      if (got.length > 0) {
        msgs[k] = got;
        t.offsets.set(k, got[got.length - 1]![0] + 1);
      }
    }
    return msgs;
  };
  const invoke = (t: Thread, final: boolean) => {
    ops++;
    if (final) {
      if (t.offsets.size === 0) {
        emit(t, 'invoke', 'assign', Array.from({ length: KEYS }, (_, k) => String(k)), { 'seek-to-beginning?': true });
        t.pending = {
          f: 'assign',
          value: null,
          apply: () => {
            for (let k = 0; k < KEYS; k++) t.offsets.set(String(k), 0);
            return { type: 'ok', value: Array.from({ length: KEYS }, (_, k) => String(k)) };
          },
        };
      } else {
        emit(t, 'invoke', 'poll', [['poll']]);
        t.pending = { f: 'poll', value: null, apply: () => ({ type: 'ok', value: [['poll', pollNow(t, 1000)]] }) };
      }
      return;
    }
    const x = r.next();
    if (x < 0.01) {
      emit(t, 'invoke', 'crash', null);
      t.pending = { f: 'crash', value: null, apply: () => ({ type: 'info', value: null }) };
    } else if (x < 0.01 + 1 / 64) {
      const keys = [...new Set([pickKey(), pickKey()])].map(String);
      emit(t, 'invoke', 'assign', keys);
      t.pending = {
        f: 'assign',
        value: keys,
        apply: () => {
          const next = new Map<string, number>();
          for (const k of keys) next.set(k, t.offsets.get(k) ?? 0);
          t.offsets = next;
          return { type: 'ok', value: keys };
        },
      };
    } else if (r.chance(0.5)) {
      const k = pickKey();
      const v = nextValue[k]!++;
      emit(t, 'invoke', 'send', [['send', String(k), v]]);
      t.pending = {
        f: 'send',
        value: null,
        apply: () => {
          const timeout = r.chance(0.01);
          if (timeout && r.chance(0.5)) return { type: 'info', value: [['send', String(k), v]] };
          logs[k]!.push(v);
          if (timeout) return { type: 'info', value: [['send', String(k), v]] };
          return { type: 'ok', value: [['send', String(k), [logs[k]!.length - 1, v]]] };
        },
      };
    } else {
      emit(t, 'invoke', 'poll', [['poll']]);
      t.pending = { f: 'poll', value: null, apply: () => ({ type: 'ok', value: [['poll', pollNow(t)]] }) };
    }
  };
  const complete = (t: Thread) => {
    const p = t.pending!;
    t.pending = undefined;
    const { type, value } = p.apply();
    emit(t, type, p.f, value, type === 'info' && p.f === 'send' ? { error: 'net-timeout' } : {});
    if (type === 'info') {
      t.process += THREADS;
      t.offsets = new Map();
    }
  };
  // Main phase: leave room for the final polls.
  const mainTarget = target - THREADS * 20;
  while (ops < mainTarget) {
    const t = threads[r.int(THREADS)]!;
    if (t.pending) complete(t);
    else invoke(t, false);
  }
  for (const t of threads) if (t.pending) complete(t);
  // Final phase: crash, assign from the beginning, poll until caught up.
  for (const t of threads) {
    ops++;
    emit(t, 'invoke', 'crash', null);
    t.pending = { f: 'crash', value: null, apply: () => ({ type: 'info', value: null }) };
    complete(t);
  }
  const caughtUp = (t: Thread) => t.offsets.size === KEYS && [...t.offsets].every(([k, o]) => o >= logs[Number(k)]!.length);
  let busy = true;
  while (busy) {
    busy = false;
    for (const t of threads) {
      if (caughtUp(t)) continue;
      busy = true;
      invoke(t, true);
      complete(t);
    }
  }
  return history;
}

const history = generate(TARGET, SEED);
const invocations = history.filter((op) => op.type === 'invoke').length;
console.log(`history: ${invocations} operations, ${history.length} entries (seed ${SEED})`);
const runs: number[] = [];
const cpu: number[] = [];
let result = kafka(history);
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  result = kafka(history);
  const c = process.cpuUsage(c0);
  runs.push(performance.now() - t0);
  cpu.push((c.user + c.system) / 1000);
}
runs.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
console.log(`kafka(): wall median ${runs[2]!.toFixed(0)} ms (min ${runs[0]!.toFixed(0)}, max ${runs[4]!.toFixed(0)}); CPU median ${cpu[2]!.toFixed(0)} ms; 5 runs after 1 warm-up`);
console.log(`valid ${String(result.valid)}, error types: ${JSON.stringify(result.errorTypes)}`);
