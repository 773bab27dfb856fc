/**
 * A program (createNode() at its top level) with module state, a helper in another file, and its
 * arguments and files looked up as a process would: for program.test.ts.
 */
import { createNode } from '@gyre/node';
import { where } from './lib/where';

const node = createNode({ rpcTimeout: 1234 });
const args = process.argv.slice(2); // read at the top, as a process reads them
let count = 0; // module state: a restart starts again from 0

node.on('init', () => node.log(`args ${args.join(' ')} later ${process.argv.slice(2).join(' ')} main ${import.meta.url} helper ${where()} dirname ${__dirname}`));
node.on('inc', () => ({ count: ++count }));
node.on('ask', async () => {
  try {
    await node.rpc('n9', { type: 'nothing' });
    return { timedOutAfter: -1 };
  } catch {
    return { timedOutAfter: node.clock.nowMs() };
  }
});

await node.run();
node.log('run() returned');
