/**
 * What a node writes: each line is decoded and sent through the network, and bad lines are
 * counted by kind (the first few of each logged), the same whether the node is a process or an
 * in-process instance.
 */
import { escapeControls, quoteInput } from '@gyre/history';
import type { Router } from '@gyre/net';
import { decodeLine } from '@gyre/protocol';
import type { ProtocolErrorsResult } from './analysis';
import { decodeForRouting } from './decode';

/** Bad lines from nodes, counted by kind; the first 10 of each kind are reported. */
export class ProtocolErrors {
  /** Count per kind. */
  readonly counts = new Map<string, number>();

  constructor(private readonly warn: (message: string) => void) {}

  /** Counts (and maybe reports) one bad line. */
  report(node: string, kind: string, text: string, reason: string): void {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    // The line, and the reason (which may quote it), with their control characters escaped.
    if (n <= 10) this.warn(`Node ${node} wrote a bad message (${kind}): ${escapeControls(reason)}. The line was: ${quoteInput(text)}`);
    if (n === 10) this.warn(`(further ${kind} errors are counted in results.json but not logged)`);
  }

  /** The `protocol-errors` section of the results, or undefined when there were none. */
  section(): ProtocolErrorsResult | undefined {
    if (!this.counts.size) return undefined;
    return { valid: true, count: [...this.counts.values()].reduce((a, b) => a + b, 0), byKind: Object.fromEntries(this.counts) };
  }
}

/**
 * Decodes one line `node` wrote and sends it through `router`, reporting a bad line to `errors`.
 *
 * @param isNode when given, lines between two nodes are forwarded without decoding their bodies
 *   (see `decodeForRouting`); leave it out when every body must be read (net logging).
 */
export function routeNodeLine(router: Router, node: string, line: string, errors: ProtocolErrors, isNode?: (id: string) => boolean): void {
  const d = isNode ? decodeForRouting(line, isNode) : decodeLine(line);
  if (!d.ok) return errors.report(node, d.kind, line, d.reason);
  const r = router.send(d.message, line.trim());
  if (!r.ok) {
    const hint = r.kind === 'unknown-dest' && d.message.dest.startsWith('c') ? ' (a reply to a client that has already timed out or closed?)' : '';
    errors.report(node, r.kind, line, r.reason + hint);
  }
}
