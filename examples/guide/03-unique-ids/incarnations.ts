/**
 * Unique ids that survive a crash: each start of the process is a new *incarnation*, numbered
 * in a file in the node's own directory, `node.dir` (which outlives the process, like a disk), and
 * ids are `<node id>-<incarnation>-<counter>`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNode } from '@gyre/node';

const node = createNode();
const file = join(node.dir, 'incarnation');
const incarnation = existsSync(file) ? Number(readFileSync(file, 'utf8')) + 1 : 0;
writeFileSync(file, String(incarnation)); // before we hand out a single id
let next = 0;

node.on('generate', () => ({ type: 'generate_ok', id: `${node.id}-${incarnation}-${next++}` }));

await node.run();
