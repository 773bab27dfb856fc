/**
 * A workload of your own: a FIFO queue. Clients enqueue 0, 1, 2, ... and dequeue; the checker
 * asks whether some order of the operations, each taking effect between its call and its reply,
 * explains every dequeue (linearizability against a FIFO queue model).
 *
 *   gyre test -w ./examples/dist/guide/09-plugins/queue-workload.js --bin examples/dist/guide/09-plugins/queue.js --node-count 1 --time-limit 10 --rate 20
 */
// #region rpcs
import { linearizable, models } from '@gyre/checker';
import { mix, sequence } from '@gyre/generator';
import { Any, defineRpc } from '@gyre/protocol';
import { defineWorkload } from '@gyre/workloads';

const enqueue = defineRpc({ name: 'enqueue', doc: 'Adds a value at the tail of the queue.', request: { value: Any }, response: {} });
const dequeue = defineRpc({
  name: 'dequeue',
  doc: 'Removes and returns the value at the head of the queue; null when the queue is empty.',
  request: {},
  response: { value: Any },
});
// #endregion

// #region generator
export default defineWorkload({
  name: 'queue',
  doc: 'A FIFO queue: enqueue and dequeue, checked for linearizability.',
  rpcs: [enqueue, dequeue],
  generator: () => mix([sequence((i) => ({ f: 'enqueue', value: i })), () => ({ f: 'dequeue', value: null })]),
  // #endregion
  // #region client
  client: {
    async invoke(op, conn) {
      if (op.f === 'enqueue') {
        await conn.call(enqueue, { value: op.value });
        return { type: 'ok' };
      }
      const reply = await conn.call(dequeue, {});
      return { type: 'ok', value: reply['value'] };
    },
  },
  // #endregion
  // #region check
  check(history) {
    const result = linearizable(history, { model: models.fifoQueue(), timeLimit: 30_000 });
    return {
      valid: result.valid,
      opCount: result.opCount,
      ...(result.failure ? { explanation: result.failure.explanation } : {}),
    };
  },
});
// #endregion
