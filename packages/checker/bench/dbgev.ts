import type { Op } from '@gyre/history';
import { casRegister, linearizable } from '../src/linear/index';
const h: Op[] = [];
const push = (process: number, type: Op['type'], f: string, value: unknown): void => { h.push({ index: h.length, time: h.length * 1000, type, process, f, value }); };
for (let v = 1; v <= 10; v++) { push(0, 'invoke', 'write', v); push(1, 'invoke', 'read', null); push(0, 'ok', 'write', v); push(1, 'ok', 'read', v); }
push(3, 'invoke', 'write', 42); push(2, 'invoke', 'read', null); push(2, 'ok', 'read', 3);
const r = linearizable(h, { model: casRegister() });
console.log(JSON.stringify(r.failure, null, 1));
