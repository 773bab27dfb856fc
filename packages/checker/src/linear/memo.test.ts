import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedData } from '../../../../scripts/shared-data.mjs';
import { parseJepsenLog, parseKvTrace, type Op } from '@gyre/history';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOps, type Ctx } from './linearizable';
import { LinSet, WholeMemo, WindowMemo, type Memo } from './memo';
import type { Model } from './model';
import { casRegister, linKv, register, stringKv } from './models';
import { prepare, type PreparedOp } from './prepare';
import { BUDGET, INVALID, VALID } from './search';
import { crashedWrites, linKvHistory } from './sim';

/** The plain memo the window memo must behave exactly like: the whole set and the state, as a string. */
class ReferenceMemo implements Memo {
  private readonly keys = new Map<string, number>();
  private readonly byEntry: string[] = [];
  count = 0;
  bytes = 0;
  readonly whole = true;
  constructor(private readonly maxEntries = Infinity) {}
  add(set: LinSet, state: number): number {
    const k = `${state}:${set.full.join(',')}`;
    if (this.keys.has(k)) return -1;
    if (this.count >= this.maxEntries) return -2;
    this.keys.set(k, this.count);
    this.byEntry.push(k);
    return this.count++;
  }
  kill(e: number): void {
    if (this.keys.get(this.byEntry[e]!) === e) this.keys.delete(this.byEntry[e]!);
  }
  find(set: LinSet, state: number): number {
    return this.keys.get(`${state}:${set.full.join(',')}`) ?? -1;
  }
}

/** Each window's low and high from scratch: the smallest non-member, and one past the largest member (at least low). */
function windowsOf(members: ReadonlySet<number>, ret: readonly number[]): [number, number][] {
  const parts: number[][] = [[], []];
  ret.forEach((r, op) => parts[r >= 0 ? 0 : 1]!.push(op));
  return parts.map((ops) => {
    let low = 0;
    while (low < ops.length && members.has(ops[low]!)) low++;
    let high = low;
    ops.forEach((op, i) => {
      if (members.has(op) && i + 1 > high) high = i + 1;
    });
    return [low, high];
  });
}

/** Adds `op` to both sets if absent, else removes it from both. */
function toggle(set: LinSet, members: Set<number>, op: number): void {
  if (members.has(op)) {
    members.delete(op);
    set.remove(op);
  } else {
    members.add(op);
    set.add(op);
  }
}

/**
 * Random op counts with random determinacy, and random toggles of membership: single ops (near the
 * low end when `dense`, as the search's are) and runs of adds that fill whole words.
 */
const toggles = fc
  .record({
    n: fc.integer({ min: 1, max: 200 }),
    indeterminate: fc.constantFrom(0, 0.1, 0.5, 0.9, 1),
    seed: fc.nat(),
    steps: fc.array(fc.tuple(fc.nat(), fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 70 }))), { minLength: 1, maxLength: 60 }),
    dense: fc.boolean(),
  })
  .map(({ n, indeterminate, seed, steps, dense }) => {
    let x = seed | 1;
    const rand = (): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) / 2 ** 32;
    };
    const ret = Array.from({ length: n }, (_, i) => (rand() < indeterminate ? -1 : i));
    const members = new Set<number>();
    const ops: number[] = [];
    for (const [s, len] of steps) {
      const at = dense ? s % Math.min(n, 40) : s % n;
      if (len === 1) {
        ops.push(at);
        if (members.has(at)) members.delete(at);
        else members.add(at);
      } else {
        for (let op = at; op < Math.min(n, at + len); op++) {
          if (members.has(op)) continue;
          members.add(op);
          ops.push(op);
        }
      }
    }
    return { n, ret, ops };
  });

describe('LinSet', () => {
  it('keeps each window exact: every member below low, none at or above high', () => {
    fc.assert(
      fc.property(toggles, ({ n, ret, ops }) => {
        const set = new LinSet(n, ret);
        const members = new Set<number>();
        for (const op of ops) {
          toggle(set, members, op);
          const want = windowsOf(members, ret).flat();
          const got = [set.parts[0].low, set.parts[0].high, set.parts[1].low, set.parts[1].high];
          if (got.join() !== want.join()) expect(got).toEqual(want);
          for (let o = 0; o < n; o++) if (((set.full[o >>> 5]! >>> (o & 31)) & 1) !== (members.has(o) ? 1 : 0)) expect({ op: o, member: !members.has(o) }).toBe('in the bitset as in the set');
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** The two memos of the search, by name. */
const MEMOS = { window: WindowMemo, whole: WholeMemo } as const;

describe.each(['window', 'whole'] as const)('%s memo', (kind) => {
  it('says "new" exactly when the plain memo does, on random sets and states, with entries forgotten', () => {
    fc.assert(
      fc.property(toggles, fc.array(fc.nat(3), { minLength: 4200, maxLength: 4200 }), ({ n, ret, ops }, states) => {
        const set = new LinSet(n, ret);
        const memo = new MEMOS[kind](n, Infinity, Infinity);
        const ref = new ReferenceMemo();
        const members = new Set<number>();
        let h = 0;
        const live: number[][] = [];
        ops.forEach((op, k) => {
          toggle(set, members, op);
          h ^= Math.imul(op + 1, 0x9e3779b9);
          const state = states[k]!;
          // A weak hash, so that different sets often collide and the keys themselves must tell them apart.
          const a = memo.add(set, state, (h & 7) ^ state);
          const b = ref.add(set, state);
          expect(a >= 0).toBe(b >= 0);
          if (a >= 0) live.push([a, b]);
          if (k % 17 === 16 && live.length > 0) {
            const [x, y] = live.splice(k % live.length, 1)[0]!;
            memo.kill(x!);
            ref.kill(y!);
          }
        });
        expect(memo.count).toBe(ref.count);
      }),
      { numRuns: 300 },
    );
  });
});

/** A set from a description per part: every op below `low`, plus a few more near it (a word apart, say). */
const structuredSets = fc.record({
  n: fc.integer({ min: 1, max: 160 }),
  split: fc.constantFrom('alternate', 'halves', 'determinate', 'indeterminate'),
  sets: fc.array(
    fc.tuple(
      fc.constantFrom(0, 1, 2, 31, 32, 33, 63, 64, 65, 96),
      fc.subarray([1, 2, 3, 31, 32, 33, 63, 64]),
      fc.constantFrom(0, 1, 2, 31, 32, 33, 63, 64, 65, 96),
      fc.subarray([1, 2, 3, 31, 32, 33, 63, 64]),
    ),
    { minLength: 2, maxLength: 40 },
  ),
});

describe.each(['window', 'whole'] as const)('%s memo keys', (kind) => {
  it('are equal exactly when the sets are, even when every hash collides', () => {
    fc.assert(
      fc.property(structuredSets, ({ n, split, sets }) => {
        const ret = Array.from({ length: n }, (_, i) =>
          (split === 'alternate' ? i % 2 === 0 : split === 'halves' ? i < n / 2 : split === 'determinate') ? i : -1,
        );
        const parts: number[][] = [[], []];
        ret.forEach((r, op) => parts[r >= 0 ? 0 : 1]!.push(op));
        const memo = new MEMOS[kind](n, Infinity, Infinity);
        const ref = new ReferenceMemo();
        for (const [dLow, dMore, iLow, iMore] of sets) {
          const set = new LinSet(n, ret);
          const ops = new Set<number>();
          [[dLow, dMore, parts[0]!] as const, [iLow, iMore, parts[1]!] as const].forEach(([low, more, part]) => {
            for (let k = 0; k < Math.min(low, part.length); k++) ops.add(part[k]!);
            for (const m of more) if (low + m < part.length) ops.add(part[low + m]!);
          });
          for (const op of ops) set.add(op);
          expect(memo.add(set, 0, 0) >= 0).toBe(ref.add(set, 0) >= 0);
        }
        expect(memo.count).toBe(ref.count);
      }),
      { numRuns: 1500 },
    );
  });
});

/**
 * A cap on each search's steps, so that no random history can make a test run long: the searches
 * compared below take the same steps, so they stop at the same point.
 */
const MAX_STEPS = 300_000;

/** Every partition checked with each memo, whatever its size, and with the plain memo: the searches must be the same. */
function compareSearches(history: readonly Op[], model: Model<any, any>): { valid: number; invalid: number } {
  const base = { model, now: () => 0, maxEntries: Infinity, maxBytes: Infinity };
  const plain: Ctx = { ...base, memo: () => new ReferenceMemo() };
  const others: Ctx[] = [{ ...base, memo: (n) => new WindowMemo(n, Infinity, Infinity) }, { ...base, memo: (n) => new WholeMemo(n, Infinity, Infinity) }];
  let valid = 0;
  let invalid = 0;
  for (const p of prepare(history, model).partitions) {
    const b = checkOps(plain, p.ops, Infinity, MAX_STEPS);
    let a = b;
    for (const ctx of others) {
      a = checkOps(ctx, p.ops, Infinity, MAX_STEPS);
      expect(a.outcome).toBe(b.outcome);
      expect(a.search.steps).toBe(b.search.steps);
      expect(a.search.cacheEntries).toBe(b.search.cacheEntries);
      expect([...a.search.bestPath]).toEqual([...b.search.bestPath]);
      expect(a.search.witness && [...a.search.witness]).toEqual(b.search.witness && [...b.search.witness]);
    }
    if (a.outcome === VALID) valid++;
    if (a.outcome === INVALID) invalid++;
  }
  return { valid, invalid };
}

describe('searches with the window or the whole-set memo and with a plain memo are the same search', () => {
  it('on random lin-kv histories with crashes, failures and lies', () => {
    let valid = 0;
    let invalid = 0;
    fc.assert(
      fc.property(
        fc.record({
          ops: fc.integer({ min: 10, max: 300 }),
          keys: fc.integer({ min: 1, max: 3 }),
          processes: fc.integer({ min: 1, max: 8 }),
          values: fc.integer({ min: 2, max: 6 }),
          infoRate: fc.constantFrom(0, 0.02, 0.1),
          lieRate: fc.constantFrom(0, 0, 0.005, 0.03),
          seed: fc.nat().map(String),
        }),
        (o) => {
          const r = compareSearches(linKvHistory(o), linKv());
          valid += r.valid;
          invalid += r.invalid;
        },
      ),
      { numRuns: 150 },
    );
    expect(valid).toBeGreaterThan(50);
    expect(invalid).toBeGreaterThan(20);
  });

  it('on crashed writes, where the search tries every subset', () => {
    for (const n of [6, 9]) {
      expect(compareSearches(crashedWrites(n), register())).toEqual({ valid: 0, invalid: 1 });
      expect(compareSearches(crashedWrites(n, true), register())).toEqual({ valid: 1, invalid: 0 });
    }
  });
});


describe('the same search on the reference histories, with their known verdicts', () => {
  const data = sharedData()!;
  const LINEARIZABLE = new Set('002 005 007 018 025 031 038 045 048 049 051 053 056 067 075 076 080 087 092 098 100 101 102'.split(' '));

  it('the 102 etcd logs (cas-register)', () => {
    const logs = readdirSync(join(data, 'etcd')).filter((f) => /^etcd_\d{3}\.log$/.test(f) && f !== 'etcd_095.log');
    expect(logs).toHaveLength(102);
    for (const f of logs) {
      const r = compareSearches(parseJepsenLog(readFileSync(join(data, 'etcd', f), 'utf8')), casRegister());
      expect(r, f).toEqual(LINEARIZABLE.has(f.slice(5, 8)) ? { valid: 1, invalid: 0 } : { valid: 0, invalid: 1 });
    }
  });

  it('the kv traces c10-ok and c10-bad (string kv per key)', () => {
    const ok = compareSearches(parseKvTrace(readFileSync(join(data, 'kv', 'c10-ok.txt'), 'utf8')), stringKv());
    expect(ok.invalid).toBe(0);
    expect(ok.valid).toBeGreaterThan(1);
    const bad = compareSearches(parseKvTrace(readFileSync(join(data, 'kv', 'c10-bad.txt'), 'utf8')), stringKv());
    expect(bad.invalid).toBeGreaterThan(0);
  });
});

/** True when `witness` (op ids in order) is a legal run of the model that respects real time and includes every determinate op. */
function legalWitness(ops: readonly PreparedOp[], model: Model<any, any>, witness: Int32Array): boolean {
  const at = new Map<number, number>();
  witness.forEach((id, k) => at.set(id, k));
  if (ops.some((o) => o.known && !at.has(o.id))) return false;
  for (const a of ops) for (const b of ops) if (a.retPos >= 0 && a.retPos < b.invPos && at.has(a.id) && at.has(b.id) && at.get(a.id)! > at.get(b.id)!) return false;
  let s = model.init();
  for (const id of witness) {
    const r = model.step(s, ops[id]!);
    if (!r.ok) return false;
    s = r.state;
  }
  return true;
}

describe('skipping configurations subsumed by failed ones with fewer indeterminate ops', () => {
  it('changes no verdict, on random histories full of crashed ops, and every linearization found is legal', () => {
    const base = { now: () => 0, maxEntries: Infinity, maxBytes: Infinity };
    let valid = 0;
    let invalid = 0;
    let fewer = 0;
    fc.assert(
      fc.property(
        fc.record({
          ops: fc.integer({ min: 5, max: 120 }),
          keys: fc.constant(1),
          processes: fc.integer({ min: 2, max: 8 }),
          values: fc.integer({ min: 2, max: 5 }),
          infoRate: fc.constantFrom(0.1, 0.3, 0.6),
          lieRate: fc.constantFrom(0, 0.02, 0.1),
          seed: fc.nat().map(String),
        }),
        fc.constantFrom(casRegister(), linKv()),
        (o, model) => {
          const h = linKvHistory(o).map((op) => (model.name === 'cas-register' ? { ...op, value: (op.value as [number, unknown])[1] } : op));
          for (const p of prepare(h, model).partitions) {
            // Each search is capped (they differ, so one may be undecided where the other is not).
            const on = checkOps({ ...base, model }, p.ops, Infinity, MAX_STEPS);
            const off = checkOps({ ...base, model, subsume: false }, p.ops, Infinity, MAX_STEPS);
            if (on.outcome === BUDGET || off.outcome === BUDGET) continue;
            expect(on.outcome).toBe(off.outcome);
            if (on.search.steps < off.search.steps) fewer++;
            if (on.outcome === VALID) {
              valid++;
              expect(legalWitness(p.ops, model, on.search.witness!)).toBe(true);
            } else invalid++;
          }
        },
      ),
      { numRuns: 400 },
    );
    expect(valid).toBeGreaterThan(50);
    expect(invalid).toBeGreaterThan(50);
    expect(fewer).toBeGreaterThan(20);
  });

  it('keeps the crashed-write cases exact', () => {
    for (const n of [8, 11]) {
      const base = { now: () => 0, maxEntries: Infinity, maxBytes: Infinity, model: register() };
      const ops = prepare(crashedWrites(n), register()).partitions[0]!.ops;
      expect(checkOps(base, ops, Infinity).outcome).toBe(INVALID);
      const fine = prepare(crashedWrites(n, true), register()).partitions[0]!.ops;
      expect(checkOps(base, fine, Infinity).outcome).toBe(VALID);
    }
  });
});
