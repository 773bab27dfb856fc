import {
  field,
  fields,
  linearizable,
  mapOf,
  models,
  renderLinearSvg,
  toWire,
  validOnlyWire,
  wireEdn,
  wireJson,
  type CheckResult,
  type LinearFailure,
  type LinearizableResult,
  type UnknownCause,
  type Validity,
  type WireForm,
} from '@gyre/checker';
import type { Context, GenResult, Generator } from '@gyre/generator';
import { formatOpEdn, formatOpJson, stringifyJson, valueKey, type Op, type ProcessId } from '@gyre/history';
import { WORKLOAD_RPCS, RpcError } from '@gyre/protocol';
import { defineWorkload } from '../types';

const [READ, WRITE, CAS] = WORKLOAD_RPCS['lin-kv'];

/** Keys switch after this many distinct processes have worked on one (Jepsen's process-limit). */
const PROCESSES_PER_KEY = 20;

interface Group {
  key: number;
  procs: readonly ProcessId[];
}

/**
 * Jepsen's independent concurrent generator for the linearizable register test: client threads
 * in groups of 2N; each group works on one key (0, 1, 2, ...); the group's lower N threads read,
 * the upper N write (1/3) or cas (2/3) values 0-4; a group moves to a fresh key once 20 distinct
 * processes have touched its key.
 */
class LinKvGen implements Generator {
  constructor(
    private readonly n: number,
    private readonly groups: readonly Group[],
    private readonly nextKey: number,
  ) {}

  op(ctx: Context): GenResult {
    const threads = ctx.freeThreads.filter((t): t is number => typeof t === 'number');
    if (threads.length === 0) return { op: 'pending', gen: this };
    const t = threads[Math.floor(ctx.random.next() * threads.length)]!;
    const size = 2 * this.n;
    const g = Math.floor(t / size);
    const process = ctx.workers.get(t) ?? t;
    let groups = this.groups;
    let nextKey = this.nextKey;
    while (groups.length <= g) {
      groups = [...groups, { key: nextKey++, procs: [] }];
    }
    let group = groups[g]!;
    if (!group.procs.includes(process)) {
      if (group.procs.length >= PROCESSES_PER_KEY) group = { key: nextKey++, procs: [process] };
      else group = { key: group.key, procs: [...group.procs, process] };
      groups = groups.map((x, i) => (i === g ? group : x));
    }
    const k = group.key;
    const reader = t % size < this.n;
    let f: string;
    let value: unknown;
    if (reader) {
      f = 'read';
      value = [k, null];
    } else if (ctx.random.int(3) === 0) {
      f = 'write';
      value = [k, ctx.random.int(5)];
    } else {
      f = 'cas';
      value = [k, [ctx.random.int(5), ctx.random.int(5)]];
    }
    return { op: { type: 'invoke', f, value, process, time: ctx.time }, gen: new LinKvGen(this.n, groups, nextKey) };
  }

  update(_ctx: Context, _event: Op): Generator {
    return this;
  }
}

/** One key's linearizability verdict, as Maelstrom's Knossos entry has it. */
export interface LinKvLinearizable extends CheckResult {
  valid: Validity;
  /** Ops checked. */
  opCount: number;
  cause?: UnknownCause;
  /** For an invalid or undecided key: the longest linearizable prefix found (invocation indices). */
  longestPrefix?: number[];
  /** For an invalid key: the op that cannot be linearized. */
  op?: { index: number; process: Op['process']; f: string; value: unknown; description: string };
  /** Why that op is impossible. */
  reason?: string;
  /** The states the register could be in just before it, as text. */
  states?: string[];
  /** A small sub-history that still cannot be linearized. */
  stretch?: LinearFailure['stretch'];
  explanation?: string;
}

/** One key's result: `independent/<key>/results.json`. */
export interface LinKvKeyResult extends CheckResult {
  linearizable: LinKvLinearizable;
  timeline: CheckResult;
  valid: Validity;
}

/** The result of {@link checkLinKv}: Maelstrom's independent checker over keys. */
export interface LinKvResult extends CheckResult {
  valid: Validity;
  /** Per key (as JSON text), its result. */
  results: Record<string, LinKvKeyResult>;
  /** The keys found not linearizable. */
  failures: unknown[];
  cause?: UnknownCause;
}

/** How a {@link LinKvKeyResult} is written: `{linearizable {valid? op-count longest-prefix ...} timeline {valid?} valid?}`. */
export const linKvKeyWire: WireForm = fields<LinKvKeyResult>({
  linearizable: field(
    'linearizable',
    fields<LinKvLinearizable>({
      valid: 'valid?',
      opCount: 'op-count',
      cause: 'cause',
      longestPrefix: 'longest-prefix',
      op: 'op',
      reason: 'reason',
      states: 'states',
      stretch: 'stretch',
      explanation: 'explanation',
    }),
  ),
  timeline: field('timeline', validOnlyWire),
  valid: 'valid?',
});

/** How a {@link LinKvResult} is written: `{valid? results {k ...} failures [k ...]}`, the keys kept. */
export const linKvWire: WireForm = fields<LinKvResult>({ valid: 'valid?', results: field('results', mapOf(linKvKeyWire)), failures: 'failures', cause: 'cause' });

/** maelstrom.md §2.6. */
export const linKv = defineWorkload({
  name: 'lin-kv',
  doc: 'A workload for a linearizable key-value store. Clients read, write and compare-and-set integer values 0-4 at integer keys; the history of each key is checked for linearizability against a compare-and-set register.',
  rpcs: WORKLOAD_RPCS['lin-kv'],
  idempotent: ['read'],
  reuseClient: true,
  timeout: (opts) => Math.max(10 * opts.latency, 1000),
  validate: (opts) => {
    const size = 2 * opts.nodes.length;
    if (opts.concurrency % size !== 0) {
      return `The lin-kv workload needs --concurrency to be a positive multiple of 2 × node count (${size} for ${opts.nodes.length} nodes), because it splits clients into groups of ${size} per key: got ${opts.concurrency}. Try --concurrency 2n.`;
    }
    return undefined;
  },
  generator: (opts) => new LinKvGen(opts.nodes.length, [], 0),
  client: {
    async invoke(op, conn) {
      const [k, v] = op.value as [unknown, unknown];
      switch (op.f) {
        case 'read': {
          const reply = await conn.call(READ, { key: k });
          return { type: 'ok', value: [k, reply['value']] };
        }
        case 'write':
          await conn.call(WRITE, { key: k, value: v });
          return { type: 'ok' };
        case 'cas': {
          const [from, to] = v as [unknown, unknown];
          await conn.call(CAS, { key: k, from, to });
          return { type: 'ok' };
        }
        default:
          throw RpcError.notSupported(`unknown op ${op.f}`);
      }
    },
  },
  check: (history, _opts, emit) => checkLinKv(history, emit),
  wire: linKvWire,
});

/** How long the linearizability search may take before the verdict is unknown. */
const LIN_TIME_LIMIT_MS = 60_000;

/**
 * Checks each key independently (Jepsen's independent checker) and shapes the result as
 * Maelstrom's: `{valid, results: {k: {linearizable, timeline, valid}}, failures: [k...]}`;
 * writes `independent/<k>/` files through `emit`.
 */
export function checkLinKv(history: readonly Op[], emit?: (path: string, content: string) => void): LinKvResult {
  const r: LinearizableResult = linearizable(history, { model: models.linKv(), allPartitions: true, explain: true, timeLimit: LIN_TIME_LIMIT_MS });
  const results: Record<string, LinKvKeyResult> = {};
  const failures: unknown[] = [];
  const byKey = new Map<string, Op[]>();
  for (const op of history) {
    if (typeof op.process !== 'number' || !Array.isArray(op.value)) continue;
    const k = valueKey((op.value as unknown[])[0]);
    let ops = byKey.get(k);
    if (!ops) byKey.set(k, (ops = []));
    ops.push(op);
  }
  for (const p of r.partitions) {
    const key = stringifyJson(p.key);
    const lin: LinKvLinearizable = { valid: p.valid, opCount: p.opCount };
    if (p.cause) lin.cause = p.cause;
    if (p.longestPrefix) lin.longestPrefix = p.longestPrefix;
    const f = r.failure && valueKey(r.failure.key) === valueKey(p.key) ? r.failure : undefined;
    if (f) {
      lin.op = { index: f.op.index, process: f.op.process, f: f.op.f, value: f.op.value, description: f.op.description };
      if (f.reason) lin.reason = f.reason;
      lin.states = f.states.map((s) => s.description);
      lin.stretch = f.stretch;
      lin.explanation = f.explanation;
    }
    const one: LinKvKeyResult = { linearizable: lin, timeline: { valid: true }, valid: p.valid };
    results[key] = one;
    if (p.valid === false) failures.push(p.key);
    if (emit) {
      const ops = byKey.get(valueKey(p.key)) ?? [];
      const dir = `independent/${key}`;
      emit(`${dir}/history.jsonl`, ops.map(formatOpJson).join('\n') + '\n');
      emit(`${dir}/history.edn`, ops.map((o) => formatOpEdn(o)).join('\n') + '\n');
      const wire = toWire(one, linKvKeyWire);
      emit(`${dir}/results.json`, wireJson(wire) + '\n');
      emit(`${dir}/results.edn`, wireEdn(wire) + '\n');
      if (f) emit(`${dir}/linear.svg`, renderLinearSvg(r, history));
    }
  }
  const out: LinKvResult = { valid: r.valid, results, failures };
  if (r.cause) out.cause = r.cause;
  return out;
}
