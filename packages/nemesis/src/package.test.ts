import { any, clients, interpret, once, phases, repeat, stagger, timeLimit, VirtualClock } from '@gyre/generator';
import { simulate } from '@gyre/generator/testing';
import { type Op, seededRandom, type TestInfo } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import { type Grudge, grudgeValue, isSymmetric, PARTITION_SHAPES } from './grudge';
import { type FaultTarget, nemesisPackage, resolveNodes } from './package';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];
const test: TestInfo = { nodes, concurrency: 2 };
const S = 1e9;

/** A FaultTarget that records calls and keeps a little state. */
class FakeTarget implements FaultTarget {
  calls: string[] = [];
  grudge: Grudge | null = null;
  down = new Set<string>();
  paused = new Set<string>();
  async partition(g: Grudge) {
    this.calls.push(`partition ${JSON.stringify(grudgeValue(g, nodes))}`);
    this.grudge = g;
  }
  async heal() {
    this.calls.push('heal');
    this.grudge = null;
  }
  async kill(n: string) {
    this.calls.push(`kill ${n}`);
    if (this.down.has(n)) return 'not-running' as const;
    this.down.add(n);
    return 'killed' as const;
  }
  async start(n: string) {
    this.calls.push(`start ${n}`);
    return this.down.delete(n) ? ('started' as const) : ('already-running' as const);
  }
  async pause(n: string) {
    this.calls.push(`pause ${n}`);
    this.paused.add(n);
  }
  async resume(n: string) {
    this.calls.push(`resume ${n}`);
    return this.paused.delete(n) ? ('resumed' as const) : ('not-running' as const);
  }
}

/** The nemesis operations of a simulated main phase of `seconds`. */
function schedule(faults: string[], seconds: number, seed = 1, interval = 10) {
  const pkg = nemesisPackage({ faults, interval, nodes });
  const h = simulate(timeLimit(seconds, pkg.generator), {
    test,
    random: seededRandom(seed),
    complete: () => ({ type: 'info' }),
    maxTime: Infinity,
  });
  return { pkg, invokes: h.filter((op) => op.type === 'invoke') };
}

describe('the partition schedule', () => {
  it("alternates start/stop from a start at once, gaps uniform in [0, 2·interval)", () => {
    const { invokes } = schedule(['partition'], 20_000, 3);
    expect(invokes[0]).toMatchObject({ f: 'start-partition', time: 0, process: 'nemesis' });
    invokes.forEach((op, i) => {
      expect(op.f).toBe(i % 2 === 0 ? 'start-partition' : 'stop-partition');
      expect(op.process).toBe('nemesis');
      if (op.f === 'start-partition') expect(PARTITION_SHAPES).toContain(op.value);
      else expect(op.value).toBeNull();
    });
    const gaps = invokes.slice(1).map((op, i) => (op.time - invokes[i]!.time) / S);
    for (const g of gaps) expect(g >= 0 && g < 20).toBe(true);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(gaps.length).toBeGreaterThan(1500);
    expect(Math.abs(mean - 10)).toBeLessThan(0.6);
  });

  it('picks every shape, uniformly', () => {
    const { invokes } = schedule(['partition'], 40_000, 4);
    const counts = new Map<unknown, number>();
    for (const op of invokes) if (op.f === 'start-partition') counts.set(op.value, (counts.get(op.value) ?? 0) + 1);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    for (const shape of PARTITION_SHAPES) expect(Math.abs(counts.get(shape)! / total - 0.25)).toBeLessThan(0.04);
  });

  it('respects the interval option', () => {
    const { invokes } = schedule(['partition'], 1000, 5, 1);
    const gaps = invokes.slice(1).map((op, i) => (op.time - invokes[i]!.time) / S);
    expect(Math.max(...gaps)).toBeLessThan(2);
    expect(invokes.length).toBeGreaterThan(800);
  });
});

describe('kill and pause schedules', () => {
  it('kill alternates kill/start of random node specs', () => {
    const { invokes } = schedule(['kill'], 2000);
    expect(invokes[0]).toMatchObject({ f: 'kill', time: 0 });
    invokes.forEach((op, i) => {
      if (i % 2 === 0) {
        expect(op.f).toBe('kill');
        expect(['one', 'minority', 'majority', 'all']).toContain(op.value);
      } else expect(op).toMatchObject({ f: 'start', value: 'all' });
    });
  });

  it('pause alternates pause/resume', () => {
    const { invokes } = schedule(['pause'], 2000);
    invokes.forEach((op, i) => expect(op.f).toBe(i % 2 === 0 ? 'pause' : 'resume'));
  });

  it('combined faults share the nemesis thread, each pair alternating in its own stream', () => {
    const { invokes, pkg } = schedule(['partition', 'kill', 'pause'], 5000, 7);
    const only = (fs: string[]) => invokes.filter((op) => fs.includes(op.f)).map((op) => op.f);
    const alternates = (xs: string[], a: string, b: string) => xs.every((f, i) => f === (i % 2 === 0 ? a : b));
    expect(alternates(only(['start-partition', 'stop-partition']), 'start-partition', 'stop-partition')).toBe(true);
    expect(alternates(only(['kill', 'start']), 'kill', 'start')).toBe(true);
    expect(alternates(only(['pause', 'resume']), 'pause', 'resume')).toBe(true);
    expect(only(['kill', 'start']).length).toBeGreaterThan(50);
    expect(only(['pause', 'resume']).length).toBeGreaterThan(50);
    expect(invokes.every((op) => op.process === 'nemesis' && pkg.fs.has(op.f))).toBe(true);
    // Two schedules side by side: about twice the operations of one.
    const single = schedule(['partition'], 5000, 7).invokes.length;
    expect(invokes.length).toBeGreaterThan(1.5 * single);
  });

  it('no faults: nothing happens', () => {
    const { invokes, pkg } = schedule([], 100);
    expect(invokes).toEqual([]);
    expect(simulate(pkg.finalGenerator, { test, random: seededRandom(1) })).toEqual([]);
  });
});

describe('finalGenerator', () => {
  it('heals everything, on the nemesis thread, in order', () => {
    const pkg = nemesisPackage({ faults: ['kill', 'partition', 'pause'], interval: 10, nodes });
    const h = simulate(clients(once({ f: 'read' }), pkg.finalGenerator), { test, random: seededRandom(1), latency: 1 });
    const nem = h.filter((op) => op.type === 'invoke' && op.process === 'nemesis');
    expect(nem.map((op) => [op.f, op.value])).toEqual([
      ['stop-partition', null],
      ['resume', 'all'],
      ['start', 'all'],
    ]);
  });
});

describe('invoke', () => {
  const inv = (f: string, value: unknown): Op => ({ index: 0, time: 0, type: 'invoke', process: 'nemesis', f, value });

  it('start-partition applies the shape and reports the grudge', async () => {
    const pkg = nemesisPackage({ faults: ['partition'], interval: 10, nodes, random: seededRandom(2) });
    const t = new FakeTarget();
    for (const shape of PARTITION_SHAPES) {
      const c = await pkg.invoke(inv('start-partition', shape), t);
      expect(c).toMatchObject({ type: 'info', f: 'start-partition', process: 'nemesis' });
      const [tag, grudge] = c.value as [string, Record<string, string[]>];
      expect(tag).toBe('isolated');
      expect(t.calls.at(-1)).toBe(`partition ${JSON.stringify(grudge)}`);
      expect(Object.keys(grudge)).toEqual(nodes);
      if (shape !== 'majorities-ring') expect(isSymmetric(t.grudge!)).toBe(true);
    }
    const stop = await pkg.invoke(inv('stop-partition', null), t);
    expect(stop).toMatchObject({ type: 'info', value: 'network-healed' });
    expect(t.calls.at(-1)).toBe('heal');
  });

  it('kill, start, pause, resume act on the designated nodes and report each status', async () => {
    const pkg = nemesisPackage({ faults: ['kill', 'pause'], interval: 10, nodes, random: seededRandom(3) });
    const t = new FakeTarget();
    const killed = await pkg.invoke(inv('kill', 'majority'), t);
    const victims = Object.keys(killed.value as object);
    expect(victims).toHaveLength(3);
    expect(Object.values(killed.value as object)).toEqual(['killed', 'killed', 'killed']);
    const started = (await pkg.invoke(inv('start', 'all'), t)).value as Record<string, string>;
    expect(Object.keys(started)).toEqual(nodes);
    for (const n of nodes) expect(started[n]).toBe(victims.includes(n) ? 'started' : 'already-running');
    expect((await pkg.invoke(inv('pause', ['n2']), t)).value).toEqual({ n2: 'paused' });
    expect((await pkg.invoke(inv('resume', 'all'), t)).value).toEqual({
      n1: 'not-running',
      n2: 'resumed',
      n3: 'not-running',
      n4: 'not-running',
      n5: 'not-running',
    });
    expect((await pkg.invoke(inv('kill', 'one'), t)).value).toEqual({ [t.calls.at(-1)!.slice(5)]: 'killed' });
  });

  it('rejects operations it cannot carry out', async () => {
    const pkg = nemesisPackage({ faults: ['partition', 'kill'], interval: 10, nodes });
    const t = new FakeTarget();
    await expect(pkg.invoke(inv('explode', null), t)).rejects.toThrow(RangeError);
    await expect(pkg.invoke(inv('start-partition', 'halves'), t)).rejects.toThrow(/shape/);
    await expect(pkg.invoke(inv('kill', ['n9']), t)).rejects.toThrow(/unknown node/);
    expect(t.calls).toEqual([]);
  });

  it('heal restores everything the faults may have broken', async () => {
    const pkg = nemesisPackage({ faults: ['partition', 'kill', 'pause'], interval: 10, nodes });
    const t = new FakeTarget();
    await pkg.heal(t);
    expect(t.calls).toEqual(['heal', ...nodes.map((n) => `resume ${n}`), ...nodes.map((n) => `start ${n}`)]);
  });
});

describe('options', () => {
  it('rejects bad faults, intervals and shapes', () => {
    expect(() => nemesisPackage({ faults: ['clock'], interval: 10, nodes })).toThrow(/faults/);
    expect(() => nemesisPackage({ faults: ['partition'], interval: 0, nodes })).toThrow(/interval/);
    expect(() => nemesisPackage({ faults: [], interval: Number.NaN, nodes })).toThrow(/interval/);
    expect(() => nemesisPackage({ faults: [], interval: 1, nodes, partitionShapes: ['x' as never] })).toThrow(/shape/);
  });

  it('limits shapes and targets when asked', () => {
    const pkg = nemesisPackage({ faults: ['partition', 'kill'], interval: 1, nodes, partitionShapes: ['one'], targets: [['n1']] });
    const h = simulate(timeLimit(200, pkg.generator), { test, random: seededRandom(1) });
    for (const op of h.filter((o) => o.type === 'invoke')) {
      if (op.f === 'start-partition') expect(op.value).toBe('one');
      if (op.f === 'kill') expect(op.value).toEqual(['n1']);
    }
  });

  it('resolveNodes sizes', () => {
    const r = seededRandom(1);
    expect(resolveNodes('one', nodes, r)).toHaveLength(1);
    expect(resolveNodes('minority', nodes, r)).toHaveLength(2);
    expect(resolveNodes('majority', nodes, r)).toHaveLength(3);
    expect(resolveNodes('all', nodes, r)).toEqual(nodes);
    expect(resolveNodes(['n3', 'n1'], nodes, r)).toEqual(['n1', 'n3']);
    expect(() => resolveNodes('some', nodes, r)).toThrow(RangeError);
  });
});

describe('with the interpreter', () => {
  it('runs a Maelstrom-shaped test: main phase with partitions, then a healing final phase', async () => {
    const clock = new VirtualClock({ autoAdvance: true });
    const pkg = nemesisPackage({ faults: ['partition', 'kill'], interval: 5, nodes, random: seededRandom('n') });
    const target = new FakeTarget();
    const generator = phases(
      timeLimit(60, any(clients(stagger(0.5, repeat({ f: 'read' }))), pkg.generator)),
      pkg.finalGenerator,
    );
    const { history } = await interpret({
      generator,
      clock,
      random: seededRandom(1),
      test,
      threads: [0, 1, 'nemesis'],
      record: () => {},
      invoke: (thread, op) =>
        thread === 'nemesis'
          ? pkg.invoke(op, target)
          : new Promise((resolve) => clock.setTimeout(() => resolve({ ...op, type: 'ok' }), 10)),
    });
    const nem = history.filter((op) => op.process === 'nemesis');
    expect(nem.length).toBeGreaterThan(10);
    for (const op of nem.filter((o) => o.type !== 'invoke')) expect(op.type).toBe('info');
    expect(nem.filter((op) => op.f === 'start-partition' && op.type === 'info').every((op) => (op.value as unknown[])[0] === 'isolated')).toBe(true);
    expect(target.grudge).toBeNull();
    expect(target.down.size).toBe(0);
    expect(history.filter((op) => op.f === 'read').length).toBeGreaterThan(100);
  });
});
