import { readFileSync } from 'node:fs';
import { parseKvTrace } from '@gyre/history';
import { stringKv } from '../src/linear/index';
import { prepare } from '../src/linear/prepare';
import { Automaton } from '../src/linear/automaton';
import { Search } from '../src/linear/search';
const h = parseKvTrace(readFileSync(`/work/shared/data/kv/c50-ok.txt`, 'utf8'));
const model = stringKv();
const p = prepare(h, model);
for (let rep = 0; rep < 2; rep++) for (const part of p.partitions) {
  const aut = new Automaton(model, part.ops);
  const s = new Search(aut, part.ops.map(o=>o.invPos), part.ops.map(o=>o.retPos));
  const t0 = performance.now();
  const o = s.run({ deadline: Infinity, now: () => performance.now(), maxEntries: 1e7 });
  console.log(part.key, part.ops.length, part.ops.filter(o=>!o.known).length, o, (performance.now()-t0).toFixed(1), s.steps, s.cacheEntries, aut.stateCount, aut.modelSteps);
}
