#!/usr/bin/env node
// A node for Gyre's router benchmark, in plain Node with no dependencies, as cheap as possible.
// It answers init, and `flood_start` by sending IN_FLIGHT `flood` messages to random peers; on
// every `flood` message it sends one more to a random peer, so the number of messages in flight
// stays constant. All lines read in one chunk are answered with one write.
//
// Usage: flood-node.mjs [IN_FLIGHT]   (default 8)
const inFlight = Number(process.argv[2] ?? 8);
let lines = [];
let seed = 1;
let rest = '';

function randomLine() {
  // xorshift32: deterministic per node, and cheaper than Math.random.
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return lines[(seed >>> 0) % lines.length];
}

function reply(m, body) {
  return JSON.stringify({ src: m.dest, dest: m.src, body: { ...body, in_reply_to: m.body.msg_id } });
}

function handle(line, out) {
  if (line.includes('"type":"flood"')) {
    out.push(randomLine());
    return;
  }
  const m = JSON.parse(line);
  const type = m.body.type;
  if (type === 'init') {
    const me = m.body.node_id;
    const peers = m.body.node_ids.filter((n) => n !== me);
    lines = (peers.length ? peers : [me]).map((p) => `{"src":"${me}","dest":"${p}","body":{"type":"flood"}}`);
    for (const c of me) seed = (seed * 31 + c.charCodeAt(0)) | 0;
    seed ||= 1;
    out.push(reply(m, { type: 'init_ok' }));
  } else if (type === 'flood_start') {
    out.push(reply(m, { type: 'flood_start_ok' }));
    for (let i = 0; i < inFlight; i++) out.push(randomLine());
  }
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  const text = rest + chunk;
  const out = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) break;
    handle(text.slice(start, nl), out);
    start = nl + 1;
  }
  rest = text.slice(start);
  if (out.length) process.stdout.write(out.join('\n') + '\n');
});
process.stdout.on('error', () => process.exit(0));
