import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineSplitter, NodeProcess, RUN_MARKER_VAR, sweepMarked } from './process';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie still answers kill 0; check its state.
    const stat = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return stat !== '' && !stat.startsWith('Z');
  } catch {
    return false;
  }
}

function script(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gyre-proc-'));
  const f = join(dir, 'node.sh');
  writeFileSync(f, `#!/bin/sh\n${body}\n`);
  chmodSync(f, 0o755);
  return f;
}

async function waitFor(pred: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('LineSplitter', () => {
  it('splits across chunks, strips CR, handles huge lines and a last line without newline', () => {
    const lines: string[] = [];
    const bad: string[] = [];
    const s = new LineSplitter((l) => lines.push(l), (l, r) => bad.push(r + ':' + l));
    s.push(Buffer.from('{"a":1}\r\n{"b"'));
    s.push(Buffer.from(':2}\n\n'));
    const big = 'x'.repeat(5_000_000);
    for (let i = 0; i < big.length; i += 65536) s.push(Buffer.from(big.slice(i, i + 65536)));
    s.push(Buffer.from('\nlast'));
    s.end();
    expect(lines.slice(0, 3)).toEqual(['{"a":1}', '{"b":2}', '']);
    expect(lines[3]!.length).toBe(5_000_000);
    expect(lines[4]).toBe('last');
    expect(bad).toEqual([]);
  });

  it('reports invalid UTF-8 and keeps going; multibyte characters split across chunks are fine', () => {
    const lines: string[] = [];
    const bad: string[] = [];
    const s = new LineSplitter((l) => lines.push(l), (_l, r) => bad.push(r));
    const euro = Buffer.from('€\n');
    s.push(euro.subarray(0, 1));
    s.push(euro.subarray(1));
    s.push(Buffer.from([0xff, 0xfe, 0x0a]));
    s.push(Buffer.from('ok\n'));
    expect(lines).toEqual(['€', 'ok']);
    expect(bad).toEqual(['invalid UTF-8']);
  });
});

describe('NodeProcess', () => {
  it('relays lines both ways and reports exit', async () => {
    const lines: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'gyre-proc-'));
    const p = new NodeProcess({ id: 'n1', bin: '/bin/cat', args: [], cwd: dir, stderrFile: join(dir, 'err.log'), onLine: (l) => lines.push(l) });
    await p.start();
    p.write('hello');
    p.write('world');
    await waitFor(() => lines.length === 2);
    expect(lines).toEqual(['hello', 'world']);
    const info = await p.stop(500);
    expect(info.signal).toBe('SIGTERM');
    expect(p.running).toBe(false);
  });

  it('reports a node that dies on its own, with its last output', async () => {
    const f = script('echo out-line; echo err-line >&2; exit 3');
    const dir = mkdtempSync(join(tmpdir(), 'gyre-proc-'));
    let exit: string | undefined;
    const p = new NodeProcess({ id: 'n1', bin: f, args: [], cwd: dir, stderrFile: join(dir, 'err.log'), onLine: () => {}, onExit: (e) => (exit = e.description) });
    await p.start();
    await p.waitExit();
    await waitFor(() => exit !== undefined);
    expect(exit).toBe('exited with code 3');
    await waitFor(() => p.tails().stderr.length > 0);
    expect(p.tails()).toEqual({ stdout: ['out-line'], stderr: ['err-line'] });
  });

  it('fails to start a missing binary with a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-proc-'));
    const p = new NodeProcess({ id: 'n1', bin: join(dir, 'nope'), args: [], cwd: dir, stderrFile: join(dir, 'err.log'), onLine: () => {} });
    await expect(p.start()).rejects.toThrow(/could not start .*nope for node n1/);
  });

  it('leaves nothing running: a forked child that ignores SIGTERM is killed with the group', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'gyre-proc-')), 'child.pid');
    const f = script(`sh -c 'trap "" TERM; while true; do sleep 0.05; done' &\necho $! > ${pidFile}\ntrap "" TERM\nwhile true; do sleep 0.05; done`);
    const dir = mkdtempSync(join(tmpdir(), 'gyre-proc-'));
    const p = new NodeProcess({ id: 'n1', bin: f, args: [], cwd: dir, stderrFile: join(dir, 'err.log'), onLine: () => {} });
    await p.start();
    await waitFor(() => {
      try {
        return execFileSync('cat', [pidFile], { encoding: 'utf8' }).trim() !== '';
      } catch {
        return false;
      }
    });
    const child = Number(execFileSync('cat', [pidFile], { encoding: 'utf8' }).trim());
    expect(alive(child)).toBe(true);
    const info = await p.stop(300);
    expect(info.signal).toBe('SIGKILL');
    await waitFor(() => !alive(child));
    expect(alive(p.pid!)).toBe(false);
  });

  it('sweeps marked descendants that escaped the process group', async () => {
    const runId = `test-${process.pid}-${Date.now()}`;
    const pidFile = join(mkdtempSync(join(tmpdir(), 'gyre-proc-')), 'esc.pid');
    const f = script(`setsid sh -c 'echo $$ > ${pidFile}; while true; do sleep 0.05; done' &\nexit 0`);
    const dir = mkdtempSync(join(tmpdir(), 'gyre-proc-'));
    const p = new NodeProcess({ id: 'n1', bin: f, args: [], cwd: dir, stderrFile: join(dir, 'err.log'), env: { [RUN_MARKER_VAR]: runId }, onLine: () => {} });
    await p.start();
    await p.waitExit();
    await waitFor(() => {
      try {
        return execFileSync('cat', [pidFile], { encoding: 'utf8' }).trim() !== '';
      } catch {
        return false;
      }
    });
    const esc = Number(execFileSync('cat', [pidFile], { encoding: 'utf8' }).trim());
    expect(alive(esc)).toBe(true);
    await p.stop(100);
    expect(alive(esc)).toBe(true);
    expect(sweepMarked(runId)).toContain(esc);
    await waitFor(() => !alive(esc));
  });

  it('never blocks on a node that does not read its STDIN; drops beyond the bound and counts', async () => {
    const f = script('sleep 30');
    const dir = mkdtempSync(join(tmpdir(), 'gyre-proc-'));
    const p = new NodeProcess({ id: 'n1', bin: f, args: [], cwd: dir, stderrFile: join(dir, 'err.log'), onLine: () => {}, maxPendingBytes: 1_000_000 });
    await p.start();
    const line = 'x'.repeat(10_000);
    for (let i = 0; i < 1000; i++) p.write(line);
    await new Promise((r) => setTimeout(r, 200));
    for (let i = 0; i < 1000; i++) p.write(line);
    expect(p.droppedWrites).toBeGreaterThan(0);
    await p.stop(200);
  });
});

describe('NodeProcess restart', () => {
  it('a node restarted after being killed while its STDIN was full gets the lines written to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-proc-'));
    // First life: never reads STDIN. Second life: echoes it.
    const bin = script(`if [ -e ${dir}/started ]; then exec cat; else touch ${dir}/started; exec sleep 100; fi`);
    const out: string[] = [];
    const p = new NodeProcess({ id: 'n1', bin, args: [], cwd: dir, stderrFile: join(dir, 'err.log'), onLine: (l) => out.push(l) });
    await p.start();
    for (let i = 0; i < 20; i++) p.write('x'.repeat(100_000));
    await new Promise((r) => setTimeout(r, 200));
    p.killNow();
    await p.waitExit();
    await p.start();
    p.write('second');
    await waitFor(() => out.includes('second'));
    expect(out).toEqual(['second']);
    await p.stop(500);
  });
});
