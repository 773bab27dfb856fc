/**
 * Jepsen's checkers for `gyre check` (loaded only when one of their models is used): set,
 * set-full, counter, bank and long-fork, and the explanation of each verdict.
 */
import { bank, bankWire, counter, counterBounds, counterBoundsWire, counterWire, longFork, longForkWire, set, setFull, setFullWire, setWire } from '@gyre/checker';
import { show, type CheckRunner } from './check-models';

function list(xs: unknown[], max = 20): string {
  const shown = xs.slice(0, max).map((x) => show(x, 30));
  return shown.join(' ') + (xs.length > max ? ` … (${xs.length} in all)` : '');
}

/** The checker of each of Jepsen's models of the catalog, by name. */
export const JEPSEN_RUNNERS: Readonly<Record<string, CheckRunner>> = {
  'set': {
    run(history, _opts, loc) {
      const r = set(history);
      const text: string[] = [];
      if (r.valid === 'unknown') text.push(`Unknown: ${r.error}.`);
      else {
        text.push(`${r.attemptCount} elements attempted, ${r.acknowledgedCount} acknowledged; the final read (${loc.at(r.finalRead!.index)}) holds ${r.okCount + r.recoveredCount + r.unexpectedCount}.`);
        if (r.lostCount) text.push(`Lost (acknowledged, then missing from the final read): ${r.lostCount}: ${list(r.lost)}`);
        if (r.unexpectedCount) text.push(`Unexpected (in the final read, never added): ${r.unexpectedCount}: ${list(r.unexpected)}`);
        if (r.recoveredCount) text.push(`Recovered (add not acknowledged, present anyway; fine): ${r.recoveredCount}: ${list(r.recovered)}`);
        if (r.valid) text.push('Every acknowledged element is in the final read, and nothing unexpected is.');
      }
      return { valid: r.valid, result: r, wire: setWire, text };
    },
  },
  'set-full': {
    run(history, _opts, loc) {
      const r = setFull(history, history.some((o) => o.f === 'broadcast') ? { addF: 'broadcast' } : {});
      const valid = r.valid;
      const text = [`${r.attemptCount} elements attempted: ${r.stableCount} stable, ${r.lostCount} lost, ${r.neverReadCount} never read, ${r.staleCount} stale.`];
      if (r.lostCount) {
        text.push(`Lost (seen or acknowledged, then missing from every later read): ${list(r.lost)}`);
      }
      if (r.duplicatedCount) text.push(`Read more than once by a single read: ${r.duplicated.map(([v, n]) => `${show(v)} ×${n}`).join(', ')}`);
      if (valid === 'unknown') text.push('Unknown: no element was ever read after its add completed.');
      else if (valid === true) text.push('No element was lost.');
      for (const w of r.worstStale.slice(0, 3)) text.push(`Stale: ${show(w.element)} took ${w.stableLatency} ms to become visible to every read${w.known ? ` (known at ${loc.at(w.known.index)})` : ''}.`);
      return { valid, result: r, wire: setFullWire, text };
    },
  },
  'counter': {
    run(history, _opts, loc) {
      if (history.some((o) => o.final === true && o.f === 'read' && o.type === 'ok')) {
        // A Maelstrom g-counter / pn-counter history: reads during the run may lag (the counters are
        // eventually consistent); only the final reads must be right.
        const m = counter(history);
        const text = [`Maelstrom's counter rule (the history has final reads): ${m.finalReads.length} final reads, each must be a sum the adds could have produced: ${m.acceptable.map(([a, b]) => (a === b ? `${a}` : `${a}..${b}`)).join(', ')}.`];
        if (m.error) text.push(`Unknown: ${m.error}.`);
        for (const e of (m.errors ?? []).slice(0, 10)) text.push(`${loc.at(e.index)}: process ${String(e.process)} finally read ${show(e.value)}, which no combination of the adds gives.`);
        if (m.valid === true) text.push('Every final read is possible.');
        return { valid: m.valid, result: m, wire: counterWire, text };
      }
      const r = counterBounds(history);
      const text = [`${r.readCount} reads checked.`];
      if (r.error) text.push(`Unknown: ${r.error}.`);
      for (const e of r.errors.slice(0, 10)) text.push(`${loc.at(e.op.index)}: process ${String(e.op.process)} read ${e.value}, but while that read ran the counter was between ${e.lower} and ${e.upper}.`);
      if (r.errors.length > 10) text.push(`… and ${r.errors.length - 10} more bad reads (see --json).`);
      if (r.valid === true) text.push('Every read lies within its bounds.');
      return { valid: r.valid, result: r, wire: counterBoundsWire, text };
    },
  },
  'bank': {
    run(history, opts, loc) {
      const r = bank(history, {
        ...(opts.totalAmount !== undefined ? { totalAmount: opts.totalAmount } : {}),
        ...(opts.accounts ? { accounts: opts.accounts } : {}),
        negativeBalances: opts.negativeBalances ?? false,
      });
      const text: string[] = [];
      if (r.error) text.push(`Unknown: ${r.error}.`);
      else text.push(`${r.readCount} reads of accounts ${r.accounts.join(', ')}, each checked against a total of ${r.totalAmount}${opts.totalAmount === undefined ? ' (the first read’s)' : ''}.`);
      for (const [type, s] of Object.entries(r.errors)) {
        const e = s.first;
        const detail =
          e.type === 'wrong-total'
            ? `total ${e.total} instead of ${r.totalAmount} (lowest ${s.lowest!.total}, highest ${s.highest!.total})`
            : e.type === 'negative-value'
              ? `negative balances ${e.negative!.join(', ')}`
              : e.type === 'nil-balance'
                ? `no balance for accounts ${e.nils!.join(', ')}`
                : `unknown accounts ${e.unexpected!.join(', ')}`;
        text.push(`${type}: ${s.count} read${s.count > 1 ? 's' : ''}; the first, ${loc.at(e.op.index)}: ${detail}: ${show(e.op.value, 120)}`);
      }
      if (r.valid === true) text.push('Every read conserves the total' + (opts.negativeBalances ? '.' : ' and no balance is negative.'));
      return { valid: r.valid, result: r, wire: bankWire, text };
    },
  },
  'long-fork': {
    run(history, opts, loc) {
      const r = longFork(history, opts.groupSize !== undefined ? { groupSize: opts.groupSize } : {});
      const text = [`${r.readCount} reads (${r.earlyReadCount} saw nothing inserted yet, ${r.lateReadCount} saw everything).`];
      if (r.error) text.push(`Unknown: ${r.error.message}.`);
      for (const f of r.forks.slice(0, 10)) {
        const [a, b] = f.reads;
        text.push(
          `Long fork: the read at ${loc.at(a.index)} saw ${list(f.onlyFirst)} inserted but not ${list(f.onlySecond)}; the read at ${loc.at(b.index)} saw ${list(f.onlySecond)} but not ${list(f.onlyFirst)}. Each saw an insert the other missed, so they observed the inserts in opposite orders.`,
        );
      }
      if (r.forks.length > 10) text.push(`… and ${r.forks.length - 10} more forks (see --json).`);
      if (r.valid === true) text.push('Every group’s reads agree on one order of inserts.');
      return { valid: r.valid, result: r, wire: longForkWire, text };
    },
  },
};
