import { openSync, writeSync, closeSync } from 'node:fs';
import { formatOpEdn, formatOpJson, seededRandom, Keyword } from '@gyre/history';
import { simulate } from '../src/elle/sim';
const n = Number(process.argv[2]);
const h = simulate(seededRandom(`1/${n}`), { txns: n, concurrency: 10 });
const fd = openSync(`/tmp/elle/la-${n}.edn`, 'w');
const kw = (v: unknown) => Array.isArray(v) ? v.map((m) => [new Keyword(m[0]), m[1], m[2]]) : v;
let buf: string[] = [];
for (const op of h) { buf.push(formatOpEdn(op, (v) => kw(v))); if (buf.length > 10000) { writeSync(fd, buf.join('\n') + '\n'); buf = []; } }
writeSync(fd, buf.join('\n') + '\n'); closeSync(fd);
