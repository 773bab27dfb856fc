/** A queue node for the queue workload: an array in memory. Right on one node; not on three. */
import { createNode } from '@gyre/node';

const node = createNode();
const queue: unknown[] = [];

node.on('enqueue', (req) => {
  queue.push(req.body.value);
  return { type: 'enqueue_ok' };
});

node.on('dequeue', () => ({ type: 'dequeue_ok', value: queue.length > 0 ? queue.shift() : null }));

await node.run();
