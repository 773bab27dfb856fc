import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { TxnJsonlReader, checkListAppend } from '../dist/elle.js';
const file = process.argv[2]!;
for (let rep = 0; rep < Number(process.argv[3] ?? 3); rep++) {
  const c0 = process.cpuUsage(); const t0 = performance.now();
  const r = new TxnJsonlReader({ bytes: statSync(file).size });
  const fd = openSync(file, 'r'); const buf = new Uint8Array(1 << 20);
  for (;;) { const n = readSync(fd, buf, 0, buf.length, null); if (n === 0) break; r.push(n === buf.length ? buf : buf.subarray(0, n)); }
  closeSync(fd);
  const h = r.end();
  const c1 = process.cpuUsage(c0); const t1 = performance.now();
  const res = checkListAppend(h);
  const c2 = process.cpuUsage(c0); const t2 = performance.now();
  console.log('read wall', (t1 - t0).toFixed(0), 'cpu', ((c1.user + c1.system) / 1000).toFixed(0), 'check wall', (t2 - t1).toFixed(0), 'cpu', ((c2.user + c2.system - c1.user - c1.system) / 1000).toFixed(0), res.valid);
}
