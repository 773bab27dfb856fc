import { stringifyJson, type Op } from '@gyre/history';
import type { CheckResult, Validity } from './validity';
import { field, fields, mapOf, type WireForm } from './wire';

/** The kinds of wrong read the bank checker reports. */
export type BankErrorType = 'unexpected-key' | 'nil-balance' | 'wrong-total' | 'negative-value';

/** One read that broke the bank's invariants (the first broken rule, in the order of {@link BankErrorType}). */
export interface BankError {
  type: BankErrorType;
  /** The ok read. */
  op: Op;
  /** unexpected-key: the accounts that are not among the known ones. */
  unexpected?: string[];
  /** nil-balance: the accounts whose balance was null. */
  nils?: string[];
  /** wrong-total: the sum the read saw. */
  total?: number;
  /** negative-value: the negative balances, in account order. */
  negative?: number[];
}

/** All reads with one kind of error, summarised as Jepsen does. */
export interface BankErrorSummary {
  count: number;
  first: BankError;
  /** The most egregious: most unknown accounts, most nils, farthest total, most money below zero. */
  worst: BankError;
  last: BankError;
  /** wrong-total only: the reads with the lowest and highest totals. */
  lowest?: BankError;
  highest?: BankError;
}

/** Result of {@link bank}. */
export interface BankResult extends CheckResult {
  /**
   * false when some ok read broke an invariant; `'unknown'` when there was no ok read, or a read's
   * value was not a map of balances (see `error`); otherwise true.
   */
  valid: Validity;
  /** Ok reads checked. */
  readCount: number;
  /** Reads with an error (each read counts once). */
  errorCount: number;
  /** The error with the lowest history index, or null. */
  firstError: BankError | null;
  /** Summaries by error type; only types that occurred. */
  errors: Partial<Record<BankErrorType, BankErrorSummary>>;
  /** The accounts reads were checked against (given, or those of the first ok read). */
  accounts: string[];
  /** The total every read must add up to (given, or the first ok read's sum). */
  totalAmount: number | null;
  /** Why the verdict is unknown, when it is for malformed input. */
  error?: string;
}

const bankErrorWire = fields<BankError>({ type: 'type', op: 'op', unexpected: 'unexpected', nils: 'nils', total: 'total', negative: 'negative' });

/** How a {@link BankResult} is written: `valid?`, `read-count`, `first-error`, `errors` (keyed by error type), …. */
export const bankWire: WireForm = fields<BankResult>({
  valid: 'valid?',
  readCount: 'read-count',
  errorCount: 'error-count',
  firstError: field('first-error', bankErrorWire),
  errors: field(
    'errors',
    mapOf(
      fields<BankErrorSummary>({
        count: 'count',
        first: field('first', bankErrorWire),
        worst: field('worst', bankErrorWire),
        last: field('last', bankErrorWire),
        lowest: field('lowest', bankErrorWire),
        highest: field('highest', bankErrorWire),
      }),
    ),
  ),
  accounts: 'accounts',
  totalAmount: 'total-amount',
  error: 'error',
});

/** Options of {@link bank}. */
export interface BankOptions {
  /**
   * The account ids. Compared as text, so `0` and `"0"` are the same account (EDN maps with
   * integer keys arrive with string keys).
   * @defaultValue the accounts of the first ok read
   */
  accounts?: readonly (string | number)[];
  /**
   * The amount of money in the bank.
   * @defaultValue the sum of the first ok read
   */
  totalAmount?: number;
  /**
   * Allow negative balances.
   * @defaultValue false
   */
  negativeBalances?: boolean;
  /**
   * The function that reads every balance; its ok value maps account to balance (an object, or a
   * list of `[account, balance]` pairs).
   * @defaultValue `'read'`
   */
  readF?: string;
}

function num(v: unknown): number | null | undefined {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/** A read's balances as [account, balance] entries, or a message saying why it is not a map. */
function balances(value: unknown): [string, number | null][] | string {
  let entries: [unknown, unknown][];
  if (Array.isArray(value)) {
    if (!value.every((e) => Array.isArray(e) && e.length === 2)) return `expected a map of account to balance, got ${stringifyJson(value)}`;
    entries = value as [unknown, unknown][];
  } else if (value !== null && typeof value === 'object') {
    entries = Object.entries(value as Record<string, unknown>);
  } else {
    return `expected a map of account to balance, got ${stringifyJson(value)}`;
  }
  const out: [string, number | null][] = [];
  for (const [k, v] of entries) {
    const n = num(v);
    if (n === undefined) return `balance of account ${String(k)} is not a number: ${stringifyJson(v)}`;
    out.push([String(k), n]);
  }
  return out;
}

function badness(e: BankError, total: number): number {
  switch (e.type) {
    case 'unexpected-key':
      return e.unexpected!.length;
    case 'nil-balance':
      return e.nils!.length;
    case 'wrong-total':
      return total > 0 ? Math.abs((e.total! - total) / total) : Math.abs(e.total! - total);
    case 'negative-value':
      return -e.negative!.reduce((a, b) => a + b, 0);
  }
}

const TYPES: readonly BankErrorType[] = ['unexpected-key', 'nil-balance', 'wrong-total', 'negative-value'];

/**
 * Jepsen's bank checker. Clients transfer money between accounts and read every balance; a
 * transfer must never create or destroy money, so every ok read must show exactly the known
 * accounts, each with a balance, adding up to the total, and (unless allowed) none negative.
 * Transfers themselves are not checked. Each read is tested against the rules in the order of
 * {@link BankErrorType} and reported under the first it breaks.
 */
export function bank(history: readonly Op[], opts: BankOptions = {}): BankResult {
  const readF = opts.readF ?? 'read';
  const reads: { op: Op; entries: [string, number | null][] }[] = [];
  for (const op of history) {
    if (op.type !== 'ok' || op.f !== readF || typeof op.process !== 'number') continue;
    const b = balances(op.value);
    if (typeof b === 'string') {
      return { valid: 'unknown', readCount: reads.length, errorCount: 0, firstError: null, errors: {}, accounts: [], totalAmount: null, error: `read at index ${op.index}: ${b}` };
    }
    reads.push({ op, entries: b });
  }
  const first = reads[0];
  const accounts = opts.accounts ? opts.accounts.map(String) : first ? first.entries.map(([k]) => k) : [];
  const known = new Set(accounts);
  const total = opts.totalAmount ?? (first ? first.entries.reduce((s, [, v]) => s + (v ?? 0), 0) : null);

  const byType = new Map<BankErrorType, BankError[]>();
  for (const { op, entries } of reads) {
    let err: BankError | undefined;
    const unexpected = entries.filter(([k]) => !known.has(k)).map(([k]) => k);
    const nils = entries.filter(([, v]) => v === null).map(([k]) => k);
    const sum = entries.reduce((s, [, v]) => s + (v ?? 0), 0);
    const negative = entries.filter(([, v]) => v !== null && v < 0).map(([, v]) => v!);
    if (unexpected.length > 0) err = { type: 'unexpected-key', op, unexpected };
    else if (nils.length > 0) err = { type: 'nil-balance', op, nils };
    else if (total !== null && sum !== total) err = { type: 'wrong-total', op, total: sum };
    else if (!opts.negativeBalances && negative.length > 0) err = { type: 'negative-value', op, negative };
    if (!err) continue;
    let l = byType.get(err.type);
    if (!l) byType.set(err.type, (l = []));
    l.push(err);
  }

  const errors: Partial<Record<BankErrorType, BankErrorSummary>> = {};
  let firstError: BankError | null = null;
  let errorCount = 0;
  for (const t of TYPES) {
    const l = byType.get(t);
    if (!l) continue;
    errorCount += l.length;
    let worst = l[0]!;
    for (const e of l) if (badness(e, total ?? 0) > badness(worst, total ?? 0)) worst = e;
    const s: BankErrorSummary = { count: l.length, first: l[0]!, worst, last: l[l.length - 1]! };
    if (t === 'wrong-total') {
      s.lowest = l.reduce((a, b) => (b.total! < a.total! ? b : a));
      s.highest = l.reduce((a, b) => (b.total! > a.total! ? b : a));
    }
    errors[t] = s;
    if (!firstError || l[0]!.op.index < firstError.op.index) firstError = l[0]!;
  }
  const valid: Validity = errorCount > 0 ? false : reads.length === 0 ? 'unknown' : true;
  const out: BankResult = { valid, readCount: reads.length, errorCount, firstError, errors, accounts, totalAmount: total };
  if (reads.length === 0) out.error = `no ok ${readF} in the history`;
  return out;
}
