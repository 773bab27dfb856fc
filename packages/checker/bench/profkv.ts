import { readFileSync } from 'node:fs';
import { parseKvTrace } from '@gyre/history';
import { linearizable, stringKv } from '../src/linear/index';
const h = parseKvTrace(readFileSync(`/work/shared/data/kv/c50-ok.txt`, 'utf8'));
const model = stringKv();
for (let i = 0; i < 3; i++) linearizable(h, { model, explain: false });
