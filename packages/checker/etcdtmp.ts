import { readFileSync, readdirSync } from 'node:fs';
import { parseJepsenLog } from '@gyre/history';
import { linearizable, casRegister } from './src/index';
const files = readdirSync('/work/shared/data/etcd').filter((f) => /^etcd_\d{3}\.log$/.test(f) && f !== 'etcd_095.log').sort();
const hs = files.map((f) => parseJepsenLog(readFileSync('/work/shared/data/etcd/' + f, 'utf8')));
const explain = process.argv[2] === 'explain';
for (let i = 0; i < Number(process.argv[3] ?? 3); i++) {
  const c0 = process.cpuUsage(); let steps = 0, entries = 0; const per: [string, number][] = [];
  for (let k = 0; k < hs.length; k++) { const t = performance.now(); const r = linearizable(hs[k]!, { model: casRegister(), explain }); per.push([files[k]!.slice(5, 8), performance.now() - t]); steps += r.partitions[0]!.steps; entries += r.partitions[0]!.cacheEntries; }
  const c = process.cpuUsage(c0);
  per.sort((a, b) => b[1] - a[1]);
  console.log(i, steps, 'steps', entries, 'entries', ((c.user + c.system) / 1000).toFixed(0), 'ms cpu; slowest', per.slice(0, 4).map(([n, t]) => `${n} ${t.toFixed(1)}`).join(', '));
}
