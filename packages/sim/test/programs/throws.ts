import { createNode } from '@gyre/node';

const node = createNode();
node.on('echo', (req) => ({ echo: req.body.echo }));
throw new Error('no node today');
