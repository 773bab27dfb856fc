import { readFileSync, readdirSync } from 'node:fs';
import { parseJepsenLog } from '@gyre/history';
import { casRegister, linearizable } from '../src/linear/index';
const good = new Set('002 005 007 018 025 031 038 045 048 049 051 053 056 067 075 076 080 087 092 098 100 101 102'.split(' '));
let total = 0; const rows: [string, number, string][] = [];
for (const f of readdirSync('/work/shared/data/etcd').sort()) {
  const num = f.slice(5, 8); if (num === '095' || good.has(num)) continue;
  const h = parseJepsenLog(readFileSync(`/work/shared/data/etcd/${f}`, 'utf8'));
  const t0 = performance.now();
  const r = linearizable(h, { model: casRegister(), explainTimeLimit: 60000 });
  const dt = performance.now() - t0; total += dt;
  const fl = r.failure!;
  rows.push([num, dt, `ops ${fl.stretch.ops.length} unc ${fl.stretch.uncertain.length} states ${fl.states.length} trunc ${fl.stretch.truncated} ${fl.statesTruncated}`]);
}
rows.sort((a, b) => b[1] - a[1]);
for (const r of rows.slice(0, 12)) console.log(r[0], r[1].toFixed(1), r[2]);
console.log('total', total.toFixed(0), 'median stretch ops', rows.map(r => +r[2].split(' ')[1]!).sort((a,b)=>a-b)[rows.length>>1]);
