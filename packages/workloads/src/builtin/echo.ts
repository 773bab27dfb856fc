import { echo as checkEcho, echoWire } from '@gyre/checker';
import { WORKLOAD_RPCS } from '@gyre/protocol';
import { defineWorkload } from '../types';

const [ECHO] = WORKLOAD_RPCS.echo;

/** maelstrom.md §2.2. */
export const echo = defineWorkload({
  name: 'echo',
  doc: 'A simple echo workload: sends a message, and expects to get that same message back.',
  rpcs: WORKLOAD_RPCS.echo,
  generator: () => (ctx) => ({ f: 'echo', value: `Please echo ${ctx.random.int(128)}` }),
  client: {
    async invoke(op, conn) {
      const reply = await conn.call(ECHO, { echo: op.value });
      return { type: 'ok', value: reply };
    },
  },
  check: (history) => checkEcho(history),
  // Maelstrom's echo checker counts every echo that did not come back ok as an error, so an echo in
  // flight when a run is cut short would blame the node: only a main phase that ran to its end is judged.
  checkNeeds: ['main'],
  wire: echoWire,
});
