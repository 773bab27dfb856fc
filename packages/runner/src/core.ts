/**
 * The run core: one run of a workload against a cluster, for `gyre test` and `gyre sim` alike, in
 * named phases (see {@link PHASES}). What differs between the two comes in through ports
 * (`./ports/types`): the hosts of the nodes, the clock, the store (or none) and the reporter.
 * A change to a phase, to teardown, to exit codes or to client tracking is made here, once.
 */
import { join } from 'node:path';
import type { Validity } from '@gyre/checker';
import { interpret } from '@gyre/generator';
import { formatOpEdn, seededRandom, stringifyJson, type Op, type Random } from '@gyre/history';
import { nemesisPackage, type NemesisPackage, type NodeSpec } from '@gyre/nemesis';
import { createRouter, type Router } from '@gyre/net';
import type { WorkloadDefinition, WorkloadOptions } from '@gyre/workloads';
import { analyzeHistory, exitCodeFor, writeResults, type CrashReport, type LivePhase, type RunPhases, type RunSections } from './analysis';
import { Client } from './client';
import { composeGenerator, RECOVERY_MESSAGE } from './compose';
import { faultTarget } from './faults';
import { initNode, Interrupted, RunCrash, setupWorkload } from './init';
import { LateReplies } from './late';
import { ProtocolErrors, routeNodeLine } from './output';
import { LagMeter } from './pace';
import { nodeIdsProblem } from './node-ids';
import { DEFAULT_MAX_LINE_BYTES, lineCap } from './process';
import type { CrashDetail, HostFactory, NodeHosts, RunClock } from './ports/types';
import { HistoryRecorder } from './recorder';
import { registerServices } from './services';
import { RUN_FILES, nodeLogFile } from './store/layout';
import { formatRunLogLine, type RunLogEntry, type RunLogFormat } from './store/run-log';
import { RunStore, StoreError, describeWriteError, dirProblem, runDirWriter, type LineFile } from './store/write';
import { createWorkers } from './workers';

/**
 * The phases of a run, in order. The live ones (start nodes, init with the workload's setup, the
 * main phase of generator and nemesis, the final phase after recovery) run on the clock port;
 * teardown and analysis always run, even after a crash or an interrupt.
 */
export const PHASES = ['start', 'init', 'main', 'final', 'teardown', 'analysis'] as const;

/** One of {@link PHASES}. */
export type Phase = (typeof PHASES)[number];

/** What every run needs, however its nodes are hosted. */
export interface RunCoreConfig {
  workload: WorkloadDefinition;
  /** Options the workload sees (nodes, concurrency, rate, time limit, latency, nemesis, …). */
  options: WorkloadOptions;
  /** The run's seed: every random choice of the run follows from it. */
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
  /** Ms (of the run's clock) to wait for `init_ok`. @defaultValue 10000 */
  initTimeoutMs?: number;
  /**
   * The longest line a node may write, in bytes: a longer one is skipped and counted as a
   * `line-too-long` protocol error (`--max-line-mib`).
   * @defaultValue 64 MiB (`DEFAULT_MAX_LINE_BYTES`)
   */
  maxLineBytes?: number;
  /** Log every message sent / received (every body is then decoded). @defaultValue false */
  logNetSend?: boolean;
  logNetRecv?: boolean;
  /**
   * How gyre.log is written: `text`, Jepsen's lines, or `json`, one object per line with `time`,
   * `level`, `thread` and `message` (`--logging-json`; see `RunLogFormat`). @defaultValue 'text'
   */
  logFormat?: RunLogFormat;
  /** The host port: node processes (`processHosts`) or simulated nodes (`@gyre/sim`). */
  hosts: HostFactory;
  /** The clock port: real time (`realTime()`) or virtual time (`@gyre/sim`). */
  clock: RunClock;
  /**
   * The store root: the run writes its directory there (test.json, history, journal, node logs,
   * results). Without it nothing is written and the history stays in memory.
   */
  store?: string;
  /** Where messages for the person running the test go. @defaultValue silent */
  reporter?: Reporter;
  /** Stops the run early (Ctrl-C): it still tears down and analyses what it recorded. */
  signal?: AbortSignal;
  /** The command line, recorded in test.json (for `gyre analyze`). @defaultValue [] */
  argv?: readonly string[];
  /** Further fields for test.json, after the common ones and the hosts' own. */
  testJson?: Record<string, unknown>;
  /** Keep the network journal's text in memory ({@link RunOutcome.journal}). @defaultValue false */
  keepJournal?: boolean;
  /** Receives the journal's text in chunks as the run goes (to hash it without keeping it). */
  onJournal?: (chunk: string) => void;
}

/** The console side of a run. */
export interface Reporter {
  info(message: string): void;
  warn(message: string): void;
  /** Live status, when the console supports it (real time only, every 250 ms). */
  status?(s: RunStatus): void;
  /**
   * Every operation as it is recorded (nemesis operations included), as Jepsen logs it: `line` is
   * its history.txt line (`0\t:invoke\t:echo\t"Please echo 35"`), `thread` the worker that ran it
   * (`worker 0`, or `nemesis`), as in gyre.log.
   */
  op?(thread: string, line: string, op: Op): void;
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

/** How big a run was (for comparing runs when shrinking). */
export interface RunSize {
  /** Client invocations. */
  ops: number;
  /** Nemesis operations that injected a fault (start-partition, kill, pause). */
  faults: number;
  nodes: number;
  /** Seconds of the run's clock. */
  seconds: number;
  /** Messages sent through the network. */
  messages: number;
}

/** The outcome of a run. */
export interface RunOutcome {
  seed: string;
  valid: Validity;
  /** 0 valid, 1 invalid, 2 unknown, 255 crashed or interrupted. */
  exitCode: 0 | 1 | 2 | 255;
  /** The results map, as written to results.json. */
  results: Record<string, unknown>;
  /** The recorded history (also in history.jsonl when there is a store). */
  history: Op[];
  /** The run directory, when there is a store. */
  dir: string | undefined;
  /** Why the run crashed, if it did: what the person running the test is told (results.json has the details under `crash`). */
  crash?: string;
  /** The journal's text (with {@link RunCoreConfig.keepJournal}). */
  journal?: string;
  /** The phases that began, in order (`final` only for workloads with a final phase that got there). */
  phases: Phase[];
  /** Seconds of the run's clock from start to the end of teardown (virtual seconds under `gyre sim`). */
  seconds: number;
  /** Real seconds the whole run took. */
  wallSeconds: number;
  /** Of which the checkers took this many. */
  analysisSeconds: number;
  size: RunSize;
}

/**
 * Runs a workload from the first node's start to the written results. Never throws for problems
 * of the nodes (a crash is an outcome), nor for an error thrown in a callback while it runs (an
 * uncaught exception or unhandled rejection: the run ends as crashed by Gyre, with its results);
 * throws {@link StoreError} when the run directory cannot be created, and a `RangeError` for node
 * ids that are not allowed (see `nodeIdsProblem`), before it starts.
 */
export async function runCore(cfg: RunCoreConfig): Promise<RunOutcome> {
  const run = new Run(cfg);
  const unguard = guard(run);
  try {
    try {
      await cfg.clock.run(() => run.live());
    } catch (e) {
      run.failed(e);
    } finally {
      await run.teardown();
    }
    return await run.analysis();
  } finally {
    unguard();
  }
}

/** Runs under way in this thread, told of an error nothing else caught while they run. */
const guarded = new Set<Run>();
const onUnexpected = (e: unknown): void => {
  for (const run of guarded) run.unexpected(e);
};

/**
 * The core's own guard: while a run is under way, an uncaught exception or unhandled rejection
 * (a bug in a callback, in Gyre or in a workload plugin) ends it as crashed by Gyre instead of
 * ending the process. Others who listen (the `gyre` binary) see that a run has taken it.
 */
function guard(run: Run): () => void {
  if (guarded.size === 0) {
    process.on('uncaughtException', onUnexpected);
    process.on('unhandledRejection', onUnexpected);
  }
  guarded.add(run);
  return () => {
    guarded.delete(run);
    if (guarded.size === 0) {
      process.off('uncaughtException', onUnexpected);
      process.off('unhandledRejection', onUnexpected);
    }
  };
}

/** How often the network journal's buffer goes to disk on real time (ms): a run killed outright loses at most this much of it. */
const JOURNAL_FLUSH_MS = 250;

const quiet: Reporter = { info: () => {}, warn: () => {} };

/** The state of one run, shared by its phases. */
class Run {
  private readonly wallStart = process.hrtime.bigint();
  private readonly wl: WorkloadDefinition;
  private readonly opts: WorkloadOptions;
  private readonly nodes: readonly string[];
  private readonly random: Random;
  private readonly reporter: Reporter;
  private readonly store: RunStore | undefined;
  private readonly runLog: LineFile | undefined;
  private readonly historyEdn: LineFile | undefined;
  private readonly clientTimeoutMs: number;
  private readonly journalChunks: string[] = [];
  private readonly router: Router;
  private readonly protocolErrors: ProtocolErrors;
  private readonly lateReplies: LateReplies;
  private readonly hosts: NodeHosts;
  private readonly recorder: HistoryRecorder;
  private readonly nemesis: NemesisPackage | undefined;
  private readonly lag: LagMeter | undefined;
  readonly phases: Phase[] = [];
  /** The live phases that ran to their end. */
  private readonly completed = new Set<LivePhase>();
  /** Set once results are written: later failures no longer change them. */
  private analysed = false;
  private journalTimer: NodeJS.Timeout | undefined;
  /** Stopping early (a crash or an interrupt): no new operations, open clients closed. */
  private readonly stop = new AbortController();
  private readonly openClients = new Set<Client>();
  private crash: CrashReport | undefined;
  private clientSeq = 0;
  private currentFault: string | undefined;
  private statusPhase: RunStatus['phase'] = 'main';
  private statusTimer: NodeJS.Timeout | undefined;

  constructor(private readonly cfg: RunCoreConfig) {
    const { clock, seed } = cfg;
    this.wl = cfg.workload;
    this.opts = cfg.options;
    this.nodes = this.opts.nodes;
    // Before anything is created from them (the run directory, node logs, working directories).
    const badIds = nodeIdsProblem(this.nodes);
    if (badIds) throw new RangeError(badIds);
    this.random = seededRandom(seed);
    this.clientTimeoutMs = this.wl.timeout?.(this.opts) ?? 5000;
    this.reporter = cfg.reporter ?? quiet;
    this.store = cfg.store === undefined ? undefined : openStore(cfg.store, this.wl.name, clock.startedAt, this.writeFailed);
    const store = this.store;
    this.runLog = store?.lines(RUN_FILES.log);
    if (store) this.info(`${cfg.hosts.mode === 'sim' ? `Simulating ${this.wl.name}` : `Running ${this.wl.name} test`} with seed ${seed} (replay with --seed ${seed}); store: ${store.dir}`);

    const journalFile = store?.lines(RUN_FILES.journal);
    const keep = cfg.keepJournal === true;
    const onJournal = cfg.onJournal;
    const logNet = cfg.logNetSend || cfg.logNetRecv;
    this.router = createRouter({
      clock: clock.clock,
      random: this.random.fork('net'),
      latency: { mean: this.opts.latency, dist: cfg.latencyDist ?? 'constant' },
      ...(journalFile || keep || onJournal
        ? {
            journal: (chunk: string) => {
              journalFile?.write(chunk);
              if (keep) this.journalChunks.push(chunk);
              onJournal?.(chunk);
            },
          }
        : {}),
      log: logNet
        ? (kind, m) => {
            if ((kind === 'send' && cfg.logNetSend) || (kind === 'recv' && cfg.logNetRecv)) this.info(`:${kind} ${stringifyJson(m)}`);
          }
        : undefined,
    });
    registerServices(this.router, this.random.fork('services'), this.warn);
    // On real time the journal goes to disk as the run goes, so that a run killed outright keeps it.
    if (journalFile && clock.kind === 'real') {
      this.journalTimer = setInterval(() => {
        this.router.flush();
        journalFile.flush();
      }, JOURNAL_FLUSH_MS);
      this.journalTimer.unref();
    }
    // Protocol errors from nodes: counted by kind, the first few of each logged.
    this.protocolErrors = new ProtocolErrors(this.warn);
    this.lateReplies = new LateReplies(this.info);
    // With net logging on, every body is printed, so every line is decoded losslessly.
    const nodeSet = new Set(this.nodes);
    const isNode = logNet ? undefined : (id: string) => nodeSet.has(id);
    const maxLineBytes = cfg.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    const tooLong = lineCap(maxLineBytes);
    this.hosts = cfg.hosts.create({
      nodes: this.nodes,
      seed,
      clock: clock.clock,
      store,
      maxLineBytes,
      output: (node, line) => {
        // Hosts that hand over whole strings (simulated nodes) meet the cap here; process hosts before.
        const long = tooLong(line);
        if (long) return this.protocolErrors.report(node, 'line-too-long', line, long);
        routeNodeLine(this.router, node, line, this.protocolErrors, isNode, this.lateReply);
      },
      badLine: (node, line, reason, kind) => this.protocolErrors.report(node, kind, line, reason),
      crash: this.crashRun,
      failed: this.writeFailed,
      info: this.info,
      warn: this.warn,
    });
    for (const [node, host] of this.hosts.hosts) this.router.register(node, (_m, line) => host.deliver(line));
    if (store) {
      const test = {
        name: this.wl.name,
        ...(cfg.hosts.mode === 'sim' ? { mode: 'sim' } : {}),
        argv: cfg.argv ?? [],
        seed,
        nodes: this.nodes,
        concurrency: this.opts.concurrency,
        startTime: clock.startedAt.toISOString(),
        ...this.hosts.testJson,
        ...cfg.testJson,
      };
      try {
        store.writeJson(RUN_FILES.test, test);
      } catch (e) {
        throw new StoreError(`Cannot start the run: ${describeWriteError(e, store.path(RUN_FILES.test))}.`);
      }
    }

    const history = store && { jsonl: store.lines(RUN_FILES.history), txt: store.lines(RUN_FILES.historyText), edn: store.lines(RUN_FILES.historyEdn) };
    this.historyEdn = history?.edn;
    const opLine = this.reporter.op?.bind(this.reporter);
    this.recorder = new HistoryRecorder({
      ...(this.wl.valueToEdn ? { toEdn: this.wl.valueToEdn } : {}),
      threads: this.opts.concurrency,
      sinks: {
        ...(history ? { jsonl: (l: string) => history.jsonl.write(l), txt: (l: string) => history.txt.write(l) } : {}),
        ...(history || opLine
          ? {
              log: (thread: string, text: string, op: Op) => {
                this.logLine('INFO', thread, text);
                opLine?.(thread, text, op);
              },
            }
          : {}),
      },
    });
    this.nemesis = this.opts.nemesis.length
      ? nemesisPackage({
          faults: [...this.opts.nemesis],
          interval: cfg.nemesisInterval ?? 10,
          nodes: [...this.nodes],
          random: this.random.fork('nemesis'),
          ...(cfg.nemesisTargets ? { targets: cfg.nemesisTargets } : {}),
        })
      : undefined;
    // On real time the `--rate` schedule catches up after small delays, and its lag is measured.
    this.lag = clock.kind === 'real' ? new LagMeter() : undefined;
    if (cfg.signal?.aborted) this.stopEarly();
    cfg.signal?.addEventListener('abort', this.stopEarly, { once: true });
  }

  private logLine(level: RunLogEntry['level'], thread: string, message: string): void {
    this.runLog?.write(formatRunLogLine({ time: this.cfg.clock.stamp(), level, thread, message }, this.cfg.logFormat ?? 'text'));
  }

  private readonly info = (msg: string): void => {
    this.logLine('INFO', 'gyre', msg);
    this.reporter.info(msg);
  };

  private readonly warn = (msg: string): void => {
    this.logLine('WARN', 'gyre', msg);
    this.reporter.warn(msg);
  };

  private readonly stopEarly = (): void => {
    if (this.stop.signal.aborted) return;
    this.stop.abort();
    // Operations in flight complete at once (as info) instead of waiting for their timeouts.
    for (const c of [...this.openClients]) c.close();
  };

  /** Ends the run as crashed (the first crash wins): no new operations, open clients closed. */
  private crashWith(c: CrashReport): void {
    if (this.crash !== undefined) return;
    this.crash = c;
    this.warn(c.message);
    this.stopEarly();
  }

  /** A node crashed (the host port's `crash`). */
  private readonly crashRun = (why: string, detail?: CrashDetail): void => {
    this.crashWith(nodeCrash(why, detail, this.store !== undefined));
  };

  /** Gyre itself failed: an error nothing caught, or a file it could not write. */
  private gyreFailed(how: string, message: string, stack?: string): void {
    if (this.analysed) {
      this.reporter.warn(message);
      return;
    }
    if (stack) this.logLine('ERROR', 'gyre', stack);
    this.crashWith({ by: 'gyre', how, message });
  }

  /** A file of the run could not be written (a full disk): the run stops, keeping what is on disk. */
  private readonly writeFailed = (e: unknown, file: string): void => {
    if (this.crash?.by === 'gyre') return;
    const how = describeWriteError(e, file);
    this.gyreFailed(how, `Gyre stopped: ${how}. What was recorded until then is on disk, in whole lines; once there is room, \`gyre analyze\` checks it.`);
  };

  /** An error thrown where nothing caught it (the core's guard). */
  unexpected(e: unknown): void {
    const how = e instanceof Error ? e.message : String(e);
    this.gyreFailed(
      how,
      `Gyre crashed: ${how}. This is a bug in Gyre or in the workload plugin, not in your node; please report it with the command line (gyre.log has the stack trace).`,
      e instanceof Error ? (e.stack ?? how) : how,
    );
  }

  /** A node replied to a client that had timed out or closed: a late reply, not bad output. */
  private readonly lateReply = (node: string, dest: string): boolean => {
    const m = /^c(\d+)$/.exec(dest);
    if (!m || Number(m[1]) >= this.clientSeq) return false;
    this.lateReplies.report(node, dest);
    return true;
  };

  private readonly newClient = (node: string, timeoutMs = this.clientTimeoutMs): Client => {
    const c = new Client(`c${this.clientSeq++}`, node, this.router, this.cfg.clock.clock, timeoutMs, (closed) => this.openClients.delete(closed));
    if (this.stop.signal.aborted) c.close();
    else this.openClients.add(c);
    return c;
  };

  private readonly initNode = (node: string): Promise<void> =>
    initNode(node, {
      nodes: this.nodes,
      newClient: this.newClient,
      timeoutMs: this.cfg.initTimeoutMs ?? 10_000,
      crashed: () => this.crash?.message,
      stopped: () => this.stop.signal.aborted,
      hint: (n) => this.hosts.initHint(n),
    });

  /** The live phases, driven by the clock port. */
  async live(): Promise<void> {
    await this.startNodes();
    await this.init();
    await this.mainAndFinal();
  }

  /** Phase "start": every node's first incarnation. */
  private async startNodes(): Promise<void> {
    this.phases.push('start');
    try {
      await this.hosts.startAll();
    } catch (e) {
      throw new RunCrash((e as Error).message);
    }
    this.endPhase('start');
  }

  /** A live phase ran to its end, unless the run is stopping (then it was cut short). */
  private endPhase(p: LivePhase): void {
    if (this.crash) throw new RunCrash(this.crash.message);
    if (this.stop.signal.aborted) throw new Interrupted();
    this.completed.add(p);
  }

  /** How far each live phase of this run got. */
  private phaseRecord(): RunPhases {
    const live: LivePhase[] = ['start', 'init', 'main', ...(this.wl.final ? (['final'] as const) : [])];
    return Object.fromEntries(live.map((p) => [p, this.completed.has(p) ? 'completed' : this.phases.includes(p) ? 'cut-short' : 'not-reached']));
  }

  /** Phase "init": `init` to every node, then the workload's setup. */
  private async init(): Promise<void> {
    this.phases.push('init');
    await Promise.all(this.nodes.map(this.initNode));
    if (this.crash) throw new RunCrash(this.crash.message);
    if (this.stop.signal.aborted) throw new Interrupted();
    this.info(`All ${this.nodes.length} nodes initialised`);
    await setupWorkload(this.wl, this.opts, (node) => this.newClient(node), this.info, () => this.stop.signal.aborted && !this.crash);
    this.endPhase('init');
  }

  /**
   * Phases "main" (client operations with the nemesis, up to the time limit) and "final" (heal,
   * wait for recovery, the final reads): one generator, so that its schedule is Maelstrom's.
   */
  private async mainAndFinal(): Promise<void> {
    this.phases.push('main');
    const { cfg, wl, opts } = this;
    const clock = cfg.clock.clock;
    const gen = composeGenerator({
      workload: wl,
      options: opts,
      nemesis: this.nemesis,
      random: this.random,
      recoveryTime: cfg.recoveryTime ?? 10,
      ...(cfg.maxOps !== undefined ? { maxOps: cfg.maxOps } : {}),
      ...(this.lag ? { onLag: this.lag.record } : {}),
    });
    const target = faultTarget(this.router, this.hosts.hosts, this.initNode);
    const workers = createWorkers({
      workload: wl,
      options: opts,
      newClient: (node) => this.newClient(node),
      nemesis: this.nemesis,
      target,
      onFault: (f) => (this.currentFault = f),
      protocolErrors: this.protocolErrors,
    });
    this.startStatus();
    await interpret({
      generator: gen,
      clock,
      random: this.random.fork('generator'),
      test: { nodes: this.nodes, concurrency: opts.concurrency, seed: cfg.seed, timeLimit: opts.timeLimit },
      threads: workers.threads,
      invoke: workers.invoke,
      record: this.recorder.record,
      log: (m) => {
        if (m === RECOVERY_MESSAGE && !this.stop.signal.aborted) {
          this.statusPhase = 'recovery';
          this.completed.add('main');
          this.phases.push('final');
        }
        this.info(m);
      },
      signal: this.stop.signal,
      keepHistory: false,
    });
    workers.closeAll();
    this.endPhase(this.phases.includes('final') ? 'final' : 'main');
  }

  /** The live status, every 250 ms of real time, when the reporter shows one. */
  private startStatus(): void {
    const status = this.reporter.status?.bind(this.reporter);
    if (!status || this.cfg.clock.kind !== 'real') return;
    const clock = this.cfg.clock.clock;
    const start = clock.now();
    let lastRecv = 0;
    this.statusTimer = setInterval(() => {
      const recv = this.router.stats().delivered;
      status({
        elapsed: (clock.now() - start) / 1e9,
        limit: this.opts.timeLimit,
        ok: this.recorder.ok,
        fail: this.recorder.fail,
        info: this.recorder.info,
        msgsPerSecond: (recv - lastRecv) * 4,
        fault: this.currentFault,
        phase: this.statusPhase,
      });
      lastRecv = recv;
    }, 250);
  }

  /** What ended the live phases early: a crash, an interrupt, or a bug in Gyre. */
  failed(e: unknown): void {
    if (e instanceof RunCrash) {
      const d = e.detail;
      const last = d && this.hosts.lastOutput?.(d.node);
      this.crashWith(nodeCrash(e.message, d && last ? { ...d, ...last } : d, this.store !== undefined));
    } else if (!(e instanceof Interrupted)) this.unexpected(e);
  }

  /**
   * Phase "teardown": always, whatever happened. Every node stopped for good (the hosts' own
   * steps: processes and their descendants, logs, directories), the network flushed and closed,
   * history.edn written from the history in memory (EDN printing is costly, and the main phase
   * is where the harness's time matters; history.jsonl is the live record).
   */
  async teardown(): Promise<void> {
    this.phases.push('teardown');
    this.cfg.signal?.removeEventListener('abort', this.stopEarly);
    if (this.statusTimer) clearInterval(this.statusTimer);
    if (this.journalTimer) clearInterval(this.journalTimer);
    this.statusPhase = 'analysis';
    await this.hosts.stopAll();
    this.router.flush();
    this.router.close();
    const edn = this.historyEdn;
    if (edn) for (const op of this.recorder.history) edn.write(formatOpEdn(op, this.wl.valueToEdn) + '\n');
    // Whatever cannot be written is known before the analysis.
    this.store?.flush();
  }

  /** Phase "analysis": always, even after a crash or an interrupt, on what was recorded. */
  async analysis(): Promise<RunOutcome> {
    this.phases.push('analysis');
    const { cfg, store, recorder } = this;
    const clock = cfg.clock.clock;
    const interrupted = cfg.signal?.aborted === true;
    if (interrupted) this.warn('Interrupted: checking what was recorded so far.');
    store?.markLatest();
    const pe = this.protocolErrors.section();
    const late = this.lateReplies.section();
    const sections: RunSections = { ...(pe ? { 'protocol-errors': pe } : {}), ...(late ? { 'late-replies': late } : {}), ...this.hosts.sections() };
    const history = recorder.history;
    const analysisStart = process.hrtime.bigint();
    const analysed = analyzeHistory({
      workload: this.wl,
      options: this.opts,
      history,
      net: () => this.router.netResult(recorder.invocations),
      seed: cfg.seed,
      perf: this.lag && this.lag.count > 0 ? { generatorLag: this.lag.summary() } : {},
      sections,
      phases: this.phaseRecord(),
      interrupted,
      ...(this.crash ? { crash: this.crash } : {}),
      ...(store ? { emit: runDirWriter(store.dir) } : {}),
    });
    const { results } = analysed;
    let { valid } = analysed;
    if (cfg.clock.kind === 'virtual') results['simulated-seconds'] = clock.now() / 1e9;
    const analysisSeconds = Number(process.hrtime.bigint() - analysisStart) / 1e9;
    if (store) {
      try {
        writeResults(store.dir, results, this.wl.valueToEdn);
      } catch (e) {
        this.writeFailed(e, (e as { path?: string }).path ?? store.path(RUN_FILES.results));
        // The results could not be written: what the console shows says so too.
        valid = results['valid?'] = 'unknown';
        results['crash'] ??= { ...this.crash };
      }
    }
    this.analysed = true;
    if (store) {
      await store.close();
      store.markLatest();
    }
    const seconds = clock.now() / 1e9;
    return {
      seed: cfg.seed,
      valid,
      exitCode: exitCodeFor(valid, this.crash !== undefined || interrupted),
      results,
      history,
      dir: store?.dir,
      ...(this.crash !== undefined ? { crash: this.crash.message.trim() } : {}),
      ...(cfg.keepJournal ? { journal: this.journalChunks.join('') } : {}),
      phases: this.phases,
      seconds,
      wallSeconds: Number(process.hrtime.bigint() - this.wallStart) / 1e9,
      analysisSeconds,
      size: { ops: recorder.invocations, faults: faultCount(history), nodes: this.nodes.length, seconds, messages: this.router.stats().sent },
    };
  }
}

/** A node's crash as results.json records it. */
function nodeCrash(message: string, d: CrashDetail | undefined, logs: boolean): CrashReport {
  message = message.trim();
  if (!d) return { by: 'node', how: message.split('\n')[0]!, message };
  return {
    by: 'node',
    node: d.node,
    how: d.how,
    ...(d.stdout ? { stdout: [...d.stdout] } : {}),
    ...(d.stderr ? { stderr: [...d.stderr] } : {}),
    ...(logs ? { log: nodeLogFile(d.node) } : {}),
    message,
  };
}

/** A new run directory under `root`, or a {@link StoreError} saying what stands in the way. */
function openStore(root: string, workload: string, start: Date, onWriteError: (e: unknown, file: string) => void): RunStore {
  try {
    return new RunStore(root, workload, start, onWriteError);
  } catch (e) {
    const why = dirProblem(join(root, workload)) ?? (e as Error).message;
    throw new StoreError(`Cannot create a run directory in the store ${root}: ${why}. Fix that, or choose another store with --store DIR.`);
  }
}

const FAULTS = new Set(['start-partition', 'kill', 'pause']);

/** Nemesis operations that injected a fault. */
function faultCount(history: readonly Op[]): number {
  let n = 0;
  for (const o of history) if (o.process === 'nemesis' && o.type === 'info' && typeof o.value === 'string' && FAULTS.has(o.f)) n++;
  return n;
}
