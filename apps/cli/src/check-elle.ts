/**
 * The Elle models' checker for `gyre check`, loaded only when one is used: list-append and
 * rw-register transactions checked for the anomalies the requested consistency models forbid. A
 * JSON Lines file, or an EDN file with one op map per line, is streamed straight into the
 * checkers' column-wise history (no op objects); any other file goes through the general reader.
 */
import {
  checkListAppend,
  checkRwRegister,
  ConsistencyModelError,
  elleWire,
  parseConsistencyModels,
  S_APPEND,
  S_LIST,
  S_READ,
  S_WRITE,
  T_INFO,
  T_INVOKE,
  T_OK,
  TxnEdnReader,
  TxnJsonlReader,
  TxnReadError,
  type CycleAnomaly,
  type ElleResult,
  type RwRegisterOptions,
  type TxnHistory,
} from '@gyre/checker/elle';
import type { Op } from '@gyre/history';
import { show, type CheckOptions, type CheckRunner, type FileCheck, type Locator } from './check-models';
import { detectFormat, streamFile, type HistoryFormat } from './check-input';

const isCycle = (c: unknown): c is CycleAnomaly => typeof c === 'object' && c !== null && typeof (c as CycleAnomaly).explanation === 'string' && Array.isArray((c as CycleAnomaly).cycle);

/** Adds file lines to an explanation's "T1 = op 7 (" lines. */
function withLines(text: string, loc: Locator): string {
  return text.replace(/= op (\d+) \(/g, (all, i: string) => {
    const at = loc.at(Number(i));
    return at.startsWith('line ') ? `= op ${i}, ${at} (` : all;
  });
}

/** The explanation of an Elle result; `txns` is the number of completed (ok or info) transactions. */
function explainElle(r: ElleResult, txns: number, opts: CheckOptions, loc: Locator): string[] {
  const requested = opts.consistencyModels ? parseConsistencyModels(opts.consistencyModels.join(',')) : ['strict-serializable'];
  const models = requested.join(', ');
  const impossible = new Set([...(r.not ?? []), ...(r.alsoNot ?? [])]);
  const broken = requested.filter((m) => impossible.has(m));
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

function elleOptions(opts: CheckOptions): RwRegisterOptions {
  return {
    ...(opts.consistencyModels ? { consistencyModels: parseConsistencyModels(opts.consistencyModels.join(',')) } : {}),
    ...(opts.anomalies ? { anomalies: opts.anomalies } : {}),
    ...(opts.cycleSearchTimeout !== undefined ? { cycleSearchTimeout: opts.cycleSearchTimeout } : {}),
    ...(opts.wfrKeys ? { wfrKeys: true } : {}),
    ...(opts.sequentialKeys ? { sequentialKeys: true } : {}),
    ...(opts.linearizableKeys ? { linearizableKeys: true } : {}),
  };
}

const completed = (history: readonly Op[]) => history.filter((o) => o.type === 'ok' || o.type === 'info').length;

// ---------------------------------------------------------------------------------------------
// The fast path: JSON Lines, or EDN with one op map per line, streamed into a TxnHistory.

/** EDN whose first form is a map (after blanks and comments): one op per line, most likely. */
const EDN_MAP_FIRST = /^(?:[\s,]|;[^\n]*\n)*\{/;

/**
 * The history in a JSON Lines or line-per-op EDN file, streamed (`streamFile`), or undefined when
 * the file is in another format or has a line the readers refuse.
 */
function readLines(path: string, forced: HistoryFormat | undefined): { hist: TxnHistory; format: 'jsonl' | 'edn'; renumbered: boolean } | undefined {
  if (forced !== undefined && forced !== 'jsonl' && forced !== 'edn') return undefined;
  let format: 'jsonl' | 'edn' | undefined;
  try {
    const reader = streamFile(path, (head, size) => {
      const f = forced ?? detectFormat(head);
      if (f === 'edn' && !EDN_MAP_FIRST.test(head)) return undefined;
      if (f !== 'jsonl' && f !== 'edn') return undefined;
      format = f;
      return f === 'jsonl' ? new TxnJsonlReader({ bytes: size }) : new TxnEdnReader({ bytes: size });
    });
    if (!reader || !format) return undefined;
    const hist = reader.end();
    return hist.length === 0 ? undefined : { hist, format, renumbered: reader.renumbered };
  } catch (e) {
    if (e instanceof TxnReadError) return undefined;
    throw e;
  }
}

/** Points at the entries of a column-wise history: by index, to their file lines. */
function columnLocator(hist: TxnHistory): Locator {
  const pos = (index: number): number => {
    let lo = 0;
    let hi = hist.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const x = hist.index[mid]!;
      if (x === index) return mid;
      if (x < index) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  return {
    at(index) {
      const p = pos(index);
      const line = p < 0 ? 0 : hist.lineOf(p);
      return line > 0 ? `line ${line}` : `op ${index}`;
    },
    op(index) {
      const p = pos(index);
      return p < 0 ? undefined : hist.op(p);
    },
    completion() {
      return undefined;
    },
  };
}

/**
 * Checks a JSON Lines or EDN file without building ops, when every client op fits the model
 * (`allowed`: the micro-op shape bits it accepts); undefined otherwise, so the general path
 * explains why not.
 */
function checkLinesFile(path: string, format: HistoryFormat | undefined, allowed: number, check: (hist: TxnHistory) => ElleResult, opts: CheckOptions): FileCheck | undefined {
  const read = readLines(path, format);
  if (!read) return undefined;
  const { hist } = read;
  const refused = ~(allowed | S_LIST) & 0xff;
  let clients = 0;
  let txns = 0;
  for (let i = 0; i < hist.length; i++) {
    const ty = hist.type[i]!;
    if (ty === T_OK || ty === T_INFO) txns++;
    // Only client ops (every process but the nemesis), invocations and ok completions, must fit.
    if (ty !== T_INVOKE && ty !== T_OK) continue;
    if (hist.process[i]! < 0 && hist.processValue(i) === 'nemesis') continue;
    if (ty === T_INVOKE) clients++;
    if (hist.shape[i]! & refused) return undefined;
  }
  const r = check(hist);
  const outcome: FileCheck['outcome'] = { valid: r.valid, result: r, wire: elleWire, text: explainElle(r, txns, opts, columnLocator(hist)) };
  return { format: read.format, entries: hist.length, clients, renumbered: read.renumbered, outcome };
}

/**
 * The checker of an Elle model: `check` on ops or, for a JSON Lines or EDN file whose client ops
 * fit the model (`allowed`: the micro-op shape bits it accepts), on the streamed column-wise history.
 */
function elleRunner(check: (history: readonly Op[] | TxnHistory, opts: RwRegisterOptions) => ElleResult, allowed: number): CheckRunner {
  return {
    validateOptions: validateElle,
    run(history, opts, loc) {
      const r = check(history, elleOptions(opts));
      return { valid: r.valid, result: r, wire: elleWire, text: explainElle(r, completed(history), opts, loc) };
    },
    checkFile: (path, format, opts) => checkLinesFile(path, format, allowed, (h) => check(h, elleOptions(opts)), opts),
  };
}

/** The checker of each Elle model of the catalog, by name. */
export const ELLE_RUNNERS: Readonly<Record<string, CheckRunner>> = {
  'list-append': elleRunner(checkListAppend, S_READ | S_APPEND),
  'rw-register': elleRunner(checkRwRegister, S_READ | S_WRITE),
};
