/**
 * The default transport, end to end: a node process on real STDIN/STDOUT/STDERR answers each
 * line as it arrives (not at EOF), handles a multi-megabyte line, logs only to STDERR, and exits
 * 0 at end of input.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/echo-node.ts', import.meta.url));

describe('a node process', () => {
  it('talks line by line over STDIN/STDOUT and exits at EOF', async () => {
    const child = spawn(process.execPath, ['--conditions=@gyre/source', '--import', 'tsx', fixture], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const lines = async (n: number) => {
      while (out.split('\n').length - 1 < n) await once(child.stdout, 'data');
      return out.split('\n').slice(0, n);
    };
    child.stdin.write('{"id":0,"src":"c0","dest":"n1","body":{"type":"init","node_id":"n1","node_ids":["n1"],"msg_id":1}}\n');
    expect(await lines(1)).toEqual(['{"src":"n1","dest":"c0","body":{"type":"init_ok","in_reply_to":1}}']);
    const big = 'y'.repeat(5 * 1024 * 1024);
    child.stdin.write(`{"src":"c1","dest":"n1","body":{"type":"echo","echo":"${big}","msg_id":2}}\n`);
    const [, second] = await lines(2);
    expect(second).toBe(`{"src":"n1","dest":"c1","body":{"type":"echo_ok","echo":"${big}","in_reply_to":2}}`);
    child.stdin.end('{"src":"c1","dest":"n1","body":{"type":"echo","echo":1.0,"msg_id":3}}');
    const [code] = await once(child, 'close'); // after 'exit' the output may still be in the pipe
    expect(code).toBe(0);
    expect(out.split('\n')[2]).toBe('{"src":"n1","dest":"c1","body":{"type":"echo_ok","echo":1.0,"in_reply_to":3}}');
    expect(err).toContain('hello from n1');
  }, 60_000);
});
