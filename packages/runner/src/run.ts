/**
 * Runs one test: the whole life of a run, from spawning nodes to writing results.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import type { Validity } from '@gyre/checker';
import { any, clients, interpret, log as logGen, nemesis as onNemesis, phases, sleep, timeLimit, lift, type GenLike, type Thread } from '@gyre/generator';
import { formatOpEdn, formatOpJson, formatOpText, seededRandom, stringifyJson, type Op, type Random } from '@gyre/history';
import { nemesisPackage, type FaultTarget, type NodeSpec } from '@gyre/nemesis';
import { createRouter, type Router } from '@gyre/net';
import { decodeLine, type Message } from '@gyre/protocol';
import { createServices } from '@gyre/services';
import { MalformedReplyError, type ClientState, type WorkloadDefinition, type WorkloadOptions } from '@gyre/workloads';
import { analyzeHistory, exitCodeFor, writeResults } from './analysis';
import { Client } from './client';
import { decodeForRouting } from './decode';
import { realClock } from './clock';
import { errorCompletion } from './errors';
import { LagMeter, pacedStagger } from './pace';
import { DEFAULT_MAX_PENDING_BYTES, NodeProcess, RUN_MARKER_VAR, sweepMarked, type ExitInfo } from './process';
import { RunStore, StoreError } from './store';

const DEFAULT_STDIN_QUEUE_MIB = DEFAULT_MAX_PENDING_BYTES / (1024 * 1024);

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

/** Thrown inside a run to end it as a crash (exit 255). */
export class RunCrash extends Error {
  override name = 'RunCrash';
}

function clip(s: string, n = 200): string {
  return s.length <= n ? s : `${s.slice(0, n)}… (${s.length} characters)`;
}

/** A node's line, quoted and cut short before quoting (lines can be 50 MB). */
function quoteLine(s: string, n = 200): string {
  return s.length <= n ? JSON.stringify(s) : `${JSON.stringify(s.slice(0, n))}… (${s.length} characters)`;
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
  writeFileSync(store.path('test.json'), stringifyJson({ name: wl.name, argv: cfg.argv, seed, nodes, concurrency: opts.concurrency, startTime: clock.startedAt.toISOString(), runId }) + '\n');

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

  // Services.
  const serviceRandom = random.fork('services');
  for (const svc of createServices()) {
    let state = svc.init();
    router.register(svc.id, (m: Message) => {
      try {
        const [next, reply] = svc.handle(state, { src: m.src, body: m.body }, serviceRandom);
        state = next;
        router.send({ src: svc.id, dest: m.src, body: reply });
      } catch (e) {
        warn(`Error in service ${svc.id} handling ${clip(stringifyJson(m))}: ${(e as Error).stack}`);
      }
    });
  }

  // Protocol errors from nodes: counted by kind, the first few of each logged.
  const protocolErrors = new Map<string, number>();
  const protocolError = (node: string, kind: string, text: string, reason: string) => {
    const n = (protocolErrors.get(kind) ?? 0) + 1;
    protocolErrors.set(kind, n);
    if (n <= 10) warn(`Node ${node} wrote a bad message (${kind}): ${reason}. The line was: ${quoteLine(text)}`);
    if (n === 10) warn(`(further ${kind} errors are counted in results.json but not logged)`);
  };

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
      env: { [RUN_MARKER_VAR]: runId },
      onLine: (line) => {
        const d = verbatimOk ? decodeForRouting(line, isNode) : decodeLine(line);
        if (!d.ok) return protocolError(node, d.kind, line, d.reason);
        const r = router.send(d.message, line.trim());
        if (!r.ok) {
          const hint = r.kind === 'unknown-dest' && d.message.dest.startsWith('c') ? ' (a reply to a client that has already timed out or closed?)' : '';
          protocolError(node, r.kind, line, r.reason + hint);
        }
      },
      onBadLine: (line, reason) => protocolError(node, 'invalid-utf8', line, reason),
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

  const initNode = async (node: string) => {
    const c = newClient(node, cfg.initTimeoutMs ?? 10_000);
    try {
      const reply = await c.request({ type: 'init', node_id: node, node_ids: [...nodes] });
      if (reply.type === 'error') throw new RunCrash(`Node ${node} answered init with an error: ${stringifyJson(reply)}`);
      if (reply.type !== 'init_ok') throw new RunCrash(`Expected an init_ok message, but node ${node} responded with ${clip(stringifyJson(reply))}`);
    } catch (e) {
      if (e instanceof RunCrash) throw e;
      if (crash) throw new RunCrash(crash);
      if (stop.signal.aborted) throw new Interrupted();
      throw new RunCrash(
        `Expected node ${node} to respond to an init message, but node did not respond within ${(cfg.initTimeoutMs ?? 10_000) / 1000} s. ` +
          `Does it read JSON lines from STDIN and write exactly one JSON message per line to STDOUT, ending each with a newline and flushing? ` +
          `Its STDERR is in ${store.path('node-logs', `${node}.log`)}.`,
      );
    } finally {
      c.close();
    }
  };

  const history: Op[] = [];
  let ok = 0, fail = 0, infoCount = 0, invocations = 0;
  const record = (recorded: Op) => {
    // Maelstrom records nemesis invocations as :info, like their completions.
    const op = recorded.process === 'nemesis' && recorded.type === 'invoke' ? { ...recorded, type: 'info' as const } : recorded;
    historyJsonl.write(formatOpJson(op) + '\n');
    const text = formatOpText(op, toEdn);
    historyTxt.write(text + '\n');
    logLine('INFO', typeof op.process === 'number' ? `worker ${op.process}` : 'nemesis', text);
    history.push(op);
    if (typeof op.process === 'number') {
      if (op.type === 'invoke') invocations++;
      else if (op.type === 'ok') ok++;
      else if (op.type === 'fail') fail++;
      else infoCount++;
    }
  };

  // Fault target for the nemesis.
  const restart = async (node: string) => {
    const proc = procs.get(node)!;
    await proc.start();
    expectedDown.delete(node);
    // The new init must reach the node before the messages held while it was down: both in one turn.
    router.setDown(node, false);
    await initNode(node);
  };
  const target: FaultTarget = {
    partition: async (grudge) => router.partition(grudge),
    heal: async () => router.heal(),
    kill: async (node) => {
      const proc = procs.get(node)!;
      if (!proc.running) return 'not-running';
      expectedDown.add(node);
      router.setDown(node, true);
      proc.killNow();
      await proc.waitExit();
      return 'killed';
    },
    start: async (node) => {
      const proc = procs.get(node)!;
      if (proc.running) return 'already-running';
      await restart(node);
      return 'started';
    },
    pause: async (node) => {
      const proc = procs.get(node)!;
      if (!proc.running || proc.paused) return 'not-running';
      router.setDown(node, true);
      proc.pause();
      return 'paused';
    },
    resume: async (node) => {
      const proc = procs.get(node)!;
      if (!proc.running || !proc.paused) return 'not-running';
      proc.resume();
      router.setDown(node, false);
      return 'resumed';
    },
  };
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
    if (wl.setup) {
      await wl.setup({
        options: opts,
        log: info,
        rpcOnce: async (node, rpc, body) => {
          const c = newClient(node);
          try {
            return await c.call(rpc, body);
          } catch (e) {
            if (stop.signal.aborted && !crash) throw new Interrupted();
            throw new RunCrash(`Setup request ${rpc.name} to ${node} failed: ${(e as Error).message}`);
          } finally {
            c.close();
          }
        },
      });
    }

    // The generator, composed as Maelstrom's core does.
    const main: GenLike = opts.rate > 0 ? pacedStagger(1 / opts.rate, lift(wl.generator(opts, random.fork('workload'))), lag.record) : null;
    // The nemesis gets its own time limit: a nemesis operation scheduled past the end must only
    // end the nemesis's schedule, not (while every client is busy) the whole main phase.
    let gen: GenLike = timeLimit(opts.timeLimit, any(clients(main ?? sleep(opts.timeLimit)), onNemesis(nem ? timeLimit(opts.timeLimit, nem.generator) : null)));
    if (wl.final) {
      const finalOps = wl.finalTimeLimit ? timeLimit(wl.finalTimeLimit, clients(wl.final(opts))) : clients(wl.final(opts));
      gen = phases(gen, nem ? onNemesis(nem.finalGenerator) : null, logGen('Waiting for recovery...'), sleep(cfg.recoveryTime), finalOps);
    }

    // Workers.
    const conns = new Map<Thread, { client: Client; state: ClientState }>();
    const idempotent = new Set(wl.idempotent ?? []);
    const errorMode = wl.errors ?? 'translate';
    const threads: Thread[] = [...Array.from({ length: opts.concurrency }, (_, i) => i), 'nemesis'];
    const invoke = async (thread: Thread, op: Op): Promise<Op> => {
      if (thread === 'nemesis') {
        const done = await nem!.invoke(op, target);
        if (done.f === 'start-partition') currentFault = `partition ${stringifyJson(op.value)}`;
        else if (done.f === 'stop-partition') currentFault = undefined;
        return done;
      }
      let c = conns.get(thread);
      if (!c) {
        c = { client: newClient(nodes[(thread as number) % nodes.length]!), state: {} };
        conns.set(thread, c);
      }
      let done: Op;
      try {
        const r = await wl.client.invoke(op, c.client, c.state);
        done = { ...op, ...r, type: r.type } as Op;
      } catch (e) {
        if (e instanceof MalformedReplyError) protocolError(c.client.node, 'malformed-reply', stringifyJson(e.reply), `its reply to ${e.rpc} does not match the schema: ${e.problems}`);
        done = { ...op, ...errorCompletion(e, op.f, idempotent, errorMode) } as Op;
      }
      if (done.type === 'info' && !wl.reuseClient) {
        c.client.close();
        conns.delete(thread);
      }
      return done;
    };

    const statusStart = clock.now();
    let lastRecv = 0;
    if (cfg.reporter.status) {
      statusTimer = setInterval(() => {
        const s = router.stats();
        const recv = s.delivered;
        cfg.reporter.status!({
          elapsed: (clock.now() - statusStart) / 1e9,
          limit: opts.timeLimit,
          ok,
          fail,
          info: infoCount,
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
      threads,
      invoke,
      record,
      log: (m) => {
        if (m.startsWith('Waiting for recovery')) phase = 'recovery';
        info(m);
      },
      signal: stop.signal,
      keepHistory: false,
    });
    for (const c of conns.values()) c.client.close();
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
  const sections: Record<string, Record<string, unknown>> = {};
  if (protocolErrors.size) {
    sections['protocol-errors'] = { 'valid?': true, count: [...protocolErrors.values()].reduce((a, b) => a + b, 0), 'by-kind': Object.fromEntries(protocolErrors) };
  }
  const drops = [...procs.values()].filter((p) => p.dropped.messages > 0);
  if (drops.length) {
    sections['stdin-drops'] = {
      'valid?': true,
      'message-count': drops.reduce((n, p) => n + p.dropped.messages, 0),
      'byte-count': drops.reduce((n, p) => n + p.dropped.bytes, 0),
      'by-node': Object.fromEntries(drops.map((p) => [p.id, { ...p.dropped }])),
    };
  }
  const { results, valid } = analyzeHistory({
    workload: wl,
    options: opts,
    history,
    net: () => router.netResult(invocations),
    seed,
    perf: lag.count > 0 ? { 'generator-lag': lag.summary() } : {},
    sections,
    interrupted,
    crash,
    emit: (path, content) => {
      const full = store.path(path);
      if (!full.startsWith(store.dir + sep)) throw new Error(`workload tried to write outside the run directory: ${path}`);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    },
  });
  writeResults(store.dir, results);
  await store.close();
  store.markLatest();
  return { valid, exitCode: exitCodeFor(valid, crash !== undefined || interrupted), dir: store.dir, results, crash, seed, history };
}

/** Thrown inside a run when it was interrupted before the main phase. */
class Interrupted extends Error {
  override name = 'Interrupted';
}
