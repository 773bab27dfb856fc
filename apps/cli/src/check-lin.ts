/**
 * The linearizability models' checker for `gyre check` (loaded only when one is used): the search
 * of @gyre/checker, and the explanation of its verdict in words and file lines.
 */
import { casRegister, fifoQueue, linearizable, linearizableWire, linKv, multiRegister, mutex, register, stringKv, unorderedQueue, type LinearFailure, type LinearizableResult, type Model } from '@gyre/checker';
import { valuesEqual } from '@gyre/history';
import { show, type CheckRunner, type ExplainMode, type Locator } from './check-models';

function pairText(loc: Locator, index: number): string {
  const inv = loc.op(index);
  if (!inv) return `op ${index}`;
  const comp = loc.completion(index);
  const key = inv['key'] !== undefined ? ` ${show(inv['key'], 20)}` : '';
  let out = `${loc.at(index).padEnd(10)} process ${String(inv.process).padEnd(3)} ${inv.f}${key} ${inv.value === null ? '' : show(inv.value, 40)}`.trimEnd();
  if (!comp) return `${out}  → never completed`;
  out += `  → ${comp.type}`;
  if (comp.type === 'ok' && !valuesEqual(comp.value, inv.value)) out += ` ${show(comp.value, 40)}`;
  return out;
}

/** The explanation of a linearizability result. */
function explainLinear(r: LinearizableResult, loc: Locator, timeLimit: number | undefined, mode: ExplainMode = 'first'): string[] {
  const parts = r.partitions.length;
  const size = `${r.opCount} operations${parts > 1 ? ` on ${parts} keys, each checked on its own` : ''}${r.failedOps ? `; ${r.failedOps} failed ones ignored` : ''}`;
  if (r.valid === true) return [`Linearizable (${size}): each operation can be given a moment between its invocation and its completion such that, in that order, they are a legal run of the ${r.model} model.`];
  if (r.valid === 'unknown') {
    if (r.cause === 'no-operations') return [`Unknown: there is no operation to check (${r.failedOps ? `${r.failedOps} failed, and ` : ''}no operation of a client completed or changed the state), so the history shows nothing either way.`];
    const why =
      r.cause === 'timeout'
        ? `the search ran out of time${timeLimit !== undefined ? ` (--time-limit ${timeLimit})` : ''}`
        : r.cause === 'cache-limit'
          ? 'the search ran out of memory for its cache'
          : 'the search could not finish';
    const undecided = r.partitions.filter((p) => p.valid === 'unknown');
    return [`Unknown: ${why} before deciding ${undecided.length === parts ? 'the history' : `${undecided.length} of ${parts} partitions`} (${size}). No violation was found.`];
  }
  const out = [`Not linearizable (${size}).`];
  const failures = r.failures ?? (r.failure ? [r.failure] : []);
  for (const f of failures) {
    if (parts > 1) out.push(`In the partition of key ${show(f.key)}:`);
    out.push(...(mode === 'brief' ? briefFailure(f, loc) : fullFailure(r, f, loc)));
  }
  if (mode === 'first' && parts > 1) {
    const bad = r.partitions.filter((p) => p.valid === false).length;
    const unchecked = r.partitions.filter((p) => p.cause === 'not-checked').length;
    if (unchecked > 0) out.push(`${unchecked} other key${unchecked > 1 ? 's were' : ' was'} not checked once this one failed; --explain all checks and explains every key.`);
    else if (bad > 1) out.push(`${bad - 1} other key${bad > 2 ? 's are' : ' is'} not linearizable either; --explain all explains every key.`);
  }
  return out;
}

function opAt(f: LinearFailure, loc: Locator): string {
  return `${f.op.description} by process ${String(f.op.process)}, ${loc.at(f.op.index)}${f.op.completionIndex >= 0 ? ` to ${loc.at(f.op.completionIndex).replace(/^(line|op) /, '')}` : ''} (history index ${f.op.index})`;
}

function briefFailure(f: LinearFailure, loc: Locator): string[] {
  return [
    `The longest linearizable prefix found has ${f.longestPrefix.length} operations; after it, ${opAt(f, loc)} cannot be linearized${f.reason ? `: ${f.reason}` : ''}.`,
    'Run with --explain all for the states before it and a small stretch of the history that cannot be linearized.',
  ];
}

function fullFailure(r: LinearizableResult, f: LinearFailure, loc: Locator): string[] {
  const out: string[] = [];
  out.push(`The operation that cannot be linearized: ${opAt(f, loc)}.`);
  if (f.reason) out.push(`Why: ${f.reason}.`);
  if (f.states.length > 0) {
    const ds = f.states.map((s) => s.description);
    out.push(`Just before it, whatever order the earlier operations took, the ${r.model} could only be: ${ds.join(', ')}${f.statesTruncated ? ', …' : ''}.`);
  }
  const all = [...new Set([...f.stretch.ops, ...f.stretch.uncertain])].sort((a, b) => a - b);
  const uncertain = new Set(f.stretch.uncertain);
  out.push(
    `A stretch that already cannot be linearized (${loc.at(f.stretch.from)} to ${loc.at(f.stretch.to).replace(/^(line|op) /, '')}, ${all.length} operations; those marked ? count as indeterminate: they may or may not have happened${f.stretch.truncated ? '; shrinking ran out of time, so it may not be the smallest' : ''}):`,
  );
  const MAX = 40;
  for (const i of all.slice(0, MAX)) out.push(`  ${uncertain.has(i) ? '?' : ' '} ${pairText(loc, i)}${i === f.op.index ? '   <- cannot be linearized' : ''}`);
  if (all.length > MAX) out.push(`  … and ${all.length - MAX} more (see --json)`);
  return out;
}

function linRunner(model: () => Model<any, any>): CheckRunner {
  return {
    run(history, opts, loc) {
      const mode = opts.explain ?? 'first';
      const r = linearizable(history, {
        model: model(),
        ...(opts.timeLimit !== undefined ? { timeLimit: opts.timeLimit * 1000 } : {}),
        allPartitions: mode === 'all',
        explain: mode === 'all' ? 'all' : mode === 'first',
      });
      return { valid: r.valid, result: r, wire: linearizableWire, text: explainLinear(r, loc, opts.timeLimit, mode) };
    },
  };
}

/** The checker of each linearizability model of the catalog, by name. */
export const LIN_RUNNERS: Readonly<Record<string, CheckRunner>> = {
  'cas-register': linRunner(() => casRegister()),
  'register': linRunner(() => register()),
  'mutex': linRunner(() => mutex()),
  'multi-register': linRunner(() => multiRegister()),
  'fifo-queue': linRunner(() => fifoQueue()),
  'unordered-queue': linRunner(() => unorderedQueue()),
  'kv': linRunner(() => stringKv()),
  'lin-kv': linRunner(() => linKv()),
};
