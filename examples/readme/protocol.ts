import { Any, checkResponse, decodeLine, defineRpc, encodeMessage, RpcError, WORKLOAD_RPCS } from '@gyre/protocol';

// A line a client sends to a node, decoded losslessly.
const decoded = decodeLine('{"src":"c1","dest":"n1","body":{"type":"echo","msg_id":1,"echo":"hello"}}');
if (decoded.ok) console.log(decoded.message.body.type, decoded.message.body['echo']);

// What is wrong with a line is said in words, and classified.
const bad = decodeLine('{"src":"n1","dest":"c1","body":{"type":"echo_ok"},"echo":"hello"}');
if (!bad.ok) console.log(bad.kind, '-', bad.reason);

// Replies are checked against the RPC's closed schema, as Maelstrom does.
const [echo] = WORKLOAD_RPCS.echo;
console.log(checkResponse(echo, { type: 'echo_ok', in_reply_to: 1, echo: 'hello' }));
console.log(checkResponse(echo, { type: 'echo_ok', in_reply_to: 1, echo: 'hello', extra: true }));

// An RPC of your own, and an error reply on the wire.
const enqueue = defineRpc({ name: 'enqueue', doc: 'Adds a value to the queue.', request: { value: Any }, response: {} });
console.log(enqueue.request.safeParse({ type: 'enqueue', msg_id: 7, value: 3 }).success);
const error = RpcError.txnConflict('n2 holds the lock');
console.log(error.errorName, error.definite, encodeMessage({ src: 'n1', dest: 'c1', body: { ...error.toBody(), in_reply_to: 7 } }));
