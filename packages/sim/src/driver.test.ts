import { VirtualClock } from '@gyre/generator';
import { describe, expect, it } from 'vitest';
import { drive, SimulationStalled } from './driver';

describe('drive', () => {
  it('lets every continuation of a timer settle before the next timer runs', async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    const sleep = (ms: number) => new Promise<void>((r) => clock.setTimeout(r, ms));
    const worker = async (name: string, ms: number) => {
      for (let i = 0; i < 3; i++) {
        await sleep(ms);
        await Promise.resolve();
        await Promise.resolve();
        seen.push(`${name}${i}@${clock.now() / 1e6}`);
      }
    };
    await drive(clock, Promise.all([worker('a', 10), worker('b', 15)]));
    // At 30 ms, b's timer (set at 15 ms) runs before a's (set at 20 ms): FIFO at equal times.
    expect(seen).toEqual(['a0@10', 'b0@15', 'a1@20', 'b1@30', 'a2@30', 'b2@45']);
  });

  it('settles as the run does, rejection included', async () => {
    const clock = new VirtualClock();
    const p = new Promise((_, reject) => clock.setTimeout(() => reject(new Error('boom')), 1000));
    await expect(drive(clock, p)).rejects.toThrow('boom');
    expect(clock.now()).toBe(1000 * 1e6);
  });

  it('reports a run that waits for something no timer brings', async () => {
    const clock = new VirtualClock();
    await expect(drive(clock, new Promise(() => {}), { stallTurns: 3 })).rejects.toBeInstanceOf(SimulationStalled);
  });
});
