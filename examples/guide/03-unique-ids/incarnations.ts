/**
 * Unique ids that survive a crash: each start of the process is a new *incarnation*, numbered
 * in a file in the node's working directory (which outlives the process, like a disk), and ids are
 * `<node id>-<incarnation>-<counter>`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createNode } from '@gyre/node';

const node = createNode();
const file = 'incarnation';
const incarnation = existsSync(file) ? Number(readFileSync(file, 'utf8')) + 1 : 0;
writeFileSync(file, String(incarnation)); // before we hand out a single id
let next = 0;

node.on('generate', () => ({ type: 'generate_ok', id: `${node.id}-${incarnation}-${next++}` }));

await node.run();
