import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter, NodeProcess, RUN_MARKER_VAR, sweepMarked } from './process';

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
    expect(bad).toEqual([expect.stringMatching(/^invalid UTF-8/)]);
  });
});

describe('LineSplitter with a cap on one line', () => {
  /** A splitter capped at `max` bytes, recording what it emits. */
  function capped(max: number) {
    const out: string[] = [];
    const s = new LineSplitter(
      (l) => out.push('ok:' + l),
      (l, r, kind) => out.push(`${kind}:${r}:${l}`),
      { maxLineBytes: max },
    );
    return { s, out };
  }

  it('skips a longer line, says how long it was with its first bytes, and reads on', () => {
    const { s, out } = capped(10);
    s.push(Buffer.from('0123456789\n0123456789A\nok\n'));
    expect(out).toEqual(['ok:0123456789', 'line-too-long:a line of 11 bytes, longer than the limit of 10 bytes: skipped:0123456789A', 'ok:ok']);
  });

  it('never holds more than the cap of a line that arrives in pieces, and then drops the rest of it', () => {
    const { s, out } = capped(1000);
    s.push(Buffer.from('start\n' + 'y'.repeat(300)));
    for (let i = 0; i < 100; i++) {
      s.push(Buffer.from('y'.repeat(300)));
      expect(s.buffered).toBeLessThanOrEqual(1000);
    }
    s.push(Buffer.from('y\r\nafter\n'));
    s.push(Buffer.from('z'.repeat(2000)));
    s.end();
    expect(out).toHaveLength(4);
    expect(out[0]).toBe('ok:start');
    expect(out[1]).toMatch(/^line-too-long:a line of 30302 bytes, longer than the limit of 1000 bytes: skipped:y{200}$/);
    expect(out[2]).toBe('ok:after');
    expect(out[3]).toMatch(/^line-too-long:a line of 2000 bytes/);
    expect(s.buffered).toBe(0);
  });

  it('the default is 64 MiB', () => {
    expect(DEFAULT_MAX_LINE_BYTES).toBe(64 * 1024 * 1024);
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

describe('NodeProcess: exits and queues', () => {
  it('reports an exit only once the output before it has been read, so the tails are complete', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `echo line-${i}`).join('\n');
    const f = script(`${lines}\nfor i in $(seq 40); do echo err-$i >&2; done\nexit 7`);
    const dir = mkdtempSync(join(tmpdir(), 'gyre-proc-'));
    let tails: { stdout: string[]; stderr: string[] } | undefined;
    const p = new NodeProcess({ id: 'n1', bin: f, args: [], cwd: dir, stderrFile: join(dir, 'err.log'), onLine: () => {}, onExit: () => (tails = p.tails()) });
    await p.start();
    const info = await p.waitExit();
    expect(info.description).toBe('exited with code 7');
    expect(tails!.stdout).toHaveLength(32);
    expect(tails!.stdout.at(-1)).toBe('line-39');
    expect(tails!.stdout[0]).toBe('line-8');
    expect(tails!.stderr.at(-1)).toBe('err-40');
  });

  it('says when the output is still held open by something the process started', async () => {
    const f = script('sleep 5 &\nexit 0');
    const dir = mkdtempSync(join(tmpdir(), 'gyre-proc-'));
    const p = new NodeProcess({ id: 'n1', bin: f, args: [], cwd: dir, stderrFile: join(dir, 'err.log'), onLine: () => {}, drainMs: 100 });
    await p.start();
    const info = await p.waitExit();
    expect(info.outputStillOpen).toBe(true);
    await p.stop(100);
  });

  it('counts what it drops, tells once, and frees the queue when the node exits', async () => {
    const f = script('sleep 30');
    const dir = mkdtempSync(join(tmpdir(), 'gyre-proc-'));
    const notices: number[] = [];
    const p = new NodeProcess({ id: 'n1', bin: f, args: [], cwd: dir, stderrFile: join(dir, 'err.log'), onLine: () => {}, maxPendingBytes: 100_000, onDrop: (d) => notices.push(d.messages) });
    await p.start();
    const line = 'x'.repeat(999);
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 200; i++) p.write(line);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(notices).toEqual([1]);
    expect(p.dropped.messages).toBeGreaterThan(500);
    expect(p.dropped.bytes).toBe(p.dropped.messages * 1000);
    await p.stop(100);
    const before = p.dropped.messages;
    p.write(line);
    expect(p.dropped.messages).toBe(before);
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
