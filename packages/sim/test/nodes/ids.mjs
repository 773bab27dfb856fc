#!/usr/bin/env node
// A unique-ids node without any library: ids are random 64-bit numbers in hex. Seeded from
// GYRE_NODE_SEED (so a replay gives the same ids), or from Math.random with --math-random.
import { createInterface } from 'node:readline';

let h = 2166136261;
for (const c of process.env.GYRE_NODE_SEED ?? 'none') h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
const seeded = () => {
  h = (h + 0x6d2b79f5) >>> 0;
  let t = h;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const random = process.argv.includes('--math-random') ? Math.random : seeded;
let id = '';
const out = (m) => process.stdout.write(JSON.stringify(m) + '\n');
createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line);
  const b = m.body;
  if (b.type === 'init') {
    id = b.node_id;
    out({ src: id, dest: m.src, body: { type: 'init_ok', in_reply_to: b.msg_id } });
  } else if (b.type === 'generate') {
    const word = () => Math.floor(random() * 2 ** 32).toString(16).padStart(8, '0');
    out({ src: id, dest: m.src, body: { type: 'generate_ok', id: word() + word(), in_reply_to: b.msg_id } });
  }
});
