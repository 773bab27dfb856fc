import { seededRandom } from '@gyre/history';
import type { Message } from '@gyre/protocol';
import { createRouter, type Router, type RouterOptions } from '../src/router';
import { VirtualClock } from './virtual-clock';

/** One delivery as a participant saw it. */
export interface Delivery {
  m: Message;
  line: string;
  /** Virtual time of delivery, in ms. */
  at: number;
}

/** A router on a virtual clock with participants that record what they receive, and the journal text. */
export function harness(ids: readonly string[], opts: Partial<Omit<RouterOptions, 'clock' | 'random'>> & { seed?: string } = {}) {
  const clock = new VirtualClock();
  const chunks: string[] = [];
  const { seed, ...rest } = opts;
  const router: Router = createRouter({
    clock,
    random: seededRandom(seed ?? 'net-test'),
    journal: (c) => chunks.push(c),
    ...rest,
  });
  const inbox = new Map<string, Delivery[]>();
  const all: Delivery[] = [];
  const join = (id: string) => {
    const box: Delivery[] = inbox.get(id) ?? [];
    inbox.set(id, box);
    router.register(id, (m, line) => {
      const d = { m, line, at: clock.now() / 1e6 };
      box.push(d);
      all.push(d);
    });
  };
  for (const id of ids) join(id);
  const send = (src: string, dest: string, body: Record<string, unknown> = { type: 'x' }) => {
    const r = router.send({ src, dest, body });
    if (!r.ok) throw new Error(r.reason);
    return r.id;
  };
  const box = (id: string) => inbox.get(id) ?? [];
  const journal = () => {
    router.flush();
    return chunks.join('');
  };
  return { clock, router, inbox, all, join, send, box, chunks, journal };
}
