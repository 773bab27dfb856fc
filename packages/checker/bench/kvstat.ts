import { readFileSync } from 'node:fs';
import { parseKvTrace } from '@gyre/history';
import { stringKv } from '../src/linear/index';
import { prepare } from '../src/linear/prepare';
const h = parseKvTrace(readFileSync(`/work/shared/data/kv/c50-ok.txt`, 'utf8'));
const p = prepare(h, stringKv());
for (const part of p.partitions) {
  const f: Record<string, number> = {};
  for (const o of part.ops) f[o.f] = (f[o.f] ?? 0) + 1;
  // max concurrency
  const ev: [number, number][] = [];
  for (const o of part.ops) { ev.push([o.invPos, 1]); ev.push([o.retPos < 0 ? 1e9 : o.retPos, -1]); }
  ev.sort((a, b) => a[0] - b[0]); let c = 0, m = 0; for (const [, d] of ev) { c += d; m = Math.max(m, c); }
  console.log(part.key, part.ops.length, JSON.stringify(f), 'maxconc', m);
}
