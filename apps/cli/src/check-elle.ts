/**
 * The Elle models of `gyre check`: list-append and rw-register transactions checked for the
 * anomalies the requested consistency models forbid.
 */
import { checkListAppend, checkRwRegister, ConsistencyModelError, elleWire, parseConsistencyModels, type CycleAnomaly, type ElleResult } from '@gyre/checker/elle';
import type { Op } from '@gyre/history';
import { show, txn, type CheckModel, type CheckOptions, type Locator } from './check-models';

const isCycle = (c: unknown): c is CycleAnomaly => typeof c === 'object' && c !== null && typeof (c as CycleAnomaly).explanation === 'string' && Array.isArray((c as CycleAnomaly).cycle);

/** Adds file lines to an explanation's "T1 = op 7 (" lines. */
function withLines(text: string, loc: Locator): string {
  return text.replace(/= op (\d+) \(/g, (all, i: string) => {
    const at = loc.at(Number(i));
    return at.startsWith('line ') ? `= op ${i}, ${at} (` : all;
  });
}

/** The explanation of an Elle result. */
function explainElle(r: ElleResult, history: readonly Op[], opts: CheckOptions, loc: Locator): string[] {
  const requested = opts.consistencyModels ? parseConsistencyModels(opts.consistencyModels.join(',')) : ['strict-serializable'];
  const models = requested.join(', ');
  const impossible = new Set([...(r.not ?? []), ...(r.alsoNot ?? [])]);
  const broken = requested.filter((m) => impossible.has(m));
  const txns = history.filter((o) => o.type === 'ok' || o.type === 'info').length;
  if (r.error) return [`Unknown: the history cannot be checked: ${r.error.message}`];
  if (r.valid === true) return [`No anomaly that ${models} forbids, in ${txns} completed transactions.`];
  const out: string[] = [];
  const types = r.anomalyTypes ?? [];
  out.push(
    r.valid === false
      ? `Not ${(broken.length > 0 ? broken : requested).join(', ')}: found ${types.map((t) => `${t} (${r.anomalies?.[t]?.length ?? 0} case${r.anomalies?.[t]?.length === 1 ? '' : 's'})`).join(', ')}.`
      : `Unknown: no anomaly that ${models} forbids was found, but ${types.join(', ')}.`,
  );
  if (r.not?.length) out.push(`These anomalies rule out ${r.not.join(', ')}${r.alsoNot?.length ? `, and so also ${r.alsoNot.join(', ')}` : ''}.`);
  const MAX = 3;
  for (const t of types) {
    const cases = r.anomalies?.[t] ?? [];
    out.push('');
    if (t === 'cycle-search-timeout') {
      for (const c of cases.slice(0, MAX) as { anomalySpecType?: string; sccSize?: number }[]) {
        out.push(`cycle-search-timeout: the search for ${c.anomalySpecType ?? 'cycles'} in a component of ${c.sccSize ?? '?'} transactions ran out of time (--cycle-search-timeout).`);
      }
      continue;
    }
    for (const c of cases.slice(0, MAX)) {
      if (isCycle(c)) out.push(...withLines(c.explanation, loc).split('\n'));
      else out.push(`${t}: ${show(c, 400)}`);
    }
    if (cases.length > MAX) out.push(`… and ${cases.length - MAX} more ${t} cases (see --json).`);
  }
  return out;
}

function validateElle(opts: CheckOptions): string | undefined {
  if (!opts.consistencyModels) return undefined;
  try {
    parseConsistencyModels(opts.consistencyModels.join(','));
  } catch (e) {
    if (e instanceof ConsistencyModelError) return `--consistency-models: ${e.message}`;
    throw e;
  }
  return undefined;
}

function elleOptions(opts: CheckOptions) {
  return {
    ...(opts.consistencyModels ? { consistencyModels: parseConsistencyModels(opts.consistencyModels.join(',')) } : {}),
    ...(opts.anomalies ? { anomalies: opts.anomalies } : {}),
    ...(opts.cycleSearchTimeout !== undefined ? { cycleSearchTimeout: opts.cycleSearchTimeout } : {}),
  };
}

/** list-append and rw-register. */
export const elleModels: CheckModel[] = [
  {
    name: 'list-append',
    summary: "Elle's list-append: transactions of appends and reads of lists, checked for isolation anomalies",
    family: 'elle',
    expects: 'transactions of [append k v] and [r k list] micro-ops',
    shape: txn(['append', 'r']),
    validateOptions: validateElle,
    run(history, opts, loc) {
      const r = checkListAppend(history, elleOptions(opts));
      return { valid: r.valid, result: r, wire: elleWire, text: explainElle(r, history, opts, loc) };
    },
  },
  {
    name: 'rw-register',
    summary: "Elle's rw-register: transactions of register reads and writes, checked for isolation anomalies",
    family: 'elle',
    expects: 'transactions of [w k v] and [r k v] micro-ops',
    shape: txn(['r', 'w']),
    validateOptions: validateElle,
    run(history, opts, loc) {
      const r = checkRwRegister(history, elleOptions(opts));
      return { valid: r.valid, result: r, wire: elleWire, text: explainElle(r, history, opts, loc) };
    },
  },
];
