import { readFileSync, readdirSync } from 'node:fs';
import { parseJepsenLog, parseKvTrace } from '@gyre/history';
import { casRegister, stringKv } from '../src/linear/index';
import { prepare } from '../src/linear/prepare';
import { Automaton } from '../src/linear/automaton';
import { Search, BUDGET } from '../src/linear/search';
const inputs: { name: string; ops: any[]; model: any }[] = [];
for (const f of readdirSync('/work/shared/data/etcd').sort()) {
  if (f === 'etcd_095.log') continue;
  const p = prepare(parseJepsenLog(readFileSync(`/work/shared/data/etcd/${f}`, 'utf8')), casRegister());
  inputs.push({ name: f.slice(5, 8), ops: p.partitions[0]!.ops, model: casRegister() });
}
for (const k of ['c50-ok']) {
  const p = prepare(parseKvTrace(readFileSync(`/work/shared/data/kv/${k}.txt`, 'utf8')), stringKv());
  for (const part of p.partitions) inputs.push({ name: `${k}/${String(part.key)}`, ops: part.ops, model: stringKv() });
}
const strategies: Record<string, { orders: number[]; base: number; factor: number }> = {
  F: { orders: [0], base: Infinity, factor: 2 },
  'URFD 500x2': { orders: [2, 1, 0, 3], base: 500, factor: 2 },
  'URFD 1000x2': { orders: [2, 1, 0, 3], base: 1000, factor: 2 },
  'UR 1000x2': { orders: [2, 1], base: 1000, factor: 2 },
  'URF 1000x2': { orders: [2, 1, 0], base: 1000, factor: 2 },
  'URF 300x2': { orders: [2, 1, 0], base: 300, factor: 2 },
  'URF 1000x4': { orders: [2, 1, 0], base: 1000, factor: 4 },
  'URF 1000x3': { orders: [2, 1, 0], base: 1000, factor: 3 },
  'URF 2000x2': { orders: [2, 1, 0], base: 2000, factor: 2 },
  'RUF 1000x2': { orders: [1, 2, 0], base: 1000, factor: 2 },
};
for (const [name, st] of Object.entries(strategies)) {
  let total = 0; let etcd = 0; let kv = 0; const big: string[] = [];
  for (const inp of inputs) {
    const aut = new Automaton(inp.model, inp.ops);
    const s = new Search(aut, inp.ops.map((o: any) => o.invPos), inp.ops.map((o: any) => o.retPos));
    let budget = st.base; let o = BUDGET as number;
    outer: for (;;) { for (const order of st.orders) { o = s.run({ deadline: Infinity, now: () => 0, maxEntries: 1e8 }, { order: order as any, stepLimit: budget }); if (o !== BUDGET) break outer; } budget *= st.factor; }
    total += s.steps; if (inp.name.startsWith('c50')) kv += s.steps; else etcd += s.steps;
    if (s.steps > 20000) big.push(`${inp.name}:${s.steps}`);
  }
  console.log(name.padEnd(14), 'etcd', etcd, 'kv', kv, big.join(' '));
}
