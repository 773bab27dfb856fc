/** An echo node with a bug: it shouts back, so the echo workload finds every reply wrong. */
import { createNode } from '@gyre/node';

const node = createNode();

node.on('echo', (req) => ({ type: 'echo_ok', echo: String(req.body.echo).toUpperCase() }));

await node.run();
