/**
 * The built-in services (lin-kv, seq-kv, lww-kv, lin-tso) as participants of the simulated network.
 */
import { stringifyJson, type Random } from '@gyre/history';
import type { Router } from '@gyre/net';
import type { Message } from '@gyre/protocol';
import { createServices } from '@gyre/services';

/**
 * Registers every service on `router`: each keeps its state and answers every request it gets,
 * drawing any randomness from `random` (give it `runRandom.fork('services')`). A service that
 * throws leaves its state as it was and reports through `warn`.
 */
export function registerServices(router: Router, random: Random, warn: (message: string) => void): void {
  for (const svc of createServices()) {
    let state = svc.init();
    router.register(svc.id, (m: Message) => {
      try {
        const [next, reply] = svc.handle(state, { src: m.src, body: m.body }, random);
        state = next;
        router.send({ src: svc.id, dest: m.src, body: reply });
      } catch (e) {
        warn(`Error in service ${svc.id} handling ${clip(stringifyJson(m))}: ${(e as Error).stack}`);
      }
    });
  }
}

/** Shortens text for a log line. */
export function clip(s: string, n = 200): string {
  return s.length <= n ? s : `${s.slice(0, n)}… (${s.length} characters)`;
}
