/**
 * One simulated run: every node of the cluster in this process, on one virtual clock, with the
 * runner's network, services, clients, generator, nemesis, recording and checkers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Validity } from '@gyre/checker';
import { interpret, VirtualClock } from '@gyre/generator';
import { seededRandom, stringifyJson, type Op, type Random } from '@gyre/history';
import { nemesisPackage, type NodeSpec } from '@gyre/nemesis';
import { createRouter } from '@gyre/net';
import {
  analyzeHistory,
  Client,
  composeGenerator,
  createWorkers,
  faultTarget,
  HistoryRecorder,
  initNode as initOne,
  nodeSeed,
  ProtocolErrors,
  registerServices,
  routeNodeLine,
  runDirWriter,
  RunCrash,
  RunStore,
  setupWorkload,
  writeResults,
  type Reporter,
} from '@gyre/runner';
import type { WorkloadDefinition, WorkloadOptions } from '@gyre/workloads';
import { drive } from './driver';
import { SimNode, type NodeModule } from './instance';

/** Everything a simulated run needs. `gyre sim` builds it from the same options as `gyre test`. */
export interface SimConfig {
  workload: WorkloadDefinition;
  /** Options the workload sees (nodes, concurrency, rate, time limit, latency, nemesis, ...). */
  options: WorkloadOptions;
  /** The node module: a function that installs a node's handlers, or a program (see {@link NodeModule}). */
  install: NodeModule;
  /** Arguments for the node (after `--`). @defaultValue [] */
  nodeArgs?: readonly string[];
  /** The run's seed: every choice of the run follows from it. */
  seed: string;
  /** @defaultValue 'constant' */
  latencyDist?: 'constant' | 'uniform' | 'exponential';
  /** Mean seconds between nemesis operations. @defaultValue 10 */
  nemesisInterval?: number;
  /** Which nodes a kill or pause picks from. @defaultValue `['one', 'minority', 'majority', 'all']` */
  nemesisTargets?: readonly NodeSpec[];
  /** Seconds to wait before the final phase. @defaultValue 10 */
  recoveryTime?: number;
  /** Most main-phase client operations (shrinking). @defaultValue no cap */
  maxOps?: number;
  /** Virtual ms to wait for `init_ok`. @defaultValue 10000 */
  initTimeoutMs?: number;
  /**
   * The store root: when given, the run writes a run directory as `gyre test` does (history,
   * journal, node logs, results). Without it, nothing is written and the history stays in memory.
   */
  store?: string;
  /** Keep the journal's text in memory ({@link SimResult.journal}). @defaultValue false */
  keepJournal?: boolean;
  /** Receives the journal's text in chunks as the run goes (for hashing it without keeping it). */
  onJournal?: (chunk: string) => void;
  /** Give each node a directory (its "disk", kept across a kill) under a temporary directory. @defaultValue true */
  nodeDirs?: boolean;
  /**
   * While the run lasts, replace `Math.random`, `crypto.randomUUID`, `crypto.getRandomValues` and
   * the synchronous `randomBytes` / `randomInt` of `node:crypto` with seeded sources and `Date.now`
   * with virtual time, so that node code using them is reproducible too. @defaultValue true
   */
  patchGlobals?: boolean;
  /** Recorded in test.json. */
  argv?: readonly string[];
  /** Recorded in test.json: the node module's path. */
  nodeModule?: string;
  reporter?: Reporter;
  /** Stops the run (it still analyses what it recorded). */
  signal?: AbortSignal;
}

/** The outcome of a simulated run. */
export interface SimResult {
  seed: string;
  valid: Validity;
  /** As `gyre test`: 0 valid, 1 invalid, 2 unknown, 255 crashed. */
  exitCode: 0 | 1 | 2 | 255;
  results: Record<string, unknown>;
  history: Op[];
  /** The journal's text (with {@link SimConfig.keepJournal}). */
  journal?: string;
  /** The run directory (with {@link SimConfig.store}). */
  dir?: string;
  crash?: string;
  /** Virtual seconds the run lasted. */
  simSeconds: number;
  /** Real seconds it took. */
  wallSeconds: number;
  /** Of which the checkers took this many. */
  analysisSeconds: number;
  /** Sizes, for comparing runs when shrinking. */
  size: RunSize;
}

/** How big a run was. */
export interface RunSize {
  /** Client invocations. */
  ops: number;
  /** Nemesis operations that injected a fault (start-partition, kill, pause). */
  faults: number;
  nodes: number;
  /** Virtual seconds. */
  seconds: number;
  /** Messages sent through the network. */
  messages: number;
}

const quiet: Reporter = { info: () => {}, warn: () => {} };

/** Runs one simulated test. Never throws for problems of the nodes; returns a crash instead. */
export async function runSim(cfg: SimConfig): Promise<SimResult> {
  const wallStart = process.hrtime.bigint();
  const seed = cfg.seed;
  const random = seededRandom(seed);
  const clock = new VirtualClock();
  const wl = cfg.workload;
  const opts = cfg.options;
  const nodes = opts.nodes;
  const reporter = cfg.reporter ?? quiet;
  const store = cfg.store !== undefined ? new RunStore(cfg.store, wl.name, new Date()) : undefined;
  const runLog = store?.writer('gyre.log');
  const logLine = runLog ? (level: string, thread: string, msg: string) => runLog.write(`${virtualStamp(clock.now())}\t${level}\t[${thread}] ${msg}\n`) : undefined;
  const info = (msg: string) => {
    logLine?.('INFO', 'gyre', msg);
    reporter.info(msg);
  };
  const warn = (msg: string) => {
    logLine?.('WARN', 'gyre', msg);
    reporter.warn(msg);
  };
  if (store) {
    info(`Simulating ${wl.name} with seed ${seed} (replay with --seed ${seed}); store: ${store.dir}`);
    writeFileSync(
      store.path('test.json'),
      stringifyJson({
        name: wl.name,
        mode: 'sim',
        argv: cfg.argv ?? [],
        seed,
        nodes,
        concurrency: opts.concurrency,
        startTime: new Date().toISOString(),
        node: cfg.nodeModule,
        nodeArgs: cfg.nodeArgs ?? [],
        maxOps: cfg.maxOps,
        options: { ...opts, latencyDist: cfg.latencyDist ?? 'constant', nemesisInterval: cfg.nemesisInterval ?? 10, recoveryTime: cfg.recoveryTime ?? 10, ...(cfg.nemesisTargets ? { nemesisTargets: cfg.nemesisTargets } : {}) },
      }) + '\n',
    );
  }

  const journalChunks: string[] = [];
  const journalFile = store?.writer('net-journal/journal.jsonl');
  const keepJournal = cfg.keepJournal === true;
  const router = createRouter({
    clock,
    random: random.fork('net'),
    latency: { mean: opts.latency, dist: cfg.latencyDist ?? 'constant' },
    ...(journalFile || keepJournal || cfg.onJournal
      ? {
          journal: (chunk: string) => {
            journalFile?.write(chunk);
            if (keepJournal) journalChunks.push(chunk);
            cfg.onJournal?.(chunk);
          },
        }
      : {}),
  });
  registerServices(router, random.fork('services'), warn);
  const protocolErrors = new ProtocolErrors(warn);

  let crash: string | undefined;
  const crashController = new AbortController();
  const crashRun = (why: string) => {
    if (crash !== undefined) return;
    crash = why;
    warn(why);
    crashController.abort();
  };

  const dirsRoot = cfg.nodeDirs === false ? undefined : mkdtempSync(join(tmpdir(), 'gyre-sim-'));
  const hosts = new Map<string, SimNode>();
  for (const node of nodes) {
    const nodeLog = store?.writer(`node-logs/${node}.log`);
    const host: SimNode = new SimNode({
      id: node,
      install: cfg.install,
      args: cfg.nodeArgs ?? [],
      clock,
      random: seededRandom(nodeSeed(seed, node)),
      dir: dirsRoot !== undefined ? join(dirsRoot, node) : undefined,
      output: (line) => routeNodeLine(router, node, line, protocolErrors),
      log: nodeLog ? (line) => nodeLog.write(line + '\n') : () => {},
      onError: crashRun,
    });
    hosts.set(node, host);
    router.register(node, (_m, line) => host.deliver(line));
  }

  let clientSeq = 0;
  const timeoutMs = wl.timeout?.(opts) ?? 5000;
  const newClient = (node: string, ms = timeoutMs) => new Client(`c${clientSeq++}`, node, router, clock, ms);
  const initTimeoutMs = cfg.initTimeoutMs ?? 10_000;
  const initNode = (node: string) =>
    initOne(node, {
      nodes,
      newClient,
      timeoutMs: initTimeoutMs,
      crashed: () => crash,
      hint: (n) => `Does its install function register its handlers synchronously? Its log is ${store ? store.path('node-logs', `${n}.log`) : 'not kept (no store)'}.`,
    });

  const historyJsonl = store?.writer('history.jsonl');
  const historyEdn = store?.writer('history.edn');
  const historyTxt = store?.writer('history.txt');
  const recorder = new HistoryRecorder({
    ...(wl.valueToEdn ? { toEdn: wl.valueToEdn } : {}),
    sinks: store
      ? {
          jsonl: (l) => historyJsonl!.write(l),
          edn: (l) => historyEdn!.write(l),
          txt: (l) => historyTxt!.write(l),
          log: (thread, text) => logLine!('INFO', thread, text),
        }
      : {},
  });

  const target = faultTarget(router, hosts, initNode);
  const nem = opts.nemesis.length
    ? nemesisPackage({ faults: [...opts.nemesis], interval: cfg.nemesisInterval ?? 10, nodes: [...nodes], random: random.fork('nemesis'), ...(cfg.nemesisTargets ? { targets: cfg.nemesisTargets } : {}) })
    : undefined;

  const restoreGlobals = cfg.patchGlobals === false ? () => {} : patchGlobals(random.fork('math-random'), clock);
  let interrupted = false;
  const stop = new AbortController();
  const onAbort = () => {
    interrupted = cfg.signal?.aborted === true;
    stop.abort();
  };
  cfg.signal?.addEventListener('abort', onAbort);
  crashController.signal.addEventListener('abort', onAbort);
  const body = async () => {
    for (const h of hosts.values()) h.startNow();
    if (crash) throw new RunCrash(crash);
    await Promise.all(nodes.map(initNode));
    if (crash) throw new RunCrash(crash);
    info(`All ${nodes.length} nodes initialised`);
    await setupWorkload(wl, opts, (node) => newClient(node), info);
    const gen = composeGenerator({
      workload: wl,
      options: opts,
      nemesis: nem,
      random,
      recoveryTime: cfg.recoveryTime ?? 10,
      ...(cfg.maxOps !== undefined ? { maxOps: cfg.maxOps } : {}),
    });
    const workers = createWorkers({ workload: wl, options: opts, newClient: (node) => newClient(node), nemesis: nem, target, protocolErrors });
    await interpret({
      generator: gen,
      clock,
      random: random.fork('generator'),
      test: { nodes, concurrency: opts.concurrency, seed, timeLimit: opts.timeLimit },
      threads: workers.threads,
      invoke: workers.invoke,
      record: recorder.record,
      log: info,
      signal: stop.signal,
      keepHistory: false,
    });
    workers.closeAll();
    if (crash) throw new RunCrash(crash);
  };
  try {
    // No signal for the driver: an interrupt stops the generator (above), and the operations in flight finish in virtual time.
    await drive(clock, body());
  } catch (e) {
    if (e instanceof RunCrash) crash ??= e.message;
    else if (cfg.signal?.aborted && e === cfg.signal.reason) interrupted = true;
    else crash ??= `Gyre broke: ${(e as Error)?.stack ?? e}`;
  } finally {
    restoreGlobals();
    cfg.signal?.removeEventListener('abort', onAbort);
    for (const h of hosts.values()) h.killNow();
    router.flush();
    router.close();
    if (dirsRoot !== undefined) rmSync(dirsRoot, { recursive: true, force: true });
  }
  if (crash) crash = crash.trim();

  const history = recorder.history;
  const analysisStart = process.hrtime.bigint();
  const pe = protocolErrors.section();
  const { valid, results } = analyzeHistory({
    history,
    workload: wl,
    options: opts,
    net: () => router.netResult(recorder.invocations),
    seed,
    ...(pe ? { sections: { 'protocol-errors': pe } } : {}),
    interrupted,
    ...(crash ? { crash } : {}),
    ...(store ? { emit: runDirWriter(store.dir) } : {}),
  });
  results['simulated-seconds'] = clock.now() / 1e9;
  const analysisSeconds = Number(process.hrtime.bigint() - analysisStart) / 1e9;
  if (store) {
    writeResults(store.dir, results);
    await store.close();
    store.markLatest();
  }
  const stats = router.stats();
  const exitCode: SimResult['exitCode'] = crash || interrupted ? 255 : valid === true ? 0 : valid === false ? 1 : 2;
  const faults = history.filter((o) => o.process === 'nemesis' && o.type === 'info' && o.value !== null && typeof o.value === 'string' && ['start-partition', 'kill', 'pause'].includes(o.f)).length;
  return {
    seed,
    valid,
    exitCode,
    results,
    history,
    ...(keepJournal ? { journal: journalChunks.join('') } : {}),
    ...(store ? { dir: store.dir } : {}),
    ...(crash ? { crash } : {}),
    simSeconds: clock.now() / 1e9,
    wallSeconds: Number(process.hrtime.bigint() - wallStart) / 1e9,
    analysisSeconds,
    size: { ops: recorder.invocations, faults, nodes: nodes.length, seconds: clock.now() / 1e9, messages: stats.sent },
  };
}

/** `HH:MM:SS,mmm` of virtual time since the start of the run, for gyre.log. */
function virtualStamp(ns: number): string {
  const ms = Math.floor(ns / 1e6);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(Math.floor(ms / 3_600_000))}:${p(Math.floor(ms / 60_000) % 60)}:${p(Math.floor(ms / 1000) % 60)},${p(ms % 1000, 3)}`;
}

/** Virtual time's epoch for `Date.now()` in a simulation: 2000-01-01T00:00:00Z. */
export const SIM_EPOCH_MS = 946_684_800_000;

const require = createRequire(import.meta.url);

/** A version 4 UUID from `random`. */
function seededUuid(random: Random): string {
  const b = Array.from({ length: 16 }, () => random.int(256));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Seeds `Math.random`, `crypto.randomUUID`, `crypto.getRandomValues` (global) and the synchronous
 * `randomUUID` / `randomBytes` / `randomInt` of `node:crypto` (imported names included), and puts
 * `Date.now` on virtual time; returns the undo.
 */
function patchGlobals(random: Random, clock: VirtualClock): () => void {
  const crypto = require('node:crypto') as typeof import('node:crypto');
  const web = globalThis.crypto as unknown as Record<string, unknown>;
  const originalRandomBytes = crypto.randomBytes;
  const originalRandomInt = crypto.randomInt;
  const fill = <T extends ArrayBufferView | null>(view: T): T => {
    if (view) {
      const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
      for (let i = 0; i < bytes.length; i++) bytes[i] = random.int(256);
    }
    return view;
  };
  const uuid = () => seededUuid(random);
  const replacements: [object, string, unknown][] = [
    [Math, 'random', () => random.next()],
    [Date, 'now', () => SIM_EPOCH_MS + Math.floor(clock.now() / 1e6)],
    [crypto, 'randomUUID', uuid],
    [
      crypto,
      'randomBytes',
      (size: number, cb?: (err: Error | null, buf: Buffer) => void) => (cb ? originalRandomBytes(size, cb) : fill(Buffer.alloc(size))),
    ],
    [
      crypto,
      'randomInt',
      (a: number, b?: unknown, cb?: unknown) => {
        if (typeof b === 'function' || cb !== undefined) return (originalRandomInt as (...args: unknown[]) => unknown)(a, b, cb);
        const [lo, hi] = b === undefined ? [0, a] : [a, b as number];
        return lo + random.int(hi - lo);
      },
    ],
    [web, 'randomUUID', uuid],
    [web, 'getRandomValues', fill],
  ];
  // Only what can be replaced (node:crypto's getRandomValues cannot; it is webcrypto's, replaced below).
  const usable = replacements.filter(([o, k]) => Object.getOwnPropertyDescriptor(o, k)?.configurable !== false);
  const saved = usable.map(([o, k]) => [o, k, Object.getOwnPropertyDescriptor(o, k)] as const);
  for (const [o, k, v] of usable) Object.defineProperty(o, k, { value: v, writable: true, configurable: true, enumerable: false });
  syncBuiltinESMExports();
  return () => {
    for (const [o, k, d] of saved) {
      if (d) Object.defineProperty(o, k, d);
      else delete (o as Record<string, unknown>)[k];
    }
    syncBuiltinESMExports();
  };
}
