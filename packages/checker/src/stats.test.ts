import { describe, expect, it } from 'vitest';
import { stats, statsWire } from './stats';
import { hist } from './test-history';
import { toWire } from './wire';

describe('stats', () => {
  const h = hist(
    [0, 'invoke', 'read', null],
    [0, 'ok', 'read', 3],
    [1, 'invoke', 'cas', [1, 2]],
    [1, 'fail', 'cas', [1, 2]],
    [2, 'invoke', 'write', 4],
    [2, 'info', 'write', 4],
    ['nemesis', 'info', 'start-partition', null],
    ['nemesis', 'info', 'start-partition', 'majority'],
  );

  it('counts client completions per f and fails when some f never succeeds', () => {
    expect(stats(h)).toEqual({
      valid: false,
      count: 3,
      okCount: 1,
      failCount: 1,
      infoCount: 1,
      byF: {
        cas: { valid: false, count: 1, okCount: 0, failCount: 1, infoCount: 0 },
        read: { valid: true, count: 1, okCount: 1, failCount: 0, infoCount: 0 },
        write: { valid: false, count: 1, okCount: 0, failCount: 0, infoCount: 1 },
      },
    });
    expect(Object.keys(stats(h).byF)).toEqual(['cas', 'read', 'write']);
  });

  it("is written with Maelstrom's keys, the f names under by-f kept", () => {
    expect(toWire(stats(hist([0, 'invoke', 'okCount', null], [0, 'ok', 'okCount', 1])), statsWire)).toEqual({
      'valid?': true,
      count: 1,
      'ok-count': 1,
      'fail-count': 0,
      'info-count': 0,
      'by-f': { okCount: { 'valid?': true, count: 1, 'ok-count': 1, 'fail-count': 0, 'info-count': 0 } },
    });
    // Key order too: results.json is compared byte for byte.
    expect(JSON.stringify(toWire(stats(h), statsWire))).toBe(
      '{"valid?":false,"count":3,"ok-count":1,"fail-count":1,"info-count":1,"by-f":{"cas":{"valid?":false,"count":1,"ok-count":0,"fail-count":1,"info-count":0},' +
        '"read":{"valid?":true,"count":1,"ok-count":1,"fail-count":0,"info-count":0},"write":{"valid?":false,"count":1,"ok-count":0,"fail-count":0,"info-count":1}}}',
    );
  });

  it('is valid when every f has an ok, and on an empty history', () => {
    const ok = hist([0, 'invoke', 'read', null], [0, 'ok', 'read', 1], [1, 'invoke', 'read', null], [1, 'fail', 'read', null]);
    expect(stats(ok).valid).toBe(true);
    expect(stats([])).toEqual({ valid: true, count: 0, okCount: 0, failCount: 0, infoCount: 0, byF: {} });
  });

  it('ignores crash and debug-topic-partitions when everything else succeeded (the Kafka wrapper)', () => {
    const k = hist(
      [0, 'invoke', 'crash', null],
      [0, 'info', 'crash', null],
      [1, 'invoke', 'debug-topic-partitions', null],
      [1, 'fail', 'debug-topic-partitions', null],
      [2, 'invoke', 'send', 1],
      [2, 'ok', 'send', 1],
    );
    const r = stats(k);
    expect(r.valid).toBe(true);
    expect(r.byF['crash']!.valid).toBe(false);
    expect(stats(k, { exempt: [] }).valid).toBe(false);
    // The wrapper does not rescue a real failure.
    const bad = hist([0, 'invoke', 'crash', null], [0, 'info', 'crash', null], [2, 'invoke', 'send', 1], [2, 'info', 'send', 1]);
    expect(stats(bad).valid).toBe(false);
  });
});

