/**
 * The guide's Raft stages in one process, on a virtual clock: no processes, no real time. The
 * nodes' timers and RPC timeouts all run on the clock they are given (as under a simulator), the
 * network delivers each message 1 ms later, and a "partition" is a set of links that drop. The
 * end-to-end runs under `gyre test` are in apps/cli/test/guide.test.ts.
 */
import { parseJson, stringifyJson } from '@gyre/history';
import { VirtualClock } from '@gyre/generator';
import { createNode, type Body, type Node } from '@gyre/node';
import { describe, expect, it } from 'vitest';
import election from '../guide/07-linearizability/raft-1-election';
import forward from '../guide/07-linearizability/raft-3-forward';

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

function cluster(install: (node: Node) => Node, ids: string[]) {
  const clock = new VirtualClock();
  const logs: string[] = [];
  const cut = new Set<string>(); // "a>b": messages from a to b are dropped
  const waiting = new Map<number, (body: Body) => void>();
  const nodes = new Map<string, Node>();
  for (const id of ids) {
    const node = install(
      createNode({
        input: [],
        clock,
        log: (line) => logs.push(`${id} ${line}`),
        output: (line) => {
          const msg = parseJson(line) as { src: string; dest: string; body: Body };
          if (msg.dest.startsWith('c')) return void waiting.get(msg.body.in_reply_to as number)?.(msg.body);
          if (cut.has(`${msg.src}>${msg.dest}`)) return;
          clock.setTimeout(() => nodes.get(msg.dest)?.receive(line), 1);
        },
      }),
    );
    nodes.set(id, node);
  }
  let clientMsgId = 0;
  const send = (dest: string, body: Body) => nodes.get(dest)!.receive(stringifyJson({ src: 'c9', dest, body }));
  return {
    logs,
    /** Runs the cluster for `ms` of virtual time, letting promise continuations settle after each timer. */
    async run(ms: number) {
      const until = clock.now() + ms * 1e6;
      while ((clock.nextAt() ?? Infinity) <= until) {
        clock.runNext();
        await macrotask();
      }
      clock.advanceTo(until);
    },
    init() {
      for (const id of ids) send(id, { type: 'init', node_id: id, node_ids: ids, msg_id: ++clientMsgId });
    },
    /** Sends a client request and runs the cluster until it is answered (or `ms` pass). */
    async request(dest: string, body: Body, ms = 2000): Promise<Body | undefined> {
      const id = ++clientMsgId;
      let reply: Body | undefined;
      waiting.set(id, (b) => (reply = b));
      send(dest, { ...body, msg_id: id });
      for (let t = 0; t < ms && reply === undefined; t += 10) await this.run(10);
      return reply;
    },
    isolate(id: string) {
      for (const other of ids) if (other !== id) cut.add(`${id}>${other}`).add(`${other}>${id}`);
    },
    heal: () => cut.clear(),
    leaders(): Map<number, string[]> {
      const out = new Map<number, string[]>();
      for (const line of logs) {
        const m = /^(\S+) became leader of term (\d+)/.exec(line);
        if (m) out.set(Number(m[2]), [...(out.get(Number(m[2])) ?? []), m[1]!]);
      }
      return out;
    },
    async close() {
      await Promise.all([...nodes.values()].map((n) => n.close()));
    },
  };
}

const ids = ['n1', 'n2', 'n3', 'n4', 'n5'];

describe('guide, Raft stage 1: election', () => {
  it('elects one leader per term, and a new one when the leader is cut off', async () => {
    const c = cluster(election, ids);
    c.init();
    await c.run(3000);
    const first = [...c.leaders()].at(-1)!;
    expect(first[1]).toHaveLength(1);
    c.isolate(first[1][0]!);
    await c.run(5000);
    const terms = [...c.leaders()];
    expect(terms.at(-1)![0]).toBeGreaterThan(first[0]);
    expect(terms.at(-1)![1]).not.toEqual(first[1]);
    for (const [, leaders] of terms) expect(leaders).toHaveLength(1);
    await c.close();
  });
});

describe('guide, Raft stage 3: replication and forwarding', () => {
  it('serves linearizable reads and writes from any node, across a change of leader', async () => {
    const c = cluster(forward, ids);
    c.init();
    await c.run(3000);
    expect(await c.request('n2', { type: 'write', key: 1, value: 3 })).toMatchObject({ type: 'write_ok' });
    expect(await c.request('n4', { type: 'read', key: 1 })).toMatchObject({ type: 'read_ok', value: 3 });
    expect(await c.request('n5', { type: 'cas', key: 1, from: 2, to: 4 })).toMatchObject({ type: 'error', code: 22 });
    expect(await c.request('n3', { type: 'read', key: 9 })).toMatchObject({ type: 'error', code: 20 });

    const leader = [...c.leaders()].at(-1)![1][0]!;
    c.isolate(leader);
    await c.run(3000);
    const other = ids.find((id) => id !== leader)!;
    expect(await c.request(other, { type: 'cas', key: 1, from: 3, to: 4 })).toMatchObject({ type: 'cas_ok' });
    // The old leader, cut off, cannot answer: it has stepped down and knows no leader it can reach.
    const stale = await c.request(leader, { type: 'read', key: 1 });
    expect(stale === undefined || stale.type === 'error').toBe(true);
    c.heal();
    await c.run(3000);
    expect(await c.request(leader, { type: 'read', key: 1 })).toMatchObject({ type: 'read_ok', value: 4 });
    for (const [, leaders] of c.leaders()) expect(leaders).toHaveLength(1);
    await c.close();
  });
});
