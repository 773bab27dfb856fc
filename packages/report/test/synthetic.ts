/**
 * Synthetic broadcast runs for tests and the benchmark: a history, a network journal (in the
 * parsed event shape the report takes) and Maelstrom-shaped results, all from a seed.
 */
import { mkdirSync, writeFileSync, symlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatOpEdn, formatOpJson, formatOpText, prettyEdn, seededRandom, stringifyJson, type Op } from '@gyre/history';
import type { NetEvent } from '../src/lamport';

export interface SyntheticOptions {
  nodes?: number;
  seconds?: number;
  /** Client operations per second. */
  rate?: number;
  seed?: string;
  /** A partition between the two halves of the cluster, in seconds [start, end]. */
  partition?: [number, number];
  /** Broadcast values that a final read misses (makes the run invalid). */
  lose?: number;
  /** Cap on the events (the run stops early). */
  maxEvents?: number;
}

export interface SyntheticRun {
  history: Op[];
  events: NetEvent[];
  results: Record<string, unknown>;
  test: Record<string, unknown>;
  /** History index of the broadcast invocation of each lost value. */
  lostOps: Map<number, number>;
}

interface Msg {
  t: number;
  tr: number | null;
  drop: boolean;
  src: string;
  dest: string;
  body: Record<string, unknown>;
}

export function syntheticBroadcast(o: SyntheticOptions = {}): SyntheticRun {
  const N = o.nodes ?? 25;
  const seconds = o.seconds ?? 20;
  const rate = o.rate ?? 100;
  const rnd = seededRandom(o.seed ?? 'synthetic');
  const nodes = Array.from({ length: N }, (_, i) => `n${i}`);
  const concurrency = Math.max(2, N);
  const msgs: Msg[] = [];
  const ops: { seq: number; time: number; type: Op['type']; process: Op['process']; f: string; value: unknown; error?: unknown }[] = [];
  let seq = 0;
  const msgIds = new Map<string, number>();
  const nextMsgId = (node: string) => {
    const v = (msgIds.get(node) ?? 0) + 1;
    msgIds.set(node, v);
    return v;
  };
  const lat = () => Math.round(rnd.uniform(0.1e6, 4e6));
  const half = (n: string) => Number(n.slice(1)) < N / 2;
  const part = o.partition ? [o.partition[0] * 1e9, o.partition[1] * 1e9] : null;
  const cut = (a: string, b: string, t: number) =>
    part !== null && t >= part[0]! && t < part[1]! && a.startsWith('n') && b.startsWith('n') && half(a) !== half(b);
  const send = (t: number, src: string, dest: string, body: Record<string, unknown>): Msg => {
    const dropped = cut(src, dest, t);
    const m: Msg = { t, tr: dropped ? null : t + lat(), drop: dropped, src, dest, body };
    msgs.push(m);
    return m;
  };
  // init + topology
  for (const n of nodes) {
    const m = send(1000 + nodes.indexOf(n), `c${nodes.indexOf(n)}`, n, { type: 'init', msg_id: 1, node_id: n, node_ids: nodes });
    send(m.tr! + 1000, n, m.src, { type: 'init_ok', in_reply_to: 1 });
  }
  const clientOf = (p: number) => `c${N + p}`;
  const start = 5e6;
  const end = seconds * 1e9;
  const seen: number[] = [];
  let value = 0;
  const lost = new Set<number>();
  const lostOps = new Map<number, number>();
  const gap = (concurrency / rate) * 1e9;
  const procTime = Array.from({ length: concurrency }, () => start + rnd.uniform(0, gap));
  for (;;) {
    let p = 0;
    for (let i = 1; i < concurrency; i++) if (procTime[i]! < procTime[p]!) p = i;
    const t = procTime[p]!;
    if (t >= end) break;
    if (o.maxEvents && msgs.length * 2 >= o.maxEvents) break;
    const node = nodes[rnd.int(N)]!;
    const c = clientOf(p);
    const isBroadcast = rnd.chance(0.5);
    const mid = nextMsgId(c);
    if (isBroadcast) {
      const v = value++;
      const inv = { seq: seq++, time: t, type: 'invoke' as const, process: p, f: 'broadcast', value: v };
      ops.push(inv);
      const req = send(t + 2000, c, node, { type: 'broadcast', message: v, msg_id: mid });
      const arrive = req.tr!;
      for (const other of nodes) {
        if (other === node) continue;
        const g = send(arrive + 1000, node, other, { type: 'gossip', message: v, msg_id: nextMsgId(node) });
        if (g.tr !== null) send(g.tr + 1000, other, node, { type: 'gossip_ok', in_reply_to: g.body['msg_id'] });
      }
      const timeout = rnd.chance(0.01);
      if (timeout) {
        ops.push({ seq: seq++, time: t + 1e9, type: 'info', process: p, f: 'broadcast', value: v, error: 'net-timeout' });
        procTime[p] = t + 1e9 + rnd.exponential(gap);
      } else {
        const rep = send(arrive + 1500, node, c, { type: 'broadcast_ok', in_reply_to: mid });
        ops.push({ seq: seq++, time: rep.tr! + 500, type: 'ok', process: p, f: 'broadcast', value: v });
        procTime[p] = rep.tr! + 500 + rnd.exponential(gap);
      }
      if (o.lose && lost.size < o.lose && v % 7 === 3) {
        lost.add(v);
        lostOps.set(v, inv.seq);
      } else seen.push(v);
    } else {
      ops.push({ seq: seq++, time: t, type: 'invoke', process: p, f: 'read', value: null });
      const req = send(t + 2000, c, node, { type: 'read', msg_id: mid });
      const fails = rnd.chance(0.02);
      const body = fails
        ? { type: 'error', in_reply_to: mid, code: 11, text: 'temporarily unavailable' }
        : { type: 'read_ok', in_reply_to: mid, messages: seen.slice(-40) };
      const rep = send(req.tr! + 800, node, c, body);
      ops.push(fails
        ? { seq: seq++, time: rep.tr! + 300, type: 'fail', process: p, f: 'read', value: null, error: [11, 'temporarily unavailable'] }
        : { seq: seq++, time: rep.tr! + 300, type: 'ok', process: p, f: 'read', value: seen.slice(-40) });
      procTime[p] = rep.tr! + 300 + rnd.exponential(gap);
    }
  }
  if (part) {
    ops.push({ seq: seq++, time: part[0]!, type: 'info', process: 'nemesis', f: 'start-partition', value: 'halves' });
    ops.push({ seq: seq++, time: part[1]!, type: 'info', process: 'nemesis', f: 'stop-partition', value: null });
  }
  const history: Op[] = ops
    .sort((a, b) => a.time - b.time || a.seq - b.seq)
    .map(({ seq: s, ...op }, index) => {
      const out = { ...op, time: Math.round(op.time), index } as Op;
      for (const [v, sq] of lostOps) if (sq === s) lostOps.set(v, index);
      return out;
    });

  // Journal: sends, receives and drops in time order, message ids in send order.
  type Ev = { t: number; k: 0 | 1 | 2; m: Msg; o: number };
  const evs: Ev[] = [];
  msgs.forEach((m, i) => {
    evs.push({ t: m.t, k: 0, m, o: i * 2 });
    if (m.tr !== null) evs.push({ t: m.tr, k: 1, m, o: i * 2 + 1 });
    else if (m.drop) evs.push({ t: m.t, k: 2, m, o: i * 2 + 1 });
  });
  evs.sort((a, b) => a.t - b.t || a.o - b.o);
  const ids = new Map<Msg, number>();
  const events: NetEvent[] = [];
  for (const e of evs) {
    if (o.maxEvents && events.length >= o.maxEvents) break;
    let id = ids.get(e.m);
    if (id === undefined) ids.set(e.m, (id = ids.size));
    const ev: NetEvent = { index: events.length, time: Math.round(e.t), kind: e.k === 0 ? 'send' : e.k === 1 ? 'recv' : 'drop', id };
    if (e.k === 0) ev.message = { src: e.m.src, dest: e.m.dest, body: { ...e.m.body } };
    events.push(ev);
  }
  const count = (type: string) => history.filter((op) => op.type === type && op.process !== 'nemesis').length;
  const invokes = count('invoke');
  const clientMsgs = msgs.filter((m) => m.src.startsWith('c') || m.dest.startsWith('c')).length;
  const serverMsgs = msgs.length - clientMsgs;
  const valid = lost.size === 0;
  const results = {
    perf: { 'latency-graph': { 'valid?': true }, 'rate-graph': { 'valid?': true }, 'valid?': true },
    timeline: { 'valid?': true },
    exceptions: { 'valid?': true },
    stats: { 'valid?': true, count: count('ok') + count('fail') + count('info'), 'ok-count': count('ok'), 'fail-count': count('fail'), 'info-count': count('info') },
    availability: { 'valid?': true, 'ok-fraction': count('ok') / Math.max(1, invokes) },
    net: {
      all: { 'send-count': msgs.length, 'recv-count': msgs.filter((m) => m.tr !== null).length, 'msg-count': msgs.length, 'msgs-per-op': msgs.length / Math.max(1, invokes) },
      clients: { 'send-count': clientMsgs, 'recv-count': clientMsgs, 'msg-count': clientMsgs },
      servers: { 'send-count': serverMsgs, 'recv-count': serverMsgs, 'msg-count': serverMsgs, 'msgs-per-op': serverMsgs / Math.max(1, invokes) },
      'valid?': true,
    },
    workload: {
      'worst-stale': [],
      'duplicated-count': 0,
      'valid?': valid,
      'lost-count': lost.size,
      lost: [...lost],
      'stable-count': value - lost.size,
      'stale-count': 0,
      'stable-latencies': { '0': 0, '0.5': 12, '0.95': 48, '0.99': 97, '1': 153 },
      'attempt-count': value,
      'never-read': [],
      'never-read-count': 0,
      'duplicated': {},
      ...(lost.size ? { 'lost-latencies': { '0': 0, '0.5': 1, '0.95': 2, '0.99': 3, '1': 4 } } : {}),
    },
    'valid?': valid,
  };
  return {
    history,
    events,
    results,
    test: { name: 'broadcast', argv: ['test', '-w', 'broadcast', '--node-count', String(N)], seed: o.seed ?? 'synthetic', nodes, concurrency, startTime: '2026-11-25T12:03:01.972Z' },
    lostOps,
  };
}

/** Writes a run directory in the store's formats; returns its path. */
export function writeRunFixture(store: string, workload: string, time: string, run: Partial<SyntheticRun> & { incomplete?: boolean }): string {
  const dir = join(store, workload, time);
  mkdirSync(join(dir, 'node-logs'), { recursive: true });
  const history = run.history ?? [];
  writeFileSync(join(dir, 'history.jsonl'), history.map((op) => formatOpJson(op) + '\n').join(''));
  writeFileSync(join(dir, 'history.edn'), history.map((op) => formatOpEdn(op) + '\n').join(''));
  writeFileSync(join(dir, 'history.txt'), history.map((op) => formatOpText(op) + '\n').join(''));
  writeFileSync(join(dir, 'gyre.log'), `INFO\t[gyre test runner] gyre: run ${workload} ${time}\n`);
  writeFileSync(join(dir, 'node-logs', 'n0.log'), 'n0 started\n');
  writeFileSync(join(dir, 'test.json'), stringifyJson(run.test ?? { name: workload }));
  if (!run.incomplete && run.results) {
    writeFileSync(join(dir, 'results.json'), stringifyJson(run.results));
    writeFileSync(join(dir, 'results.edn'), prettyEdn(run.results) + '\n');
  }
  return dir;
}

/** Points `store/latest` and `store/<workload>/latest` at a run. */
export function linkLatest(store: string, workload: string, time: string): void {
  for (const [link, target] of [
    [join(store, 'latest'), join(workload, time)],
    [join(store, workload, 'latest'), time],
  ] as const) {
    rmSync(link, { force: true });
    symlinkSync(target, link);
  }
}
