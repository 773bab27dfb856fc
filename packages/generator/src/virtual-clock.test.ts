import { describe, expect, it } from 'vitest';
import { VirtualClock } from './virtual-clock';

describe('VirtualClock', () => {
  it('runs timers in due order, equal times first-in first-out', () => {
    const c = new VirtualClock();
    const log: string[] = [];
    c.setTimeout(() => log.push(`c@${c.now()}`), 3);
    for (const name of ['a1', 'a2', 'a3']) c.setTimeout(() => log.push(`${name}@${c.now()}`), 1);
    c.setTimeout(() => log.push(`b@${c.now()}`), 2);
    c.setTimeout(() => log.push(`z@${c.now()}`), 0);
    expect(c.runAll()).toBe(6);
    expect(log).toEqual(['z@0', 'a1@1000000', 'a2@1000000', 'a3@1000000', 'b@2000000', 'c@3000000']);
  });

  it('keeps FIFO order among many equal-time timers (heap stability)', () => {
    const c = new VirtualClock();
    const log: number[] = [];
    for (let i = 0; i < 200; i++) c.setTimeout(() => log.push(i), (i * 7) % 3);
    c.runAll();
    const expected = [0, 1, 2].flatMap((d) => [...Array(200).keys()].filter((i) => (i * 7) % 3 === d));
    expect(log).toEqual(expected);
  });

  it('advance runs what falls due, including timers set on the way, and lands on the target', () => {
    const c = new VirtualClock({ start: 5 });
    const log: number[] = [];
    c.setTimeout(() => {
      log.push(c.now());
      c.setTimeout(() => log.push(c.now()), 1);
      c.setTimeout(() => log.push(c.now()), 100);
    }, 1);
    c.advance(10);
    expect(log).toEqual([1_000_005, 2_000_005]);
    expect(c.now()).toBe(10_000_005);
    expect(c.pending).toBe(1);
    expect(c.nextAt()).toBe(101_000_005);
  });

  it('clearTimeout cancels; clearing twice or a foreign handle is harmless', () => {
    const c = new VirtualClock();
    let ran = 0;
    const h = c.setTimeout(() => ran++, 1);
    c.setTimeout(() => ran++, 2);
    c.clearTimeout(h);
    c.clearTimeout(h);
    c.clearTimeout({});
    expect(c.pending).toBe(1);
    c.runAll();
    expect(ran).toBe(1);
    expect(c.runNext()).toBe(false);
  });

  it('never goes backwards and treats negative or NaN delays as 0', () => {
    const c = new VirtualClock();
    c.advance(5);
    const times: number[] = [];
    c.setTimeout(() => times.push(c.now()), -3);
    c.setTimeout(() => times.push(c.now()), Number.NaN);
    c.advanceTo(1);
    expect(c.now()).toBe(5_000_000);
    c.runAll();
    expect(times).toEqual([5_000_000, 5_000_000]);
  });

  it('keeps sub-millisecond precision in nanoseconds', () => {
    const c = new VirtualClock();
    c.setTimeout(() => {}, 0.000123);
    c.runNext();
    expect(c.now()).toBe(123);
  });

  it('auto-advances one timer per macrotask, letting promise chains settle in between', async () => {
    const c = new VirtualClock({ autoAdvance: true });
    const log: string[] = [];
    const sleep = (ms: number) => new Promise<void>((r) => c.setTimeout(r, ms));
    const worker = async (name: string, ms: number) => {
      for (let i = 0; i < 3; i++) {
        await sleep(ms);
        log.push(`${name}${i}@${c.now() / 1e6}`);
      }
    };
    await Promise.all([worker('a', 10), worker('b', 15)]);
    // b set its 30 ms timer (at 15) before a set its own (at 20): FIFO puts b first.
    expect(log).toEqual(['a0@10', 'b0@15', 'a1@20', 'b1@30', 'a2@30', 'b2@45']);
  });

  it('hold keeps an auto-advancing clock still until released', async () => {
    const c = new VirtualClock({ autoAdvance: true });
    const release = c.hold();
    let fired = false;
    c.setTimeout(() => (fired = true), 1000);
    await new Promise((r) => setTimeout(r, 10));
    expect(fired).toBe(false);
    expect(c.now()).toBe(0);
    release();
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(fired).toBe(true);
    expect(c.now()).toBe(1e9);
  });
});
