import { formatOpEdn, pairs, parseHistoryJsonl, parseJson, seededRandom, stringifyJson, valuesEqual } from '@gyre/history';

// Two clients: process 0 writes, process 1 reads and times out (info: it may or may not have happened).
const history = parseHistoryJsonl(`
{"index":0,"time":0,"type":"invoke","process":0,"f":"write","value":9007199254740993}
{"index":1,"time":1500000,"type":"ok","process":0,"f":"write","value":9007199254740993}
{"index":2,"time":2000000,"type":"invoke","process":1,"f":"read","value":null}
{"index":3,"time":5002000000,"type":"info","process":1,"f":"read","value":null,"error":"net-timeout"}
`);

for (const { invoke, completion } of pairs(history)) {
  const ms = completion ? (completion.time - invoke.time) / 1e6 : NaN;
  console.log(`process ${invoke.process} ${invoke.f} → ${completion?.type ?? 'open'} after ${ms} ms`);
}

// Jepsen's history.edn line for the write: the big integer is kept exactly.
console.log(formatOpEdn(history[1]!));

// The codec keeps 1.0 apart from 1, as the JVM does.
const [int, float] = parseJson('[1, 1.0]') as unknown[];
console.log(stringifyJson([int, float]), valuesEqual(int, float));

// Seeded randomness: the same seed gives the same values, here and in every run.
const random = seededRandom(42);
console.log(random.int(100), random.pick(['n0', 'n1', 'n2']), random.fork('net').int(100));
