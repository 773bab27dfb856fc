import { readFileSync } from 'node:fs';
import { parseKvTrace, parseJepsenLog } from '@gyre/history';
import { linearizable, stringKv, casRegister } from '/work/wt/checker/packages/checker/src/index';
import { Automaton } from '/work/wt/checker/packages/checker/src/linear/automaton';
const proto = Automaton.prototype as any;
let nexts = 0, computes = 0;
const origNext = proto.next, origCompute = proto.compute;
if (process.env.COUNT) { proto.next = function (s: number, o: number) { nexts++; return origNext.call(this, s, o); }; proto.compute = function (s: number, o: number) { computes++; return origCompute.call(this, s, o); }; }
const which = process.argv[2] ?? 'c50-ok';
const h = which.startsWith('etcd') ? readdirAll() : [parseKvTrace(readFileSync(`/work/shared/data/kv/${which}.txt`, 'utf8'))];
function readdirAll() { const fs = require('node:fs'); return fs.readdirSync('/work/shared/data/etcd').filter((f: string) => /^etcd_\d{3}\.log$/.test(f) && f !== 'etcd_095.log').map((f: string) => parseJepsenLog(fs.readFileSync('/work/shared/data/etcd/' + f, 'utf8'))); }
for (let i = 0; i < Number(process.argv[3] ?? 3); i++) {
  const c0 = process.cpuUsage(); const t = performance.now();
  let steps = 0, entries = 0, valid = 0;
  for (const x of h) { const r = linearizable(x, { model: which.startsWith('etcd') ? casRegister() : stringKv(), explain: false }); steps += r.partitions.reduce((a, p) => a + p.steps, 0); entries += r.partitions.reduce((a, p) => a + p.cacheEntries, 0); valid += r.valid === true ? 1 : 0; }
  const c = process.cpuUsage(c0);
  console.log(which, `run ${i}`, valid, 'valid', steps, 'steps', entries, 'entries', (performance.now() - t).toFixed(1), 'ms wall', ((c.user + c.system) / 1000).toFixed(1), 'ms cpu', process.env.COUNT ? `next ${nexts} compute ${computes}` : '');
}
