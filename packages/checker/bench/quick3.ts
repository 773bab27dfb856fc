import { readFileSync } from 'node:fs';
import { parseJepsenLog } from '@gyre/history';
import { linearizable, casRegister } from '../src/linear/index';
import { prepare } from '../src/linear/prepare';
const model = casRegister();
for (const n of ['008','022','020','003','017']) {
  const h = parseJepsenLog(readFileSync(`/work/shared/data/etcd/etcd_${n}.log`, 'utf8'));
  let r; const N = 2000;
  let t0 = performance.now(); for (let i = 0; i < N; i++) r = linearizable(h, { model, explain: false }); const a = (performance.now()-t0)/N;
  t0 = performance.now(); for (let i = 0; i < N; i++) prepare(h, model); const b = (performance.now()-t0)/N;
  console.log(n, a.toFixed(4), b.toFixed(4), r!.partitions[0]!.steps, r!.partitions[0]!.cacheEntries, r!.opCount);
}
