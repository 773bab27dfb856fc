import { readFileSync, readdirSync } from 'node:fs';
import { parseJepsenLog } from '@gyre/history';
import { linearizable, casRegister } from '../src/linear/index';
const dir = '/work/shared/data/etcd';
const good = new Set('002 005 007 018 025 031 038 045 048 049 051 053 056 067 075 076 080 087 092 098 100 101 102'.split(' '));
let total = 0; let wrong = 0;
const model = casRegister();
for (const f of readdirSync(dir).sort()) {
  const num = f.slice(5, 8); if (num === '095') continue;
  const h = parseJepsenLog(readFileSync(`${dir}/${f}`, 'utf8'));
  const t0 = performance.now();
  const r = linearizable(h, { model, explain: false });
  const dt = performance.now() - t0; total += dt;
  const exp = good.has(num);
  if (r.valid !== exp) { wrong++; console.log('WRONG', num, r.valid, exp); }
  if (dt > 5) console.log(num, dt.toFixed(2), r.valid, r.partitions[0]?.steps);
}
console.log('total', total.toFixed(1), 'wrong', wrong);
