import { readFileSync } from 'node:fs';
import { parseJepsenLog } from '@gyre/history';
import { casRegister } from './src/index';
import { prepare } from './src/linear/prepare';
import { Automaton } from './src/linear/automaton';
import { Search, FORWARD, REVERSE, URGENT } from './src/linear/search';
for (const f of (process.argv[2] ?? '002,099,057,040').split(',')) {
  const h = parseJepsenLog(readFileSync(`/work/shared/data/etcd/etcd_${f}.log`, 'utf8'));
  const p = prepare(h, casRegister()).partitions[0];
  const ops = p.ops;
  const line = [];
  for (const [name, order] of [['urgent', URGENT], ['reverse', REVERSE], ['forward', FORWARD]] as const) {
    for (const subsume of [true, false]) {
      const aut = new Automaton(casRegister(), ops);
      const s = new Search(aut, Float64Array.from(ops, (o) => o.invPos), Float64Array.from(ops, (o) => o.retPos));
      const out = s.run({ deadline: Infinity, now: () => 0, maxEntries: 4e6 }, { order, subsume });
      line.push(`${name}${subsume ? '' : '-nosub'}:${out}:${s.steps}`);
    }
  }
  console.log(f, ops.length, ops.filter((o) => o.retPos < 0).length, line.join(' '));
}
