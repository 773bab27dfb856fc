import { readFileSync } from 'node:fs';
import { TxnJsonlReader, TxnEdnReader } from '../dist/elle.js';
const file = process.argv[2]!;
const data = new Uint8Array(readFileSync(file));
const reps = Number(process.argv[3] ?? 10);
const cpus: number[] = [];
for (let rep = 0; rep < reps; rep++) {
  const c0 = process.cpuUsage();
  const r = file.endsWith('.edn') ? new TxnEdnReader({ bytes: data.length }) : new TxnJsonlReader({ bytes: data.length });
  for (let s = 0; s < data.length; s += 1 << 20) r.push(data.subarray(s, Math.min(data.length, s + (1 << 20))));
  const h = r.end();
  const c1 = process.cpuUsage(c0);
  cpus.push((c1.user + c1.system) / 1000);
  if (h.length === 0) throw new Error();
}
console.log('read cpu ms', cpus.map((x) => x.toFixed(0)).join(' '), 'min', Math.min(...cpus).toFixed(0));
