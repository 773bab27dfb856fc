/**
 * A node process: spawned in its own process group, its STDOUT split into lines of any length,
 * its STDERR appended to a log file, its STDIN written in batches without ever blocking the
 * harness, and torn down so that nothing it started outlives the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, type WriteStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';

/** How a process ended. */
export interface ExitInfo {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  /** The signal that killed it, or null. */
  signal: NodeJS.Signals | null;
  /** A sentence describing it: "exited with code 1", "was killed by SIGKILL (perhaps the OOM killer)". */
  description: string;
}

/** Options for {@link NodeProcess}. */
export interface NodeProcessOptions {
  /** The node id, for messages. */
  id: string;
  /** Absolute path of the executable. */
  bin: string;
  /** Arguments passed to it. */
  args: readonly string[];
  /** Its working directory. */
  cwd: string;
  /** File its STDERR is appended to. */
  stderrFile: string;
  /** Environment variables added to the inherited environment. */
  env?: Record<string, string>;
  /** Called for each line on STDOUT (without the newline; a trailing CR is removed). */
  onLine: (line: string) => void;
  /** Called for a STDOUT line that is not valid UTF-8 (with the line decoded leniently). */
  onBadLine?: (line: string, reason: string) => void;
  /** Called for each STDERR line. */
  onStderr?: (line: string) => void;
  /** Called once when the process exits. */
  onExit?: (info: ExitInfo) => void;
  /**
   * Most bytes waiting to be written to STDIN while the node is not reading; beyond this, new
   * messages are dropped and counted.
   * @defaultValue 64 MiB
   */
  maxPendingBytes?: number;
}

const TAIL = 32;

/** Marks every process Gyre starts, so that descendants that left the process group can be found. */
export const RUN_MARKER_VAR = 'GYRE_RUN_ID';

/** The seed of a node's own randomness (`node.random` in `@gyre/node`), set for every node process. */
export const NODE_SEED_VAR = 'GYRE_NODE_SEED';

/** The seed a node gets in a run with seed `seed`: the same in `gyre test`, `gyre replay` and `gyre sim`. */
export function nodeSeed(seed: string, node: string): string {
  return `${seed}/node/${node}`;
}

/** Live processes, so an interrupted run can kill them all synchronously on exit. */
const live = new Set<NodeProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of live) p.killNow();
  });
}

class Tail {
  private lines: string[] = [];
  push(line: string): void {
    this.lines.push(line.length > 2000 ? line.slice(0, 2000) + '…' : line);
    if (this.lines.length > TAIL) this.lines.shift();
  }
  get(): string[] {
    return this.lines.slice();
  }
}

/** A line splitter for a byte stream: lines of any length, CRLF tolerated, invalid UTF-8 reported. */
export class LineSplitter {
  private parts: Buffer[] = [];
  private partLength = 0;
  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onBad: (line: string, reason: string) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    let idx = chunk.indexOf(10);
    if (idx === -1) {
      this.parts.push(chunk);
      this.partLength += chunk.length;
      return;
    }
    const whole = idx === chunk.length - 1 ? isUtf8(chunk) : false;
    if (this.partLength > 0) {
      this.parts.push(chunk.subarray(0, idx));
      const line = Buffer.concat(this.parts, this.partLength + idx);
      this.parts = [];
      this.partLength = 0;
      this.emit(line, 0, line.length, false);
      start = idx + 1;
      idx = chunk.indexOf(10, start);
    }
    while (idx !== -1) {
      this.emit(chunk, start, idx, whole);
      start = idx + 1;
      idx = chunk.indexOf(10, start);
    }
    if (start < chunk.length) {
      this.parts.push(chunk.subarray(start));
      this.partLength += chunk.length - start;
    }
  }

  /** Emits a last line that had no newline. */
  end(): void {
    if (this.partLength === 0) return;
    const line = Buffer.concat(this.parts, this.partLength);
    this.parts = [];
    this.partLength = 0;
    this.emit(line, 0, line.length, false);
  }

  private emit(buf: Buffer, start: number, end: number, knownValid: boolean): void {
    if (end > start && buf[end - 1] === 13) end--;
    if (!knownValid && !isUtf8(buf.subarray(start, end))) {
      this.onBad(buf.toString('utf8', start, end), 'invalid UTF-8');
      return;
    }
    this.onLine(buf.toString('utf8', start, end));
  }
}

/** One node's process. */
export class NodeProcess {
  readonly id: string;
  private child: ChildProcess | undefined;
  private stderrLog: WriteStream | undefined;
  private readonly stdoutTail = new Tail();
  private readonly stderrTail = new Tail();
  private pending: string[] = [];
  private pendingBytes = 0;
  private flushScheduled = false;
  private blocked = false;
  private exitInfo: ExitInfo | undefined;
  private exitWaiters: ((e: ExitInfo) => void)[] = [];
  /** Messages dropped because the node was not reading its STDIN. */
  droppedWrites = 0;
  /** True while stopped with SIGSTOP. */
  paused = false;
  /** The pid of the process (group leader), once started. */
  pid: number | undefined;

  constructor(private readonly opts: NodeProcessOptions) {
    this.id = opts.id;
  }

  /** Starts the process. Rejects if it cannot be spawned (missing file, not executable). */
  start(): Promise<void> {
    installExitHook();
    this.exitInfo = undefined;
    this.paused = false;
    // A restart is a new process with a new STDIN: lines still queued for the previous one, and
    // its full pipe (whose 'drain' will never come), must not hold back the new one.
    this.pending = [];
    this.pendingBytes = 0;
    this.blocked = false;
    this.stderrLog ??= createWriteStream(this.opts.stderrFile, { flags: 'a' });
    const child = spawn(this.opts.bin, this.opts.args as string[], {
      cwd: this.opts.cwd,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...this.opts.env },
    });
    this.child = child;
    live.add(this);
    const out = new LineSplitter(
      (line) => {
        this.stdoutTail.push(line);
        this.opts.onLine(line);
      },
      (line, reason) => {
        this.stdoutTail.push(line);
        this.opts.onBadLine?.(line, reason);
      },
    );
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stdout!.on('end', () => out.end());
    const err = new LineSplitter(
      (line) => {
        this.stderrTail.push(line);
        this.opts.onStderr?.(line);
      },
      (line) => {
        this.stderrTail.push(line);
        this.opts.onStderr?.(line);
      },
    );
    child.stderr!.on('data', (c: Buffer) => {
      this.stderrLog?.write(c);
      err.push(c);
    });
    child.stderr!.on('end', () => err.end());
    child.stdin!.on('error', () => {
      // EPIPE after the node exits: the exit handler reports it.
    });
    child.stdin!.on('drain', () => {
      this.blocked = false;
      this.scheduleFlush();
    });
    return new Promise((resolve, reject) => {
      child.once('spawn', () => {
        this.pid = child.pid;
        resolve();
      });
      child.once('error', (e) => {
        live.delete(this);
        reject(new Error(`could not start ${this.opts.bin} for node ${this.id}: ${(e as Error).message}`));
      });
      child.once('exit', (code, signal) => {
        live.delete(this);
        const info = describeExit(code, signal);
        this.exitInfo = info;
        this.opts.onExit?.(info);
        for (const w of this.exitWaiters.splice(0)) w(info);
      });
    });
  }

  /** Whether the process is running (started and not exited). */
  get running(): boolean {
    return this.child !== undefined && this.exitInfo === undefined;
  }

  /** How it exited, if it has. */
  get exited(): ExitInfo | undefined {
    return this.exitInfo;
  }

  /** Queues a line (without newline) for the node's STDIN. Never blocks; drops when the node is not reading and the queue is full. */
  write(line: string): void {
    if (!this.running) return;
    const max = this.opts.maxPendingBytes ?? 64 * 1024 * 1024;
    if (this.pendingBytes > max) {
      this.droppedWrites++;
      return;
    }
    this.pending.push(line);
    this.pendingBytes += line.length + 1;
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.blocked) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0 || !this.running) return;
    const text = this.pending.join('\n') + '\n';
    this.pending = [];
    this.pendingBytes = 0;
    const ok = this.child!.stdin!.write(text);
    if (!ok) this.blocked = true;
  }

  /** The last 32 lines the node wrote on STDOUT and on STDERR. */
  tails(): { stdout: string[]; stderr: string[] } {
    return { stdout: this.stdoutTail.get(), stderr: this.stderrTail.get() };
  }

  /** Resolves when the process has exited. */
  waitExit(): Promise<ExitInfo> {
    if (this.exitInfo || !this.child) return Promise.resolve(this.exitInfo ?? describeExit(null, null));
    return new Promise((r) => this.exitWaiters.push(r));
  }

  /** Sends a signal to the whole process group. */
  signalGroup(signal: NodeJS.Signals): void {
    if (this.pid === undefined) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      // group already gone
    }
  }

  /** SIGSTOP the group. */
  pause(): void {
    this.signalGroup('SIGSTOP');
    this.paused = true;
  }

  /** SIGCONT the group. */
  resume(): void {
    this.signalGroup('SIGCONT');
    this.paused = false;
  }

  /**
   * Stops the node and everything in its process group: SIGTERM (and SIGCONT, in case it is
   * paused), then SIGKILL after `graceMs` if anything is left. Resolves when the leader is gone.
   */
  async stop(graceMs = 1000): Promise<ExitInfo> {
    if (this.pid === undefined) return describeExit(null, null);
    this.signalGroup('SIGTERM');
    this.signalGroup('SIGCONT');
    this.paused = false;
    const exited = this.waitExit();
    const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
    const first = await Promise.race([exited, timer]);
    // Whatever the leader did, make sure nothing is left in its group.
    this.signalGroup('SIGKILL');
    const info = first === 'timeout' ? await exited : first;
    return info;
  }

  /** Kills the group at once (SIGKILL). Synchronous: safe in an exit handler. */
  killNow(): void {
    this.signalGroup('SIGCONT');
    this.signalGroup('SIGKILL');
  }

  /** Closes the STDERR log. */
  async closeLog(): Promise<void> {
    const log = this.stderrLog;
    this.stderrLog = undefined;
    if (log) await new Promise<void>((r) => log.end(r));
  }
}

/** Describes an exit in words. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): ExitInfo {
  let description: string;
  if (signal) {
    description = `was killed by ${signal}`;
    if (signal === 'SIGKILL') description += ' (by Gyre, by another process, or by the kernel OOM killer)';
  } else if (code !== null) description = `exited with code ${code}`;
  else description = 'never started';
  return { code, signal, description };
}

/**
 * Kills every process that carries the run's marker in its environment: descendants that left
 * their process group (double forks with setsid). Linux only (reads /proc); elsewhere a no-op.
 * Returns the pids it killed.
 */
export function sweepMarked(runId: string): number[] {
  const killed: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return killed;
  }
  const needle = `${RUN_MARKER_VAR}=${runId}\0`;
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${e}/environ`, 'latin1');
      if (env.includes(needle)) {
        process.kill(pid, 'SIGCONT');
        process.kill(pid, 'SIGKILL');
        killed.push(pid);
      }
    } catch {
      // gone, or not ours
    }
  }
  return killed;
}
