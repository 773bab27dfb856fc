import { openSync, readSync, fstatSync } from 'node:fs';
import { TxnJsonlReader } from '../src/elle/index';
const fd = openSync(process.argv[2]!, 'r');
const stat = fstatSync(fd);
const buf = new Uint8Array(Math.min(1 << 20, stat.size));
let n = readSync(fd, buf, 0, buf.length, null);
const r = new TxnJsonlReader({ bytes: stat.size });
try {
  while (n > 0) { r.push(n === buf.length ? buf : buf.subarray(0, n)); n = readSync(fd, buf, 0, buf.length, null); }
  const h = r.end(); console.log('ok', h.length);
} catch (e) { console.log('error', e); }
