/**
 * Which node ids a run accepts. Maelstrom takes any string, but Gyre makes files and directories
 * from node ids (`node-logs/<id>.log`, each node's working directory) and routes by them, so an id
 * must be safe as a file name and must not be an id the network already gives to a client or a
 * service.
 */
import { quoteInput } from '@gyre/history';
import { SERVICE_IDS } from '@gyre/services';

/**
 * A node id: letters, digits, `-`, `_` and `.`, starting with a letter or a digit, at most 100
 * characters. So `n1`, `node-2`, `db_3`, `10.0.0.1`; not `../x`, `a/b`, `.` or `..`.
 */
export const NODE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** Gyre's client ids: `c0`, `c1`, … */
const CLIENT_ID = /^c\d+$/;

/** What is wrong with a run's node ids, in a sentence, or undefined when they are fine. */
export function nodeIdsProblem(ids: readonly string[]): string | undefined {
  for (const id of ids) {
    const q = quoteInput(id, 40);
    if (!NODE_ID_PATTERN.test(id)) {
      return `Node id ${q} is not allowed: a node id is letters, digits, "-", "_" and ".", starting with a letter or a digit, at most 100 characters (Gyre names files after it).`;
    }
    if (CLIENT_ID.test(id)) return `Node id ${q} is a client's id: Gyre's clients are c0, c1, c2, … (as Maelstrom's). Choose another, such as n1.`;
    if ((SERVICE_IDS as readonly string[]).includes(id)) return `Node id ${q} is a service's id (${SERVICE_IDS.join(', ')}). Choose another, such as n1.`;
  }
  if (new Set(ids).size !== ids.length) return `Node ids must be unique, got ${ids.join(', ')}`;
  return undefined;
}
