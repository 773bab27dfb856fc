import { readFileSync, statSync } from 'node:fs';
import { TxnJsonlReader } from '../src/elle/index';
const file = process.argv[2]!;
const data = new Uint8Array(readFileSync(file));
const r = new TxnJsonlReader({ bytes: statSync(file).size });
try {
  for (let s = 0; s < data.length; s += 1 << 20) r.push(data.subarray(s, Math.min(data.length, s + (1 << 20))));
  const h = r.end();
  let bad = 0; for (let i = 0; i < h.length; i++) if ((h.shape[i]! & ~(2|4|64)) !== 0 && h.type[i]! <= 1) { if (bad++ < 3) console.log('shape', i, h.shape[i], h.op(i)); }
  console.log('ok', h.length, 'bad', bad);
} catch (e) { console.log('error', e); }
