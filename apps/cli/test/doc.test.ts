/**
 * `gyre doc`: the committed docs/workloads.md and docs/protocol.md are what the code generates.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main';
import { docFiles } from '../src/doc';
import { repo } from './helpers';

async function run(args: string[], cwd: string) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTTY: false, cwd });
  return { code, out, err };
}

describe('gyre doc', () => {
  it.each(Object.keys(docFiles()))('the committed docs/%s is up to date (if not, run `pnpm gyre doc` at the repository root and commit)', (name) => {
    const committed = readFileSync(join(repo, 'docs', name), 'utf8');
    expect(committed === docFiles()[name], `docs/${name} is stale: run \`node apps/cli/dist/cli.js doc\` (or \`pnpm gyre doc\`) at the repository root and commit the result`).toBe(true);
  });

  it('writes both files under docs/ relative to the working directory, or under --dir', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gyre-doc-'));
    const r = await run(['doc'], cwd);
    expect(r.code).toBe(0);
    expect(r.out).toBe('Wrote docs/workloads.md\nWrote docs/protocol.md\n');
    expect(readFileSync(join(cwd, 'docs', 'workloads.md'), 'utf8')).toBe(docFiles()['workloads.md']);
    const r2 = await run(['doc', '--dir', 'out/doc'], cwd);
    expect(r2.code).toBe(0);
    expect(readFileSync(join(cwd, 'out', 'doc', 'protocol.md'), 'utf8')).toBe(docFiles()['protocol.md']);
    expect((await run(['doc', '--frob'], cwd)).code).toBe(254);
  });

  it('documents every workload and its RPCs, every error code, and the services', () => {
    const { 'workloads.md': w, 'protocol.md': p } = docFiles();
    for (const name of ['broadcast', 'echo', 'g-counter', 'g-set', 'kafka', 'lin-kv', 'pn-counter', 'unique-ids']) expect(w).toContain(`## Workload: ${name}\n`);
    expect(w).toContain('### RPC: generate');
    expect(w).toMatch(/"type": "send_ok",\n {2}"in_reply_to": Int,\n {2}"msg_id": Int {3}\(optional\),\n {2}"offset": Int/);
    for (const [code, name] of [[0, 'timeout'], [11, 'temporarily-unavailable'], [22, 'precondition-failed'], [30, 'txn-conflict']] as const) expect(p).toMatch(new RegExp(`\\| ${code} \\| ${name} \\|`));
    for (const s of ['lin-kv', 'seq-kv', 'lww-kv', 'lin-tso']) expect(p).toContain(`### Service: ${s}`);
  });
});
