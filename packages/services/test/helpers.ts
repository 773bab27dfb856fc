import type { Random } from '@gyre/history';
import { JsonFloat, seededRandom } from '@gyre/history';
import fc from 'fast-check';
import type { Body } from '@gyre/protocol';
import type { Service } from '../src/service';

/**
 * A Random whose `between` and `int` answers are scripted: each call takes the next choice
 * (an offset from `lo`, or a value below `n`), clamped into range. Other methods are unused by
 * the services and throw.
 */
export function scripted(choices: number[]): Random & { readonly remaining: number } {
  let i = 0;
  const take = () => {
    if (i >= choices.length) throw new Error('scripted random ran out of choices');
    return choices[i++]!;
  };
  const no = () => {
    throw new Error('not scripted');
  };
  return {
    seed: 'scripted',
    get remaining() {
      return choices.length - i;
    },
    between(lo: number, hi: number) {
      const c = take();
      if (c < 0 || lo + c > hi) throw new Error(`scripted choice ${c} outside [${lo}, ${hi}]`);
      return lo + c;
    },
    int(n: number) {
      const c = take();
      if (c < 0 || c >= n) throw new Error(`scripted choice ${c} outside [0, ${n})`);
      return c;
    },
    next: no,
    uniform: no,
    exponential: no,
    chance: no,
    pick: no,
    shuffle: no,
    fork: no,
  };
}

/** Drives a service, keeping its state, with msg_ids 1, 2, 3, ... */
export class Driver<S> {
  state: S;
  private msgId = 0;
  constructor(
    readonly service: Service<S>,
    public random: Random = seededRandom(1),
  ) {
    this.state = service.init();
  }
  send(src: string, body: Body): Body {
    const [next, reply] = this.service.handle(this.state, { src, body: { ...body, msg_id: ++this.msgId } }, this.random);
    this.state = next;
    return reply;
  }
  /** The reply without in_reply_to, for compact assertions. */
  call(src: string, body: Body): Body {
    const { in_reply_to: _, ...rest } = this.send(src, body);
    return rest;
  }
}

/** Freezes every object reachable from `x`, so any later mutation throws (modules are strict). */
export function deepFreeze<T>(x: T, seen = new Set<unknown>()): T {
  if (x === null || typeof x !== 'object' || seen.has(x)) return x;
  seen.add(x);
  for (const v of Object.values(x as object)) deepFreeze(v, seen);
  return Object.freeze(x);
}

const keyArb = fc.oneof(fc.constantFrom<unknown>(0, 1, '1', 'x', null), fc.constant(new JsonFloat(1)));
const valArb = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom<unknown>(null, 'a', new JsonFloat(1), [1]));
/** Random KV requests over a few keys and values that differ only by Clojure equality. */
export const kvRequest: fc.Arbitrary<Body> = fc.oneof(
  fc.record({ type: fc.constant('read'), key: keyArb }),
  fc.record({ type: fc.constant('write'), key: keyArb, value: valArb }),
  fc.record({ type: fc.constant('cas'), key: keyArb, from: valArb, to: valArb, create_if_not_exists: fc.boolean() }),
);

