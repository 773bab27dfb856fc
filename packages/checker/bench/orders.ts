import { readFileSync, readdirSync } from 'node:fs';
import { parseJepsenLog, parseKvTrace } from '@gyre/history';
import { casRegister, stringKv } from '../src/linear/index';
import { prepare } from '../src/linear/prepare';
import { Automaton } from '../src/linear/automaton';
import { Search } from '../src/linear/search';
const inputs: { name: string; ops: any[]; model: any }[] = [];
for (const f of readdirSync('/work/shared/data/etcd').sort()) {
  if (f === 'etcd_095.log') continue;
  const p = prepare(parseJepsenLog(readFileSync(`/work/shared/data/etcd/${f}`, 'utf8')), casRegister());
  inputs.push({ name: f.slice(5, 8), ops: p.partitions[0]!.ops, model: casRegister() });
}
for (const k of ['c50-ok', 'c50-bad']) {
  const p = prepare(parseKvTrace(readFileSync(`/work/shared/data/kv/${k}.txt`, 'utf8')), stringKv());
  for (const part of p.partitions) inputs.push({ name: `${k}/${String(part.key)}`, ops: part.ops, model: stringKv() });
}
const totals = [0, 0, 0, 0];
const rows: string[] = [];
for (const inp of inputs) {
  const st: number[] = []; let verdict = -1;
  for (const order of [0, 1, 2, 3] as const) {
    const aut = new Automaton(inp.model, inp.ops);
    const s = new Search(aut, inp.ops.map((o: any) => o.invPos), inp.ops.map((o: any) => o.retPos));
    const o = s.run({ deadline: Infinity, now: () => 0, maxEntries: 1e8 }, { order, stepLimit: 5e6 });
    if (verdict === -1) verdict = o; else if (o !== verdict) console.log('MISMATCH', inp.name, order, o, verdict);
    st.push(s.steps); totals[order] += s.steps;
  }
  if (Math.max(...st) > 5000) rows.push(`${inp.name} ${verdict} ${st.join(' ')}`);
}
console.log(rows.join('\n'));
console.log('totals F R U D', totals);
