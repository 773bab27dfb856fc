/**
 * The workload plugin API. Every built-in workload is defined with {@link defineWorkload}, and a
 * user's module can export one too (`gyre test -w ./my-workload.js`).
 */
import type { CheckResult, WireForm } from '@gyre/checker';
import type { GenLike } from '@gyre/generator';
import type { Op, Random, TestInfo } from '@gyre/history';
import type { Body, RpcDef } from '@gyre/protocol';

/**
 * The active keys of the txn workloads and kafka when `--key-count` is not given
 * ({@link WorkloadOptions.keyCount} `undefined`): 10, Elle's default, as in Maelstrom. The one copy
 * of that number: the workloads use it, and `gyre test --help` shows it.
 */
export const DEFAULT_KEY_COUNT = 10;

/**
 * What a workload knows about the test it runs in: the CLI options, resolved. Each field's
 * `@defaultValue` is `gyre test`'s default (Maelstrom's); {@link defaultWorkloadOptions} fills them in.
 */
export interface WorkloadOptions extends TestInfo {
  /** Node ids (`--node`, `--nodes`, `--node-count`). @defaultValue `['n1', 'n2', 'n3', 'n4', 'n5']` */
  nodes: readonly string[];
  /** Client workers (`--concurrency`). @defaultValue one per node (`1n`) */
  concurrency: number;
  /** Aggregate request rate (ops/s). @defaultValue 5 */
  rate: number;
  /** Main-phase seconds. @defaultValue 60 */
  timeLimit: number;
  /** Mean inter-server latency in ms. @defaultValue 0 */
  latency: number;
  /** `--topology`. @defaultValue 'grid' */
  topology: string;
  /** `--key-count`, when given. @defaultValue undefined (the txn and kafka workloads then use {@link DEFAULT_KEY_COUNT}) */
  keyCount: number | undefined;
  /** `--max-txn-length`. @defaultValue 4 */
  maxTxnLength: number;
  /** `--max-writes-per-key`. @defaultValue 16 */
  maxWritesPerKey: number;
  /** `--consistency-models`, split. @defaultValue `['strict-serializable']` */
  consistencyModels: readonly string[];
  /** `--availability`. @defaultValue undefined (no requirement) */
  availability: 'total' | number | undefined;
  /** `--nemesis` faults. @defaultValue `[]` (none) */
  nemesis: readonly string[];
  /** The run's seed (`--seed`). @defaultValue undefined (the run picks one) */
  seed?: string | number;
}

/**
 * Workload options with `gyre test`'s defaults (each documented on {@link WorkloadOptions}) for
 * every field `over` leaves out; `concurrency` defaults to one worker per node of the result.
 * The one copy of those defaults, for programs that run a workload without the CLI (benchmarks,
 * tests, `@gyre/sim`'s command line).
 */
export function defaultWorkloadOptions(over: Partial<WorkloadOptions> = {}): WorkloadOptions {
  const nodes = over.nodes ?? ['n1', 'n2', 'n3', 'n4', 'n5'];
  return {
    nodes,
    concurrency: nodes.length,
    rate: 5,
    timeLimit: 60,
    latency: 0,
    topology: 'grid',
    keyCount: undefined,
    maxTxnLength: 4,
    maxWritesPerKey: 16,
    consistencyModels: ['strict-serializable'],
    availability: undefined,
    nemesis: [],
    seed: undefined,
    ...over,
  };
}

/** A client's connection to one node: synchronous RPC, one request at a time. */
export interface ClientConn {
  /** The node this client talks to. */
  readonly node: string;
  /** This client's id (c0, c1, ...). */
  readonly id: string;
  /**
   * Sends a request and resolves with the reply body, validated against the RPC's closed
   * schema. Rejects with an `RpcError` for an error reply (code 0 on timeout) and with a
   * {@link MalformedReplyError} for a reply that does not match the schema.
   */
  call(rpc: RpcDef, body: Record<string, unknown>): Promise<Body>;
}

/** A reply that does not match its RPC's schema. */
export class MalformedReplyError extends Error {
  override name = 'MalformedReplyError';
  constructor(
    readonly rpc: string,
    readonly request: unknown,
    readonly reply: unknown,
    readonly problems: string,
  ) {
    super(`Malformed RPC response to ${rpc}: ${problems}`);
  }
}

/** What `setup` may do before the main phase (broadcast sends `topology` to every node). */
export interface SetupContext {
  readonly options: WorkloadOptions;
  /** Opens a fresh client to `node`, sends one request, closes the client. Errors crash the test. */
  rpcOnce(node: string, rpc: RpcDef, body: Record<string, unknown>): Promise<Body>;
  /** Writes a line to the run log. */
  log(message: string): void;
}

/** The completion a client returns for an invocation. */
export interface ClientResult {
  type: 'ok' | 'fail' | 'info';
  value?: unknown;
  error?: unknown;
  [extra: string]: unknown;
}

/** A workload's client: turns an invocation into RPCs and the replies into a completion. */
export interface WorkloadClient {
  /**
   * Performs `op`. Throwing an `RpcError` (from `conn.call`) lets the harness record it per
   * Maelstrom's rules (definite → fail, otherwise info unless `f` is idempotent).
   */
  invoke(op: Op, conn: ClientConn, state: ClientState): Promise<ClientResult>;
}

/** Per-client mutable state a workload may keep (kafka keeps its offsets here). Fresh for each new client. */
export type ClientState = Record<string, unknown>;

/** Everything a workload defines. */
export interface WorkloadDefinition {
  /** The `-w` name. */
  name: string;
  /** A paragraph for `gyre doc`. */
  doc: string;
  /** The RPCs clients send to nodes. */
  rpcs: readonly RpcDef[];
  /** Functions whose indeterminate failures can be recorded as `fail` (reads). @defaultValue none */
  idempotent?: readonly string[];
  /** Whether a worker keeps its client after an `info` (crash). @defaultValue false */
  reuseClient?: boolean;
  /**
   * How errors become history entries: `'translate'` (definite → fail, else info; timeouts
   * `net-timeout`) or `'crash'` (every error an info crash, as g-set and the counters do).
   * @defaultValue 'translate'
   */
  errors?: 'translate' | 'crash';
  /** Client RPC timeout in ms. @defaultValue 5000 */
  timeout?(options: WorkloadOptions): number;
  /** Checks options before anything starts; returns an error message, or undefined. */
  validate?(options: WorkloadOptions): string | undefined;
  /** Runs after every node has answered `init`. */
  setup?(ctx: SetupContext): Promise<void>;
  /** The main-phase operations (the runner throttles them to `--rate` and limits them to `--time-limit`). */
  generator(options: WorkloadOptions, random: Random): GenLike;
  /**
   * Workloads with a final phase: after the main phase the nemesis heals, the runner logs
   * "Waiting for recovery...", waits `--recovery-time` seconds (10), then runs these operations.
   */
  final?(options: WorkloadOptions): GenLike;
  /** Upper bound on the final phase, in seconds (kafka: 10). */
  finalTimeLimit?: number;
  /**
   * The phases of the run that {@link check} needs to have run to their end for its verdict to mean
   * anything. When a crash or an interrupt cuts one of them short (or the run never gets there),
   * the checker is not run: `workload` is written `valid? unknown`, saying which phase was missing.
   * A checker that judges any prefix of a history (echo, unique ids, linearizability, Elle) needs
   * none; one that judges final reads (broadcast's lost elements, the counters' final values)
   * needs `final`. Every checker also needs `init` (before it, no operation ran).
   * @defaultValue `['final']` for a workload with a {@link final} phase, otherwise `[]`
   */
  checkNeeds?: readonly CheckPhase[];
  /** The client. */
  client: WorkloadClient;
  /**
   * The workload's checker: a typed result, `{ valid: true | false | 'unknown', ...fields }` with
   * camelCase fields (any checker of `@gyre/checker` returns one). Results files write it under
   * `workload` with Maelstrom's key names, through {@link WorkloadDefinition.wire}. It may hand files
   * for the run directory to `emit` (path relative to the run, text), such as lin-kv's
   * `independent/<key>/...`; the runner writes them.
   */
  check(history: readonly Op[], options: WorkloadOptions, emit?: (path: string, content: string) => void): WorkloadResult;
  /**
   * How the checker's result is written in results.json / results.edn: the result type's wire form
   * from `@gyre/checker` (`setFullWire`, `elleWire`, …), or one made with `fields(...)`.
   * @defaultValue the generic form: `valid` is written `valid?`, other top-level camelCase fields
   * in kebab-case (`lostCount` → `lost-count`), nested values as they are
   */
  wire?: WireForm;
  /** Rewrites an op's value for history.edn / history.txt (txn workloads: micro-op names as keywords). */
  valueToEdn?(value: unknown, op: Op): unknown;
}

/** A phase of a run a workload's checker can need: see {@link WorkloadDefinition.checkNeeds}. */
export type CheckPhase = 'main' | 'final';

/** The phases a workload's checker needs (its {@link WorkloadDefinition.checkNeeds}, or the default). */
export function checkNeeds(def: WorkloadDefinition): readonly CheckPhase[] {
  return def.checkNeeds ?? (def.final ? ['final'] : []);
}

/** A workload checker's result: the verdict `valid` and any camelCase fields worth reporting. */
export type WorkloadResult = CheckResult;

/**
 * What {@link defineWorkload} accepts: a {@link WorkloadDefinition}; the older names `checker`
 * (for `check`) and `finalPhase` (for `final`) still work.
 */
export type WorkloadInput = Omit<WorkloadDefinition, 'check' | 'final'> & {
  check?: WorkloadDefinition['check'];
  /** @deprecated Use `check`; `checker` is an older name for it. */
  checker?: WorkloadDefinition['check'];
  final?: WorkloadDefinition['final'];
  /** @deprecated Use `final`; `finalPhase` is an older name for it. */
  finalPhase?: WorkloadDefinition['final'];
};

/** Defines a workload, checking the definition's shape with clear errors. */
export function defineWorkload(input: WorkloadInput): WorkloadDefinition {
  const problems: string[] = [];
  if (input === null || typeof input !== 'object') throw new TypeError('Invalid workload definition: expected an object, as in defineWorkload({ name, rpcs, generator, client, check })');
  if (input.check !== undefined && input.checker !== undefined && input.check !== input.checker) problems.push('give the checker as "check" or as "checker", not both');
  if (input.final !== undefined && input.finalPhase !== undefined && input.final !== input.finalPhase) problems.push('give the final phase as "final" or as "finalPhase", not both');
  const { checker, finalPhase, ...rest } = input;
  const check = input.check ?? checker;
  const final = input.final ?? finalPhase;
  const def = { ...rest, ...(check !== undefined ? { check } : {}), ...(final !== undefined ? { final } : {}) } as WorkloadDefinition;
  if (typeof def.name !== 'string' || def.name === '') problems.push('"name" must be a non-empty string');
  if (!Array.isArray(def.rpcs)) problems.push('"rpcs" must be an array of RPC definitions');
  if (typeof def.generator !== 'function') problems.push('"generator" must be a function (options, random) => generator');
  if (!def.client || typeof def.client.invoke !== 'function') problems.push('"client.invoke" must be a function');
  if (typeof def.check !== 'function') problems.push('"check" (or "checker") must be a function (history, options) => result');
  if (def.final !== undefined && typeof def.final !== 'function') problems.push('"final" (or "finalPhase") must be a function (options) => generator');
  if (def.wire !== undefined && (def.wire === null || typeof def.wire !== 'object' || typeof (def.wire as { kind?: unknown }).kind !== 'string')) {
    problems.push('"wire" must be a wire form from @gyre/checker (such as setFullWire, or one made with fields(...))');
  }
  if (def.errors !== undefined && def.errors !== 'translate' && def.errors !== 'crash') problems.push('"errors" must be "translate" or "crash"');
  if (def.checkNeeds !== undefined && (!Array.isArray(def.checkNeeds) || !def.checkNeeds.every((p) => p === 'main' || p === 'final'))) {
    problems.push('"checkNeeds" must be a list of phases, each "main" or "final"');
  }
  if (def.checkNeeds?.includes('final') && def.final === undefined) problems.push('"checkNeeds" names the final phase, but the workload has no "final"');
  if (problems.length) throw new TypeError(`Invalid workload definition${def?.name ? ` "${def.name}"` : ''}: ${problems.join('; ')}`);
  return def;
}
