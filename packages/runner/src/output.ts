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

/** What a node that logs to STDOUT by mistake is told (the commonest first bug). */
const STDOUT_HINT =
  'Was this line meant for STDERR? STDOUT carries protocol messages only, one JSON object per line; logs go to STDERR: ' +
  'node.log(...) with @gyre/node, console.error(...) in JavaScript, print(..., file=sys.stderr) in Python (sys.stderr.write), ' +
  'fmt.Fprintln(os.Stderr, ...) or log.Printf in Go, eprintln!(...) in Rust, System.err.println(...) in Java, $stderr.puts in Ruby.';

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
    if (n <= 10) this.warn(`Node ${node} wrote a bad message (${kind}): ${escapeControls(reason)}. The line was: ${quoteInput(text)}${this.hint(kind, text)}`);
    if (n === 10) this.warn(`(further ${kind} errors are counted in results.json but not logged)`);
  }

  private stdoutHinted = false;

  /** Maelstrom's hint, once, for a line that looks like a log line printed to STDOUT. */
  private hint(kind: string, text: string): string {
    if (kind !== 'not-json' || this.stdoutHinted || /^\s*[{[]/.test(text)) return '';
    this.stdoutHinted = true;
    return `\n  ${STDOUT_HINT}`;
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
 * @param late told of a message to an unknown destination; returns true when that destination is
 *   a client that has closed (a late reply, counted by it, not a protocol error)
 */
export function routeNodeLine(router: Router, node: string, line: string, errors: ProtocolErrors, isNode?: (id: string) => boolean, late?: (node: string, dest: string) => boolean): void {
  const d = isNode ? decodeForRouting(line, isNode) : decodeLine(line);
  if (!d.ok) return errors.report(node, d.kind, line, d.reason);
  const r = router.send(d.message, line.trim());
  if (!r.ok) {
    if (r.kind === 'unknown-dest' && late?.(node, d.message.dest)) return;
    const hint = r.kind === 'unknown-dest' && d.message.dest.startsWith('c') ? ' (a reply to a client that has already timed out or closed?)' : '';
    errors.report(node, r.kind, line, r.reason + hint);
  }
}
