// A manual reproduction, not part of `pnpm bench`: `gyre check` on a JSON Lines file bigger than
// V8's longest string (about 512 MB) whose line 1001 is bad. Before the streamed reader named bad
// lines itself, `gyre check` read such a file again as text and said "cannot read: Cannot create a
// string longer than 0x1fffffe8 characters" instead of the line. The file is sparse: 1,000 ops, the
// bad line, then 600 MB of holes with a newline every megabyte (NUL bytes are not JSON, but the bad
// line comes first), so it takes a few megabytes of disk and seconds to write. Run after a build:
//
//   node bench/jsonl-bad-line.mjs [--against OLD/cli.js] [--size-mb 600]
//   --against runs an older build too (a copy of an older apps/cli/dist) on the same file.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '../../..');
const cli = join(repo, 'apps/cli/dist/cli.js');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const against = arg('against', undefined);
const size = Number(arg('size-mb', 600)) * 1e6;

const dir = mkdtempSync(join(tmpdir(), 'gyre-jsonl-bad-line-'));
try {
  const file = join(dir, 'big.jsonl');
  const fd = openSync(file, 'w');
  let text = '';
  for (let i = 0; i < 1000; i++) text += `{"index":${i},"time":${i},"type":"${i % 2 ? 'ok' : 'invoke'}","process":0,"f":"write","value":${i >> 1}}\n`;
  text += '{"type":"ok","process":0,"f":"write","value":[1,}\n';
  writeSync(fd, text, 0);
  for (let at = 1 << 20; at < size; at += 1 << 20) writeSync(fd, '\n', at);
  closeSync(fd);
  const { size: bytes, blocks } = statSync(file);
  console.log(`${file}: ${(bytes / 1e6).toFixed(0)} MB, ${((blocks * 512) / 1e6).toFixed(1)} MB on disk; load ${loadavg()[0].toFixed(2)}`);

  const timeBin = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', 'TIME %U %S %M'] : [];
  for (const [name, path] of [['this build', cli], ...(against ? [['--against', resolve(against)]] : [])]) {
    const cmd = [...timeBin, process.execPath, path, 'check', '--model', 'register', file];
    const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', maxBuffer: 1 << 26 });
    const m = /TIME ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(r.stderr);
    const said = (m ? r.stderr.slice(0, m.index) : r.stderr).trim().replace(/^Command exited with non-zero status \d+$/m, '').trim();
    console.log(`${name}: exit ${r.status}${m ? `, ${(Number(m[1]) + Number(m[2])).toFixed(2)} s CPU, peak RSS ${(Number(m[3]) / 1024).toFixed(0)} MB` : ''} (whole process)`);
    console.log(`  ${said.replaceAll(dir + '/', '')}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
