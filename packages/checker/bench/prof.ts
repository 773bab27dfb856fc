import { readFileSync } from 'node:fs';
import { parseJepsenLog } from '@gyre/history';
import { linearizable, casRegister } from '../src/linear/index';
const model = casRegister();
const h = parseJepsenLog(readFileSync(`/work/shared/data/etcd/etcd_008.log`, 'utf8'));
for (let i = 0; i < 20000; i++) linearizable(h, { model, explain: false });
