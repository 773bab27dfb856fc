import { seededRandom } from '@gyre/history';
import { checkListAppend, checkRwRegister } from '../src/elle/index';
import { serialOrderExists } from '../src/elle/oracle';
import { smallHistory } from '../src/elle/gen';
const workload = (process.argv[2] ?? 'list-append') as 'list-append' | 'rw-register';
const N = Number(process.argv[3] ?? 2000);
const stats: Record<string, number> = {};
const bump = (k: string) => (stats[k] = (stats[k] ?? 0) + 1);
const examples: Record<string, string> = {};
const t0 = performance.now();
for (let s = 0; s < N; s++) {
  const h = smallHistory(seededRandom(`o${s}`), { workload });
  for (const [model, realtime] of [['serializable', false], ['strict-serializable', true]] as const) {
    const opts = workload === 'rw-register' ? { consistencyModels: [model], ...(realtime ? { linearizableKeys: true, sequentialKeys: true } : { wfrKeys: true }) } : { consistencyModels: [model] };
    const r = workload === 'list-append' ? checkListAppend(h, opts) : checkRwRegister(h, opts);
    const o = serialOrderExists(h, { workload, realtime });
    const key = `${model}: gyre ${String(r.valid)} oracle ${o}`;
    bump(key);
    if (r.valid === false && o) { examples[key] ??= JSON.stringify(h.map(x=>[x.process,x.type,x.value])) + ' ' + JSON.stringify(r.anomalyTypes); }
    if (r.valid !== false && !o) { bump(`${model} gap ${String(r.valid)} ${(r.anomalyTypes??[]).join(',')}`); examples[`${model} gap ${s}`] ??= JSON.stringify(h.map(x=>[x.process,x.type,x.value])) + ' ' + JSON.stringify(r.anomalyTypes); }
    if ((r.anomalyTypes ?? []).some((t) => t.endsWith('cycle-exists'))) { bump(`${model} cycle-exists reported`); examples[`ce ${model} ${s}`] ??= JSON.stringify(h.map(x=>[x.process,x.type,x.value])) + ' ' + JSON.stringify(r.anomalyTypes); }
  }
}
console.log((performance.now() - t0).toFixed(0), 'ms');
console.log(stats);
console.log(Object.entries(examples).slice(0, 12).map(([k, v]) => k + '\n  ' + v).join('\n'));
