/**
 * A node process: spawned in its own process group, its STDOUT split into lines of any length,
 * its STDERR appended to a log file, its STDIN written in batches without ever blocking the
 * harness, and torn down so that nothing it started outlives the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, createWriteStream, readdirSync, readFileSync, type WriteStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';

/** How a process ended. */
export interface ExitInfo {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  /** The signal that killed it, or null. */
  signal: NodeJS.Signals | null;
  /** A sentence describing it: "exited with code 1", "was killed by SIGKILL (perhaps the OOM killer)". */
  description: string;
  /**
   * True when its STDOUT was still open some time after it exited: something it started (a
   * background child of a wrapper script) still holds the pipe.
   */
  outputStillOpen?: boolean;
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
  /**
   * Runs the node through another command (the cgroup wrapper, which execs `bin args` in the same
   * process). `bin` is then checked before starting, so that a missing or non-executable binary
   * still fails to start with a clear error.
   */
  wrap?: (bin: string, args: readonly string[]) => { command: string; args: string[] };
  /** Called with the pid of each process started (for the watchdog). */
  onSpawn?: (pid: number) => void;
  /** Called for each line on STDOUT (without the newline; a trailing CR is removed). */
  onLine: (line: string) => void;
  /**
   * Called for a STDOUT line that is not valid UTF-8 (with the line decoded leniently), or longer
   * than `maxLineBytes` (with its first 200 bytes).
   */
  onBadLine?: (line: string, reason: string, kind: BadLineKind) => void;
  /**
   * The longest line read from STDOUT or STDERR, in bytes; a longer one is skipped without being
   * held (on STDOUT reported to `onBadLine`, on STDERR shown in the tail as skipped).
   * @defaultValue {@link DEFAULT_MAX_LINE_BYTES} (64 MiB)
   */
  maxLineBytes?: number;
  /** Called for each STDERR line. */
  onStderr?: (line: string) => void;
  /** Called once when the process exits. */
  onExit?: (info: ExitInfo) => void;
  /** Called when the STDERR log cannot be written (a full disk); the log is not written further. */
  onLogError?: (error: Error) => void;
  /**
   * Most bytes waiting to be written to STDIN while the node is not reading (on top of the one
   * batch the pipe has not taken yet); beyond this, new messages are dropped and counted in
   * {@link NodeProcess.dropped}.
   * @defaultValue 8 MiB
   */
  maxPendingBytes?: number;
  /** Called for the first message dropped because the queue was full, and again after each {@link NodeProcess.resetDropNotice}. */
  onDrop?: (dropped: DropCount) => void;
  /**
   * After the process exits, how long to wait for the rest of its STDOUT and STDERR before
   * reporting the exit (a descendant that inherited the pipes can keep them open forever). Long
   * enough for a loaded machine: the last lines a node writes as it stops are never lost to it.
   * @defaultValue 2000
   */
  drainMs?: number;
}

/** Messages a node's STDIN queue refused because the node was not reading. */
export interface DropCount {
  messages: number;
  bytes: number;
}

/** Default of {@link NodeProcessOptions.maxPendingBytes}. */
export const DEFAULT_MAX_PENDING_BYTES = 8 * 1024 * 1024;

const TAIL = 32;

/** Marks every process Gyre starts, so that descendants that left the process group can be found. */
export const RUN_MARKER_VAR = 'GYRE_RUN_ID';

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
  private next = 0;
  push(line: string): void {
    // A slice of a long string keeps the whole string alive: copy the part kept.
    const l = line.length > 2000 ? Buffer.from(line.slice(0, 2000)).toString() + `… (${line.length} characters)` : line;
    if (this.lines.length < TAIL) this.lines.push(l);
    else this.lines[this.next] = l;
    this.next = (this.next + 1) % TAIL;
  }
  get(): string[] {
    return this.lines.length < TAIL ? this.lines.slice() : [...this.lines.slice(this.next), ...this.lines.slice(0, this.next)];
  }
}

/** Default of {@link LineSplitterOptions.maxLineBytes} and {@link NodeProcessOptions.maxLineBytes}: 64 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/** What a {@link LineSplitter} reports about a line it could not pass on as text. */
export type BadLineKind = 'invalid-utf8' | 'line-too-long';

/** Options of {@link LineSplitter}. */
export interface LineSplitterOptions {
  /**
   * The longest line, in bytes before its newline. A longer line is not kept: its first 200 bytes
   * and its length are reported (`line-too-long`), the rest is dropped as it arrives, and the
   * next line is read as usual. So the splitter never holds more than this.
   * @defaultValue {@link DEFAULT_MAX_LINE_BYTES} (64 MiB)
   */
  maxLineBytes?: number;
}

/** How much of a line that is too long is kept, to show what it was. */
const HEAD_BYTES = 200;

/**
 * A line splitter for a byte stream: lines up to a cap in length, CRLF tolerated, invalid UTF-8
 * and over-long lines reported. Every `\n`-terminated line yields exactly one call of `onLine` or
 * `onBad`; {@link end} emits a last line that had no newline. Lines that arrive whole in one chunk
 * are decoded together.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private partLength = 0;
  /** Bytes of the current line when it is over the cap (then `parts` is empty), else -1. */
  private skipped = -1;
  private head: Buffer | undefined;
  private readonly max: number;
  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onBad: (line: string, reason: string, kind: BadLineKind) => void,
    o: LineSplitterOptions = {},
  ) {
    this.max = o.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  /** Bytes held of a line not yet ended (at most the cap). */
  get buffered(): number {
    return this.partLength;
  }

  push(chunk: Buffer): void {
    let start = 0;
    if (this.partLength > 0 || this.skipped >= 0) {
      const first = chunk.indexOf(10);
      if (first === -1) {
        this.hold(chunk);
        return;
      }
      this.hold(chunk.subarray(0, first));
      this.endHeld();
      start = first + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last >= start) {
      const region = chunk.subarray(start, last);
      if (region.length <= this.max && isUtf8(region)) {
        const text = region.toString('utf8');
        let from = 0;
        for (;;) {
          const nl = text.indexOf('\n', from);
          let end = nl === -1 ? text.length : nl;
          if (end > from && text.charCodeAt(end - 1) === 13) end--;
          this.onLine(text.slice(from, end));
          if (nl === -1) break;
          from = nl + 1;
        }
      } else {
        let s = start;
        for (;;) {
          const nl = chunk.indexOf(10, s);
          this.emit(chunk, s, nl);
          if (nl === last) break;
          s = nl + 1;
        }
      }
      start = last + 1;
    }
    if (start < chunk.length) this.hold(chunk.subarray(start));
  }

  /** Emits a last line that had no newline. */
  end(): void {
    if (this.partLength > 0 || this.skipped >= 0) this.endHeld();
  }

  /** Keeps part of a line not yet ended, or counts it once the line is over the cap. */
  private hold(b: Buffer): void {
    if (b.length === 0) return;
    if (this.skipped >= 0) {
      this.skipped += b.length;
      return;
    }
    if (this.partLength + b.length <= this.max) {
      this.parts.push(b);
      this.partLength += b.length;
      return;
    }
    const firsts: Buffer[] = [];
    let n = 0;
    for (const p of [...this.parts, b]) {
      if (n >= HEAD_BYTES) break;
      firsts.push(p.subarray(0, HEAD_BYTES - n));
      n += firsts.at(-1)!.length;
    }
    this.head = Buffer.concat(firsts);
    this.skipped = this.partLength + b.length;
    this.parts = [];
    this.partLength = 0;
  }

  /** The held line has ended: emit it, or report it as too long. */
  private endHeld(): void {
    if (this.skipped >= 0) {
      const n = this.skipped;
      const head = this.head!;
      this.skipped = -1;
      this.head = undefined;
      this.tooLong(head, n);
      return;
    }
    const line = Buffer.concat(this.parts, this.partLength);
    this.parts = [];
    this.partLength = 0;
    this.emit(line, 0, line.length);
  }

  private tooLong(head: Buffer, bytes: number): void {
    this.onBad(head.toString('utf8'), tooLongReason(bytes, this.max), 'line-too-long');
  }

  private emit(buf: Buffer, start: number, end: number): void {
    if (end - start > this.max) {
      this.tooLong(buf.subarray(start, Math.min(end, start + HEAD_BYTES)), end - start);
      return;
    }
    if (end > start && buf[end - 1] === 13) end--;
    if (!isUtf8(buf.subarray(start, end))) {
      this.onBad(buf.toString('utf8', start, end), 'invalid UTF-8 (shown with U+FFFD for the bad bytes)', 'invalid-utf8');
      return;
    }
    this.onLine(buf.toString('utf8', start, end));
  }
}

/**
 * Reads a node's pipe one chunk per turn of the event loop: after each chunk the stream pauses
 * until the loop's check phase (`setImmediate`), so a node that floods its pipe, with messages or
 * garbage, cannot starve the timers (the generator's schedule), the clients or the other nodes. The
 * flooding node's own writes wait on its full pipe instead, as they would on a slow reader.
 */
function readFairly(stream: Readable, onChunk: (chunk: Buffer) => void): void {
  let paused = false;
  const resume = () => {
    paused = false;
    if (!stream.destroyed) stream.resume();
  };
  stream.on('data', (chunk: Buffer) => {
    onChunk(chunk);
    if (paused) return;
    paused = true;
    stream.pause();
    setImmediate(resume);
  });
}

function tooLongReason(bytes: number, max: number): string {
  return `a line of ${bytes} bytes, longer than the limit of ${byteSize(max)}: skipped`;
}

/**
 * The cap on a line handed over whole, as a string: a function giving the reason a line is too
 * long, or undefined. Costs nothing for lines shorter than a third of the cap.
 */
export function lineCap(max: number): (line: string) => string | undefined {
  return (line) => {
    if (line.length * 3 <= max) return undefined;
    const bytes = Buffer.byteLength(line);
    return bytes > max ? tooLongReason(bytes, max) : undefined;
  };
}

/** A size in words: `64 MiB`, `1.5 MiB`, `100 bytes`. */
function byteSize(n: number): string {
  if (n < 1024 * 1024) return `${n} bytes`;
  return `${Number((n / (1024 * 1024)).toFixed(2))} MiB`;
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
  private reported: ExitInfo | undefined;
  private exitWaiters: ((e: ExitInfo) => void)[] = [];
  private dropNoticed = false;
  private readonly maxPending: number;
  /** Messages (and their bytes) dropped because the node was not reading its STDIN. */
  readonly dropped: DropCount = { messages: 0, bytes: 0 };
  /** True while stopped with SIGSTOP. */
  paused = false;
  /** The pid of the process (group leader), once started. */
  pid: number | undefined;

  constructor(private readonly opts: NodeProcessOptions) {
    this.id = opts.id;
    this.maxPending = opts.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;
  }

  /** Messages dropped because the node was not reading its STDIN. */
  get droppedWrites(): number {
    return this.dropped.messages;
  }

  /** Starts the process. Rejects if it cannot be spawned (missing file, not executable). */
  start(): Promise<void> {
    installExitHook();
    this.exitInfo = undefined;
    this.reported = undefined;
    this.paused = false;
    // A restart is a new process with a new STDIN: lines still queued for the previous one, and
    // its full pipe (whose 'drain' will never come), must not hold back the new one.
    this.pending = [];
    this.pendingBytes = 0;
    this.blocked = false;
    if (this.opts.wrap) {
      try {
        accessSync(this.opts.bin, constants.X_OK);
      } catch (e) {
        return Promise.reject(new Error(`could not start ${this.opts.bin} for node ${this.id}: ${(e as Error).message}`));
      }
    }
    this.stderrLog ??= createWriteStream(this.opts.stderrFile, { flags: 'a' }).on('error', (e) => this.opts.onLogError?.(e));
    const run = this.opts.wrap ? this.opts.wrap(this.opts.bin, this.opts.args) : { command: this.opts.bin, args: this.opts.args as string[] };
    const child = spawn(run.command, run.args, {
      cwd: this.opts.cwd,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...this.opts.env },
    });
    this.child = child;
    live.add(this);
    const onLine = this.opts.onLine;
    const tail = this.stdoutTail;
    const cap = { maxLineBytes: this.opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES };
    const out = new LineSplitter(
      (line) => {
        tail.push(line);
        onLine(line);
      },
      (line, reason, kind) => {
        tail.push(kind === 'line-too-long' ? `(${reason})` : line);
        this.opts.onBadLine?.(line, reason, kind);
      },
      cap,
    );
    const stdoutDone = new Promise<void>((r) => child.stdout!.once('close', r));
    const stderrDone = new Promise<void>((r) => child.stderr!.once('close', r));
    readFairly(child.stdout!, (c) => out.push(c));
    child.stdout!.on('end', () => out.end());
    const err = new LineSplitter(
      (line) => {
        this.stderrTail.push(line);
        this.opts.onStderr?.(line);
      },
      (line, reason, kind) => {
        const shown = kind === 'line-too-long' ? `(${reason}; it is in the log file)` : line;
        this.stderrTail.push(shown);
        this.opts.onStderr?.(shown);
      },
      cap,
    );
    const log = this.stderrLog;
    readFairly(child.stderr!, (c) => {
      if (!log.destroyed) log.write(c);
      err.push(c);
    });
    child.stderr!.on('end', () => err.end());
    child.stdin!.on('error', () => {
      // EPIPE after the node exits: the exit handler reports it.
    });
    // A read error ends the pipe as its closing would; the exit handler reports the node.
    child.stdout!.on('error', () => {});
    child.stderr!.on('error', () => {});
    child.stdin!.on('drain', () => {
      if (this.child !== child) return;
      this.blocked = false;
      this.scheduleFlush();
    });
    return new Promise((resolve, reject) => {
      child.once('spawn', () => {
        this.pid = child.pid;
        if (child.pid !== undefined) this.opts.onSpawn?.(child.pid);
        resolve();
      });
      child.once('error', (e) => {
        live.delete(this);
        if (this.pid === undefined) reject(new Error(`could not start ${this.opts.bin} for node ${this.id}: ${(e as Error).message}`));
      });
      child.once('exit', (code, signal) => {
        live.delete(this);
        const info = describeExit(code, signal);
        this.exitInfo = info;
        this.pending = [];
        this.pendingBytes = 0;
        // Report once the rest of its output has been read, so the tails are complete.
        let closed = false;
        const done = Promise.all([stdoutDone, stderrDone]).then(() => (closed = true));
        const drain = new Promise<void>((r) => setTimeout(r, this.opts.drainMs ?? 2000).unref());
        void Promise.race([done, drain]).then(() => {
          if (!closed) info.outputStillOpen = true;
          this.reported = info;
          this.opts.onExit?.(info);
          for (const w of this.exitWaiters.splice(0)) w(info);
        });
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

  /**
   * Queues a line (without newline) for the node's STDIN. Never blocks: the lines queued in one
   * synchronous stretch (one turn of the router) are written together, in one write, when it
   * ends; while the pipe is full they wait, up to `maxPendingBytes`, and later ones are dropped
   * and counted.
   */
  write(line: string): void {
    if (this.exitInfo !== undefined || this.child === undefined) return;
    if (this.pendingBytes > this.maxPending) {
      this.dropped.messages++;
      this.dropped.bytes += line.length + 1;
      if (!this.dropNoticed) {
        this.dropNoticed = true;
        this.opts.onDrop?.(this.dropped);
      }
      return;
    }
    this.pending.push(line);
    this.pendingBytes += line.length + 1;
    if (!this.flushScheduled && !this.blocked) {
      this.flushScheduled = true;
      queueMicrotask(this.flush);
    }
  }

  /** Lets {@link NodeProcessOptions.onDrop} fire again at the next drop. */
  resetDropNotice(): void {
    this.dropNoticed = false;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.blocked) return;
    this.flushScheduled = true;
    queueMicrotask(this.flush);
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    if (this.pending.length === 0 || this.exitInfo !== undefined) return;
    const p = this.pending;
    const text = p.length === 1 ? p[0] + '\n' : p.join('\n') + '\n';
    this.pending = [];
    this.pendingBytes = 0;
    const ok = this.child!.stdin!.write(text);
    if (!ok) this.blocked = true;
  };

  /** The last 32 lines the node wrote on STDOUT and on STDERR. */
  tails(): { stdout: string[]; stderr: string[] } {
    return { stdout: this.stdoutTail.get(), stderr: this.stderrTail.get() };
  }

  /** Resolves when the process has exited and its output has been read (or `drainMs` passed). */
  waitExit(): Promise<ExitInfo> {
    if (this.reported || !this.child) return Promise.resolve(this.reported ?? describeExit(null, null));
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
    const child = this.child!;
    if (this.exitInfo === undefined) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, graceMs);
        child.once('exit', () => {
          clearTimeout(t);
          r();
        });
      });
    }
    // Whatever the leader did, make sure nothing is left in its group.
    this.signalGroup('SIGKILL');
    return this.waitExit();
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
function describeExit(code: number | null, signal: NodeJS.Signals | null): ExitInfo {
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
