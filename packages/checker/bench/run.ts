/**
 * Linearizability benchmark against Porcupine's published figures (checkers.md §4.6, Appendix A,
 * measured on the same kind of machine). Parsing is excluded; each input is checked several times
 * and the median is kept (warmed), after a first run that is reported too. Evidence gathering is
 * off (`explain: false`), as Porcupine's benchmark only computes the verdict. The baseline measured
 * in the same process is native `JSON.parse` of the same histories written as JSON Lines.
 *
 *   pnpm bench                 # in packages/checker
 *   REPS=11 pnpm bench         # more repetitions
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { formatOpJson, parseJepsenLog, parseKvTrace, type Op } from '@gyre/history';
import { requireSharedData as sharedData } from '../../../scripts/shared-data.mjs';
import { casRegister, linearizable, stringKv, type Model } from '../src/index';


/** Porcupine (Go) ms per etcd log, checkers.md Appendix A. */
const GO_MS: Record<string, number> = {
  '000': 0.256, '001': 0.336, '002': 236.297, '003': 0.198, '004': 0.237, '005': 0.243, '006': 0.269, '007': 175.281, '008': 0.207, '009': 0.181,
  '010': 0.127, '011': 0.32, '012': 0.222, '013': 0.222, '014': 0.224, '015': 0.301, '016': 0.193, '017': 0.133, '018': 0.658, '019': 0.372,
  '020': 0.168, '021': 0.148, '022': 0.14, '023': 0.422, '024': 0.254, '025': 0.253, '026': 0.273, '027': 0.244, '028': 0.306, '029': 0.369,
  '030': 0.186, '031': 0.214, '032': 0.214, '033': 0.225, '034': 0.448, '035': 0.259, '036': 0.394, '037': 0.334, '038': 0.253, '039': 0.495,
  '040': 21.595, '041': 0.2, '042': 0.391, '043': 0.171, '044': 0.416, '045': 0.208, '046': 0.193, '047': 0.325, '048': 0.224, '049': 0.21,
  '050': 0.189, '051': 0.412, '052': 0.239, '053': 3.488, '054': 0.18, '055': 0.174, '056': 0.409, '057': 77.647, '058': 0.195, '059': 0.192,
  '060': 0.435, '061': 0.748, '062': 0.116, '063': 0.191, '064': 0.129, '065': 0.121, '066': 0.242, '067': 0.267, '068': 0.245, '069': 0.221,
  '070': 0.214, '071': 0.767, '072': 0.227, '073': 0.889, '074': 0.178, '075': 40.623, '076': 0.321, '077': 0.183, '078': 0.238, '079': 0.335,
  '080': 15.743, '081': 0.21, '082': 0.264, '083': 0.198, '084': 0.163, '085': 4.792, '086': 0.242, '087': 0.248, '088': 0.223, '089': 0.718,
  '090': 0.185, '091': 0.32, '092': 0.312, '093': 0.248, '094': 0.325, '096': 0.218, '097': 4.483, '098': 1.586, '099': 181.76, '100': 0.271,
  '101': 0.266, '102': 0.277,
};
const GO_ETCD_TOTAL = 788.7;
const GO_KV: Record<string, number> = { 'c50-ok': 338.2, 'c50-bad': 64.0, 'c10-ok': 1.74, 'c10-bad': 1.6 };
const LINEARIZABLE = new Set('002 005 007 018 025 031 038 045 048 049 051 053 056 067 075 076 080 087 092 098 100 101 102'.split(' '));

const REPS = Number(process.env['REPS'] ?? 7);
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));

/** Search steps of the last {@link time}d check (exact, whatever the load). */
let lastSteps = 0;
/** Wall and CPU (all threads, `process.cpuUsage`) milliseconds of one check. */
function time(history: readonly Op[], model: Model<any, any>, expected: boolean): [number, number] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = linearizable(history, { model, explain: false });
  const dt = performance.now() - t0;
  const c = process.cpuUsage(c0);
  if (r.valid !== expected) throw new Error(`wrong verdict ${String(r.valid)}`);
  lastSteps = r.partitions.reduce((a, p) => a + p.steps, 0);
  return [dt, (c.user + c.system) / 1000];
}

const data = sharedData();
const load0 = loadavg();
const started = performance.now();
const logs = readdirSync(join(data, 'etcd'))
  .filter((f) => /^etcd_\d{3}\.log$/.test(f) && f !== 'etcd_095.log')
  .sort()
  .map((f) => ({ n: f.slice(5, 8), history: parseJepsenLog(readFileSync(join(data, 'etcd', f), 'utf8')) }));
const model = casRegister();
/** Native JSON.parse of histories written as JSON Lines (each one array): ms, median of 5. */
function jsonBaseline(histories: readonly (readonly Op[])[]): number {
  const texts = histories.map((h) => '[' + h.map(formatOpJson).join(',\n') + ']');
  const ts: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    for (const t of texts) JSON.parse(t);
    ts.push(performance.now() - t0);
  }
  return median(ts);
}
const etcdBaseline = jsonBaseline(logs.map((l) => l.history));
let firstPass = 0;
let etcdSteps = 0;
for (const { n, history } of logs) {
  firstPass += time(history, model, LINEARIZABLE.has(n))[0]; // the first run, then warmed
  etcdSteps += lastSteps;
}
const per = new Map<string, number[]>();
const perCpu = new Map<string, number[]>();
for (let rep = 0; rep < REPS; rep++) {
  for (const { n, history } of logs) {
    const [wall, cpu] = time(history, model, LINEARIZABLE.has(n));
    per.set(n, [...(per.get(n) ?? []), wall]);
    perCpu.set(n, [...(perCpu.get(n) ?? []), cpu]);
  }
}
const rows = logs.map(({ n }) => {
  const ms = median(per.get(n)!);
  return { n, ms, cpu: median(perCpu.get(n)!), go: GO_MS[n]!, ratio: ms / GO_MS[n]! };
});
const total = rows.reduce((a, r) => a + r.ms, 0);
const totalCpu = rows.reduce((a, r) => a + r.cpu, 0);
const totalPerRep = Array.from({ length: REPS }, (_, rep) => logs.reduce((a, { n }) => a + per.get(n)![rep]!, 0));
const slowest = [...rows].sort((a, b) => b.ms - a.ms);
const worstRatio = [...rows].sort((a, b) => b.ratio - a.ratio);
const over = rows.filter((r) => r.ratio > 1.5);

const kv: { name: string; ms: number; cpu: number; go: number; first: number; baseline: number; steps: number }[] = [];
const kvModel = stringKv();
for (const name of ['c50-ok', 'c50-bad', 'c10-ok', 'c10-bad']) {
  const history = parseKvTrace(readFileSync(join(data, 'kv', `${name}.txt`), 'utf8'));
  const expected = name.endsWith('-ok');
  const first = time(history, kvModel, expected)[0];
  const steps = lastSteps;
  const ts: number[] = [];
  const cs: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const [wall, cpu] = time(history, kvModel, expected);
    ts.push(wall);
    cs.push(cpu);
  }
  kv.push({ name, ms: median(ts), cpu: median(cs), go: GO_KV[name]!, first, baseline: jsonBaseline([history]), steps });
}
const load1 = loadavg();

const out: string[] = [];
out.push(`Node ${process.version}, ${cpus().length} vCPU (${cpus()[0]?.model ?? '?'}), ${REPS} repetitions, median; load average ${load0.map((x) => x.toFixed(1)).join(' ')} → ${load1.map((x) => x.toFixed(1)).join(' ')}; ${((performance.now() - started) / 1000).toFixed(1)} s in all.`);
out.push('');
out.push('| input | Gyre wall ms (warmed) | Gyre CPU ms | first run ms | JSON.parse ms (baseline) | warmed / baseline | Porcupine ms (elsewhere) | ratio to Porcupine | target |');
out.push('|---|---|---|---|---|---|---|---|---|');
out.push(`| etcd, 102 logs, total (sum of per-log medians) | ${fmt(total)} | ${fmt(totalCpu)} | ${fmt(firstPass)} | ${fmt(etcdBaseline)} | ${(total / etcdBaseline).toFixed(1)} | ${GO_ETCD_TOTAL} | ${(total / GO_ETCD_TOTAL).toFixed(2)} | ≤ 0.5 |`);
out.push(`| etcd, 102 logs, total (median of whole passes) | ${fmt(median(totalPerRep))} | | | | | ${GO_ETCD_TOTAL} | ${(median(totalPerRep) / GO_ETCD_TOTAL).toFixed(2)} | ≤ 0.5 |`);
out.push(`| etcd, slowest log (etcd_${slowest[0]!.n}) | ${fmt(slowest[0]!.ms)} | ${fmt(slowest[0]!.cpu)} | | | | ${slowest[0]!.go} | ${slowest[0]!.ratio.toFixed(2)} | ≤ 1.5 |`);
out.push(`| etcd, worst per-log ratio (etcd_${worstRatio[0]!.n}) | ${fmt(worstRatio[0]!.ms)} | ${fmt(worstRatio[0]!.cpu)} | | | | ${worstRatio[0]!.go} | ${worstRatio[0]!.ratio.toFixed(2)} | ≤ 1.5 |`);
for (const k of kv) out.push(`| kv ${k.name}, partitioned | ${fmt(k.ms)} | ${fmt(k.cpu)} | ${fmt(k.first)} | ${fmt(k.baseline)} | ${(k.ms / k.baseline).toFixed(1)} | ${k.go} | ${(k.ms / k.go).toFixed(2)} | ${k.name === 'c50-ok' ? '≤ 0.5' : ''} |`);
out.push('');
out.push(`Search steps (exact, load-free): etcd ${etcdSteps.toLocaleString('en-US')} (102 logs); ${kv.map((k) => `${k.name} ${k.steps.toLocaleString('en-US')}`).join(', ')}.`);
out.push(`etcd logs over 1.5× their Porcupine time: ${over.length === 0 ? 'none' : over.map((r) => `etcd_${r.n} (${fmt(r.ms)} ms, ${r.ratio.toFixed(2)}×)`).join(', ')}.`);
out.push(`Slowest etcd logs: ${slowest.slice(0, 8).map((r) => `${r.n} ${fmt(r.ms)} ms (${r.ratio.toFixed(2)}×)`).join(', ')}.`);
out.push(`Highest per-log ratios: ${worstRatio.slice(0, 8).map((r) => `${r.n} ${r.ratio.toFixed(2)}× (${fmt(r.ms)} ms vs ${r.go})`).join(', ')}.`);
console.log(out.join('\n'));
