/**
 * An echo node with no library at all: one JSON message per line on STDIN, one per line on STDOUT.
 * Chapter 2 writes the same node with @gyre/node.
 */
import { createInterface } from 'node:readline';

let nodeId = '';
let nextMsgId = 1;

function send(dest: string, body: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ src: nodeId, dest, body }) + '\n');
}

for await (const line of createInterface({ input: process.stdin })) {
  const msg = JSON.parse(line);
  const body = msg.body;
  const reply = (fields: Record<string, unknown>) => send(msg.src, { ...fields, msg_id: nextMsgId++, in_reply_to: body.msg_id });

  if (body.type === 'init') {
    nodeId = body.node_id;
    process.stderr.write(`I am ${nodeId}, one of ${body.node_ids.join(', ')}\n`);
    reply({ type: 'init_ok' });
  } else if (body.type === 'echo') {
    reply({ type: 'echo_ok', echo: body.echo });
  } else {
    reply({ type: 'error', code: 10, text: `I don't know what a ${body.type} is` });
  }
}
