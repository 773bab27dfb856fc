import { checkListAppend, checkRwRegister, elleWire, maelstromRwRegisterResult, parseConsistencyModels, renderCycleSvg, type CycleAnomaly, type ElleResult } from '@gyre/checker/elle';
import { Keyword, stringifyJson, type Op } from '@gyre/history';
import { WORKLOAD_RPCS } from '@gyre/protocol';
import { DEFAULT_KEY_COUNT, defineWorkload, type WorkloadOptions } from '../types';
import { txnGenerator } from './txn-gen';

const [LA_TXN] = WORKLOAD_RPCS['txn-list-append'];
const [RW_TXN] = WORKLOAD_RPCS['txn-rw-register'];

/** Micro-op names print as keywords in history.edn, as Elle's histories have them. */
function txnToEdn(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((m) => (Array.isArray(m) && typeof m[0] === 'string' ? [new Keyword(m[0]), ...m.slice(1)] : m));
}

function validateModels(opts: WorkloadOptions): string | undefined {
  try {
    parseConsistencyModels(opts.consistencyModels.join(','));
    return undefined;
  } catch (e) {
    return `--consistency-models: ${(e as Error).message}`;
  }
}

/**
 * Writes the explanations of an Elle result under `elle/`: `elle/<type>.txt` with every case told
 * step by step, and `elle/<type>/<i>.svg` drawing each cycle. Returns the result.
 */
export function emitElleFiles(r: ElleResult, emit?: (path: string, content: string) => void): ElleResult {
  if (emit && r.anomalies) {
    for (const [type, cases] of Object.entries(r.anomalies)) {
      const texts: string[] = [];
      cases.forEach((c, i) => {
        const cycle = c as Partial<CycleAnomaly>;
        if (Array.isArray(cycle.cycle) && Array.isArray(cycle.steps) && typeof cycle.explanation === 'string') {
          texts.push(cycle.explanation);
          if (i < 32) emit(`elle/${type}/${i}.svg`, renderCycleSvg(cycle as CycleAnomaly));
        } else {
          texts.push(stringifyJson(c));
        }
      });
      emit(`elle/${type}.txt`, texts.join('\n\n') + '\n');
    }
  }
  return r;
}

const models = (opts: WorkloadOptions) => parseConsistencyModels(opts.consistencyModels.join(','));

/** maelstrom.md §2.8. */
export const txnListAppend = defineWorkload({
  name: 'txn-list-append',
  doc: 'A transactional workload over a map of keys to lists of elements. Clients submit a single transaction per request via a `txn` request, and expect a completed version of that transaction in a `txn_ok` response. A transaction is an array of micro-operations: ["r", k, null] reads the list at key k, ["append", k, v] appends v to it. Checked with an Elle-style dependency-cycle analysis against --consistency-models.',
  rpcs: WORKLOAD_RPCS['txn-list-append'],
  reuseClient: true,
  validate: validateModels,
  generator: (opts, random) => {
    const next = txnGenerator({ keyCount: opts.keyCount ?? DEFAULT_KEY_COUNT, maxTxnLength: opts.maxTxnLength, maxWritesPerKey: opts.maxWritesPerKey, write: 'append' }, random);
    return () => ({ f: 'txn', value: next() });
  },
  client: {
    async invoke(op, conn) {
      const reply = await conn.call(LA_TXN, { txn: op.value });
      return { type: 'ok', value: reply['txn'] };
    },
  },
  check: (history, opts, emit) => emitElleFiles(checkListAppend(history as Op[], { consistencyModels: models(opts) }), emit),
  wire: elleWire,
  valueToEdn: txnToEdn,
});

/** maelstrom.md §2.9. */
export const txnRwRegister = defineWorkload({
  name: 'txn-rw-register',
  doc: 'A transactional workload over a map of keys to values. Clients submit a single transaction via a `txn` request, and expect a completed version of that transaction in a `txn_ok` response. A transaction is an array of micro-operations: ["r", k, null] reads key k, ["w", k, v] writes v to it. Checked with an Elle-style analysis (writes follow reads within a transaction) against --consistency-models.',
  rpcs: WORKLOAD_RPCS['txn-rw-register'],
  reuseClient: true,
  validate: validateModels,
  generator: (opts, random) => {
    const next = txnGenerator({ keyCount: opts.keyCount ?? DEFAULT_KEY_COUNT, maxTxnLength: opts.maxTxnLength, maxWritesPerKey: opts.maxWritesPerKey, write: 'w' }, random);
    return () => ({ f: 'txn', value: next() });
  },
  client: {
    async invoke(op, conn) {
      const reply = await conn.call(RW_TXN, { txn: op.value });
      return { type: 'ok', value: reply['txn'] };
    },
  },
  check: (history, opts, emit) => emitElleFiles(maelstromRwRegisterResult(checkRwRegister(history as Op[], { consistencyModels: models(opts), wfrKeys: true })), emit),
  wire: elleWire,
  valueToEdn: txnToEdn,
});
