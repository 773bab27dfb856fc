/**
 * The host port for real node processes (`gyre test`, and `gyre replay` of a `gyre test` run):
 * each node a {@link NodeProcess} in its own process group, cgroup (where Linux allows) and
 * working directory, marked with the run's id, and watched by a {@link Watchdog} process, so that
 * nothing it starts, and none of its files, outlives the run.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeControls } from '@gyre/history';
import { NODE_SEED_VAR } from '@gyre/protocol';
import { nodeSeed } from './ports/node-seed';
import { runCgroup, type RunCgroup } from './cgroup';
import { NODE_DIRS, nodeLogFile } from './store/layout';
import { Watchdog } from './watchdog';
import type { RunSections } from './analysis';
import type { HostContext, HostFactory, NodeHost, NodeHosts } from './ports/types';
import { DEFAULT_MAX_PENDING_BYTES, NodeProcess, RUN_MARKER_VAR, sweepMarked, type ExitInfo } from './process';

const DEFAULT_STDIN_QUEUE_MIB = DEFAULT_MAX_PENDING_BYTES / (1024 * 1024);

/** Options of {@link processHosts}. */
export interface ProcessHostOptions {
  /** Absolute path of the node binary. */
  bin: string;
  /** Arguments for the binary. */
  args: readonly string[];
  /** Echo every line a node writes on STDERR as an info message. @defaultValue false */
  logStderr?: boolean;
  /** At teardown, ms between SIGTERM and SIGKILL. @defaultValue 1000 */
  stopGraceMs?: number;
  /**
   * Keep the nodes' working directories, in the run directory under `node-dirs/<node>/`
   * (`--keep-node-dirs`). Otherwise each node works in `<tmp>/gyre-<runId>/<node>/`, removed when
   * the run ends, however it ends. @defaultValue false
   */
  keepWorkDirs?: boolean;
  /** The run's marker (`GYRE_RUN_ID`). @defaultValue 16 random hex digits */
  runId?: string;
}

/**
 * Real processes: spawned in their own process groups (and cgroups, where Linux allows), each in a
 * fresh working directory, STDERR appended to `node-logs/<node>.log` in the run directory (which
 * the run must have). A node that exits when the nemesis did not kill it crashes the run.
 */
export function processHosts(o: ProcessHostOptions): HostFactory {
  return { mode: 'process', create: (ctx) => createProcessHosts(o, ctx) };
}

function createProcessHosts(o: ProcessHostOptions, ctx: HostContext): NodeHosts {
  const store = ctx.store;
  if (!store) throw new Error('node processes need a run directory for their logs');
  const runId = o.runId ?? randomBytes(8).toString('hex');
  const keep = o.keepWorkDirs === true;
  const workDir = keep ? store.path(NODE_DIRS) : join(tmpdir(), `gyre-${runId}`);
  mkdirSync(workDir, { recursive: true });
  const cgroup = runCgroup(runId, ctx.nodes);
  // Without a cgroup, the watchdog follows the nodes' descendants from /proc as the run goes.
  const watchdog = new Watchdog({ runId, marker: RUN_MARKER_VAR, cgroup: cgroup?.dir ?? null, workDir, cwdSweep: !keep, removeWorkDir: !keep, pollMs: cgroup ? 0 : 100, parent: process.pid });
  const leftovers = { cgroup, workDir: keep ? undefined : workDir };
  cleanUpAtExit(leftovers);
  const logOf = (node: string) => store.path(nodeLogFile(node));
  const expectedDown = new Set<string>();
  let stopping = false;
  const procs = new Map<string, NodeProcess>();
  const hosts = new Map<string, NodeHost>();
  for (const node of ctx.nodes) {
    const cwd = join(workDir, node);
    mkdirSync(cwd, { recursive: true });
    const proc: NodeProcess = new NodeProcess({
      id: node,
      bin: o.bin,
      args: o.args,
      cwd,
      stderrFile: logOf(node),
      env: { [RUN_MARKER_VAR]: runId, [NODE_SEED_VAR]: nodeSeed(ctx.seed, node) },
      ...(cgroup ? { wrap: (bin: string, args: readonly string[]) => cgroup.wrap(node, bin, args) } : {}),
      onSpawn: (pid) => watchdog.track(pid),
      onLine: (line) => ctx.output(node, line),
      onBadLine: (line, reason, kind) => ctx.badLine(node, line, reason, kind),
      maxLineBytes: ctx.maxLineBytes,
      onDrop: () =>
        ctx.warn(
          `Node ${node} is not reading its STDIN: ${DEFAULT_STDIN_QUEUE_MIB} MiB of messages are waiting for it, so Gyre drops further messages to it ` +
            `(counted in results.json "stdin-drops"; the journal shows them as delivered).`,
        ),
      onStderr: o.logStderr ? (line) => ctx.info(`[${node} stderr] ${escapeControls(line)}`) : undefined,
      onExit: (e: ExitInfo) => {
        if (expectedDown.has(node) || stopping) return;
        const tails = proc.tails();
        ctx.crash(crashReport(node, e, tails, logOf(node)), { node, how: e.description, ...tails });
      },
      onLogError: (e) => ctx.failed(e, logOf(node)),
    });
    procs.set(node, proc);
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
        // A crashed machine takes what the node started with it.
        cgroup?.killNode(node);
        await proc.waitExit();
      },
      start: async () => {
        await proc.start();
        expectedDown.delete(node);
      },
      pause: () => proc.pause(),
      resume: () => proc.resume(),
      deliver: (line) => proc.write(line),
    });
  }
  return {
    hosts,
    testJson: { runId, bin: o.bin, binArgs: o.args, maxLineBytes: ctx.maxLineBytes, containment: cgroup ? 'cgroup' : 'process-group' },
    startAll: async () => {
      await Promise.all([...procs.values()].map((p) => p.start()));
    },
    initHint: (node) =>
      `Does it read JSON lines from STDIN and write exactly one JSON message per line to STDOUT, ending each with a newline and flushing? ` +
      `Its STDERR is in ${logOf(node)}.`,
    lastOutput: (node) => procs.get(node)!.tails(),
    stopAll: async () => {
      stopping = true;
      await Promise.all([...procs.values()].map((p) => p.stop(o.stopGraceMs ?? 1000)));
      cgroup?.killAll();
      sweepMarked(runId);
      // The watchdog kills what it tracked and what is left by marker or directory, removes the
      // working directory and the cgroup, and exits.
      await watchdog.finish();
      for (const p of procs.values()) await p.closeLog();
      if (!keep) rmSync(workDir, { recursive: true, force: true });
      await cgroup?.remove();
      atExit.delete(leftovers);
    },
    sections: (): RunSections => {
      const drops = [...procs.values()].filter((p) => p.dropped.messages > 0);
      if (!drops.length) return {};
      return {
        'stdin-drops': {
          valid: true,
          messageCount: drops.reduce((n, p) => n + p.dropped.messages, 0),
          byteCount: drops.reduce((n, p) => n + p.dropped.bytes, 0),
          byNode: Object.fromEntries(drops.map((p) => [p.id, { ...p.dropped }])),
        },
      };
    },
  };
}

/** What runs still have: on an abrupt exit, their cgroups are killed and their working directories removed (the watchdog does the rest). */
const atExit = new Set<{ cgroup: RunCgroup | undefined; workDir: string | undefined }>();
let atExitHook = false;
function cleanUpAtExit(l: { cgroup: RunCgroup | undefined; workDir: string | undefined }): void {
  atExit.add(l);
  if (atExitHook) return;
  atExitHook = true;
  process.on('exit', () => {
    for (const x of atExit) {
      x.cgroup?.killAll();
      if (x.workDir) rmSync(x.workDir, { recursive: true, force: true });
    }
  });
}

/** What the person running the test reads when a node exits on its own. */
function crashReport(node: string, e: ExitInfo, t: { stdout: string[]; stderr: string[] }, log: string): string {
  return (
    `Node ${node} crashed: it ${e.description}.\n` +
    `Its last lines on STDOUT:\n${t.stdout.map((l) => '  ' + escapeControls(l)).join('\n') || '  (none)'}\n` +
    `Its last lines on STDERR:\n${t.stderr.map((l) => '  ' + escapeControls(l)).join('\n') || '  (none)'}\n` +
    `Full STDERR logs are in ${log}` +
    (e.outputStillOpen
      ? `\nIts STDOUT is still open, so something it started is still running. If --bin is a wrapper script, start the real node with \`exec\` so that it replaces the script instead of running in the background.`
      : '')
  );
}
