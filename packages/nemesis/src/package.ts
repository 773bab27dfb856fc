import {
  any,
  flipFlop,
  type Generator,
  lift,
  mix,
  nemesis,
  repeat,
  stagger,
  type Context,
} from '@gyre/generator';
import { type Op, type Random, seededRandom } from '@gyre/history';
import { type Grudge, grudgeValue, PARTITION_SHAPES, type PartitionShape, partitionGrudge } from './grudge';

/**
 * The port through which faults reach the system under test. The runner implements it (on its
 * simulated network and node processes); a test implements it with a recorder. Every method may
 * resolve with nothing, which counts as success (`'killed'`, `'started'`, ...).
 */
export interface FaultTarget {
  /** Replace any current partition with `grudge` (receiver → senders it drops). */
  partition(grudge: Grudge): Promise<void>;
  /** Remove every partition. */
  heal(): Promise<void>;
  /** Kill the node's process and mark it down (its messages queue up, bounded). */
  kill(node: string): Promise<'killed' | 'not-running' | void>;
  /** Restart a killed node (fresh process, new `init`); `'already-running'` if it was up. */
  start(node: string): Promise<'started' | 'already-running' | void>;
  /** Suspend the node's process (SIGSTOP) and mark it down. */
  pause(node: string): Promise<'paused' | 'not-running' | void>;
  /** Resume a paused node (SIGCONT); `'not-running'` if it was not paused. */
  resume(node: string): Promise<'resumed' | 'not-running' | void>;
}

/** The faults `--nemesis` accepts (a comma-separated list of these). */
export const FAULTS = ['partition', 'kill', 'pause'] as const;

/** One of {@link FAULTS}. */
export type Fault = (typeof FAULTS)[number];

/**
 * Which nodes a `kill`, `start`, `pause` or `resume` operation affects (its invocation value): one
 * random node; a random strict minority (`⌊(N−1)/2⌋` nodes); a random majority (`⌊N/2⌋ + 1`);
 * all of them; or the listed nodes.
 */
export type NodeSpec = 'one' | 'minority' | 'majority' | 'all' | readonly string[];

/** Options of {@link nemesisPackage}. */
export interface NemesisOptions {
  /** The faults to inject, any of {@link FAULTS}; none gives generators that do nothing. */
  faults: readonly string[];
  /**
   * Mean seconds between nemesis operations (`--nemesis-interval`): each operation of a schedule
   * follows the previous one after a gap uniform in `[0, 2·interval)`. Must be > 0.
   */
  interval: number;
  /** The test's nodes (the only ones faults touch; clients and services are never cut off). */
  nodes: readonly string[];
  /**
   * Randomness for what `invoke` decides: the grudge of a shape, the nodes of a spec. (The
   * generators draw from `ctx.random`.) @defaultValue `seededRandom('nemesis')`
   */
  random?: Random;
  /** Shapes a `start-partition` picks from, uniformly. @defaultValue all of {@link PARTITION_SHAPES} */
  partitionShapes?: readonly PartitionShape[];
  /** Node specs a `kill` or `pause` picks from, uniformly. @defaultValue `['one', 'minority', 'majority', 'all']` */
  targets?: readonly NodeSpec[];
}

/**
 * Everything the runner needs for the nemesis thread, after Jepsen's `nemesis.combined` packages.
 */
export interface NemesisPackage {
  /**
   * The main-phase schedule, on the nemesis thread only. Partitions alternate
   * `start-partition` (value: the shape) / `stop-partition` (value: `null`); kill and pause share
   * a second schedule that mixes `kill` / `start` and `pause` / `resume` pairs (values: a
   * {@link NodeSpec}; `'all'` for start and resume). Each schedule starts at once and then waits a
   * uniform `[0, 2·interval)` seconds between operations; several schedules run side by side.
   * Never ends; wrap it in the main phase's time limit.
   */
  generator: Generator;
  /**
   * Heals everything, one operation each, on the nemesis thread: `stop-partition`, then
   * `resume` all, then `start` all, for the faults enabled. For workloads with a final phase.
   */
  finalGenerator: Generator;
  /** The `f`s this package's operations use. */
  fs: ReadonlySet<string>;
  /**
   * Applies a nemesis invocation through the port and resolves with its completion: type `info`,
   * same `f` and process, and as value `['isolated', { node: [dropped senders] }]` for
   * `start-partition`, `'network-healed'` for `stop-partition`, `{ node: status }` for the others
   * (`'killed'`, `'started'`, `'already-running'`, `'paused'`, `'resumed'`, `'not-running'`).
   * Rejects for an `f` it does not know or a bad value; errors of the port propagate.
   */
  invoke(op: Op, target: FaultTarget): Promise<Op>;
  /** Heals the network and resumes and starts every node, for the faults enabled (teardown). */
  heal(target: FaultTarget): Promise<void>;
}

const DEFAULT_TARGETS: readonly NodeSpec[] = ['one', 'minority', 'majority', 'all'];

/**
 * The nemesis for `--nemesis <faults> --nemesis-interval <seconds>`: generators plus an `invoke`
 * that carries their operations out through a {@link FaultTarget}.
 *
 * @throws RangeError for an unknown fault, a non-positive interval, an unknown shape.
 */
export function nemesisPackage(opts: NemesisOptions): NemesisPackage {
  const faults = new Set<Fault>();
  for (const f of opts.faults) {
    if (!(FAULTS as readonly string[]).includes(f)) {
      throw new RangeError(`faults: unknown fault ${JSON.stringify(f)} (expected ${FAULTS.join(', ')})`);
    }
    faults.add(f as Fault);
  }
  if (!(typeof opts.interval === 'number' && opts.interval > 0 && Number.isFinite(opts.interval))) {
    throw new RangeError(`interval: must be a number of seconds > 0, got ${String(opts.interval)}`);
  }
  const shapes = opts.partitionShapes ?? PARTITION_SHAPES;
  for (const s of shapes) {
    if (!(PARTITION_SHAPES as readonly string[]).includes(s)) throw new RangeError(`partitionShapes: unknown shape ${s}`);
  }
  if (shapes.length === 0) throw new RangeError('partitionShapes: must not be empty');
  const targets = opts.targets ?? DEFAULT_TARGETS;
  if (targets.length === 0) throw new RangeError('targets: must not be empty');
  const nodes = [...opts.nodes];
  const random = opts.random ?? seededRandom('nemesis');
  const { interval } = opts;

  const schedules: Generator[] = [];
  const finals: { f: string; value: unknown }[] = [];
  const fs = new Set<string>();
  if (faults.has('partition')) {
    schedules.push(
      stagger(
        interval,
        flipFlop(
          repeat((ctx: Context) => ({ f: 'start-partition', value: ctx.random.pick(shapes) })),
          repeat({ f: 'stop-partition', value: null }),
        ),
      ),
    );
    finals.push({ f: 'stop-partition', value: null });
    for (const f of ['start-partition', 'stop-partition']) fs.add(f);
  }
  const modes: Generator[] = [];
  const spec = (ctx: Context) => ctx.random.pick(targets);
  if (faults.has('kill')) {
    modes.push(flipFlop(repeat((ctx: Context) => ({ f: 'kill', value: spec(ctx) })), repeat({ f: 'start', value: 'all' })));
    for (const f of ['kill', 'start']) fs.add(f);
  }
  if (faults.has('pause')) {
    modes.push(flipFlop(repeat((ctx: Context) => ({ f: 'pause', value: spec(ctx) })), repeat({ f: 'resume', value: 'all' })));
    finals.push({ f: 'resume', value: 'all' });
    for (const f of ['pause', 'resume']) fs.add(f);
  }
  if (faults.has('kill')) finals.push({ f: 'start', value: 'all' });
  if (modes.length > 0) schedules.push(stagger(interval, mix(modes)));

  const nodesOf = (value: unknown): string[] => resolveNodes(value, nodes, random);
  const each = async <S extends string>(
    value: unknown,
    act: (node: string) => Promise<S | void>,
    ok: S,
  ): Promise<Record<string, string>> => {
    const targets = nodesOf(value);
    const statuses = await Promise.all(targets.map(async (n) => (await act(n)) ?? ok));
    return Object.fromEntries(targets.map((n, i) => [n, statuses[i]!]));
  };

  const invoke = async (op: Op, target: FaultTarget): Promise<Op> => {
    let value: unknown;
    switch (op.f) {
      case 'start-partition': {
        if (!(PARTITION_SHAPES as readonly unknown[]).includes(op.value)) {
          throw new RangeError(`start-partition: unknown shape ${JSON.stringify(op.value)}`);
        }
        const grudge = partitionGrudge(op.value as PartitionShape, nodes, random);
        await target.partition(grudge);
        value = ['isolated', grudgeValue(grudge, nodes)];
        break;
      }
      case 'stop-partition':
        await target.heal();
        value = 'network-healed';
        break;
      case 'kill':
        value = await each(op.value, (n) => target.kill(n), 'killed');
        break;
      case 'start':
        value = await each(op.value ?? 'all', (n) => target.start(n), 'started');
        break;
      case 'pause':
        value = await each(op.value, (n) => target.pause(n), 'paused');
        break;
      case 'resume':
        value = await each(op.value ?? 'all', (n) => target.resume(n), 'resumed');
        break;
      default:
        throw new RangeError(`the nemesis cannot handle f ${JSON.stringify(op.f)}`);
    }
    return { ...op, type: 'info', value };
  };

  const heal = async (target: FaultTarget): Promise<void> => {
    if (faults.has('partition')) await target.heal();
    if (faults.has('pause')) await Promise.all(nodes.map((n) => target.resume(n)));
    if (faults.has('kill')) await Promise.all(nodes.map((n) => target.start(n)));
  };

  return {
    generator: nemesis(any(...schedules)),
    finalGenerator: nemesis(lift(finals)),
    fs,
    invoke,
    heal,
  };
}

/** The nodes a {@link NodeSpec} designates, drawn with `random` (in the order of `nodes`). */
export function resolveNodes(value: unknown, nodes: readonly string[], random: Random): string[] {
  const n = nodes.length;
  const take = (k: number) => {
    const chosen = new Set(random.shuffle(nodes).slice(0, k));
    return nodes.filter((x) => chosen.has(x));
  };
  if (Array.isArray(value)) {
    const known = new Set(nodes);
    for (const v of value) if (!known.has(v)) throw new RangeError(`unknown node ${JSON.stringify(v)}`);
    return nodes.filter((x) => value.includes(x));
  }
  switch (value) {
    case 'one':
      return n === 0 ? [] : take(1);
    case 'minority':
      return take(Math.max(0, Math.floor((n - 1) / 2)));
    case 'majority':
      return take(Math.floor(n / 2) + 1);
    case 'all':
      return [...nodes];
    default:
      throw new RangeError(`not a node spec: ${JSON.stringify(value)}`);
  }
}
