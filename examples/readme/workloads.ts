// #region workload
import { linearizable, models } from '@gyre/checker';
import { mix } from '@gyre/generator';
import type { Op } from '@gyre/history';
import { Any, defineRpc } from '@gyre/protocol';
import { defineWorkload } from '@gyre/workloads';

const read = defineRpc({ name: 'read', doc: 'Returns the register’s value (null before any write).', request: {}, response: { value: Any } });
const write = defineRpc({ name: 'write', doc: 'Sets the register’s value.', request: { value: Any }, response: {} });

/** Is there an order of the operations, each taking effect between its call and its reply, that explains every read? */
export function checkRegister(history: readonly Op[]) {
  const result = linearizable(history, { model: models.register(), timeLimit: 30_000 });
  return { valid: result.valid, opCount: result.opCount, ...(result.failure ? { explanation: result.failure.explanation } : {}) };
}

export default defineWorkload({
  name: 'register',
  doc: 'One read/write register, checked for linearizability.',
  rpcs: [read, write],
  idempotent: ['read'],
  generator: () => mix([() => ({ f: 'read', value: null }), (ctx) => ({ f: 'write', value: ctx.random.int(5) })]),
  client: {
    async invoke(op, conn) {
      if (op.f === 'write') {
        await conn.call(write, { value: op.value });
        return { type: 'ok' };
      }
      const reply = await conn.call(read, {});
      return { type: 'ok', value: reply['value'] };
    },
  },
  check: checkRegister,
});
// #endregion

// #region try
import { parseHistoryJsonl } from '@gyre/history';

// A write of 1 completes; a read that starts after it returns 0: no order explains that.
const stale = parseHistoryJsonl(`
{"index":0,"time":0,"type":"invoke","process":0,"f":"write","value":1}
{"index":1,"time":10,"type":"ok","process":0,"f":"write","value":1}
{"index":2,"time":20,"type":"invoke","process":1,"f":"read","value":null}
{"index":3,"time":30,"type":"ok","process":1,"f":"read","value":0}
`);
console.log(JSON.stringify(checkRegister(stale)));
console.log(JSON.stringify(checkRegister(stale.slice(0, 2))));
// #endregion
