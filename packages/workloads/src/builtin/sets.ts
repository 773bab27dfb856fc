import { counter as checkCounter, counterWire, setFull, setFullWire } from '@gyre/checker';
import { eachThread, mix, once, sequence } from '@gyre/generator';
import { WORKLOAD_RPCS } from '@gyre/protocol';
import { topology } from '../topology';
import { defineWorkload } from '../types';

const [TOPOLOGY, BROADCAST, BROADCAST_READ] = WORKLOAD_RPCS.broadcast;
const [SET_ADD, SET_READ] = WORKLOAD_RPCS['g-set'];
const [COUNTER_ADD, COUNTER_READ] = WORKLOAD_RPCS['pn-counter'];

/** maelstrom.md §2.3. */
export const broadcast = defineWorkload({
  name: 'broadcast',
  doc: 'A broadcast system. Essentially a test of eventually-consistent set addition, but also provides an initial `topology` message to the cluster with a set of neighbors for each node to use.',
  rpcs: WORKLOAD_RPCS.broadcast,
  idempotent: ['read'],
  async setup(ctx) {
    const topo = topology(ctx.options.topology, ctx.options.nodes);
    await Promise.all(ctx.options.nodes.map((n) => ctx.rpcOnce(n, TOPOLOGY, { topology: topo })));
  },
  generator: () => mix([sequence((i) => ({ f: 'broadcast', value: i })), () => ({ f: 'read', value: null })]),
  final: () => eachThread(once({ f: 'read', value: null, final: true })),
  client: {
    async invoke(op, conn) {
      if (op.f === 'broadcast') {
        await conn.call(BROADCAST, { message: op.value });
        return { type: 'ok' };
      }
      const reply = await conn.call(BROADCAST_READ, {});
      return { type: 'ok', value: reply['messages'] ?? [] };
    },
  },
  check: (history) => setFull(history, { addF: 'broadcast' }),
  wire: setFullWire,
});

/** maelstrom.md §2.4. */
export const gSet = defineWorkload({
  name: 'g-set',
  doc: 'A grow-only set workload: clients add elements to a set, and read the current value of the set.',
  rpcs: WORKLOAD_RPCS['g-set'],
  errors: 'crash',
  generator: () => mix([sequence((i) => ({ f: 'add', value: i })), () => ({ f: 'read', value: null })]),
  final: () => eachThread(once({ f: 'read', value: null })),
  client: {
    async invoke(op, conn) {
      if (op.f === 'add') {
        await conn.call(SET_ADD, { element: op.value });
        return { type: 'ok' };
      }
      const reply = await conn.call(SET_READ, {});
      return { type: 'ok', value: reply['value'] ?? [] };
    },
  },
  check: (history) => setFull(history, { addF: 'add' }),
  wire: setFullWire,
});

function counterWorkload(name: 'g-counter' | 'pn-counter', doc: string) {
  return defineWorkload({
    name,
    doc,
    rpcs: WORKLOAD_RPCS[name],
    errors: 'crash',
    generator: () => (ctx) => {
      for (;;) {
        if (ctx.random.chance(0.5)) return { f: 'read', value: null };
        const delta = ctx.random.int(10) - 5;
        if (name === 'g-counter' && delta < 0) continue;
        return { f: 'add', value: delta };
      }
    },
    final: () => eachThread(once({ f: 'read', value: null, final: true })),
    client: {
      async invoke(op, conn) {
        if (op.f === 'add') {
          await conn.call(COUNTER_ADD, { delta: op.value });
          return { type: 'ok' };
        }
        const reply = await conn.call(COUNTER_READ, {});
        return { type: 'ok', value: reply['value'] };
      },
    },
    check: (history) => checkCounter(history),
    wire: counterWire,
  });
}

/** maelstrom.md §2.5. */
export const gCounter = counterWorkload(
  'g-counter',
  'An eventually-consistent grow-only counter, which supports increments. Validates that the final read on each node has a value which is the sum of all known (or possible) increments.',
);
/** maelstrom.md §2.5. */
export const pnCounter = counterWorkload(
  'pn-counter',
  'An eventually-consistent counter which supports increments and decrements. Validates that the final read on each node has a value which is the sum of all known (or possible) increments and decrements.',
);
