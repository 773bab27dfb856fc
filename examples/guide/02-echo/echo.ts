/**
 * Echo with @gyre/node: the library reads and writes the lines, answers init, fills in
 * msg_id and in_reply_to, and turns a thrown error into an error reply.
 */
import { createNode } from '@gyre/node';

const node = createNode();

node.on('init', () => node.log(`I am ${node.id}, one of ${node.nodeIds.join(', ')}`));

node.on('echo', (req) => ({ type: 'echo_ok', echo: req.body.echo }));

await node.run();
