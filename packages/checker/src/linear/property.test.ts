import type { Op } from '@gyre/history';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { casRegister, linearizable, register, stringKv } from './index';

type Kind = 'register' | 'cas-register';
type Val = number | null | [number, number];

interface Cmd {
  kind: number;
  a: number;
  b: number;
  p: number;
}

/**
 * Plays random commands as 3 client processes: a command for an idle process invokes a new op
 * (`invoke`, at most `maxOps` of them); for a busy one it makes its op take effect (`apply`, when
 * `kind` < 40 and it has not yet) or completes it (`complete`).
 */
function play<P extends { applied: boolean }>(cmds: readonly Cmd[], maxOps: number, invoke: (c: Cmd) => P, apply: (q: P) => void, complete: (q: P, c: Cmd) => void): void {
  const pending: (P | undefined)[] = [undefined, undefined, undefined];
  let ops = 0;
  for (const c of cmds) {
    const q = pending[c.p];
    if (!q) {
      if (ops >= maxOps) continue;
      ops++;
      pending[c.p] = invoke(c);
    } else if (!q.applied && c.kind < 40) apply(q);
    else {
      pending[c.p] = undefined;
      complete(q, c);
    }
  }
}

/**
 * Interprets random commands as a run of 3 client processes against a register (a hidden true
 * value, ops taking effect at random points), with lies mixed in: a corrupted read, a `fail` for an op
 * that took effect, an `ok` for one that did not. At most 7 operations; some never complete.
 */
function historyOf(cmds: readonly Cmd[], kind: Kind): Op[] {
  const h: Op[] = [];
  let truth: number | null = null;
  type Pending = { f: string; value: Val; applied: boolean; result: Val; matched: boolean };
  const emit = (type: Op['type'], process: number, f: string, value: unknown): void => {
    h.push({ index: h.length, time: h.length, type, process, f, value });
  };
  const apply = (q: Pending): void => {
    q.applied = true;
    if (q.f === 'read') q.result = truth;
    else if (q.f === 'write') truth = q.value as number;
    else {
      const [from, to] = q.value as [number, number];
      q.matched = truth === from;
      if (q.matched) truth = to;
    }
  };
  play(
    cmds,
    7,
    (c) => {
      const fs = kind === 'register' ? ['read', 'write'] : ['read', 'write', 'cas'];
      const f = fs[c.a % fs.length]!;
      const value: Val = f === 'read' ? null : f === 'write' ? c.b : [c.a % 3, c.b];
      emit('invoke', c.p, f, value);
      return { f, value, applied: false, result: null, matched: false };
    },
    apply,
    (q, c) => {
      const p = c.p;
      const roll = c.kind % 100;
      if (roll < 70) {
        if (!q.applied && roll >= 8) apply(q);
        if (q.f === 'read') emit('ok', p, 'read', roll % 3 === 0 ? c.b % 3 : q.result);
        else if (q.f === 'cas' && !q.matched && roll % 6 !== 0) emit('fail', p, 'cas', q.value);
        else emit('ok', p, q.f, q.value);
      } else if (roll < 88) {
        emit('info', p, q.f, q.value);
      } else {
        if (roll > 92 && !q.applied) apply(q);
        emit('fail', p, q.f, q.value);
      }
    },
  );
  return h;
}

/** Every order consistent with real time, with every subset of the indeterminate ops; no memo, no cleverness. */
function bruteForce(h: readonly Op[], kind: Kind): boolean {
  interface B {
    f: string;
    value: unknown;
    inv: number;
    ret: number;
    known: boolean;
  }
  const ops: B[] = [];
  const open = new Map<unknown, number>();
  const done = new Map<number, Op | undefined>();
  h.forEach((op, i) => {
    if (op.type === 'invoke') {
      open.set(op.process, i);
      done.set(i, undefined);
    } else {
      const j = open.get(op.process);
      if (j !== undefined) {
        done.set(j, op);
        open.delete(op.process);
      }
    }
  });
  for (const [i, c] of done) {
    if (c?.type === 'fail') continue;
    const known = c?.type === 'ok';
    const f = h[i]!.f;
    if (!known && f === 'read') continue;
    ops.push({ f, value: known ? c!.value : h[i]!.value, inv: i, ret: known ? c!.index : Infinity, known });
  }
  const det = ops.filter((o) => o.known);
  const indet = ops.filter((o) => !o.known);
  const step = (s: unknown, o: B): { ok: boolean; s: unknown } => {
    if (o.f === 'read') return { ok: o.value === s, s };
    if (o.f === 'write') return { ok: true, s: o.value };
    if (kind !== 'cas-register') return { ok: false, s };
    const [from, to] = o.value as [number, number];
    return from === s ? { ok: true, s: to } : { ok: false, s };
  };
  for (let mask = 0; mask < 1 << indet.length; mask++) {
    const chosen = [...det, ...indet.filter((_, i) => mask & (1 << i))];
    const placed = new Array<boolean>(chosen.length).fill(false);
    const dfs = (count: number, s: unknown): boolean => {
      if (count === chosen.length) return true;
      for (let i = 0; i < chosen.length; i++) {
        if (placed[i]) continue;
        const o = chosen[i]!;
        if (chosen.some((p, j) => !placed[j] && j !== i && p.ret < o.inv)) continue;
        const r = step(s, o);
        if (!r.ok) continue;
        placed[i] = true;
        if (dfs(count + 1, r.s)) return true;
        placed[i] = false;
      }
      return false;
    };
    if (dfs(0, null)) return true;
  }
  return false;
}

/** The failing stretch as a history of its own: kept ops as observed, uncertain ones never completing. */
function stretchHistory(h: readonly Op[], kept: readonly number[], uncertain: readonly number[]): Op[] {
  const keep = new Set(kept);
  const vague = new Set(uncertain);
  const out: Op[] = [];
  const openFrom = new Map<unknown, number>();
  h.forEach((op, i) => {
    if (op.type === 'invoke') {
      openFrom.set(op.process, i);
      if (keep.has(i) || vague.has(i)) out.push({ ...op, index: out.length });
    } else {
      const j = openFrom.get(op.process);
      openFrom.delete(op.process);
      if (j !== undefined && keep.has(j)) out.push({ ...op, index: out.length });
    }
  });
  return out;
}

const cmds = fc.array(fc.record({ kind: fc.nat(99), a: fc.nat(5), b: fc.nat(2), p: fc.nat(2) }), { minLength: 1, maxLength: 24 });

describe.each<[Kind, () => ReturnType<typeof register>]>([
  ['register', register],
  ['cas-register', casRegister],
])('%s: agrees with brute force on random small histories', (kind, model) => {
  it('on 6,000 histories with info, failed and never-completed ops', () => {
    let valid = 0;
    let invalid = 0;
    fc.assert(
      fc.property(cmds, (cs) => {
        const h = historyOf(cs, kind);
        const expected = bruteForce(h, kind);
        const result = linearizable(h, { model: model() });
        if (result.opCount === 0) {
          // Nothing to check (every op failed, or only unanswered reads): unknown, never a vacuous true.
          expect(expected).toBe(true);
          expect(result).toMatchObject({ valid: 'unknown', cause: 'no-operations' });
          return;
        }
        expect(result.valid).toBe(expected);
        if (expected) valid++;
        else {
          invalid++;
          const f = result.failure!;
          // The stretch is a sound witness: on its own it cannot be linearized either.
          expect(bruteForce(stretchHistory(h, f.stretch.ops, f.stretch.uncertain), kind)).toBe(false);
          expect(f.stretch.ops).toContain(f.op.index);
        }
      }),
      { numRuns: 6000, seed: kind === 'register' ? 1 : 2 },
    );
    // Both verdicts are well represented.
    expect(valid).toBeGreaterThan(600);
    expect(invalid).toBeGreaterThan(600);
  });
});

/**
 * Random runs of 3 processes against a string store of two keys (get, put, append of one-letter
 * chunks, taking effect at random points), with corrupted gets, crashes and never-completed ops.
 */
function kvHistoryOf(cmds: readonly Cmd[]): Op[] {
  const h: Op[] = [];
  const truth = ['', ''];
  type Pending = { f: string; key: number; value: string | null; applied: boolean; result: string };
  const emit = (type: Op['type'], process: number, q: Pending, value: unknown): void => {
    h.push({ index: h.length, time: h.length, type, process, f: q.f, key: String(q.key), value });
  };
  const apply = (q: Pending): void => {
    q.applied = true;
    if (q.f === 'get') q.result = truth[q.key]!;
    else if (q.f === 'put') truth[q.key] = q.value!;
    else truth[q.key] += q.value!;
  };
  play(
    cmds,
    10,
    (c) => {
      const f = c.a < 2 ? 'get' : c.a === 2 && c.b === 0 ? 'put' : 'append';
      const q: Pending = { f, key: c.kind % 2, value: f === 'get' ? null : 'xyz'[c.b]!, applied: false, result: '' };
      emit('invoke', c.p, q, q.value);
      return q;
    },
    apply,
    (q, c) => {
      const roll = c.kind % 100;
      if (roll < 75) {
        if (!q.applied) apply(q);
        emit('ok', c.p, q, q.f === 'get' ? (roll % 4 === 0 ? q.result + 'xyz'[c.b] : roll % 5 === 0 ? q.result.slice(1) : q.result) : q.value);
      } else if (roll < 90) emit('info', c.p, q, q.value);
      else emit('fail', c.p, q, q.value);
    },
  );
  return h;
}

const kvCmds = fc.array(fc.record({ kind: fc.nat(99), a: fc.nat(5), b: fc.nat(2), p: fc.nat(2) }), { minLength: 8, maxLength: 40, size: 'max' });

describe('kv strings: pruning on unreachable gets changes no verdict', () => {
  const noPruning = (m: ReturnType<typeof stringKv>): ReturnType<typeof stringKv> => ({ ...m, unreachable: undefined, revives: undefined });
  it.each([true, false])('on 4,000 histories with puts, crashes and lies (partitioned: %s)', (partitioned) => {
    let valid = 0;
    let invalid = 0;
    let fewer = 0;
    fc.assert(
      fc.property(kvCmds, (cs) => {
        const h = kvHistoryOf(cs);
        const pruned = linearizable(h, { model: stringKv({ partitioned }), allPartitions: true });
        const plain = linearizable(h, { model: noPruning(stringKv({ partitioned })), allPartitions: true });
        expect(pruned.valid).toBe(plain.valid);
        expect(pruned.partitions.map((p) => p.valid)).toEqual(plain.partitions.map((p) => p.valid));
        if (pruned.valid === true) valid++;
        if (pruned.valid === false) invalid++;
        const steps = (r: typeof plain): number => r.partitions.reduce((a, p) => a + p.steps, 0);
        if (steps(pruned) < steps(plain)) fewer++;
      }),
      { numRuns: 4000, seed: partitioned ? 3 : 4 },
    );
    expect(valid).toBeGreaterThan(1000);
    expect(invalid).toBeGreaterThan(1000);
    // The pruning is at work (fewer steps) in a good share of them.
    expect(fewer).toBeGreaterThan(400);
  });
});
