import type { Op } from '@gyre/history';
import { linearizable, register } from '../src/linear/index';
function hard(n: number): Op[] {
  const h: Op[] = [];
  for (let p = 0; p < n; p++) h.push({ index: h.length, time: h.length, type: 'invoke', process: p, f: 'write', value: p });
  h.push({ index: h.length, time: h.length, type: 'invoke', process: n, f: 'read', value: null });
  h.push({ index: h.length, time: h.length, type: 'ok', process: n, f: 'read', value: -1 });
  return h;
}
for (const n of [12, 12, 14, 16]) {
  const t0 = performance.now();
  const r = linearizable(hard(n), { model: register(), explain: process.argv[2] === 'x' });
  console.log(n, (performance.now() - t0).toFixed(1), r.valid, r.partitions[0]!.steps, r.partitions[0]!.cacheEntries);
}
