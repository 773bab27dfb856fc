/**
 * The clock port of a simulated run: one {@link VirtualClock} for the whole cluster, driven by
 * {@link drive}; while the run's live phases go, the process's own sources of time and randomness
 * are put on virtual time and the seed, so that node code using them is reproducible too.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { VirtualClock } from '@gyre/generator';
import type { Random } from '@gyre/history';
import type { RunClock } from '@gyre/runner/ports';
import { drive } from './driver';

/** Options of {@link virtualTime}. */
export interface VirtualTimeOptions {
  /**
   * While the live phases run, replace `Math.random`, `crypto.randomUUID`, `crypto.getRandomValues`
   * and the synchronous `randomBytes` / `randomInt` of `node:crypto` with this seeded source, and
   * `Date.now` with virtual time. @defaultValue no patching
   */
  patchGlobals?: Random;
}

/** Virtual time: the clock starts at 0, and the live phases run as fast as their timers allow. */
export function virtualTime(o: VirtualTimeOptions = {}): RunClock & { clock: VirtualClock } {
  const clock = new VirtualClock();
  return {
    kind: 'virtual',
    clock,
    startedAt: new Date(),
    stamp: () => virtualStamp(clock.now()),
    run: async (live) => {
      const restore = o.patchGlobals ? patchGlobals(o.patchGlobals, clock) : () => {};
      try {
        // No signal for the driver: an interrupt stops the generator, and the operations in flight finish in virtual time.
        return await drive(clock, live());
      } finally {
        restore();
      }
    },
  };
}

/** `HH:MM:SS,mmm` of virtual time since the start of the run, for gyre.log. */
function virtualStamp(ns: number): string {
  const ms = Math.floor(ns / 1e6);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(Math.floor(ms / 3_600_000))}:${p(Math.floor(ms / 60_000) % 60)}:${p(Math.floor(ms / 1000) % 60)},${p(ms % 1000, 3)}`;
}

/** Virtual time's epoch for `Date.now()` in a simulation: 2000-01-01T00:00:00Z. */
export const SIM_EPOCH_MS = 946_684_800_000;

const require = createRequire(import.meta.url);

/** A version 4 UUID from `random`. */
function seededUuid(random: Random): string {
  const b = Array.from({ length: 16 }, () => random.int(256));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Seeds `Math.random`, `crypto.randomUUID`, `crypto.getRandomValues` (global) and the synchronous
 * `randomUUID` / `randomBytes` / `randomInt` of `node:crypto` (imported names included), and puts
 * `Date.now` on virtual time; returns the undo.
 */
function patchGlobals(random: Random, clock: VirtualClock): () => void {
  const crypto = require('node:crypto') as typeof import('node:crypto');
  const web = globalThis.crypto as unknown as Record<string, unknown>;
  const originalRandomBytes = crypto.randomBytes;
  const originalRandomInt = crypto.randomInt;
  const fill = <T extends ArrayBufferView | null>(view: T): T => {
    if (view) {
      const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
      for (let i = 0; i < bytes.length; i++) bytes[i] = random.int(256);
    }
    return view;
  };
  const uuid = () => seededUuid(random);
  const replacements: [object, string, unknown][] = [
    [Math, 'random', () => random.next()],
    [Date, 'now', () => SIM_EPOCH_MS + Math.floor(clock.now() / 1e6)],
    [crypto, 'randomUUID', uuid],
    [
      crypto,
      'randomBytes',
      (size: number, cb?: (err: Error | null, buf: Buffer) => void) => (cb ? originalRandomBytes(size, cb) : fill(Buffer.alloc(size))),
    ],
    [
      crypto,
      'randomInt',
      (a: number, b?: unknown, cb?: unknown) => {
        if (typeof b === 'function' || cb !== undefined) return (originalRandomInt as (...args: unknown[]) => unknown)(a, b, cb);
        const [lo, hi] = b === undefined ? [0, a] : [a, b as number];
        return lo + random.int(hi - lo);
      },
    ],
    [web, 'randomUUID', uuid],
    [web, 'getRandomValues', fill],
  ];
  // Only what can be replaced (node:crypto's getRandomValues cannot; it is webcrypto's, replaced below).
  const usable = replacements.filter(([o, k]) => Object.getOwnPropertyDescriptor(o, k)?.configurable !== false);
  const saved = usable.map(([o, k]) => [o, k, Object.getOwnPropertyDescriptor(o, k)] as const);
  for (const [o, k, v] of usable) Object.defineProperty(o, k, { value: v, writable: true, configurable: true, enumerable: false });
  syncBuiltinESMExports();
  return () => {
    for (const [o, k, d] of saved) {
      if (d) Object.defineProperty(o, k, d);
      else delete (o as Record<string, unknown>)[k];
    }
    syncBuiltinESMExports();
  };
}
