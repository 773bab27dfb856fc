/**
 * Runs one test: the whole life of a run, from spawning nodes to writing results.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Validity } from '@gyre/checker';
import { interpret } from '@gyre/generator';
import { formatOpEdn, seededRandom, stringifyJson, type Op } from '@gyre/history';
import { nemesisPackage, type NodeSpec } from '@gyre/nemesis';
import { createRouter, type Router } from '@gyre/net';
import type { WorkloadDefinition, WorkloadOptions } from '@gyre/workloads';
import { analyzeHistory, exitCodeFor, runDirWriter, writeResults, type RunSections } from './analysis';
import { Client } from './client';
import { realClock } from './clock';
import { composeGenerator } from './compose';
import { faultTarget, type FaultHost } from './faults';
import { initNode as initOne, Interrupted, RunCrash, setupWorkload } from './init';
import { ProtocolErrors, routeNodeLine } from './output';
import { LagMeter } from './pace';
import { DEFAULT_MAX_PENDING_BYTES, NODE_SEED_VAR, NodeProcess, RUN_MARKER_VAR, nodeSeed, sweepMarked, type ExitInfo } from './process';
import { HistoryRecorder } from './recorder';
import { createWorkers } from './workers';
import { registerServices } from './services';
import { RunStore, StoreError } from './store';

const DEFAULT_STDIN_QUEUE_MIB = DEFAULT_MAX_PENDING_BYTES / (1024 * 1024);

export { RunCrash } from './init';

/** Everything a run needs. The CLI builds this from `gyre test` options. */
export interface RunConfig {
  /** The workload. */
  workload: WorkloadDefinition;
  /** Options the workload sees. */
  options: WorkloadOptions;
  /** Absolute path of the node binary. */
  bin: string;
  /** Arguments for the binary. */
  binArgs: readonly string[];
  /** `--latency-dist`. */
  latencyDist: 'constant' | 'uniform' | 'exponential';
  /** `--nemesis-interval` in seconds. */
  nemesisInterval: number;
  /** Which nodes a kill or pause picks from. @defaultValue `['one', 'minority', 'majority', 'all']` */
  nemesisTargets?: readonly NodeSpec[];
  /** Seconds to wait before the final phase. @defaultValue 10 */
  recoveryTime: number;
  /** The run's seed; random when undefined. */
  seed: string | undefined;
  /** The store root. */
  store: string;
  /** The command line, recorded for `analyze`. */
  argv: readonly string[];
  logStderr?: boolean;
  logNetSend?: boolean;
  logNetRecv?: boolean;
  /** Init timeout in ms. @defaultValue 10000 */
  initTimeoutMs?: number;
  /** Where messages for the person running the test go. */
  reporter: Reporter;
  /** Abort the run (Ctrl-C). */
  signal?: AbortSignal;
}

/** The console side of a run. */
export interface Reporter {
  info(message: string): void;
  warn(message: string): void;
  /** Live status, when the console supports it. */
  status?(s: RunStatus): void;
}

/** A live status snapshot. */
export interface RunStatus {
  elapsed: number;
  limit: number;
  ok: number;
  fail: number;
  info: number;
  msgsPerSecond: number;
  fault: string | undefined;
  phase: 'main' | 'recovery' | 'final' | 'analysis';
}

/** The outcome of a run. */
export interface RunResult {
  valid: Validity;
  /** 0 valid, 1 invalid, 2 unknown, 255 crashed. */
  exitCode: 0 | 1 | 2 | 255;
  /** The run's directory. */
  dir: string;
  /** The results map as written to results.json. */
  results: Record<string, unknown>;
  /** Why the run crashed, if it did. */
  crash?: string;
  seed: string;
  /** The recorded history (also in history.jsonl). */
  history: Op[];
}

/** Runs a test from start to finish. Never throws for problems with the node; returns a crash instead. */
export async function runTest(cfg: RunConfig): Promise<RunResult> {
  const seed = cfg.seed ?? String(randomBytes(4).readUInt32BE(0));
  const random = seededRandom(seed);
  const clock = realClock();
  let store: RunStore;
  try {
    store = new RunStore(cfg.store, cfg.workload.name, clock.startedAt);
  } catch (e) {
    throw new StoreError(`Cannot create a run directory in the store ${cfg.store}: ${(e as Error).message}. Is it writable? (--store DIR chooses another)`);
  }
  const runId = randomBytes(8).toString('hex');
  const workDir = join(tmpdir(), `gyre-${runId}`);
  mkdirSync(workDir, { recursive: true });
  const wl = cfg.workload;
  const opts = cfg.options;
  const nodes = opts.nodes;
  const runLog = store.lines('gyre.log');
  const logLine = (level: string, thread: string, msg: string) => {
    const d = new Date();
    const ts = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${d.toTimeString().slice(0, 8)},${String(d.getMilliseconds()).padStart(3, '0')}`;
    runLog.write(`${ts}\t${level}\t[${thread}] ${msg}\n`);
  };
  const info = (msg: string) => {
    logLine('INFO', 'gyre', msg);
    cfg.reporter.info(msg);
  };
  const warn = (msg: string) => {
    logLine('WARN', 'gyre', msg);
    cfg.reporter.warn(msg);
  };
  info(`Running ${wl.name} test with seed ${seed} (replay with --seed ${seed}); store: ${store.dir}`);
  writeFileSync(store.path('test.json'), stringifyJson({ name: wl.name, argv: cfg.argv, seed, nodes, concurrency: opts.concurrency, startTime: clock.startedAt.toISOString(), runId, bin: cfg.bin, binArgs: cfg.binArgs }) + '\n');

  const historyJsonl = store.lines('history.jsonl');
  const historyEdn = store.lines('history.edn');
  const historyTxt = store.lines('history.txt');
  const journal = store.lines('net-journal/journal.jsonl');
  const toEdn = wl.valueToEdn;

  const router: Router = createRouter({
    clock,
    random: random.fork('net'),
    latency: { mean: opts.latency, dist: cfg.latencyDist },
    journal: (chunk) => journal.write(chunk),
    log:
      cfg.logNetSend || cfg.logNetRecv
        ? (kind, m) => {
            if ((kind === 'send' && cfg.logNetSend) || (kind === 'recv' && cfg.logNetRecv)) info(`:${kind} ${stringifyJson(m)}`);
          }
        : undefined,
  });

  registerServices(router, random.fork('services'), warn);

  // Protocol errors from nodes: counted by kind, the first few of each logged.
  const protocolErrors = new ProtocolErrors(warn);

  // Stopping early (a crash or an interrupt): no new operations, and every open client is closed
  // so that operations in flight complete at once (as info) instead of waiting for their timeouts.
  const stop = new AbortController();
  const openClients = new Set<Client>();
  const stopEarly = () => {
    if (stop.signal.aborted) return;
    stop.abort();
    for (const c of [...openClients]) c.close();
  };
  if (cfg.signal?.aborted) stopEarly();
  cfg.signal?.addEventListener('abort', stopEarly, { once: true });

  // Node processes.
  let crash: string | undefined;
  const expectedDown = new Set<string>();
  const procs = new Map<string, NodeProcess>();
  const crashRun = (why: string) => {
    if (crash !== undefined) return;
    crash = why;
    warn(why);
    stopEarly();
  };
  const nodeSet = new Set(nodes);
  const isNode = (id: string) => nodeSet.has(id);
  // With net logging on, every body is printed, so every line is decoded losslessly.
  const verbatimOk = !cfg.logNetSend && !cfg.logNetRecv;
  for (const node of nodes) {
    const cwd = join(workDir, node);
    mkdirSync(cwd, { recursive: true });
    const proc = new NodeProcess({
      id: node,
      bin: cfg.bin,
      args: cfg.binArgs,
      cwd,
      stderrFile: store.path('node-logs', `${node}.log`),
      env: { [RUN_MARKER_VAR]: runId, [NODE_SEED_VAR]: nodeSeed(seed, node) },
      onLine: (line) => routeNodeLine(router, node, line, protocolErrors, verbatimOk ? isNode : undefined),
      onBadLine: (line, reason) => protocolErrors.report(node, 'invalid-utf8', line, reason),
      onDrop: () =>
        warn(
          `Node ${node} is not reading its STDIN: ${DEFAULT_STDIN_QUEUE_MIB} MiB of messages are waiting for it, so Gyre drops further messages to it ` +
            `(counted in results.json "stdin-drops"; the journal shows them as delivered).`,
        ),
      onStderr: cfg.logStderr ? (line) => info(`[${node} stderr] ${line}`) : undefined,
      onExit: (e: ExitInfo) => {
        if (expectedDown.has(node) || stopping) return;
        const t = proc.tails();
        crashRun(
          `Node ${node} crashed: it ${e.description}.\n` +
            `Its last lines on STDOUT:\n${t.stdout.map((l) => '  ' + l).join('\n') || '  (none)'}\n` +
            `Its last lines on STDERR:\n${t.stderr.map((l) => '  ' + l).join('\n') || '  (none)'}\n` +
            `Full STDERR logs are in ${store.path('node-logs', `${node}.log`)}` +
            (e.outputStillOpen
              ? `\nIts STDOUT is still open, so something it started is still running. If --bin is a wrapper script, start the real node with \`exec\` so that it replaces the script instead of running in the background.`
              : ''),
        );
      },
    });
    procs.set(node, proc);
    router.register(node, (_m, line) => proc.write(line));
  }
  let stopping = false;

  // Clients.
  let clientSeq = 0;
  const timeoutMs = wl.timeout?.(opts) ?? 5000;
  const newClient = (node: string, ms = timeoutMs) => {
    const c = new Client(`c${clientSeq++}`, node, router, clock, ms, (closed) => openClients.delete(closed));
    if (stop.signal.aborted) c.close();
    else openClients.add(c);
    return c;
  };

  const initNode = (node: string) =>
    initOne(node, {
      nodes,
      newClient,
      timeoutMs: cfg.initTimeoutMs ?? 10_000,
      crashed: () => crash,
      stopped: () => stop.signal.aborted,
      hint: (n) =>
        `Does it read JSON lines from STDIN and write exactly one JSON message per line to STDOUT, ending each with a newline and flushing? ` +
        `Its STDERR is in ${store.path('node-logs', `${n}.log`)}.`,
    });

  const recorder = new HistoryRecorder({
    toEdn,
    sinks: {
      jsonl: (l) => historyJsonl.write(l),
      txt: (l) => historyTxt.write(l),
      log: (thread, text) => logLine('INFO', thread, text),
    },
  });
  const history = recorder.history;

  // Fault target for the nemesis.
  const hosts = new Map<string, FaultHost>();
  for (const [node, proc] of procs) {
    hosts.set(node, {
      get running() {
        return proc.running;
      },
      get paused() {
        return proc.paused;
      },
      kill: async () => {
        expectedDown.add(node);
        proc.killNow();
        await proc.waitExit();
      },
      start: async () => {
        await proc.start();
        expectedDown.delete(node);
      },
      pause: () => proc.pause(),
      resume: () => proc.resume(),
    });
  }
  const target = faultTarget(router, hosts, initNode);
  const nem = cfg.options.nemesis.length
    ? nemesisPackage({ faults: [...cfg.options.nemesis], interval: cfg.nemesisInterval, nodes: [...nodes], random: random.fork('nemesis'), ...(cfg.nemesisTargets ? { targets: cfg.nemesisTargets } : {}) })
    : undefined;
  let currentFault: string | undefined;

  const lag = new LagMeter();
  let statusTimer: NodeJS.Timeout | undefined;
  let phase: RunStatus['phase'] = 'main';
  try {
    // Start everything.
    await Promise.all(
      [...procs.values()].map((p) =>
        p.start().catch((e: Error) => {
          throw new RunCrash(e.message);
        }),
      ),
    );
    await Promise.all(nodes.map(initNode));
    if (crash) throw new RunCrash(crash);
    if (stop.signal.aborted) throw new Interrupted();
    info(`All ${nodes.length} nodes initialised`);
    await setupWorkload(wl, opts, (node) => newClient(node), info, () => stop.signal.aborted && !crash);

    const gen = composeGenerator({ workload: wl, options: opts, nemesis: nem, random, recoveryTime: cfg.recoveryTime, onLag: lag.record });
    const workers = createWorkers({ workload: wl, options: opts, newClient: (node) => newClient(node), nemesis: nem, target, onFault: (f) => (currentFault = f), protocolErrors });

    const statusStart = clock.now();
    let lastRecv = 0;
    if (cfg.reporter.status) {
      statusTimer = setInterval(() => {
        const s = router.stats();
        const recv = s.delivered;
        cfg.reporter.status!({
          elapsed: (clock.now() - statusStart) / 1e9,
          limit: opts.timeLimit,
          ok: recorder.ok,
          fail: recorder.fail,
          info: recorder.info,
          msgsPerSecond: (recv - lastRecv) * 4,
          fault: currentFault,
          phase,
        });
        lastRecv = recv;
      }, 250);
    }

    await interpret({
      generator: gen,
      clock,
      random: random.fork('generator'),
      test: { nodes, concurrency: opts.concurrency, seed, timeLimit: opts.timeLimit },
      threads: workers.threads,
      invoke: workers.invoke,
      record: recorder.record,
      log: (m) => {
        if (m.startsWith('Waiting for recovery')) phase = 'recovery';
        info(m);
      },
      signal: stop.signal,
      keepHistory: false,
    });
    workers.closeAll();
    if (crash) throw new RunCrash(crash);
  } catch (e) {
    if (e instanceof RunCrash) crash ??= e.message;
    else if (!(e instanceof Interrupted)) crash ??= `Gyre broke: ${(e as Error).stack ?? e}`;
  } finally {
    cfg.signal?.removeEventListener('abort', stopEarly);
    if (statusTimer) clearInterval(statusTimer);
    stopping = true;
    phase = 'analysis';
    await Promise.all([...procs.values()].map((p) => p.stop(1000)));
    sweepMarked(runId);
    for (const p of procs.values()) await p.closeLog();
    router.flush();
    router.close();
    // history.edn is written after the run, from the history in memory: EDN printing is costly,
    // and the main phase is where the harness's time matters. history.jsonl is the live record.
    for (const op of history) historyEdn.write(formatOpEdn(op, toEdn) + '\n');
  }
  const interrupted = cfg.signal?.aborted === true;
  if (interrupted) warn('Interrupted: checking what was recorded so far.');
  store.markLatest();

  // Analysis: always, even after a crash or an interrupt, on what was recorded.
  const sections: RunSections = {};
  const pe = protocolErrors.section();
  if (pe) sections['protocol-errors'] = pe;
  const drops = [...procs.values()].filter((p) => p.dropped.messages > 0);
  if (drops.length) {
    sections['stdin-drops'] = {
      valid: true,
      messageCount: drops.reduce((n, p) => n + p.dropped.messages, 0),
      byteCount: drops.reduce((n, p) => n + p.dropped.bytes, 0),
      byNode: Object.fromEntries(drops.map((p) => [p.id, { ...p.dropped }])),
    };
  }
  const { results, valid } = analyzeHistory({
    workload: wl,
    options: opts,
    history,
    net: () => router.netResult(recorder.invocations),
    seed,
    perf: lag.count > 0 ? { generatorLag: lag.summary() } : {},
    sections,
    interrupted,
    crash,
    emit: runDirWriter(store.dir),
  });
  writeResults(store.dir, results);
  await store.close();
  store.markLatest();
  return { valid, exitCode: exitCodeFor(valid, crash !== undefined || interrupted), dir: store.dir, results, crash, seed, history };
}
