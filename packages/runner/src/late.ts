/**
 * Late replies: a node answering a client that has already timed out (or closed) is not bad
 * output, just late. They are counted on their own (`late-replies` in the results), and the first
 * few are mentioned as INFO, never as a protocol error.
 */
import type { LateRepliesResult } from './analysis';

/** How many late replies are mentioned on the console (all are counted). */
const MENTIONED = 3;

/** Late replies of a run, counted per node. */
export class LateReplies {
  private readonly byNode = new Map<string, number>();
  private count = 0;

  constructor(private readonly info: (message: string) => void) {}

  /** Counts (and maybe mentions) a message from `node` to the closed client `client`. */
  report(node: string, client: string): void {
    this.byNode.set(node, (this.byNode.get(node) ?? 0) + 1);
    this.count++;
    if (this.count <= MENTIONED) {
      this.info(
        `Node ${node} replied to ${client} after that client had timed out or closed: a late reply, dropped (counted under late-replies in results.json; not an error).` +
          (this.count === MENTIONED ? ' Further late replies are counted but not mentioned.' : ''),
      );
    }
  }

  /** The `late-replies` section of the results, or undefined when there were none. */
  section(): LateRepliesResult | undefined {
    if (this.count === 0) return undefined;
    return { valid: true, count: this.count, byNode: Object.fromEntries(this.byNode) };
  }
}
