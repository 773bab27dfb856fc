import type { Op } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import type { Model } from './index';
import { casRegister, fifoQueue, linearizable, linKv, models, multiRegister, mutex, perKey, register, setModel, stringKv, unorderedQueue } from './index';

type Ev = [process: number, type: Op['type'], f: string, value?: unknown, extra?: Record<string, unknown>];

/** A history from compact events, in time order. */
function hist(events: Ev[]): Op[] {
  return events.map(([process, type, f, value, extra], index) => ({ index, time: index * 1000, type, process, f, value: value ?? null, ...extra }));
}

/** Sequential ops: each invoked and completed before the next. */
function seq(...ops: [f: string, invoke: unknown, complete: unknown, type?: Op['type']][]): Op[] {
  return hist(ops.flatMap(([f, inv, done, type]) => [[0, 'invoke', f, inv] as Ev, [0, type ?? 'ok', f, done] as Ev]));
}

const check = (model: Model<any, any>, h: Op[]) => linearizable(h, { model }).valid;

describe('register', () => {
  it('accepts reads of the latest write, including a concurrent one', () => {
    expect(check(register(), seq(['read', null, null], ['write', 1, 1], ['read', null, 1]))).toBe(true);
    expect(check(register(), hist([[0, 'invoke', 'write', 2], [1, 'invoke', 'read'], [1, 'ok', 'read', 2], [0, 'ok', 'write', 2]]))).toBe(true);
  });
  it('rejects a stale read and names it', () => {
    const r = linearizable(seq(['write', 1, 1], ['write', 2, 2], ['read', null, 1]), { model: register() });
    expect(r.valid).toBe(false);
    expect(r.failure?.op.index).toBe(4);
    expect(r.failure?.reason).toBe("can't read 1 from register 2");
  });
  it("takes a write's value from its invocation", () => {
    expect(check(register(), seq(['write', 1, null], ['read', null, 1]))).toBe(true);
  });
  it('honours the initial value option', () => {
    expect(check(register({ initial: 0 }), seq(['read', null, 0]))).toBe(true);
    expect(check(register(), seq(['read', null, 0]))).toBe(false);
  });
  it('compares values losslessly: 1 equals 1n, not 1.0', async () => {
    const { JsonFloat } = await import('@gyre/history');
    expect(check(register(), seq(['write', 1, 1], ['read', null, 1n]))).toBe(true);
    expect(check(register(), seq(['write', 1, 1], ['read', null, new JsonFloat(1)]))).toBe(false);
  });
});

describe('cas-register', () => {
  it('accepts a successful CAS and drops a failed one', () => {
    expect(check(casRegister(), seq(['write', 1, 1], ['cas', [1, 2], [1, 2]], ['cas', [1, 3], [1, 3], 'fail'], ['read', null, 2]))).toBe(true);
  });
  it('rejects a CAS from the wrong value', () => {
    expect(check(casRegister(), seq(['write', 1, 1], ['cas', [2, 3], [2, 3]]))).toBe(false);
  });
  it('lets an info CAS take effect later, or never', () => {
    const later = hist([[0, 'invoke', 'write', 1], [0, 'ok', 'write', 1], [1, 'invoke', 'cas', [1, 5]], [1, 'info', 'cas', [1, 5]], [2, 'invoke', 'read'], [2, 'ok', 'read', 1], [2, 'invoke', 'read'], [2, 'ok', 'read', 5]]);
    expect(check(casRegister(), later)).toBe(true);
    const never = hist([[0, 'invoke', 'write', 1], [0, 'ok', 'write', 1], [1, 'invoke', 'cas', [1, 5]], [2, 'invoke', 'read'], [2, 'ok', 'read', 1]]);
    expect(check(casRegister(), never)).toBe(true);
    const notBeforeInvoke = hist([[2, 'invoke', 'read'], [2, 'ok', 'read', 5], [0, 'invoke', 'write', 5], [0, 'info', 'write', 5]]);
    expect(check(casRegister(), notBeforeInvoke)).toBe(false);
  });
});

describe('mutex', () => {
  it('accepts alternating acquire and release, rejects a double acquire', () => {
    expect(check(mutex(), hist([[0, 'invoke', 'acquire'], [0, 'ok', 'acquire'], [0, 'invoke', 'release'], [0, 'ok', 'release'], [1, 'invoke', 'acquire'], [1, 'ok', 'acquire']]))).toBe(true);
    expect(check(mutex(), hist([[0, 'invoke', 'acquire'], [0, 'ok', 'acquire'], [1, 'invoke', 'acquire'], [1, 'ok', 'acquire']]))).toBe(false);
  });
  it('rejects a release of a free lock', () => {
    expect(check(mutex(), seq(['release', null, null]))).toBe(false);
  });
});

describe('set', () => {
  it('accepts reads of everything added, in any order', () => {
    expect(check(setModel(), seq(['add', 1, 1], ['add', 2, 2], ['read', null, [2, 1]]))).toBe(true);
  });
  it('rejects a read missing a completed add', () => {
    expect(check(setModel(), seq(['add', 1, 1], ['add', 2, 2], ['read', null, [1]]))).toBe(false);
  });
});

describe('fifo-queue', () => {
  it('accepts dequeues in enqueue order, and an empty dequeue of nil', () => {
    expect(check(fifoQueue(), seq(['enqueue', 1, 1], ['enqueue', 2, 2], ['dequeue', null, 1], ['dequeue', null, 2], ['dequeue', null, null]))).toBe(true);
  });
  it('rejects dequeues out of order', () => {
    expect(check(fifoQueue(), seq(['enqueue', 1, 1], ['enqueue', 2, 2], ['dequeue', null, 2]))).toBe(false);
  });
  it('lets an info dequeue take the head', () => {
    const h = hist([[0, 'invoke', 'enqueue', 1], [0, 'ok', 'enqueue', 1], [0, 'invoke', 'enqueue', 2], [0, 'ok', 'enqueue', 2], [1, 'invoke', 'dequeue'], [1, 'info', 'dequeue'], [2, 'invoke', 'dequeue'], [2, 'ok', 'dequeue', 2]]);
    expect(check(fifoQueue(), h)).toBe(true);
  });
});

describe('unordered-queue', () => {
  it('accepts dequeues in any order', () => {
    expect(check(unorderedQueue(), seq(['enqueue', 1, 1], ['enqueue', 2, 2], ['dequeue', null, 2], ['dequeue', null, 1]))).toBe(true);
  });
  it('rejects dequeuing something never enqueued, or twice', () => {
    expect(check(unorderedQueue(), seq(['enqueue', 1, 1], ['dequeue', null, 3]))).toBe(false);
    expect(check(unorderedQueue(), seq(['enqueue', 1, 1], ['dequeue', null, 1], ['dequeue', null, 1]))).toBe(false);
  });
  it('accounts for items taken by info dequeues', () => {
    const base: Ev[] = [[0, 'invoke', 'enqueue', 1], [0, 'ok', 'enqueue', 1], [0, 'invoke', 'enqueue', 2], [0, 'ok', 'enqueue', 2], [1, 'invoke', 'dequeue'], [1, 'info', 'dequeue']];
    expect(check(unorderedQueue(), hist([...base, [2, 'invoke', 'dequeue'], [2, 'ok', 'dequeue', 2]]))).toBe(true);
    // An unknown dequeue may have taken 1 or 2, so after two more dequeues the queue must be empty.
    expect(check(unorderedQueue(), hist([...base, [2, 'invoke', 'dequeue'], [2, 'ok', 'dequeue', 2], [2, 'invoke', 'dequeue'], [2, 'ok', 'dequeue', 1]]))).toBe(true);
    // Without the info dequeue, an empty dequeue while 1 is still queued is impossible.
    expect(check(unorderedQueue(), hist([[0, 'invoke', 'enqueue', 1], [0, 'ok', 'enqueue', 1], [2, 'invoke', 'dequeue'], [2, 'ok', 'dequeue', null]]))).toBe(false);
  });
});

describe('multi-register', () => {
  it('accepts txns that read earlier writes', () => {
    const h = seq(['txn', [['write', 'x', 1], ['write', 'y', 2]], [['write', 'x', 1], ['write', 'y', 2]]], ['txn', [['read', 'x', null], ['read', 'y', null]], [['read', 'x', 1], ['read', 'y', 2]]]);
    expect(check(multiRegister(), h)).toBe(true);
  });
  it('rejects a torn read', () => {
    const h = seq(['txn', [['write', 'x', 1], ['write', 'y', 2]], [['write', 'x', 1], ['write', 'y', 2]]], ['txn', [['read', 'x', null], ['read', 'y', null]], [['read', 'x', 1], ['read', 'y', null]]]);
    expect(check(multiRegister(), h)).toBe(false);
  });
});

describe('lin-kv (Maelstrom conventions) and perKey', () => {
  it('checks each key on its own', () => {
    const h = hist([
      [0, 'invoke', 'write', [1, 3]],
      [0, 'ok', 'write', [1, 3]],
      [1, 'invoke', 'read', [2, null]],
      [1, 'ok', 'read', [2, null]],
      [1, 'invoke', 'cas', [1, [3, 4]]],
      [1, 'ok', 'cas', [1, [3, 4]]],
      [0, 'invoke', 'read', [1, null]],
      [0, 'ok', 'read', [1, 4]],
      [0, 'invoke', 'cas', [2, [0, 1]]],
      [0, 'fail', 'cas', [2, [0, 1]], { error: [20, 'key does not exist'] }],
    ]);
    const r = linearizable(h, { model: linKv() });
    expect(r.valid).toBe(true);
    expect(r.partitions.map((p) => p.key).sort()).toEqual([1, 2]);
  });
  it('is also reachable as models.linKv, and takes arguments from invocations (Maelstrom write_ok has no value)', () => {
    const h = hist([[0, 'invoke', 'write', [1, 3]], [0, 'ok', 'write', undefined], [1, 'invoke', 'cas', [1, [3, 4]]], [1, 'ok', 'cas', undefined], [1, 'invoke', 'read', [1, null]], [1, 'ok', 'read', [1, 4]]]);
    expect(linearizable(h, { model: models.linKv() }).valid).toBe(true);
  });
  it('finds the bad key', () => {
    const h = hist([
      [0, 'invoke', 'write', [1, 3]],
      [0, 'ok', 'write', [1, 3]],
      [0, 'invoke', 'write', [2, 3]],
      [0, 'ok', 'write', [2, 3]],
      [1, 'invoke', 'read', [2, null]],
      [1, 'ok', 'read', [2, 0]],
    ]);
    const r = linearizable(h, { model: linKv() });
    expect(r.valid).toBe(false);
    expect(r.failure?.key).toBe(2);
    expect(r.failure?.op.description).toBe('2: read → 0');
  });
  it('wraps any model', () => {
    const h = hist([[0, 'invoke', 'acquire', ['a', null]], [0, 'ok', 'acquire', ['a', null]], [1, 'invoke', 'acquire', ['b', null]], [1, 'ok', 'acquire', ['b', null]]]);
    expect(check(perKey(mutex()), h)).toBe(true);
    expect(check(mutex(), h.map((o) => ({ ...o, value: null })))).toBe(false);
  });
});

describe('string kv (Porcupine traces)', () => {
  const op = (process: number, type: Op['type'], f: string, key: string, value: string | null): Ev => [process, type, f, value, { key }];
  it('reads "" for a missing key and concatenates appends', () => {
    const h = hist([op(0, 'invoke', 'get', 'k', null), op(0, 'ok', 'get', 'k', ''), op(0, 'invoke', 'append', 'k', 'ab'), op(0, 'ok', 'append', 'k', 'ab'), op(1, 'invoke', 'append', 'k', 'c'), op(1, 'ok', 'append', 'k', 'c'), op(0, 'invoke', 'get', 'k', null), op(0, 'ok', 'get', 'k', 'abc'), op(0, 'invoke', 'put', 'k', 'x'), op(0, 'ok', 'put', 'k', 'x'), op(0, 'invoke', 'get', 'k', null), op(0, 'ok', 'get', 'k', 'x')]);
    expect(check(stringKv(), h)).toBe(true);
    expect(check(stringKv({ partitioned: false }), h)).toBe(true);
  });
  it('rejects appends seen out of order', () => {
    const h = hist([op(0, 'invoke', 'append', 'k', 'a'), op(0, 'ok', 'append', 'k', 'a'), op(0, 'invoke', 'append', 'k', 'b'), op(0, 'ok', 'append', 'k', 'b'), op(1, 'invoke', 'get', 'k', null), op(1, 'ok', 'get', 'k', 'ba')]);
    expect(check(stringKv(), h)).toBe(false);
    expect(check(stringKv({ partitioned: false }), h)).toBe(false);
  });
  it('tells equal strings built along different paths apart from different ones', () => {
    // "ab" + "c" and "a" + "bc" are the same string.
    const h = hist([op(0, 'invoke', 'append', 'k', 'ab'), op(1, 'invoke', 'append', 'k', 'a'), op(0, 'ok', 'append', 'k', 'ab'), op(1, 'ok', 'append', 'k', 'a'), op(0, 'invoke', 'append', 'k', 'c'), op(1, 'invoke', 'append', 'k', 'bc'), op(0, 'ok', 'append', 'k', 'c'), op(1, 'ok', 'append', 'k', 'bc'), op(2, 'invoke', 'get', 'k', null), op(2, 'ok', 'get', 'k', 'abcabc')]);
    expect(check(stringKv(), h)).toBe(false);
    const ok = hist([op(0, 'invoke', 'append', 'k', 'ab'), op(0, 'ok', 'append', 'k', 'ab'), op(0, 'invoke', 'append', 'k', 'c'), op(0, 'ok', 'append', 'k', 'c'), op(2, 'invoke', 'get', 'k', null), op(2, 'ok', 'get', 'k', 'abc'), op(1, 'invoke', 'put', 'k', 'a'), op(1, 'ok', 'put', 'k', 'a'), op(1, 'invoke', 'append', 'k', 'bc'), op(1, 'ok', 'append', 'k', 'bc'), op(2, 'invoke', 'get', 'k', null), op(2, 'ok', 'get', 'k', 'abc')]);
    expect(check(stringKv(), ok)).toBe(true);
  });
});

describe('user models', () => {
  it('work with the default hash and equality over plain values', () => {
    const counter: Model<number> = {
      name: 'counter',
      init: () => 0,
      step: (s, op) => (op.f === 'add' ? { ok: true, state: s + (op.value as number) } : op.value === s ? { ok: true, state: s } : { ok: false, reason: `read ${String(op.value)}, not ${s}` }),
      readOnly: (op) => op.f === 'read',
    };
    const h = hist([[0, 'invoke', 'add', 2], [1, 'invoke', 'add', 3], [0, 'ok', 'add', 2], [1, 'ok', 'add', 3], [0, 'invoke', 'read'], [0, 'ok', 'read', 5]]);
    expect(check(counter, h)).toBe(true);
    const bad = linearizable([...h, ...hist([[0, 'invoke', 'read'], [0, 'ok', 'read', 4]]).map((o, i) => ({ ...o, index: h.length + i }))], { model: counter });
    expect(bad.valid).toBe(false);
    expect(bad.failure?.reason).toBe('read 4, not 5');
    expect(bad.failure?.states.map((s) => s.description)).toEqual(['5']);
  });
});
