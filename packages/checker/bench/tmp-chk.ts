import { readFileSync } from 'node:fs';
import { TxnJsonlReader, checkListAppend } from '../dist/elle.js';
const data = new Uint8Array(readFileSync(process.argv[2]!));
const r = new TxnJsonlReader({ bytes: data.length });
for (let s = 0; s < data.length; s += 1 << 20) r.push(data.subarray(s, Math.min(data.length, s + (1 << 20))));
const h = r.end();
const cpus: number[] = [];
for (let i = 0; i < Number(process.argv[3] ?? 10); i++) { const c0 = process.cpuUsage(); checkListAppend(h); const c = process.cpuUsage(c0); cpus.push((c.user + c.system) / 1000); }
console.log(cpus.map((x) => x.toFixed(0)).join(' '));
