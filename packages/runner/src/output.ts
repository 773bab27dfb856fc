/**
 * What a node writes: each line is decoded and sent through the network, and bad lines are
 * counted by kind (the first few of each logged), the same whether the node is a process or an
 * in-process instance.
 */
import type { Router } from '@gyre/net';
import { decodeLine } from '@gyre/protocol';
import { clip } from './services';

/** Bad lines from nodes, counted by kind; the first 10 of each kind are reported. */
export class ProtocolErrors {
  /** Count per kind. */
  readonly counts = new Map<string, number>();

  constructor(private readonly warn: (message: string) => void) {}

  /** Counts (and maybe reports) one bad line. */
  report(node: string, kind: string, text: string, reason: string): void {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    if (n <= 10) this.warn(`Node ${node} wrote a bad message (${kind}): ${reason}. The line was: ${clip(JSON.stringify(text))}`);
    if (n === 10) this.warn(`(further ${kind} errors are counted in results.json but not logged)`);
  }
}

/** Decodes one line `node` wrote and sends it through `router`, reporting a bad line to `errors`. */
export function routeNodeLine(router: Router, node: string, line: string, errors: ProtocolErrors): void {
  const d = decodeLine(line);
  if (!d.ok) return errors.report(node, d.kind, line, d.reason);
  const r = router.send(d.message, line.trim());
  if (!r.ok) {
    const hint = r.kind === 'unknown-dest' && d.message.dest.startsWith('c') ? ' (a reply to a client that has already timed out or closed?)' : '';
    errors.report(node, r.kind, line, r.reason + hint);
  }
}
