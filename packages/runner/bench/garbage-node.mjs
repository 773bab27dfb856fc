#!/usr/bin/env node
// A node for Gyre's error-path benchmark, in plain Node: it answers init and echo, and with
// `flood` the node n1 also writes bad lines on STDOUT as fast as its pipe takes them, from
// the moment it is initialised. With `alone`, it writes nothing but the bad lines, to STDOUT,
// for N seconds, and reports how many it wrote on STDERR: what the node can write when nothing
// reads its lines but a byte counter.
//
// Usage: garbage-node.mjs quiet|flood [LINE]      (LINE defaults to a debug print)
//        garbage-node.mjs alone SECONDS [LINE]
const mode = process.argv[2] ?? 'quiet';
const line = (mode === 'alone' ? process.argv[4] : process.argv[3]) ?? 'got echo from c12, replying';
const block = Buffer.from((line + '\n').repeat(Math.max(1, Math.floor(65536 / (line.length + 1)))));
const perBlock = block.toString().split('\n').length - 1;
let written = 0;

/** Writes blocks until the pipe is full, then again when it drains, until `until()` says stop. */
function flood(until) {
  const go = () => {
    while (!until()) {
      written += perBlock;
      if (!process.stdout.write(block)) return process.stdout.once('drain', go);
    }
  };
  go();
}

if (mode === 'alone') {
  const end = Date.now() + Number(process.argv[3] ?? 5) * 1000;
  flood(() => Date.now() >= end);
  process.stdout.once('finish', () => {});
  const t = setInterval(() => {
    if (Date.now() < end) return;
    clearInterval(t);
    process.stderr.write(`${written}\n`);
    process.exit(0);
  }, 50);
} else {
  let rest = '';
  let me = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    const text = rest + chunk;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) break;
      const m = JSON.parse(text.slice(start, nl));
      start = nl + 1;
      const b = m.body;
      if (b.type === 'init') {
        me = b.node_id;
        process.stdout.write(JSON.stringify({ src: me, dest: m.src, body: { type: 'init_ok', in_reply_to: b.msg_id } }) + '\n');
        if (mode === 'flood' && me === 'n1') setImmediate(() => flood(() => false));
      } else if (b.type === 'echo') {
        process.stdout.write(JSON.stringify({ src: me, dest: m.src, body: { type: 'echo_ok', echo: b.echo, in_reply_to: b.msg_id } }) + '\n');
      }
    }
    rest = text.slice(start);
  });
  process.stdout.on('error', () => process.exit(0));
}
