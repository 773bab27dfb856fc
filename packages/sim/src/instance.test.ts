import { VirtualClock } from '@gyre/generator';
import { seededRandom } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import { InstanceClock, SimNode } from './instance';

describe('InstanceClock', () => {
  it('runs timers on the shared clock; a pause holds those that fall due until resume, in order', () => {
    const base = new VirtualClock();
    const c = new InstanceClock(base);
    const fired: string[] = [];
    c.setTimeout(() => fired.push(`a@${base.now() / 1e6}`), 10);
    c.setTimeout(() => fired.push(`b@${base.now() / 1e6}`), 20);
    const cancelled = c.setTimeout(() => fired.push('never'), 30);
    base.advance(5);
    c.pause();
    base.advance(20);
    expect(fired).toEqual([]);
    c.clearTimeout(cancelled);
    base.setTimeout(() => c.resume(), 15);
    base.advance(50);
    expect(fired).toEqual(['a@40', 'b@40']);
  });

  it('a kill cancels every timer, set before or after', () => {
    const base = new VirtualClock();
    const c = new InstanceClock(base);
    const fired: number[] = [];
    c.setTimeout(() => fired.push(1), 10);
    c.kill();
    c.setTimeout(() => fired.push(2), 10);
    base.advance(100);
    expect(fired).toEqual([]);
    expect(base.pending).toBe(0);
  });
});

describe('SimNode', () => {
  const make = (out: string[]) => {
    const clock = new VirtualClock();
    const n = new SimNode({
      id: 'n1',
      install: (node) => {
        let count = 0;
        node.on('inc', () => ({ count: ++count }));
        node.every(10, () => node.send('n2', { type: 'tick', count }));
      },
      args: [],
      clock,
      random: seededRandom('s'),
      dir: undefined,
      output: (line) => out.push(line),
      log: () => {},
      onError: (m) => {
        throw new Error(m);
      },
    });
    return { n, clock };
  };
  const msg = (id: number, type: string, extra = {}) => JSON.stringify({ src: 'c1', dest: 'n1', body: { type, msg_id: id, ...extra } });

  it('a restart after a kill is a fresh incarnation: new memory, the old one silent', async () => {
    const out: string[] = [];
    const { n, clock } = make(out);
    n.startNow();
    n.deliver(msg(1, 'init', { node_id: 'n1', node_ids: ['n1', 'n2'] }));
    n.deliver(msg(2, 'inc'));
    n.deliver(msg(3, 'inc'));
    clock.advance(10);
    await n.kill();
    clock.advance(100);
    const before = out.length;
    n.startNow();
    n.deliver(msg(4, 'init', { node_id: 'n1', node_ids: ['n1', 'n2'] }));
    n.deliver(msg(5, 'inc'));
    const replies = out.map((l) => JSON.parse(l).body).filter((b) => b.type === 'inc_ok');
    expect(replies.map((b) => b.count)).toEqual([1, 2, 1]);
    expect(out.slice(before - 1, before).map((l) => JSON.parse(l).body.type)).toEqual(['tick']);
    expect(n.incarnations).toBe(2);
  });

  it('holds what a paused node writes until it resumes', () => {
    const out: string[] = [];
    const { n, clock } = make(out);
    n.startNow();
    n.deliver(msg(1, 'init', { node_id: 'n1', node_ids: ['n1', 'n2'] }));
    n.pause();
    n.deliver(msg(2, 'inc'));
    clock.advance(50);
    const during = out.length;
    n.resume();
    expect(out.length).toBeGreaterThan(during);
    expect(JSON.parse(out[during]!).body).toMatchObject({ type: 'inc_ok', count: 1 });
  });
});
