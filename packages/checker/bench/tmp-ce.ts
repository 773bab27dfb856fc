import type { Op } from '@gyre/history';
import { checkListAppend } from '../src/elle/index';
const raw = [[1,"invoke",[["append","x",1],["r","z",null]]],[1,"ok",[["append","x",1],["r","z",[]]]],[2,"invoke",[["append","y",1],["append","z",1]]],[2,"info",[["append","y",1],["append","z",1]]],[0,"invoke",[["r","x",null],["r","y",null],["r","x",null]]],[0,"ok",[["r","x",[1,2]],["r","y",[1]],["r","x",[1,2]]]],[3,"invoke",[["append","x",2],["append","y",2],["r","y",null]]],[3,"info",[["append","x",2],["append","y",2],["r","y",null]]]] as const;
const h: Op[] = raw.map(([p, type, value], index) => ({ index, time: index, type: type as Op['type'], process: p, f: 'txn', value }));
const r = checkListAppend(h);
console.log(r.valid, r.anomalyTypes, r.not);
for (const t of r.anomalyTypes ?? []) { const c = r.anomalies![t]![0] as any; if (c.explanation) console.log(c.explanation); }
