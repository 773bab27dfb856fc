import { readFileSync, readdirSync } from 'node:fs';
import { parseJepsenLog } from '@gyre/history';
import { linearizable, casRegister } from '../src/linear/index';
const dir = '/work/shared/data/etcd';
const go: Record<string, number> = {};
for (const line of readFileSync('/work/shared/reference/checkers.md','utf8').split('\n')) {
  const m = /^\| (\d{3}) \| (?:NOT )?linearizable \| \d+ \| \d+ \| \d+ \| ([\d.]+) \|/.exec(line); if (m) go[m[1]!] = Number(m[2]);
}
const model = casRegister();
const logs = readdirSync(dir).sort().map(f => f.slice(5,8)).filter(n => n !== '095').map(n => ({ n, h: parseJepsenLog(readFileSync(`${dir}/etcd_${n}.log`, 'utf8')) }));
const times: Record<string, number[]> = {};
for (let rep = 0; rep < 7; rep++) for (const { n, h } of logs) {
  const t0 = performance.now(); linearizable(h, { model, explain: false }); (times[n] ??= []).push(performance.now() - t0);
}
const med = (xs: number[]) => { const s = [...xs].sort((a,b)=>a-b); return s[s.length>>1]!; };
let total = 0; const rows = [];
for (const { n } of logs) { const m = med(times[n]!); total += m; rows.push({ n, m, go: go[n]!, r: m / go[n]! }); }
rows.sort((a,b)=>b.r-a.r);
for (const r of [...rows.slice(0, 8), ...[...rows].sort((a,b)=>b.m-a.m).slice(0,10)]) console.log(r.n, r.m.toFixed(3), r.go, r.r.toFixed(2));
console.log('total', total.toFixed(1), 'over1.5', rows.filter(r=>r.r>1.5).length);
