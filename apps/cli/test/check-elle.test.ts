/**
 * `gyre check` on Elle histories: JSON Lines files are streamed into the checkers' column-wise
 * history; every other format goes through the general reader. Both must give the same results,
 * and a file the streaming reader cannot take must get the general reader's message.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { checkListAppend } from '@gyre/checker/elle';
import { formatOpJson, parseHistoryEdn, parseJson, stringifyJson, type Op, type OpType } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli';

const dir = mkdtempSync(join(tmpdir(), 'gyre-check-elle-'));

async function check(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['check', ...args], { out: (s) => (out += s), err: (s) => (err += s), isTTY: false, cwd: dir });
  return { code, out, err };
}

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

type Row = [number | string, OpType, unknown, Record<string, unknown>?];
const ops = (rows: Row[]): Op[] => rows.map(([process, type, value, extra], index) => ({ index, time: index * 1_000_000, type, process: process as Op['process'], f: 'txn', value, ...extra }));
const jsonl = (h: Op[]) => h.map(formatOpJson).join('\n') + '\n';
const jsonArray = (h: Op[]) => '[' + h.map(formatOpJson).join(',\n') + ']\n';

/** A list-append history with a G-single, info and failed transactions, a nemesis op and string keys. */
const LA: Op[] = ops([
  ['nemesis', 'info', null, { f: 'start-partition' }],
  [0, 'invoke', [['r', 'x', null], ['r', 'y', null]]],
  [1, 'invoke', [['append', 'x', 1], ['append', 'y', 1]]],
  [0, 'ok', [['r', 'x', []], ['r', 'y', [1]]]],
  [1, 'ok', [['append', 'x', 1], ['append', 'y', 1]]],
  [2, 'invoke', [['append', 'z', 1]]],
  [2, 'fail', [['append', 'z', 1]]],
  [3, 'invoke', [['append', 'z', 2], ['r', 'x', null]]],
  [3, 'info', null],
  [4, 'invoke', [['r', 'x', null], ['r', 'y', null]]],
  [4, 'ok', [['r', 'x', [1]], ['r', 'y', [1]]]],
]);

describe('gyre check --model list-append / rw-register: JSON Lines streamed', () => {
  it('gives the same result as the general reader (a JSON array of the same ops)', async () => {
    for (const models of [[], ['-c', 'serializable'], ['-c', 'strong-session-serializable']]) {
      const fast = await check('-m', 'list-append', '--json', ...models, file('la.jsonl', jsonl(LA)));
      const slow = await check('-m', 'list-append', '--json', ...models, file('la.json', jsonArray(LA)));
      expect(fast.code).toBe(slow.code);
      const f = parseJson(fast.out) as Record<string, unknown>;
      const s = parseJson(slow.out) as Record<string, unknown>;
      expect(f['format']).toBe('jsonl');
      expect(stringifyJson({ ...f, file: '', format: '' })).toBe(stringifyJson({ ...s, file: '', format: '' }));
    }
    const text = await check('-m', 'list-append', 'la.jsonl');
    expect(text.code).toBe(1);
    expect(text.out).toContain('la.jsonl: list-append, jsonl, 11 history entries (5 client operations)');
    expect(text.out).toMatch(/T\d = op \d+, line \d+ \(process/);
  });

  it('reads the lines it cannot scan (escapes, floats, big integers, other fields) as the general reader does, with their lines', async () => {
    const lines = [
      '{"index":0,"time":0,"type":"invoke","process":0,"f":"txn","value":[["append","k\\"q",1]]}',
      '',
      '{"index":1,"time":1,"type":"ok","process":0,"f":"txn","value":[["append","k\\"q",1]],"node":"n1"}',
      '{"index":2,"time":2,"type":"invoke","process":1,"f":"txn","value":[["r","k\\"q",null],["append","f",2.5]]}',
      '{"index":3,"time":3,"type":"ok","process":1,"f":"txn","value":[["r","k\\"q",[1, 12345678901234567890]],["append","f",2.5]]}',
    ];
    const r = await check('-m', 'list-append', file('odd.jsonl', lines.join('\r\n') + '\r\n'));
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toContain('odd.jsonl: list-append, jsonl, 4 history entries (2 client operations)');
    expect(r.out).toContain('garbage-read');
    expect(r.out).toContain('12345678901234567890');
    const fast = await check('-m', 'list-append', '--json', 'odd.jsonl');
    const general = await check('-m', 'list-append', '--json', file('odd.json', '[' + lines.filter((l) => l).join(',') + ']'));
    expect((parseJson(fast.out) as { result: { anomalyTypes: string[] } }).result.anomalyTypes).toEqual(['garbage-read']);
    expect((parseJson(fast.out) as { result: unknown }).result).toEqual((parseJson(general.out) as { result: unknown }).result);
  });

  it('renumbers indices that do not increase, as the general reader does', async () => {
    const h = LA.map((op) => ({ ...op, index: 7 }));
    const r = await check('-m', 'list-append', file('same-index.jsonl', jsonl(h)));
    expect(r.out).toContain('renumbered (its :index values did not increase)');
    const g = await check('-m', 'list-append', '--json', 'same-index.jsonl');
    const s = await check('-m', 'list-append', '--json', file('same-index.json', jsonArray(h)));
    expect((parseJson(g.out) as { result: unknown }).result).toEqual((parseJson(s.out) as { result: unknown }).result);
  });

  it('leaves files it cannot read to the general reader: the same messages and exit 254', async () => {
    const bad = jsonl(LA).split('\n');
    bad[4] = '{"index":4,"type":"ok",';
    const cut = await check('-m', 'list-append', file('cut.jsonl', bad.join('\n')));
    expect(cut.code).toBe(254);
    expect(cut.err).toMatch(/^cut\.jsonl:5: not a readable jsonl history: not valid JSON/);
    const wrong = await check('-m', 'list-append', file('wrong.jsonl', jsonl(ops([[0, 'invoke', [['w', 'x', 1]]], [0, 'ok', [['w', 'x', 1]]]]))));
    expect(wrong.code).toBe(254);
    expect(wrong.err).toMatch(/^wrong\.jsonl:1: the history does not fit --model list-append: .*it holds a "w" micro-op.*--model rw-register/);
  });
});

/** /work/shared/data, or GYRE_SHARED_DATA. */
function sharedData(): string {
  const env = process.env['GYRE_SHARED_DATA'];
  if (env) return env;
  for (let d = import.meta.dirname; dirname(d) !== d; d = dirname(d)) if (existsSync(join(d, 'shared', 'data', 'elle'))) return join(d, 'shared', 'data');
  return resolve(import.meta.dirname, '../../../../shared/data');
}

describe("gyre check: Elle's EDN histories streamed line by line", () => {
  for (const name of ['paper-example.edn', 'si-without-g-single.edn', 'huge-scc.edn']) {
    it(`${name}: the same result as the ops read by parseHistoryEdn (fields in the order Gyre writes them)`, async () => {
      const path = join(sharedData(), 'elle', name);
      const r = await check('-m', 'list-append', '--json', path);
      const o = parseJson(r.out) as { format: string; result: unknown };
      expect(o.format).toBe('edn');
      expect(o.result).toEqual(parseJson(stringifyJson(checkListAppend(parseHistoryEdn(readFileSync(path, 'utf8'))))));
    }, 60_000);
  }
});

describe('gyre check --model rw-register', () => {
  const rw = (rows: Row[]) => jsonl(ops(rows));
  it('refuses a write of nil (exit 254), naming the op and its line', async () => {
    const r = await check('-m', 'rw-register', file('nil.jsonl', rw([[0, 'invoke', [['w', 'x', 1]]], [0, 'ok', [['w', 'x', 1]]], [1, 'invoke', [['w', 'x', null]]], [1, 'ok', [['w', 'x', null]]]])));
    expect(r.code).toBe(254);
    expect(r.err).toMatch(/^nil\.jsonl:3: the history does not fit --model rw-register: operation 2 \(invoke txn \[\["w","x",null\]\]\) does not fit: it writes nil to key "x"/);
  });

  it('reports a garbage read with the read, the value and that no transaction wrote it', async () => {
    const r = await check('-m', 'rw-register', file('garbage.jsonl', rw([[0, 'invoke', [['w', 'x', 1]]], [0, 'ok', [['w', 'x', 1]]], [1, 'invoke', [['r', 'x', null]]], [1, 'ok', [['r', 'x', 3]]]])));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Not strict-serializable: found garbage-read \(1 case\)/);
    expect(r.out).toMatch(/garbage-read: \{.*:mop \["r" "x" 3\].*:value 3/);
  });

  it('--wfr-keys, --sequential-keys, --linearizable-keys: version orders it may assume', async () => {
    // x = 1 then x = 2, one after the other; then a read of the older 1.
    const stale = file('stale.jsonl', rw([[0, 'invoke', [['w', 'x', 1]]], [0, 'ok', [['w', 'x', 1]]], [0, 'invoke', [['w', 'x', 2]]], [0, 'ok', [['w', 'x', 2]]], [0, 'invoke', [['r', 'x', null]]], [0, 'ok', [['r', 'x', 1]]]]));
    expect((await check('-m', 'rw-register', stale)).code).toBe(0);
    for (const flag of ['--linearizable-keys', '--sequential-keys', '--sequential-keys?']) {
      const r = await check('-m', 'rw-register', flag, stale);
      expect(r.code, flag).toBe(1);
      expect(r.out, flag).toContain('cyclic-versions');
    }
    // T2 read x = 1 and wrote 2; T4 read that 2, T3 read the older 1 but saw T4's y. Only if a
    // write follows the version its writer read is 1 < 2 known, and T3 < T2 < T4 < T3 a cycle.
    const wfr = file(
      'wfr.jsonl',
      rw([
        [1, 'invoke', [['w', 'x', 1]]],
        [2, 'invoke', [['r', 'x', null], ['w', 'x', 2]]],
        [3, 'invoke', [['r', 'x', null], ['r', 'y', null]]],
        [4, 'invoke', [['r', 'x', null], ['w', 'y', 5]]],
        [1, 'ok', [['w', 'x', 1]]],
        [2, 'ok', [['r', 'x', 1], ['w', 'x', 2]]],
        [3, 'ok', [['r', 'x', 1], ['r', 'y', 5]]],
        [4, 'ok', [['r', 'x', 2], ['w', 'y', 5]]],
      ]),
    );
    expect((await check('-m', 'rw-register', wfr)).code).toBe(0);
    const single = await check('-m', 'rw-register', '--wfr-keys', '--json', wfr);
    expect(single.code).toBe(1);
    expect((parseJson(single.out) as { result: { anomalyTypes: string[] } }).result.anomalyTypes).toEqual(['G-single']);
  });

  it('refuses the version-order options for other models, and documents them', async () => {
    const r = await check('-m', 'list-append', '--wfr-keys', 'x.jsonl');
    expect(r.code).toBe(254);
    expect(r.err).toMatch(/--wfr-keys, --sequential-keys and --linearizable-keys apply to --model rw-register only/);
    const help = await check('--help');
    for (const flag of ['--wfr-keys', '--sequential-keys', '--linearizable-keys']) expect(help.out).toContain(flag);
    expect(help.out).toMatch(/Safe for strict-serializable stores/);
  });
});
