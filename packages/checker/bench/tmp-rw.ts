import { seededRandom } from '@gyre/history';
import { checkRwRegister, txnHistory } from '../src/elle/index';
import { simulate } from '../src/elle/sim';
for (const n of [100000]) {
  const h = simulate(seededRandom(`rw/${n}`), { txns: n, workload: 'rw-register', concurrency: 10 });
  const t = txnHistory(h);
  for (let i = 0; i < 2; i++) { const c0 = process.cpuUsage(); const r = checkRwRegister(t, { wfrKeys: true }); const c = process.cpuUsage(c0); console.log(n, r.valid, ((c.user + c.system) / 1000).toFixed(0), 'ms cpu'); }
}
