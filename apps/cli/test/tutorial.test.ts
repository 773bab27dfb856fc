/**
 * Maelstrom's tutorial, followed with `gyre` in place of `./maelstrom`: its first chapters' command
 * lines (doc/01-getting-ready, doc/02-echo, doc/03-broadcast/01-broadcast), each run against the
 * node the chapter has the reader write at that point (test/nodes/tutorial.py, the step chosen by
 * GYRE_TUTORIAL), checking that the lines and results the chapter tells the reader to expect appear
 * on the console. (Gossip Glomers' command lines have their own tests: glomers-*.test.ts.)
 *
 * What changes on a command line: the binary (`--bin`); shorter time limits, and a shorter wait
 * before the final reads (`--recovery-time 2`), to save time; and `--log-ops` where the chapter
 * shows the operation lines, which Maelstrom always prints and Gyre prints when asked
 * (docs/differences.md). The tutorial's storm of messages (gossip without a check for messages
 * already seen) is left out: it floods the machine by design.
 */
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTCOME } from '../src/outcome';
import { gyre, testNode, type GyreRun } from './helpers';

/** The tutorial's command lines, as printed in its chapters. */
const TUTORIAL = {
  gettingReady: 'lein run test -w echo --bin demo/ruby/echo.rb --time-limit 5',
  echoLogStderr: './maelstrom test -w echo --bin echo.rb --nodes n1 --time-limit 10 --log-stderr',
  echo: './maelstrom test -w echo --bin echo.rb --nodes n1 --time-limit 10',
  broadcastLogStderr: './maelstrom test -w broadcast --bin broadcast.rb --time-limit 5 --log-stderr',
  broadcastRate: './maelstrom test -w broadcast --bin broadcast.rb --time-limit 5 --rate 10',
} as const;

/** Runs a tutorial line with `gyre`, the node at `step`. */
function follow(line: keyof typeof TUTORIAL, step: string, o: { timeLimit?: number; extra?: string[] } = {}): Promise<GyreRun> {
  const words = TUTORIAL[line].split(' ');
  const args = words.slice(words.indexOf('test'));
  args[args.indexOf('--bin') + 1] = testNode('tutorial.py');
  if (o.timeLimit !== undefined) args[args.indexOf('--time-limit') + 1] = String(o.timeLimit);
  if (args[args.indexOf('-w') + 1] === 'broadcast') args.push('--recovery-time', '2');
  return gyre([...args, ...(o.extra ?? [])], { env: { GYRE_TUTORIAL: step }, timeoutMs: 120_000 });
}

const console_ = (r: GyreRun) => r.stdout + r.stderr;
const why = (r: GyreRun) => `exit ${r.code}\nstdout:\n${r.stdout.slice(-4000)}\nstderr:\n${r.stderr.slice(-4000)}`;

describe('the tutorial, chapter 1: getting ready', () => {
  it('prints the results map, "Everything looks good!", and leaves the files the chapter lists in store/latest', async () => {
    const r = await follow('gettingReady', 'echo', { timeLimit: 3 });
    expect(r.code, why(r)).toBe(0);
    expect(r.stdout).toMatch(/^\{:perf \{:latency-graph \{:valid\? true\},/m);
    expect(r.stdout).toMatch(/:stats \{:valid\? true,\n\s+:count \d+,\n\s+:ok-count \d+,\n\s+:fail-count 0,\n\s+:info-count 0,\n\s+:by-f \{:echo \{:valid\? true,/);
    expect(r.stdout).toContain(' :workload {:valid? true, :errors ()},');
    expect(r.stdout).toContain(`\n${OUTCOME.valid}\n`);
    // "Maelstrom starts five copies": n1 … n5.
    for (const f of ['node-logs/n1.log', 'node-logs/n5.log', 'jepsen.log', 'history.txt', 'results.edn']) expect(existsSync(join(r.latest, f)), f).toBe(true);
    expect(readlinkSync(join(r.latest, 'jepsen.log'))).toBe('gyre.log');
    // The summary says where the operations and the log are.
    expect(r.stdout).toMatch(/history {6}\S+\/history\.txt \(every operation; --log-ops prints them as they happen\)/);
    expect(r.stdout).toMatch(/log {10}\S+\/gyre\.log \(also jepsen\.log\)/);
  });
});

describe('the tutorial, chapter 2: a simple echo server', () => {
  it('a node that only logs what it receives: the init message in its log, then the test crashes', async () => {
    const r = await follow('echoLogStderr', 'echo-received', { timeLimit: 3 });
    expect(r.code, why(r)).toBe(255);
    expect(console_(r)).toMatch(/\[n1 stderr\] Received .*\\"type\\": ?\\"init\\".*\\"node_id\\": ?\\"n1\\"/);
    expect(console_(r)).toContain('Expected node n1 to respond to an init message, but node did not respond');
  });

  it('a node that answers init but no echo: the :invoke lines, timeouts, "Analysis invalid!"', async () => {
    const r = await follow('echoLogStderr', 'echo-init', { timeLimit: 2, extra: ['--log-ops'] });
    expect(r.code, why(r)).toBe(1);
    expect(r.stderr).toContain('[n1 stderr] Initialized node n1');
    expect(r.stderr).toMatch(/\[worker 0\] 0\t:invoke\t:echo\t"Please echo \d+"\n/);
    expect(r.stderr).toMatch(/\[worker 0\] 0\t:info\t:echo\t"Please echo \d+"\t:net-timeout\n/);
    expect(r.stdout).toContain(`\n${OUTCOME.invalid}\n`);
  });

  it('a node that answers with the request’s own body: a malformed reply, expected echo_ok', async () => {
    const r = await follow('echoLogStderr', 'echo-same-body', { timeLimit: 2 });
    expect(r.code, why(r)).toBe(1);
    expect(r.stderr).toMatch(/its reply to echo does not match the schema: type: .*expected "echo_ok"/);
    expect(readFileSync(join(r.latest, 'history.txt'), 'utf8')).toMatch(/:info\t:echo\t"Please echo \d+"\t"indeterminate: Malformed RPC response to echo/);
  });

  it('the echo server: :invoke and :ok lines with the whole reply, 2 messages per echo plus init, "Everything looks good!"', async () => {
    const r = await follow('echo', 'echo', { timeLimit: 3, extra: ['--log-ops'] });
    expect(r.code, why(r)).toBe(0);
    const invoke = /\[worker 0\] 0\t:invoke\t:echo\t"Please echo (\d+)"\n/.exec(r.stderr);
    expect(invoke, why(r)).not.toBeNull();
    expect(r.stderr).toMatch(new RegExp(`\\[worker 0\\] 0\\t:ok\\t:echo\\t\\{:type "echo_ok", :echo "Please echo ${invoke![1]}", :msg_id \\d+, :in_reply_to \\d+\\}\\n`));
    // "12 echo operations, 26 messages (12 requests, 12 responses, plus one request and response for initialization)".
    const count = Number(/:stats \{:valid\? true,\n\s+:count (\d+),/.exec(r.stdout)?.[1]);
    expect(count).toBeGreaterThan(3);
    expect(r.stdout).toMatch(new RegExp(`:net \\{:all \\{:send-count ${2 * count + 2},\\s+:recv-count ${2 * count + 2},\\s+:msg-count ${2 * count + 2},`));
    expect(r.stdout).toContain(' :workload {:valid? true, :errors ()},');
    expect(r.stdout).toContain(`\n${OUTCOME.valid}\n`);
  });

  it('a wrong echo: the errors list what was expected and what came back, "Analysis invalid!"', async () => {
    const r = await follow('echo', 'echo-not-right', { timeLimit: 2 });
    expect(r.code, why(r)).toBe(1);
    expect(r.stdout).toMatch(/:workload \{:valid\? false,\n\s+:errors \(\["Expected a message with :echo"\n\s+"Please echo \d+"\n\s+"But received"\n\s+\{:type "echo_ok",\n\s+:echo "not-right",/);
    expect(r.stdout).toContain(`\n${OUTCOME.invalid}\n`);
  });
});

describe('the tutorial, chapter 3: gossip-based broadcast', () => {
  it('a node without a topology handler: it gets init, then topology, and crashes; Gyre says so with its output', async () => {
    const r = await follow('broadcastLogStderr', 'broadcast-no-topology', { timeLimit: 2 });
    expect(r.code, why(r)).toBe(255);
    expect(r.stderr).toMatch(/\[n1 stderr\] Received .*"type": "init", "node_id": "n1", "node_ids": \["n1", "n2", "n3", "n4", "n5"\]/);
    expect(r.stdout).toMatch(/Node n\d crashed: it exited with code 1\./);
    expect(r.stdout).toMatch(/No handler for .*"type": "topology"/);
  });

  it('the topology: each node logs its neighbours in the grid', async () => {
    const r = await follow('broadcastLogStderr', 'broadcast-topology', { timeLimit: 2 });
    const grid = { n1: '["n4", "n2"]', n2: '["n5", "n3", "n1"]', n3: '["n2"]', n4: '["n1", "n5"]', n5: '["n2", "n4"]' };
    for (const [n, neighbours] of Object.entries(grid)) expect(r.stderr, why(r)).toContain(`[${n} stderr] My neighbors are ${neighbours}`);
  });

  it('broadcast and read without gossip: the operation lines, the final reads, and lost messages', async () => {
    const r = await follow('broadcastRate', 'broadcast-local', { timeLimit: 3, extra: ['--log-ops'] });
    expect(r.code, why(r)).toBe(1);
    // Which worker broadcasts first is the generator's draw: any of them.
    expect(r.stderr).toMatch(/\[worker (\d+)\] \1\t:invoke\t:broadcast\t\d+\n/);
    expect(r.stderr).toMatch(/\[worker (\d+)\] \1\t:ok\t:broadcast\t\d+\n/);
    expect(r.stderr).toMatch(/\[worker \d\] \d\t:invoke\t:read\tnil\n/);
    expect(r.stderr).toMatch(/\[worker \d\] \d\t:ok\t:read\t\[[\d ]*\]\n/);
    expect(r.stderr).toContain('Waiting for recovery...');
    expect(r.stdout).toMatch(/:lost-count [1-9]\d*,\n\s+:lost \(\d+/);
    expect(r.stdout).toMatch(/:attempt-count \d+,\n\s+:stable-count \d+,/);
    expect(r.stdout).toContain(`\n${OUTCOME.invalid}\n`);
  });

  it('gossip to neighbours, once per message: the network statistics and a valid broadcast', async () => {
    const r = await follow('broadcastRate', 'broadcast-gossip', { timeLimit: 3 });
    expect(r.code, why(r)).toBe(0);
    // One line or several: the map is wrapped at 80 columns, so it depends on how many messages went.
    expect(r.stdout).toMatch(/:net \{:all \{:send-count \d+,\s+:recv-count \d+,\s+:msg-count \d+,\s+:msgs-per-op \d+\.\d+\},/);
    expect(r.stdout).toMatch(/:servers \{:send-count \d+,\s+:recv-count \d+,\s+:msg-count \d+,\s+:msgs-per-op \d+\.\d+\},/);
    expect(r.stdout).toContain(':lost ()');
    expect(r.stdout).toContain(':never-read ()');
    expect(r.stdout).toContain(':duplicated {}');
    expect(r.stdout).toMatch(/:stable-latencies \{0 \d+, 0\.5 \d+, 0\.95 \d+, 0\.99 \d+, 1 \d+\}/);
    expect(r.stdout).toContain(`\n${OUTCOME.valid}\n`);
  });
});
