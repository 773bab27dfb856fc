import { readFileSync } from 'node:fs';
import { parseKvTrace } from '@gyre/history';
import { linearizable, stringKv } from '../src/linear/index';
for (const part of [true, false]) for (const n of ['c01-ok','c01-bad','c10-ok','c10-bad','c50-ok','c50-bad']) {
  if (!part && n.startsWith('c50')) continue;
  const h = parseKvTrace(readFileSync(`/work/shared/data/kv/${n}.txt`, 'utf8'));
  const model = stringKv({ partitioned: part });
  for (let rep = 0; rep < 3; rep++) {
  const t0 = performance.now();
  const r = linearizable(h, { model, explain: false, timeLimit: 20000 });
  console.log(part, n, (performance.now()-t0).toFixed(2), r.valid, r.cause ?? '', r.partitions.length, r.partitions.reduce((a,p)=>a+p.steps,0), r.partitions.reduce((a,p)=>Math.max(a,p.cacheEntries),0));
  }
}
