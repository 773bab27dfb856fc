import { describe, expect, it } from 'vitest';
import type { Op } from '@gyre/history';
import { kafka, kafkaWire, KAFKA_ALLOWED_ERROR_TYPES } from './kafka';
import { toWire } from './wire';

/** Builds a sequential Kafka history; each helper appends an invocation and its completion. */
class K {
  readonly ops: Op[] = [];
  private t = 0;
  private push(process: number, type: Op['type'], f: string, value: unknown, extra: Record<string, unknown> = {}): Op {
    const op: Op = { index: this.ops.length, time: (this.t += 1_000_000), type, process, f, value, ...extra };
    this.ops.push(op);
    return op;
  }
  send(p: number, k: string | number, v: unknown, offset: number | null, type: 'ok' | 'info' | 'fail' = 'ok'): Op {
    this.push(p, 'invoke', 'send', [['send', k, v]]);
    return this.push(p, type, 'send', type === 'ok' ? [['send', k, [offset, v]]] : [['send', k, v]]);
  }
  poll(p: number, msgs: Record<string, [number, unknown][]>, type: 'ok' | 'info' | 'fail' = 'ok'): Op {
    this.push(p, 'invoke', 'poll', [['poll']]);
    return this.push(p, type, 'poll', type === 'ok' ? [['poll', msgs]] : [['poll']]);
  }
  assign(p: number, keys: (string | number)[], seek = false): Op {
    const extra = seek ? { 'seek-to-beginning?': true } : {};
    this.push(p, 'invoke', 'assign', keys, extra);
    return this.push(p, 'ok', 'assign', keys, extra);
  }
  txn(p: number, value: unknown[][]): Op {
    this.push(p, 'invoke', 'txn', value.map((m) => (m[0] === 'send' ? ['send', m[1], (m[2] as unknown[])[1]] : ['poll'])));
    return this.push(p, 'ok', 'txn', value);
  }
  crash(p: number): Op {
    this.push(p, 'invoke', 'crash', null);
    return this.push(p, 'info', 'crash', null);
  }
}

describe('kafka', () => {
  it('is valid on a clean log, with the worst realtime lag', () => {
    const k = new K();
    k.assign(1, ['x']);
    k.send(0, 'x', 1, 0);
    k.send(0, 'x', 2, 1);
    k.poll(1, { x: [[0, 1]] });
    k.crash(2);
    k.poll(1, { x: [[1, 2]] });
    const r = kafka(k.ops);
    expect(r).toEqual({
      valid: true,
      badErrorTypes: [],
      errorTypes: [],
      infoTxnCauses: [],
      // The first poll (invoked at 7 ms) had reached offset 0, superseded by offset 1 at 6 ms.
      worstRealtimeLag: { time: 0.007, process: 1, key: 'x', lag: 0.001 },
      errors: {},
    });
  });

  it('reports acknowledged messages never polled as unseen', () => {
    const k = new K();
    k.send(0, 'x', 1, 0);
    k.send(0, 'x', 2, 1);
    k.send(0, 'y', 3, 0);
    const last = k.poll(1, { x: [[0, 1]] });
    const r = kafka(k.ops);
    expect(r.valid).toBe(false);
    expect(r.errorTypes).toEqual(['unseen']);
    expect(r.unseen).toEqual({ time: last.time, unseen: { x: 1, y: 1 }, messages: { x: [2], y: [3] } });
  });

  it('finds inconsistent offsets', () => {
    const k = new K();
    k.send(0, 'x', 1, 0);
    k.send(1, 'x', 2, 0);
    k.poll(2, { x: [[0, 1]] });
    k.poll(3, { x: [[0, 2]] });
    const r = kafka(k.ops);
    expect(r.errorTypes).toEqual(['inconsistent-offsets']);
    expect(r.valid).toBe(false);
    expect(r.errors['inconsistent-offsets']).toEqual({ count: 1, errs: [{ key: 'x', offset: 0, index: 0, values: [1, 2] }] });
  });

  it('finds a message at two offsets (duplicate)', () => {
    const k = new K();
    k.send(0, 'x', 1, 0);
    const poll = k.poll(1, { x: [[0, 1], [1, 1]] });
    const r = kafka(k.ops);
    expect(r.badErrorTypes).toEqual(['duplicate', 'int-nonmonotonic-poll']);
    expect(r.errors['duplicate']).toEqual({ count: 1, errs: [{ key: 'x', value: 1, count: 2, offsets: [0, 1] }] });
    expect(r.errors['int-nonmonotonic-poll']).toEqual({ count: 1, errs: [{ key: 'x', values: [1, 1], delta: 0, op: poll }] });
  });

  it('finds a lost write below the highest polled offset', () => {
    const k = new K();
    k.send(0, 'x', 1, 0);
    const w2 = k.send(0, 'x', 2, 1);
    k.send(0, 'x', 3, 2);
    const poll = k.poll(1, { x: [[0, 1], [2, 3]] });
    const r = kafka(k.ops);
    expect(r.errorTypes).toEqual(['int-poll-skip', 'lost-write', 'unseen']);
    expect(r.errors['lost-write']).toEqual({ count: 1, errs: [{ key: 'x', value: 2, index: 1, maxReadIndex: 2, writer: w2, maxRead: poll }] });
    expect(r.errors['int-poll-skip']).toEqual({ count: 1, errs: [{ key: 'x', values: [1, 3], delta: 2, skipped: [2], op: poll }] });
    // Written as Jepsen does: each error type a top-level key, unseen last.
    const w = toWire(r, kafkaWire) as Record<string, any>;
    expect(Object.keys(w)).toEqual(['valid?', 'bad-error-types', 'error-types', 'info-txn-causes', 'worst-realtime-lag', 'int-poll-skip', 'lost-write', 'unseen']);
    expect(w['lost-write']).toEqual({ count: 1, errs: [{ key: 'x', value: 2, index: 1, 'max-read-index': 2, writer: w2, 'max-read': poll }] });
  });

  it('does not call an unread crashed send lost, unless some poll proved it happened', () => {
    const k = new K();
    k.send(0, 'x', 1, 0);
    k.send(0, 'x', 2, null, 'info');
    k.poll(1, { x: [[0, 1]] });
    expect(kafka(k.ops).valid).toBe(true);
  });

  it('finds a failed send that was polled (G1a)', () => {
    const k = new K();
    const w = k.send(0, 'x', 1, null, 'fail');
    const poll = k.poll(1, { x: [[0, 1]] });
    const r = kafka(k.ops);
    expect(r.errorTypes).toEqual(['G1a']);
    expect(r.errors['G1a']).toEqual({ count: 1, errs: [{ key: 'x', value: 1, writer: w, reader: poll }] });
  });

  it('finds an op that polled its own send (precommitted-read)', () => {
    const k = new K();
    const t = k.txn(0, [
      ['send', 'x', [0, 1]],
      ['poll', { x: [[0, 1]] }],
    ]);
    const r = kafka(k.ops);
    expect(r.errorTypes).toEqual(['precommitted-read']);
    expect(r.errors['precommitted-read']).toEqual({ count: 1, errs: [{ op: t, key: 'x', value: 1 }] });
  });

  it('finds a process skipping messages between polls (poll-skip)', () => {
    const k = new K();
    k.send(0, 'x', 1, 0);
    k.send(0, 'x', 2, 1);
    k.send(0, 'x', 3, 2);
    const p1 = k.poll(1, { x: [[0, 1]] });
    const p2 = k.poll(1, { x: [[2, 3]] });
    k.poll(2, { x: [[1, 2]] });
    const r = kafka(k.ops);
    expect(r.errorTypes).toEqual(['poll-skip']);
    expect(r.valid).toBe(false);
    expect(r.errors['poll-skip']).toEqual({ count: 1, errs: [{ key: 'x', delta: 2, skipped: [2], ops: [p1, p2] }] });
  });

  it('finds a process going back between polls, but not across an assign that dropped the key', () => {
    const k = new K();
    k.send(0, 'x', 1, 0);
    k.send(0, 'x', 2, 1);
    const p1 = k.poll(1, { x: [[0, 1], [1, 2]] });
    const p2 = k.poll(1, { x: [[1, 2]] });
    k.assign(1, ['y']);
    k.poll(1, { x: [[0, 1]] });
    const r = kafka(k.ops);
    expect(r.errorTypes).toEqual(['nonmonotonic-poll']);
    expect(r.errors['nonmonotonic-poll']).toEqual({ count: 1, errs: [{ key: 'x', values: [2, 2], delta: 0, ops: [p1, p2] }] });
    // An assign that keeps the key keeps the comparison; one that seeks to the beginning does not.
    const keep = new K();
    keep.send(0, 'x', 1, 0);
    keep.poll(1, { x: [[0, 1]] });
    keep.assign(1, ['x']);
    keep.poll(1, { x: [[0, 1]] });
    expect(kafka(keep.ops).errorTypes).toEqual(['nonmonotonic-poll']);
    const seek = new K();
    seek.send(0, 'x', 1, 0);
    seek.poll(1, { x: [[0, 1]] });
    seek.assign(1, ['x'], true);
    seek.poll(1, { x: [[0, 1]] });
    expect(kafka(seek.ops).valid).toBe(true);
  });

  it('finds polls going backwards within one poll (int-nonmonotonic-poll)', () => {
    const k = new K();
    k.send(0, 'x', 1, 0);
    k.send(0, 'x', 2, 1);
    const poll = k.poll(1, { x: [[1, 2], [0, 1]] });
    const r = kafka(k.ops);
    expect(r.errorTypes).toEqual(['int-nonmonotonic-poll']);
    expect(r.errors['int-nonmonotonic-poll']).toEqual({ count: 1, errs: [{ key: 'x', values: [2, 1], delta: -1, op: poll }] });
  });

  it("finds a process's sends going backwards (nonmonotonic-send)", () => {
    const k = new K();
    const s1 = k.send(0, 'x', 2, 1);
    const s2 = k.send(0, 'x', 1, 0);
    k.poll(1, { x: [[0, 1], [1, 2]] });
    const r = kafka(k.ops);
    expect(r.errorTypes).toEqual(['nonmonotonic-send']);
    expect(r.errors['nonmonotonic-send']).toEqual({ count: 1, errs: [{ key: 'x', values: [2, 1], delta: -1, ops: [s1, s2] }] });
  });

  it('allows sends inside one op to skip (int-send-skip) but not to go backwards', () => {
    const k = new K();
    const t = k.txn(0, [
      ['send', 'x', [0, 1]],
      ['send', 'x', [2, 3]],
    ]);
    k.send(1, 'x', 2, 1);
    k.poll(2, { x: [[0, 1], [1, 2], [2, 3]] });
    const r = kafka(k.ops);
    expect(r.valid).toBe(true);
    expect(r.errorTypes).toEqual(['int-send-skip']);
    expect(r.badErrorTypes).toEqual([]);
    expect(r.errors['int-send-skip']).toEqual({ count: 1, errs: [{ key: 'x', values: [1, 3], delta: 2, skipped: [2], op: t }] });

    const b = new K();
    b.txn(0, [
      ['send', 'x', [1, 2]],
      ['send', 'x', [0, 1]],
    ]);
    b.poll(2, { x: [[0, 1], [1, 2]] });
    const rb = kafka(b.ops);
    expect(rb.badErrorTypes).toEqual(['int-nonmonotonic-send']);
    expect(rb.errors['int-nonmonotonic-send']!.errs[0]).toMatchObject({ key: 'x', values: [2, 1], delta: -1 });
  });

  it('treats integer keys as strings and lists crash causes', () => {
    const k = new K();
    k.assign(1, [7]);
    k.send(0, 7, 1, 0);
    k.ops.push({ index: k.ops.length, time: 99e6, type: 'invoke', process: 3, f: 'send', value: [['send', 7, 5]] });
    k.ops.push({ index: k.ops.length, time: 100e6, type: 'info', process: 3, f: 'send', value: [['send', 7, 5]], error: 'net-timeout' });
    k.poll(1, { '7': [[0, 1]] });
    const r = kafka(k.ops);
    expect(r.valid).toBe(true);
    expect(r.infoTxnCauses).toEqual(['net-timeout']);
  });

  it('lists the allowed types', () => {
    expect([...KAFKA_ALLOWED_ERROR_TYPES].sort()).toEqual(['G0', 'G0-process', 'G0-realtime', 'PL-1-cycle-exists', 'int-send-skip', 'strong-PL-1-cycle-exists']);
    const k = new K();
    k.send(0, 'x', 1, 0);
    expect(kafka(k.ops, { allowed: ['unseen'] })).toMatchObject({ valid: true, badErrorTypes: [], errorTypes: ['unseen'] });
  });

  it('keeps a few examples per type unless asked for all', () => {
    const k = new K();
    const msgs: [number, unknown][] = [];
    for (let i = 0; i < 20; i++) {
      k.send(0, 'x', i, i);
      msgs.push([i, i]);
    }
    for (let i = 0; i < 12; i++) k.poll(1, { x: msgs.slice(0, 20 - i) });
    const r = kafka(k.ops);
    const nm = r.errors['nonmonotonic-poll']!;
    expect(nm.count).toBe(11);
    expect(nm.errs).toHaveLength(8);
    expect(nm.errs.map((e) => e.delta)).toEqual([-19, -18, -17, -16, -15, -14, -13, -12]);
    expect(kafka(k.ops, { allErrors: true }).errors['nonmonotonic-poll']!.errs).toHaveLength(11);
  });
});
