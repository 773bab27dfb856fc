import { readFileSync } from 'node:fs';
import { TxnJsonlReader as New } from '../src/elle/read';
import { TxnJsonlReader as Old } from './tmp-read-old';
const data = new Uint8Array(readFileSync(process.argv[2]!));
const res: Record<string, number[]> = { old: [], new: [] };
for (let rep = 0; rep < Number(process.argv[3] ?? 10); rep++) {
  for (const [name, R] of [['old', Old], ['new', New]] as const) {
    const c0 = process.cpuUsage();
    const r = new R({ bytes: data.length });
    for (let s = 0; s < data.length; s += 1 << 20) r.push(data.subarray(s, Math.min(data.length, s + (1 << 20))));
    r.end();
    const c = process.cpuUsage(c0);
    res[name]!.push((c.user + c.system) / 1000);
  }
}
for (const [k, v] of Object.entries(res)) { v.sort((a, b) => a - b); console.log(k, 'min', v[0]!.toFixed(0), 'median', v[v.length >> 1]!.toFixed(0)); }
