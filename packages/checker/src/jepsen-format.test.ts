/**
 * The set and counter checkers on histories written by Jepsen itself (EDN with keywords, `#{}`
 * sets, nanosecond times, a nemesis), parsed by @gyre/history as a user's file would be.
 */
import { describe, expect, it } from 'vitest';
import { parseHistoryEdn } from '@gyre/history';
import { counterBounds } from './counter-bounds';
import { setFull } from './set-full';

const s = 1_000_000_000;

function setFullHistory(finalRead: string): string {
  return [
    `{:type :invoke, :f :add, :value 0, :process 0, :time ${1 * s}, :index 0}`,
    `{:type :ok, :f :add, :value 0, :process 0, :time ${1 * s + 5}, :index 1}`,
    `{:type :invoke, :f :add, :value 1, :process 1, :time ${2 * s}, :index 2}`,
    `{:type :ok, :f :add, :value 1, :process 1, :time ${2 * s + 5}, :index 3}`,
    `{:type :info, :f :start-partition, :value :majority, :process :nemesis, :time ${2 * s + 7}, :index 4}`,
    `{:type :invoke, :f :read, :value nil, :process 2, :time ${3 * s}, :index 5}`,
    `{:type :ok, :f :read, :value #{0 1}, :process 2, :time ${3 * s + 5}, :index 6}`,
    `{:type :invoke, :f :read, :value nil, :process 2, :time ${4 * s}, :index 7}`,
    `{:type :ok, :f :read, :value ${finalRead}, :process 2, :time ${4 * s + 5}, :index 8}`,
  ].join('\n');
}

describe('set-full on Jepsen EDN', () => {
  it('is valid when both elements stay visible', () => {
    const r = setFull(parseHistoryEdn(setFullHistory('#{0 1}')));
    expect(r.valid).toBe(true);
    expect(r.stableCount).toBe(2);
  });

  it('is invalid when an element disappears from a later read', () => {
    const r = setFull(parseHistoryEdn(setFullHistory('#{1}')));
    expect(r.valid).toBe(false);
    expect(r.lost).toEqual([0]);
  });
});

describe('counterBounds on Jepsen EDN', () => {
  const h = (read: number) =>
    parseHistoryEdn(
      [
        '{:type :invoke, :f :add, :value 1, :process 0, :time 10}',
        '{:type :ok, :f :add, :value 1, :process 0, :time 20}',
        '{:type :invoke, :f :add, :value 1, :process 1, :time 30}',
        '{:type :info, :f :add, :value 1, :process 1, :time 40}',
        '{:type :invoke, :f :read, :process 0, :time 50}',
        `{:type :ok, :f :read, :value ${read}, :process 0, :time 60}`,
      ].join('\n'),
    );
  it('accepts a read that may or may not include the indeterminate add', () => {
    expect(counterBounds(h(1)).valid).toBe(true);
    expect(counterBounds(h(2)).valid).toBe(true);
  });
  it('rejects a read outside [acknowledged, attempted]', () => {
    expect(counterBounds(h(3))).toMatchObject({ valid: false, errors: [{ value: 3, lower: 1, upper: 2 }] });
    expect(counterBounds(h(0)).valid).toBe(false);
  });
});
