/**
 * `gyre check`: every model on histories with known verdicts, in every input format, and files
 * that cannot be checked. Runs the command in-process on the sources (no build needed), except
 * the last test, which runs the built CLI.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toWire, wireJson } from '@gyre/checker';
import { checkListAppend, elleWire } from '@gyre/checker/elle';
import { EdnSet, Keyword, formatOpEdn, formatOpJson, parseHistoryEdn, parseJson, stringifyJson, type Op, type OpType, type ProcessId } from '@gyre/history';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main';
import { CHECK_MODELS } from '../src/check';
import { cli, example, gyre, sharedData } from './helpers';

const DATA = sharedData();

const dir = mkdtempSync(join(tmpdir(), 'gyre-check-'));

interface Run {
  code: number;
  out: string;
  err: string;
}

async function check(...args: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(['check', ...args], { out: (s) => (out += s), err: (s) => (err += s), isTTY: false, cwd: dir });
  return { code, out, err };
}

/** Writes a file in the temp directory and returns its name. */
function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

type Row = [ProcessId, OpType, string, unknown, Record<string, unknown>?];
const ops = (rows: Row[]): Op[] => rows.map(([process, type, f, value, extra], index) => ({ index, time: index * 1_000_000, type, process, f, value, ...extra }));

/** EDN as Jepsen writes it: micro-op names and `:timed-out`-style values as keywords. */
function ednValue(v: unknown): unknown {
  if (Array.isArray(v) && v.length > 0 && v.every((m) => Array.isArray(m) && m.length === 3 && typeof m[0] === 'string')) return v.map((m) => [new Keyword(m[0]), m[1], m[2]]);
  return v;
}

/** The same history in the four general formats. */
function allFormats(name: string, h: Op[], opts: { setReads?: boolean } = {}): Record<'jsonl' | 'json' | 'edn' | 'edn-vector', string> {
  const edn = (op: Op) =>
    formatOpEdn(op, (v, o) => (opts.setReads && o.f === 'read' && o.type === 'ok' && Array.isArray(v) ? new EdnSet(v as never[]) : ednValue(v)));
  return {
    jsonl: file(`${name}.jsonl`, h.map(formatOpJson).join('\n') + '\n'),
    json: file(`${name}.json`, '[' + h.map((o) => stringifyJson(o)).join(',\n ') + ']\n'),
    edn: file(`${name}.edn`, h.map(edn).join('\n') + '\n'),
    'edn-vector': file(`${name}-vector.edn`, '[' + h.map(edn).join('\n ') + ']\n'),
  };
}

/** A queue history: 1 and then 2 enqueued, then one dequeue that returns `dequeued`. */
const enqueue12Dequeue = (dequeued: number): Row[] => [
  [0, 'invoke', 'enqueue', 1],
  [0, 'ok', 'enqueue', 1],
  [0, 'invoke', 'enqueue', 2],
  [0, 'ok', 'enqueue', 2],
  [1, 'invoke', 'dequeue', null],
  [1, 'ok', 'dequeue', dequeued],
];

/** A bank history: a read of 10 and 10, a transfer of 3 from account 0 to 1, then a read of `balances`. */
const readTransferRead = (balances: Record<string, number>): Row[] => [
  [0, 'invoke', 'read', null],
  [0, 'ok', 'read', { '0': 10, '1': 10 }],
  [1, 'invoke', 'transfer', { from: 0, to: 1, amount: 3 }],
  [1, 'ok', 'transfer', { from: 0, to: 1, amount: 3 }],
  [0, 'invoke', 'read', null],
  [0, 'ok', 'read', balances],
];

/** Hand-written histories with known verdicts, per model. */
const CASES: { model: string; args?: string[]; valid: Row[]; invalid: Row[]; setReads?: boolean; invalidText: RegExp }[] = [
  {
    model: 'cas-register',
    valid: [
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [1, 'invoke', 'cas', [1, 2]],
      [2, 'invoke', 'read', null],
      [1, 'ok', 'cas', [1, 2]],
      [2, 'ok', 'read', 2],
      [1, 'invoke', 'cas', [5, 6]],
      [1, 'fail', 'cas', [5, 6]],
      [0, 'invoke', 'read', null],
      [0, 'ok', 'read', 2],
    ],
    invalid: [
      [0, 'invoke', 'write', 1],
      [0, 'ok', 'write', 1],
      [1, 'invoke', 'cas', [1, 2]],
      [1, 'ok', 'cas', [1, 2]],
      [0, 'invoke', 'read', null],
      [0, 'ok', 'read', 1],
    ],
    invalidText: /can't read 1 from register 2/,
  },
  {
    model: 'register',
    valid: [
      [0, 'invoke', 'write', 'a'],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', 'a'],
      [0, 'ok', 'write', 'a'],
    ],
    invalid: [
      [0, 'invoke', 'write', 'a'],
      [0, 'ok', 'write', 'a'],
      [0, 'invoke', 'write', 'b'],
      [0, 'ok', 'write', 'b'],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', 'a'],
    ],
    invalidText: /cannot be linearized/,
  },
  {
    model: 'mutex',
    valid: [
      [0, 'invoke', 'acquire', null],
      [0, 'ok', 'acquire', null],
      [1, 'invoke', 'acquire', null],
      [0, 'invoke', 'release', null],
      [0, 'ok', 'release', null],
      [1, 'ok', 'acquire', null],
    ],
    invalid: [
      [0, 'invoke', 'acquire', null],
      [0, 'ok', 'acquire', null],
      [1, 'invoke', 'acquire', null],
      [1, 'ok', 'acquire', null],
    ],
    invalidText: /acquire/,
  },
  {
    model: 'multi-register',
    valid: [
      [0, 'invoke', 'txn', [['write', 'x', 1], ['write', 'y', 2]]],
      [1, 'invoke', 'txn', [['read', 'x', null], ['read', 'y', null]]],
      [0, 'ok', 'txn', [['write', 'x', 1], ['write', 'y', 2]]],
      [1, 'ok', 'txn', [['read', 'x', 1], ['read', 'y', 2]]],
    ],
    invalid: [
      [0, 'invoke', 'txn', [['write', 'x', 1], ['write', 'y', 2]]],
      [0, 'ok', 'txn', [['write', 'x', 1], ['write', 'y', 2]]],
      [1, 'invoke', 'txn', [['read', 'x', null], ['read', 'y', null]]],
      [1, 'ok', 'txn', [['read', 'x', 1], ['read', 'y', null]]],
    ],
    invalidText: /cannot be linearized/,
  },
  {
    model: 'fifo-queue',
    valid: enqueue12Dequeue(1),
    invalid: enqueue12Dequeue(2),
    invalidText: /dequeue/,
  },
  {
    model: 'unordered-queue',
    valid: enqueue12Dequeue(2),
    invalid: [
      [0, 'invoke', 'enqueue', 1],
      [0, 'ok', 'enqueue', 1],
      [1, 'invoke', 'dequeue', null],
      [1, 'ok', 'dequeue', 3],
    ],
    invalidText: /dequeue/,
  },
  {
    model: 'lin-kv',
    valid: [
      [0, 'invoke', 'write', [0, 1]],
      [0, 'ok', 'write', [0, 1]],
      [1, 'invoke', 'cas', [0, [1, 2]]],
      [1, 'ok', 'cas', [0, [1, 2]]],
      [2, 'invoke', 'read', [0, null]],
      [2, 'ok', 'read', [0, 2]],
      [2, 'invoke', 'read', [1, null]],
      [2, 'ok', 'read', [1, null]],
    ],
    invalid: [
      [0, 'invoke', 'write', [0, 1]],
      [0, 'ok', 'write', [0, 1]],
      [1, 'invoke', 'write', [1, 5]],
      [1, 'ok', 'write', [1, 5]],
      [1, 'invoke', 'cas', [0, [1, 2]]],
      [1, 'ok', 'cas', [0, [1, 2]]],
      [2, 'invoke', 'read', [0, null]],
      [2, 'ok', 'read', [0, 1]],
    ],
    invalidText: /key 0/,
  },
  {
    model: 'list-append',
    valid: [
      [0, 'invoke', 'txn', [['append', 'x', 1], ['r', 'y', null]]],
      [0, 'ok', 'txn', [['append', 'x', 1], ['r', 'y', []]]],
      [1, 'invoke', 'txn', [['r', 'x', null], ['append', 'y', 2]]],
      [1, 'ok', 'txn', [['r', 'x', [1]], ['append', 'y', 2]]],
    ],
    invalid: [
      [0, 'invoke', 'txn', [['append', 'x', 1]]],
      [0, 'ok', 'txn', [['append', 'x', 1]]],
      [1, 'invoke', 'txn', [['r', 'x', null]]],
      [1, 'ok', 'txn', [['r', 'x', []]]],
    ],
    invalidText: /Not strict-serializable: found G-single-realtime \(1 case\)[\s\S]*T1 = op \d+, line \d+ \(process/,
  },
  {
    model: 'rw-register',
    valid: [
      [0, 'invoke', 'txn', [['w', 'x', 1]]],
      [0, 'ok', 'txn', [['w', 'x', 1]]],
      [1, 'invoke', 'txn', [['r', 'x', null], ['w', 'y', 2]]],
      [1, 'ok', 'txn', [['r', 'x', 1], ['w', 'y', 2]]],
    ],
    invalid: [
      [0, 'invoke', 'txn', [['w', 'x', 1], ['r', 'y', null]]],
      [1, 'invoke', 'txn', [['w', 'y', 2], ['r', 'x', null]]],
      [0, 'ok', 'txn', [['w', 'x', 1], ['r', 'y', 2]]],
      [1, 'ok', 'txn', [['w', 'y', 2], ['r', 'x', 1]]],
    ],
    invalidText: /found G1c/,
  },
  {
    model: 'set',
    setReads: true,
    valid: [
      [0, 'invoke', 'add', 0],
      [0, 'ok', 'add', 0],
      [1, 'invoke', 'add', 1],
      [1, 'info', 'add', 1],
      ['nemesis', 'info', 'start-partition', 'majority'],
      [2, 'invoke', 'read', null],
      [2, 'ok', 'read', [0, 1]],
    ],
    invalid: [
      [0, 'invoke', 'add', 0],
      [0, 'ok', 'add', 0],
      [1, 'invoke', 'add', 1],
      [1, 'ok', 'add', 1],
      [2, 'invoke', 'read', null],
      [2, 'ok', 'read', [1, 7]],
    ],
    invalidText: /Lost \(acknowledged, then missing from the final read\): 1: 0[\s\S]*Unexpected \(in the final read, never added\): 1: 7/,
  },
  {
    model: 'set-full',
    setReads: true,
    valid: [
      [0, 'invoke', 'add', 0],
      [0, 'ok', 'add', 0],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', [0]],
      [0, 'invoke', 'add', 1],
      [0, 'ok', 'add', 1],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', [0, 1]],
    ],
    invalid: [
      [0, 'invoke', 'add', 0],
      [0, 'ok', 'add', 0],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', [0]],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', []],
    ],
    invalidText: /Lost \(seen or acknowledged, then missing from every later read\): 0/,
  },
  {
    model: 'counter',
    valid: [
      [0, 'invoke', 'add', 1],
      [0, 'ok', 'add', 1],
      [1, 'invoke', 'add', 2],
      [2, 'invoke', 'read', null],
      [2, 'ok', 'read', 3],
      [1, 'info', 'add', 2],
      [2, 'invoke', 'read', null],
      [2, 'ok', 'read', 1],
    ],
    invalid: [
      [0, 'invoke', 'add', 1],
      [0, 'ok', 'add', 1],
      [2, 'invoke', 'read', null],
      [2, 'ok', 'read', 2],
    ],
    invalidText: /process 2 read 2, but while that read ran the counter was between 1 and 1/,
  },
  {
    model: 'bank',
    valid: readTransferRead({ '0': 7, '1': 13 }),
    invalid: readTransferRead({ '0': 7, '1': 10 }),
    invalidText: /wrong-total: 1 read; the first, line \d+: total 17 instead of 20/,
  },
  {
    model: 'long-fork',
    args: ['--group-size', '2'],
    valid: [
      [0, 'invoke', 'write', [['w', 0, 1]]],
      [0, 'ok', 'write', [['w', 0, 1]]],
      [1, 'invoke', 'read', [['r', 0, null], ['r', 1, null]]],
      [1, 'ok', 'read', [['r', 0, 1], ['r', 1, null]]],
      [0, 'invoke', 'write', [['w', 1, 1]]],
      [0, 'ok', 'write', [['w', 1, 1]]],
      [1, 'invoke', 'read', [['r', 1, null], ['r', 0, null]]],
      [1, 'ok', 'read', [['r', 1, 1], ['r', 0, 1]]],
    ],
    invalid: [
      [0, 'invoke', 'write', [['w', 0, 1]]],
      [1, 'invoke', 'write', [['w', 1, 1]]],
      [0, 'ok', 'write', [['w', 0, 1]]],
      [1, 'ok', 'write', [['w', 1, 1]]],
      [2, 'invoke', 'read', [['r', 0, null], ['r', 1, null]]],
      [3, 'invoke', 'read', [['r', 0, null], ['r', 1, null]]],
      [2, 'ok', 'read', [['r', 0, 1], ['r', 1, null]]],
      [3, 'ok', 'read', [['r', 0, null], ['r', 1, 1]]],
    ],
    invalidText: /Long fork: the read at line \d+ saw 0 inserted but not 1; the read at line \d+ saw 1 but not 0/,
  },
];

describe('gyre check: every model, valid and invalid, in every format', () => {
  for (const c of CASES) {
    describe(c.model, () => {
      const valid = allFormats(`${c.model}-valid`, ops(c.valid), c);
      const invalid = allFormats(`${c.model}-invalid`, ops(c.invalid), c);
      for (const format of ['jsonl', 'json', 'edn', 'edn-vector'] as const) {
        it(`valid (exit 0) as ${format}`, async () => {
          const r = await check('--model', c.model, ...(c.args ?? []), valid[format]);
          expect(r.err).toBe('');
          expect(r.out).toMatch(new RegExp(`\\tVALID\\n`));
          expect(r.code).toBe(0);
        });
        it(`invalid (exit 1) as ${format}, explained`, async () => {
          const r = await check('--model', c.model, ...(c.args ?? []), invalid[format]);
          expect(r.err).toBe('');
          expect(r.out).toMatch(/\tINVALID\n/);
          expect(r.out).toMatch(c.invalidText);
          expect(r.out).toContain('Analysis invalid!');
          expect(r.code).toBe(1);
        });
      }
    });
  }

  it("gives the full result as JSON with --json, with Jepsen's key names", async () => {
    const r = await check('-m', 'bank', '--json', 'bank-invalid.edn');
    expect(r.code).toBe(1);
    const o = parseJson(r.out.trim()) as Record<string, any>;
    expect(o).toMatchObject({ file: 'bank-invalid.edn', model: 'bank', format: 'edn', 'history-entries': 6, 'valid?': false });
    // The result's own keys are at the top level, as elle-cli and Jepsen print them.
    expect(Object.keys(o)[0]).toBe('valid?');
    expect(o['read-count']).toBe(2);
    expect(o.errors['wrong-total'].first.total).toBe(17);
  });

  it('bank: negative balances are invalid unless allowed; the total can be given', async () => {
    const f = file(
      'bank-negative.edn',
      '{:type :invoke, :f :read, :process 0}\n{:type :ok, :f :read, :process 0, :value {0 100, 1 0}}\n{:type :invoke, :f :read, :process 0}\n{:type :ok, :f :read, :process 0, :value {0 101, 1 -1}}\n',
    );
    expect((await check('-m', 'bank', f)).out).toMatch(/negative-value: 1 read; the first, line 4: negative balances -1/);
    expect((await check('-m', 'bank', f)).code).toBe(1);
    expect((await check('-m', 'bank', '--allow-negative-balances', f)).code).toBe(0);
    expect((await check('-m', 'bank', '-n', '--total-amount', '90', f)).code).toBe(1);
  });

  it("counter: a Maelstrom history with :final? reads is judged by its final reads only (stale reads during the run are fine)", async () => {
    const rows = (final: number): Row[] => [
      [0, 'invoke', 'add', 2],
      [0, 'ok', 'add', 2],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', 0],
      [1, 'invoke', 'add', 3],
      [1, 'info', 'add', 3],
      [2, 'invoke', 'read', null, { final: true }],
      [2, 'ok', 'read', final, { final: true }],
    ];
    const good = allFormats('g-counter-ok', ops(rows(5)));
    const bad = allFormats('g-counter-bad', ops(rows(4)));
    for (const format of ['jsonl', 'edn'] as const) {
      expect((await check('-m', 'counter', good[format])).code).toBe(0);
      const r = await check('-m', 'counter', bad[format]);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/Maelstrom's counter rule .*: 2, 5\.[\s\S]*finally read 4, which no combination of the adds gives/);
    }
  });

  it('set-full: reads a Maelstrom broadcast history (:broadcast adds)', async () => {
    const rows: Row[] = [
      [0, 'invoke', 'broadcast', 7],
      [0, 'ok', 'broadcast', 7],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', [7]],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', []],
    ];
    const f = allFormats('broadcast-lost', ops(rows));
    const r = await check('-m', 'set-full', f.edn);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Lost .*: 7/);
  });

  it('long-fork: a read of the wrong group size makes the verdict unknown (exit 2)', async () => {
    const r = await check('-m', 'long-fork', '--group-size', '3', 'long-fork-valid.edn');
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/every read should cover exactly 3 keys/);
    expect(r.out).toContain('Errors occurred during analysis, but no anomalies found.');
  });
});

describe("gyre check: Elle's histories (/work/shared/data/elle)", () => {
  const elle = (name: string) => join(DATA, 'elle', name);

  it('paper-example.edn (no :process, :f or :time) is not strict-serializable: a G-single cycle, explained with its lines', async () => {
    const r = await check('-m', 'list-append', elle('paper-example.edn'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Not strict-serializable: found G-single \(1 case\)/);
    expect(r.out).toMatch(/rule out consistent-view, and so also .*serializable/);
    expect(r.out).toMatch(/T1 = op 7, line 8 \(process 0, ok\)/);
    expect(r.out).toMatch(/a contradiction!/);
  });

  it('si-without-g-single.edn is snapshot isolation but not repeatable read: exactly G2-item', async () => {
    const si = await check('-m', 'list-append', '--consistency-models', 'snapshot-isolation', elle('si-without-g-single.edn'));
    expect(si.code).toBe(0);
    const rr = await check('-m', 'list-append', '-c', 'snapshot-isolation,repeatable-read', '--json', elle('si-without-g-single.edn'));
    expect(rr.code).toBe(1);
    // As elle-cli prints it: valid? and anomaly-types.
    const o = parseJson(rr.out.trim()) as { 'valid?': unknown; 'anomaly-types': string[]; not: string[] };
    expect(o['valid?']).toBe(false);
    expect(o['anomaly-types']).toEqual(['G2-item']);
    expect(o.not).toEqual(['repeatable-read']);
    const text = await check('-m', 'list-append', '-c', 'snapshot-isolation,repeatable-read', elle('si-without-g-single.edn'));
    expect(text.out).toMatch(/Not repeatable-read: found G2-item/);
  });

  it('huge-scc.edn (2.8 MB, one huge component) is never called valid', async () => {
    const r = await check('-m', 'list-append', '--json', elle('huge-scc.edn'));
    expect([1, 2]).toContain(r.code);
    const o = parseJson(r.out.trim()) as { 'valid?': unknown; 'anomaly-types': string[] };
    expect(o['valid?']).not.toBe(true);
    if (o['valid?'] === false) expect(o['anomaly-types'].some((t) => /realtime/.test(t))).toBe(true);
  }, 120_000);

  it('rejects an unknown consistency model before reading anything', async () => {
    const r = await check('-m', 'list-append', '-c', 'serialisable', elle('paper-example.edn'));
    expect(r.code).toBe(254);
    expect(r.err).toMatch(/--consistency-models: unknown consistency model "serialisable"; valid models are: /);
  });
});

// ---------------------------------------------------------------------------------------------
// Elle: JSON Lines and line-per-op EDN files are streamed into the checkers' column-wise history;
// every other format goes through the general reader. Both must give the same results, and a file
// the streaming readers cannot take must get the general reader's message.

type TxnRow = [ProcessId | string, OpType, unknown, Record<string, unknown>?];
/** The result in a line of `--json` (without where it came from: file, model, format, history-entries). */
const resultOf = (line: string): Record<string, unknown> => {
  const o = parseJson(line) as Record<string, unknown>;
  for (const k of ['file', 'model', 'format', 'history-entries']) delete o[k];
  return o;
};
const txnOps = (rows: TxnRow[]): Op[] => ops(rows.map(([p, type, value, extra]) => [p as ProcessId, type, 'txn', value, extra]));
const jsonl = (h: Op[]) => h.map(formatOpJson).join('\n') + '\n';
const jsonArray = (h: Op[]) => '[' + h.map(formatOpJson).join(',\n') + ']\n';

/** A list-append history with a G-single, info and failed transactions, a nemesis op and string keys. */
const LA: Op[] = txnOps([
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

  it('takes JSON Lines and line-per-op EDN files itself, and leaves other formats to the general reader', async () => {
    const model = await CHECK_MODELS.get('list-append')!.load();
    const edn = LA.map((op) => formatOpEdn(op, (v) => ednValue(v))).join('\n') + '\n';
    expect(model.checkFile!(join(dir, file('taken.jsonl', jsonl(LA))), undefined, {})).toMatchObject({ format: 'jsonl', entries: 11, clients: 5, outcome: { valid: false } });
    expect(model.checkFile!(join(dir, file('taken.edn', edn)), undefined, {})).toMatchObject({ format: 'edn', entries: 11, outcome: { valid: false } });
    expect(model.checkFile!(join(dir, file('left.json', jsonArray(LA))), undefined, {})).toBeUndefined();
    expect(model.checkFile!(join(dir, file('left.edn', '[' + edn + ']')), undefined, {})).toBeUndefined();
    const rw = await CHECK_MODELS.get('rw-register')!.load();
    expect(rw.checkFile!(join(dir, file('rw.jsonl', jsonl(txnOps([[0, 'invoke', [['w', 'x', 1]]], [0, 'ok', [['w', 'x', 1]]], [1, 'invoke', [['r', 'x', null]]], [1, 'ok', [['r', 'x', 1]]]])))), undefined, {})).toMatchObject({ outcome: { valid: true } });
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
    expect(resultOf(fast.out)['anomaly-types']).toEqual(['garbage-read']);
    expect(resultOf(fast.out)).toEqual(resultOf(general.out));
  });

  it('renumbers indices that do not increase, as the general reader does', async () => {
    const h = LA.map((op) => ({ ...op, index: 7 }));
    const r = await check('-m', 'list-append', file('same-index.jsonl', jsonl(h)));
    expect(r.out).toContain('renumbered (its :index values did not increase)');
    const g = await check('-m', 'list-append', '--json', 'same-index.jsonl');
    const s = await check('-m', 'list-append', '--json', file('same-index.json', jsonArray(h)));
    expect(resultOf(g.out)).toEqual(resultOf(s.out));
  });

  it('leaves files it cannot read to the general reader: the same messages and exit 254', async () => {
    const bad = jsonl(LA).split('\n');
    bad[4] = '{"index":4,"type":"ok",';
    const cut = await check('-m', 'list-append', file('cut.jsonl', bad.join('\n')));
    expect(cut.code).toBe(254);
    expect(cut.err).toMatch(/^cut\.jsonl:5: not a readable jsonl history: not valid JSON/);
    const wrong = await check('-m', 'list-append', file('wrong.jsonl', jsonl(txnOps([[0, 'invoke', [['w', 'x', 1]]], [0, 'ok', [['w', 'x', 1]]]]))));
    expect(wrong.code).toBe(254);
    expect(wrong.err).toMatch(/^wrong\.jsonl:1: the history does not fit --model list-append: .*it holds a "w" micro-op.*--model rw-register/);
  });
});

describe("gyre check: Elle's EDN histories streamed line by line", () => {
  for (const name of ['paper-example.edn', 'si-without-g-single.edn', 'huge-scc.edn']) {
    it(`${name}: the same result as the ops read by parseHistoryEdn (fields in the order Gyre writes them)`, async () => {
      const path = join(DATA, 'elle', name);
      const r = await check('-m', 'list-append', '--json', path);
      expect((parseJson(r.out) as { format: string }).format).toBe('edn');
      const result = checkListAppend(parseHistoryEdn(readFileSync(path, 'utf8')));
      expect(resultOf(r.out)).toEqual(parseJson(wireJson({ 'valid?': result.valid, ...(toWire(result, elleWire) as object) })));
    }, 60_000);
  }
});

describe('gyre check --model rw-register', () => {
  const rw = (rows: TxnRow[]) => jsonl(txnOps(rows));
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
    expect(resultOf(single.out)['anomaly-types']).toEqual(['G-single']);
  });

  it('refuses the version-order options for other models, and documents them', async () => {
    const r = await check('-m', 'list-append', '--wfr-keys', 'x.jsonl');
    expect(r.code).toBe(254);
    expect(r.err).toMatch(/--wfr-keys, --sequential-keys and --linearizable-keys apply to --model rw-register only/);
    const help = await check('--help');
    for (const flag of ['--wfr-keys', '--sequential-keys', '--linearizable-keys']) expect(help.out).toContain(flag);
    expect(help.out.replace(/\s+/g, ' ')).toMatch(/Safe for strict-serializable stores/);
  });
});

describe('gyre check: the etcd logs and kv traces (/work/shared/data)', () => {
  const LINEARIZABLE = new Set('002 005 007 018 025 031 038 045 048 049 051 053 056 067 075 076 080 087 092 098 100 101 102'.split(' '));
  const logs = readdirSync(join(DATA, 'etcd'))
    .filter((f) => /^etcd_\d{3}\.log$/.test(f) && f !== 'etcd_095.log')
    .sort();

  it('gives every etcd log its expected verdict (cas-register, one run over 102 files, --json)', async () => {
    expect(logs).toHaveLength(102);
    const r = await check('--model', 'cas-register', '--json', ...logs.map((f) => join(DATA, 'etcd', f)));
    const results = r.out
      .trim()
      .split('\n')
      .map((l) => parseJson(l) as { file: string; 'valid?': unknown; format: string });
    expect(results).toHaveLength(102);
    for (const o of results) {
      expect(o.format).toBe('etcd-log');
      expect([o.file.slice(-12), o['valid?']]).toEqual([o.file.slice(-12), LINEARIZABLE.has(o.file.slice(-7, -4))]);
    }
    expect(r.code).toBe(1);
  });

  it('explains a non-linearizable etcd log: the failing op, its line, the states, a stretch', async () => {
    const r = await check('-m', 'cas-register', join(DATA, 'etcd', 'etcd_000.log'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/The operation that cannot be linearized: read → \d+ by process \d+, line \d+ to \d+/);
    expect(r.out).toMatch(/Why: can't read \d+ from register \d+/);
    expect(r.out).toMatch(/could only be: /);
    expect(r.out).toMatch(/A stretch that already cannot be linearized \(line \d+ to \d+/);
    expect(r.out).toMatch(/<- cannot be linearized/);
  });

  it('calls an empty log (etcd_095) unreadable rather than valid', async () => {
    const r = await check('-m', 'cas-register', join(DATA, 'etcd', 'etcd_095.log'));
    expect(r.code).toBe(254);
    expect(r.err).toMatch(/etcd_095\.log: the file is empty/);
  });

  it.each([
    ['c01-ok.txt', 0],
    ['c01-bad.txt', 1],
    ['c10-ok.txt', 0],
    ['c10-bad.txt', 1],
    ['c50-ok.txt', 0],
    ['c50-bad.txt', 1],
  ])('kv trace %s: exit %i (per-key model)', async (name, code) => {
    const r = await check('--model', 'kv', join(DATA, 'kv', name));
    expect(r.out).toContain(`kv, kv-trace, `);
    expect(r.code).toBe(code);
    if (code === 1) expect(r.out).toMatch(/In the partition of key "\d+":/);
  });

  it('reads a Maelstrom-style history.edn for lin-kv, with a nemesis and :final? reads', async () => {
    const f = file(
      'maelstrom-lin-kv.edn',
      [
        '{:type :invoke, :f :write, :value [0 3], :time 1, :process 0, :index 0}',
        '{:type :ok, :f :write, :value [0 3], :time 2, :process 0, :index 1}',
        '{:type :info, :f :start-partition, :value :majority, :time 3, :process :nemesis, :index 2}',
        '{:type :invoke, :f :cas, :value [0 [3 4]], :time 4, :process 1, :index 3}',
        '{:type :fail, :f :cas, :value [0 [3 4]], :time 5, :process 1, :index 4, :error [:precondition-failed "expected 3, had 4"]}',
        '{:type :invoke, :f :read, :value [0 nil], :time 6, :process 0, :index 5, :final? true}',
        '{:type :ok, :f :read, :value [0 3], :time 7, :process 0, :index 6, :final? true}',
      ].join('\n'),
    );
    const r = await check('-m', 'lin-kv', f);
    expect(r.code).toBe(0);
  });
});

describe('gyre check: explanations cost only what is read', () => {
  const bad = ['000', '001', '003'].map((n) => join(DATA, 'etcd', `etcd_${n}.log`));
  const full = /A stretch that already cannot be linearized/g;
  const brief = /The longest linearizable prefix found has \d+ operations; after it, .* cannot be linearized: .*\n.*Run with --explain all/g;

  it('explains the first failing file in full and the later ones in brief', async () => {
    const r = await check('-m', 'cas-register', ...bad);
    expect(r.code).toBe(1);
    expect(r.out.match(full)).toHaveLength(1);
    expect(r.out.match(brief)).toHaveLength(2);
    expect(r.out.indexOf('A stretch')).toBeLessThan(r.out.indexOf('etcd_001.log: cas-register'));
  });

  it('explains every failing file in full with --explain all, and in --json', async () => {
    const r = await check('-m', 'cas-register', '--explain', 'all', ...bad);
    expect(r.code).toBe(1);
    expect(r.out.match(full)).toHaveLength(3);
    expect(r.out.match(brief)).toBeNull();
    const j = await check('-m', 'cas-register', '--json', ...bad);
    const results = j.out.trim().split('\n').map((l) => parseJson(l) as { failures: { stretch: { truncated: boolean; ops: number[] } }[] });
    expect(results).toHaveLength(3);
    for (const o of results) {
      expect(o.failures).toHaveLength(1);
      expect(o.failures[0]!.stretch.ops.length).toBeGreaterThan(1);
    }
  });

  it('lin-kv: checks and explains every failing key with --explain all; by default the first, and says the rest were not checked', async () => {
    const rows: Row[] = [];
    for (const k of [1, 2, 3]) {
      rows.push([0, 'invoke', 'write', [k, 1]], [0, 'ok', 'write', [k, 1]], [0, 'invoke', 'write', [k, 2]], [0, 'ok', 'write', [k, 2]]);
      rows.push([1, 'invoke', 'read', [k, null]], [1, 'ok', 'read', [k, k === 2 ? 2 : 1]]);
    }
    const f = file('lin-kv-two-bad-keys.jsonl', ops(rows).map(formatOpJson).join('\n'));
    const first = await check('-m', 'lin-kv', f);
    expect(first.code).toBe(1);
    expect(first.out.match(/In the partition of key /g)).toHaveLength(1);
    expect(first.out).toMatch(/2 other keys were not checked once this one failed; --explain all checks and explains every key/);
    const all = await check('-m', 'lin-kv', '--explain', 'all', f);
    expect(all.out.match(/In the partition of key (\d)/g)).toEqual(['In the partition of key 1', 'In the partition of key 3']);
    expect(all.out.match(full)).toHaveLength(2);
  });

  it('--explain takes first or all, and applies to the linearizability models only', async () => {
    expect(await check('-m', 'cas-register', '--explain', 'some', 'x.edn')).toMatchObject({ code: 254, err: expect.stringMatching(/--explain must be first or all/) });
    expect(await check('-m', 'set', '--explain', 'all', 'x.edn')).toMatchObject({ code: 254, err: expect.stringMatching(/--explain apply to the linearizability models, not to set/) });
  });
});

describe('gyre check: processes named by strings, and histories with no client operation', () => {
  // A write of 1 completes; then a read sees 2: never linearizable, whatever the processes are called.
  const named = ops([
    ['c0' as ProcessId, 'invoke', 'write', 1],
    ['c0' as ProcessId, 'ok', 'write', 1],
    ['c1' as ProcessId, 'invoke', 'read', null],
    ['c1' as ProcessId, 'ok', 'read', 2],
  ]);

  it('counts every process but the nemesis as a client (JSON "c0", EDN :c0)', async () => {
    const jsonl = file('named.jsonl', named.map(formatOpJson).join('\n'));
    const edn = file('named.edn', named.map((o) => formatOpEdn(o).replace(/:process "(c\d)"/, ':process :$1')).join('\n'));
    expect(readFileSync(join(dir, edn), 'utf8')).toContain(':process :c1');
    for (const f of [jsonl, edn]) {
      const r = await check('-m', 'cas-register', f);
      expect([f, r.code]).toEqual([f, 1]);
      expect(r.out).toContain('(2 client operations)');
      expect(r.out).toMatch(/read → 2 by process c1/);
    }
    const fixed = named.map((o, i) => (i === 3 ? { ...o, value: 1 } : o));
    expect((await check('-m', 'cas-register', file('named-ok.jsonl', fixed.map(formatOpJson).join('\n')))).code).toBe(0);
  });

  it("refuses named processes for Jepsen's checkers, which count only integer processes (exit 254, op and line named)", async () => {
    const h = ops([
      [0, 'invoke', 'add', 1],
      [0, 'ok', 'add', 1],
      ['c1' as ProcessId, 'invoke', 'read', null],
      ['c1' as ProcessId, 'ok', 'read', [1]],
    ]);
    const r = await check('-m', 'set', file('set-named.jsonl', h.map(formatOpJson).join('\n')));
    expect(r.code).toBe(254);
    expect(r.err).toMatch(/^set-named\.jsonl:3: operation 2 is by process "c1": --model set, like Jepsen's checker, counts only integer processes as clients/);
  });

  it.each(['cas-register', 'lin-kv', 'set', 'list-append'])('a history of nemesis entries only is unknown for %s (exit 2), never valid', async (model) => {
    const h = ops([
      ['nemesis', 'info', 'start-partition', 'majority'],
      ['nemesis', 'info', 'stop-partition', null],
    ]);
    const r = await check('-m', model, file(`nemesis-only-${model}.jsonl`, h.map(formatOpJson).join('\n')));
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/Unknown: the history has no client operation/);
    expect(r.out).toMatch(/\tUNKNOWN\n/);
    const j = await check('-m', model, '--json', `nemesis-only-${model}.jsonl`);
    expect(j.code).toBe(2);
    expect((parseJson(j.out) as Record<string, unknown>)['valid?']).toBe('unknown');
  });

  it('a linearizability history whose every op failed is unknown (exit 2)', async () => {
    const h = ops([
      [0, 'invoke', 'cas', [1, 2]],
      [0, 'fail', 'cas', [1, 2]],
    ]);
    const r = await check('-m', 'cas-register', file('all-failed.jsonl', h.map(formatOpJson).join('\n')));
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/Unknown: there is no operation to check \(1 failed/);
  });
});

describe('gyre check: files that cannot be checked (exit 254, file and line named)', () => {
  const good = ops(CASES[0]!.valid);

  it('a JSON Lines file cut in the middle of its last line', async () => {
    const text = good.map(formatOpJson).join('\n');
    const f = file('truncated.jsonl', text.slice(0, text.length - 12));
    const r = await check('-m', 'cas-register', f);
    expect(r.code).toBe(254);
    expect(r.err).toMatch(new RegExp(`^truncated\\.jsonl:${good.length}: not a readable jsonl history: not valid JSON .*is it truncated\\?`));
    expect(r.out).toBe('');
  });

  it('an EDN vector cut short', async () => {
    const text = '[' + good.map((o) => formatOpEdn(o)).join('\n ') + ']';
    const f = file('truncated.edn', text.slice(0, text.length - 30));
    const r = await check('-m', 'cas-register', f);
    expect(r.code).toBe(254);
    expect(r.err).toMatch(/^truncated\.edn:\d+: not a readable edn history: not valid EDN: missing .*is it truncated\?/);
  });

  it('a JSON array cut short', async () => {
    const text = '[' + good.map((o) => stringifyJson(o)).join(',\n') + ']';
    const r = await check('-m', 'cas-register', file('truncated.json', text.slice(0, 200)));
    expect(r.code).toBe(254);
    expect(r.err).toMatch(/^truncated\.json:\d+: .*is it truncated\?/);
  });

  it('an etcd log whose last line is cut', async () => {
    const text = readFileSync(join(DATA, 'etcd', 'etcd_002.log'), 'utf8').trimEnd();
    const cut = text.slice(0, text.lastIndexOf('\n') + 30);
    const lines = cut.split('\n').length;
    const r = await check('-m', 'cas-register', file('truncated.log', cut));
    expect(r.code).toBe(254);
    expect(r.err).toMatch(new RegExp(`^truncated\\.log:${lines}: .*(truncated|EDN)`));
  });

  it('a malformed line in the middle of a JSON Lines file', async () => {
    const lines = good.map(formatOpJson);
    lines[3] = '{"type": "ok", "process": 1, "f": "cas", "value": [1, 2]';
    const r = await check('-m', 'cas-register', file('malformed.jsonl', lines.join('\n')));
    expect(r.code).toBe(254);
    expect(r.err).toMatch(/^malformed\.jsonl:4: not a readable jsonl history: not valid JSON/);
  });

  it('an op with a bad field, in a JSON array and in EDN', async () => {
    const arr = good.map((o) => stringifyJson(o));
    arr[2] = '{"type": "done", "f": "read", "process": 0}';
    let r = await check('-m', 'cas-register', file('badtype.json', '[' + arr.join(',\n') + ']'));
    expect(r.code).toBe(254);
    expect(r.err).toMatch(/^badtype\.json:3: not a readable json history: operation 2: "type" must be one of invoke, ok, fail, info/);
    const edn = good.map((o) => formatOpEdn(o));
    edn[4] = '[:not :a :map]';
    r = await check('-m', 'cas-register', file('notamap.edn', edn.join('\n')));
    expect(r.code).toBe(254);
    expect(r.err).toMatch(/^notamap\.edn:5: .*expected an op map/);
  });

  it('a history of the wrong shape: list-append or cas-register given another model’s history', async () => {
    const la = await check('-m', 'list-append', 'cas-register-valid.edn');
    expect(la.code).toBe(254);
    expect(la.err).toMatch(/^cas-register-valid\.edn:1: the history does not fit --model list-append: operation 0 \(invoke write 1\) does not fit: its value 1 \(:f write\) is not a transaction .*list-append expects transactions of \[append k v\] and \[r k list\] micro-ops\. This history looks like --model cas-register\.\n/);
    const rw = await check('-m', 'list-append', 'rw-register-valid.edn');
    expect(rw.err).toMatch(/rw-register-valid\.edn:1: .*it holds a "w" micro-op, but this model's are append, r\..*--model rw-register/);
    const r = await check('-m', 'long-fork', 'cas-register-valid.edn');
    expect(r.code).toBe(254);
    expect(r.err).toMatch(/^cas-register-valid\.edn:1: the history does not fit --model long-fork: operation 0 .* is not a transaction .* This history looks like --model cas-register/);
    const r2 = await check('-m', 'cas-register', 'lin-kv-valid.jsonl');
    expect(r2.code).toBe(254);
    expect(r2.err).toMatch(/lin-kv-valid\.jsonl:1: .*is a list; register values are single values .*--model lin-kv/);
    const r3 = await check('-m', 'bank', 'set-valid.json');
    expect(r3.err).toMatch(/set-valid\.json:1: .*its function is "add", but this model's are read, transfer.*--model set or --model set-full/);
  });

  it('an empty file, a missing file, a directory, an unrecognisable format', async () => {
    expect((await check('-m', 'set', file('empty.edn', '\n\n'))).err).toMatch(/^empty\.edn: the file is empty/);
    expect((await check('-m', 'set', 'nope.edn')).err).toMatch(/^nope\.edn: no such file/);
    expect((await check('-m', 'set', '.')).err).toMatch(/is a directory/);
    const r = await check('-m', 'set', file('prose.txt', 'hello world\n'));
    expect(r.code).toBe(254);
    expect(r.err).toMatch(/^prose\.txt:1: cannot tell the format .*--format/);
    // Forcing a format that does not match says why.
    const forced = await check('-m', 'cas-register', '--format', 'json', 'cas-register-valid.jsonl');
    expect(forced.code).toBe(254);
    expect(forced.err).toMatch(/not a readable json history/);
  });

  it('worst outcome wins over several files: unreadable > invalid > unknown > valid', async () => {
    expect((await check('-m', 'set', 'set-valid.edn', 'set-invalid.edn')).code).toBe(1);
    expect((await check('-m', 'set', 'set-valid.edn', 'set-invalid.edn', 'nope.edn')).code).toBe(254);
    expect((await check('-m', 'set', 'set-valid.edn', 'set-valid.json')).code).toBe(0);
  });

  it('bad usage', async () => {
    const cases: [string[], RegExp][] = [
      [['cas-register-valid.edn'], /Expected --model MODEL/],
      [['-m', 'cas-register'], /Expected a history FILE/],
      [['-m', 'paxos', 'x.edn'], /Unknown model "paxos"/],
      [['-m', 'cas-register', '--frobnicate', 'x.edn'], /Unknown option: "--frobnicate"/],
      [['-m', 'cas-register', '-c', 'serializable', 'x.edn'], /apply to the Elle models/],
      [['-m', 'set', '--time-limit', '5', 'x.edn'], /--time-limit and --explain apply to the linearizability models/],
      [['-m', 'set', '--group-size', '2', 'x.edn'], /--group-size applies to --model long-fork only/],
      [['-m', 'long-fork', '--group-size', 'two', 'x.edn'], /--group-size must be an integer/],
      [['-m', 'set', '--format', 'yaml', 'x.edn'], /--format must be one of/],
      [['-m'], /Missing argument for "-m"/],
    ];
    for (const [args, message] of cases) {
      const r = await check(...args);
      expect([args, r.code]).toEqual([args, 254]);
      expect(r.err).toMatch(message);
    }
  });

  it('--help lists every model and format, and exits 0', async () => {
    const r = await check('--help');
    expect(r.code).toBe(0);
    for (const m of ['cas-register', 'register', 'multi-register', 'mutex', 'set', 'set-full', 'counter', 'bank', 'long-fork', 'list-append', 'rw-register', 'kv', 'lin-kv']) expect(r.out).toMatch(new RegExp(`\\n  ${m} `));
    for (const f of ['jsonl', 'json', 'edn', 'etcd-log', 'kv-trace']) expect(r.out).toMatch(new RegExp(`\\n  ${f} `));
  });
});

describe.skipIf(!existsSync(cli))('the built CLI', () => {
  it('gyre check runs from the command line with its exit code', async () => {
    const r = await gyre(['check', '-m', 'cas-register', join(DATA, 'etcd', 'etcd_000.log')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Analysis invalid!');
    const ok = await gyre(['check', '-m', 'cas-register', join(DATA, 'etcd', 'etcd_002.log')]);
    expect(ok.code).toBe(0);
  });

  it.skipIf(!existsSync(example('lin-kv-stale-cache')))('agrees with gyre test on the history a lin-kv run recorded (history.jsonl and history.edn)', async () => {
    const run = await gyre(['test', '-w', 'lin-kv', '--bin', example('lin-kv-stale-cache'), '--node-count', '2', '--concurrency', '2n', '--time-limit', '5', '--rate', '20', '--seed', '3']);
    expect([0, 1]).toContain(run.code);
    for (const f of ['history.jsonl', 'history.edn']) {
      const c = await gyre(['check', '-m', 'lin-kv', join(run.latest, f)]);
      expect([f, c.code]).toEqual([f, run.code]);
    }
  });

  it.skipIf(!existsSync(example('txn-list-append-replicated')))('agrees with gyre test on a txn-list-append run that is not serializable', async () => {
    const run = await gyre(['test', '-w', 'txn-list-append', '--bin', example('txn-list-append-replicated'), '--node-count', '3', '--time-limit', '4', '--rate', '100', '--consistency-models', 'serializable', '--seed', '5']);
    expect(run.code).toBe(1);
    for (const f of ['history.jsonl', 'history.edn']) {
      const c = await gyre(['check', '-m', 'list-append', '--consistency-models', 'serializable', join(run.latest, f)]);
      expect([f, c.code]).toEqual([f, 1]);
      expect(c.stdout).toMatch(/Not serializable: found /);
    }
  });
});
