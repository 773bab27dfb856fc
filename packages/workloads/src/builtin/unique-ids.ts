import { uniqueIds as checkUniqueIds, uniqueIdsWire } from '@gyre/checker';
import { WORKLOAD_RPCS } from '@gyre/protocol';
import { defineWorkload } from '../types';

const [GENERATE] = WORKLOAD_RPCS['unique-ids'];

/** maelstrom.md §2.7. */
export const uniqueIds = defineWorkload({
  name: 'unique-ids',
  doc: 'A simple workload for ID generation systems. Clients ask servers to generate an ID, and the server should respond with an ID. The test verifies that those IDs are globally unique. Your IDs may be of any type: strings, booleans, integers, floats, compound JSON values, etc.',
  rpcs: WORKLOAD_RPCS['unique-ids'],
  reuseClient: true,
  generator: () => () => ({ f: 'generate' }),
  client: {
    async invoke(_op, conn) {
      const reply = await conn.call(GENERATE, {});
      return { type: 'ok', value: reply['id'] };
    },
  },
  check: (history) => checkUniqueIds(history),
  wire: uniqueIdsWire,
});
