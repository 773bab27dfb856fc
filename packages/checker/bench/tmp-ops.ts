import { seededRandom } from '@gyre/history';
import { checkListAppend, txnHistory } from '../src/elle/index';
import { simulate } from '../src/elle/sim';
const n = Number(process.argv[2] ?? 1000000);
const h = simulate(seededRandom(`1/${n}`), { txns: n, concurrency: 10 });
for (let i = 0; i < 3; i++) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  const t = txnHistory(h);
  const c1 = process.cpuUsage(c0); const t1 = performance.now();
  const r = checkListAppend(t);
  const c2 = process.cpuUsage(c0);
  console.log('txnHistory wall', (t1 - t0).toFixed(0), 'cpu', ((c1.user + c1.system) / 1000).toFixed(0), 'check wall', (performance.now() - t1).toFixed(0), 'cpu', ((c2.user + c2.system - c1.user - c1.system) / 1000).toFixed(0), r.valid);
}
