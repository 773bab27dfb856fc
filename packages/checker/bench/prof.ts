import { readFileSync } from 'node:fs';
import { parseJepsenLog } from '@gyre/history';
import { linearizable, casRegister } from '../src/linear/index';
const model = casRegister();
const hs = ['008', '021', '064', '059', '005'].map(n => parseJepsenLog(readFileSync(`/work/shared/data/etcd/etcd_${n}.log`, 'utf8')));
for (const h of hs) {
  for (let i = 0; i < 3000; i++) linearizable(h, { model, explain: false });
  const t0 = process.cpuUsage(); const w0 = performance.now();
  for (let i = 0; i < 5000; i++) linearizable(h, { model, explain: false });
  const c = process.cpuUsage(t0); console.log(((c.user + c.system) / 5000).toFixed(1), 'us cpu', ((performance.now() - w0) * 1000 / 5000).toFixed(1), 'us wall', linearizable(h, { model, explain: false }).partitions[0]!.steps);
}
