/**
 * Requests per second per service, on a stream of KV requests over a fixed key space:
 * 50% read, 30% write, 20% cas (values 0-4), from 5 requesters, after writing every key once.
 *
 *   pnpm bench            (1,000 keys, then 100,000 keys)
 *
 * Baselines for the KV stores: lin-kv's request handling on a mutable Map (no purity at all) and
 * on a Map copied on every change (purity the naive way). Ratios are against the mutable Map.
 */
import { seededRandom, valuesEqual, type Random } from '@gyre/history';
import type { Body } from '@gyre/protocol';
import { prStr } from '../src/clojure';
import { createService, SERVICE_IDS, type Service, type ServiceRequest } from '../src/index';
import { casMismatch, isKvOp, KEY_MISSING, KV_TYPES, parseKv } from '../src/kv';
import { addReplyTo, errorBody } from '../src/service';

const N = Number(process.env['BENCH_REQUESTS'] ?? 300_000);

function requests(keys: number, n: number, seed: string): ServiceRequest[] {
  const r = seededRandom(seed);
  const out: ServiceRequest[] = [];
  for (let i = 0; i < n; i++) {
    const key = r.int(keys);
    const p = r.next();
    const body: Body =
      p < 0.5 ? { type: 'read', key } : p < 0.8 ? { type: 'write', key, value: r.int(5) } : { type: 'cas', key, from: r.int(5), to: r.int(5) };
    body.msg_id = i;
    out.push({ src: `n${r.int(5)}`, body });
  }
  return out;
}

function preload(keys: number): ServiceRequest[] {
  return Array.from({ length: keys }, (_, key) => ({ src: 'n0', body: { type: 'write', key, value: 0, msg_id: key } }));
}

/** lin-kv's semantics on a plain Map: mutated in place, or copied on every change. */
function baseline(copyOnWrite: boolean): Service<Map<string, unknown>> {
  return {
    id: 'lin-kv',
    types: KV_TYPES,
    init: () => new Map(),
    handle(m, { body }) {
      const op = parseKv('lin-kv', body);
      if (!isKvOp(op)) return [m, addReplyTo(op, body)];
      const cur = m.get(op.k);
      let value: unknown = cur;
      let reply: Body;
      if (op.type === 'read') reply = cur === undefined ? errorBody(20, KEY_MISSING) : { type: 'read_ok', value: cur };
      else if (op.type === 'write') {
        value = op.value;
        reply = { type: 'write_ok' };
      } else if (cur === undefined) reply = errorBody(20, KEY_MISSING);
      else if (!valuesEqual(cur, op.from)) reply = casMismatch(cur, op.from, prStr);
      else {
        value = op.to;
        reply = { type: 'cas_ok' };
      }
      if (value !== cur) {
        const next = copyOnWrite ? new Map(m) : m;
        next.set(op.k, value);
        m = next;
      }
      return [m, addReplyTo(reply, body)];
    },
  };
}

function run(service: Service<any>, warm: ServiceRequest[], reqs: ServiceRequest[], random: Random): number {
  let s = service.init();
  for (const q of warm) s = service.handle(s, q, random)[0];
  const t0 = performance.now();
  for (const q of reqs) s = service.handle(s, q, random)[0];
  return reqs.length / ((performance.now() - t0) / 1000);
}

function median(f: () => number, times = 5): number {
  const xs = Array.from({ length: times }, f).sort((a, b) => a - b);
  return xs[Math.floor(times / 2)]!;
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(12);

for (const keys of [1_000, 100_000]) {
  const warm = preload(keys);
  const reqs = requests(keys, N, `bench-${keys}`);
  const tsoReqs = reqs.map((q) => ({ src: q.src, body: { type: 'ts', msg_id: q.body.msg_id } }));
  console.log(`\n${keys.toLocaleString('en-US')} keys, ${N.toLocaleString('en-US')} requests (median of 5)`);
  const mutable = median(() => run(baseline(false), warm, reqs, seededRandom(1)));
  console.log(`  ${'baseline: mutable Map'.padEnd(28)}${fmt(mutable)} req/s`);
  if (keys <= 1_000) {
    const cow = median(() => run(baseline(true), warm, reqs.slice(0, 20_000), seededRandom(1)), 1);
    console.log(`  ${'baseline: Map copy-on-write'.padEnd(28)}${fmt(cow)} req/s`);
  }
  for (const id of SERVICE_IDS) {
    const rate = median(() => run(createService(id), id === 'lin-tso' ? [] : warm, id === 'lin-tso' ? tsoReqs : reqs, seededRandom(1)));
    console.log(`  ${id.padEnd(28)}${fmt(rate)} req/s   ${(rate / mutable).toFixed(2)}x mutable Map`);
  }
}
