/**
 * Writing the store: `<root>/<workload>/<time>/` per run, with the `current` and `latest` links.
 * Files are written as the run goes, so an interrupted run keeps what it recorded.
 */
import { accessSync, closeSync, constants, fstatSync, ftruncateSync, mkdirSync, openSync, rmSync, statSync, symlinkSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join, relative, dirname, resolve, sep } from 'node:path';
import { stringifyJson } from '@gyre/history';
import { RUN_FILES, nodeLogFile } from './layout';

/** Jepsen's basic ISO time in local time: `20210207T160331.972-0500`, the name of a run's directory. */
export function basicTime(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const a = Math.abs(off);
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}T${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}${sign}${p(Math.floor(a / 60))}${p(a % 60)}`;
}

/** Points `link` at `target` (relative), replacing whatever was there, atomically where possible. */
export function relink(target: string, link: string): void {
  const rel = relative(dirname(link), target);
  const tmp = `${link}.tmp-${process.pid}`;
  try {
    rmSync(tmp, { force: true });
    symlinkSync(rel, tmp);
    renameSync(tmp, link);
  } catch {
    try {
      rmSync(link, { force: true, recursive: false });
      symlinkSync(rel, link);
    } catch {
      // links are a convenience; never fail a run over them
    }
  }
}

/** Open {@link LineFile}s, flushed synchronously if the process exits without closing them. */
const openLineFiles = new Set<LineFile>();
let lineFileHook = false;

/** Called when a file of the store cannot be written (a full disk): the error and the file's path. */
export type WriteErrorHandler = (error: unknown, path: string) => void;

/**
 * What went wrong writing `path`, in a few words: `disk full while writing PATH` for a full disk
 * (or quota), `could not write PATH (EIO)` otherwise.
 */
export function describeWriteError(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC') return `disk full while writing ${path}`;
  if (code === 'EDQUOT') return `disk quota exceeded while writing ${path}`;
  return `could not write ${path} (${code ?? (error as Error)?.message ?? String(error)})`;
}

/**
 * An append-only file written in whole lines: text is buffered and written synchronously when the
 * buffer is full, every `flushMs`, on {@link close}, and when the process exits (even through
 * `process.exit` after a second Ctrl-C). Whatever is on disk is always complete lines, as long as
 * each {@link write} is: when a write fails (a full disk), the part of it that reached the file is
 * cut off again, the file is closed, later writes are ignored, and `onError` is told, once. Without
 * `onError` the error is thrown.
 */
export class LineFile {
  private fd: number | undefined;
  private buf = '';
  /** Bytes in the file: whole lines only. */
  private size: number;
  private readonly timer: NodeJS.Timeout;
  /** Why the file could not be written, once it could not. */
  failed: unknown;

  /**
   * @param path the file, created or appended to
   * @param bufferChars write once this many characters are waiting (default 65536)
   * @param flushMs write what is waiting at least this often (default 200)
   * @param onError told when the file cannot be written (default: the error is thrown)
   */
  constructor(
    readonly path: string,
    private readonly bufferChars = 65536,
    flushMs = 200,
    private readonly onError?: WriteErrorHandler,
  ) {
    this.fd = openSync(path, 'a');
    this.size = fstatSync(this.fd).size;
    this.timer = setInterval(() => this.flush(), flushMs);
    this.timer.unref();
    openLineFiles.add(this);
    if (!lineFileHook) {
      lineFileHook = true;
      process.on('exit', () => {
        for (const f of openLineFiles) f.close();
      });
    }
  }

  /** Appends text (one or more whole lines). */
  write(text: string): void {
    if (this.fd === undefined) return;
    if (this.buf.length === 0 && text.length >= this.bufferChars) {
      this.writeOut(text);
      return;
    }
    this.buf += text;
    if (this.buf.length >= this.bufferChars) this.flush();
  }

  /** Writes what is waiting. */
  flush(): void {
    if (this.fd === undefined || this.buf.length === 0) return;
    const text = this.buf;
    this.buf = '';
    this.writeOut(text);
  }

  private writeOut(text: string): void {
    const fd = this.fd!;
    const data = Buffer.from(text, 'utf8');
    let off = 0;
    try {
      while (off < data.length) off += writeSync(fd, data, off, data.length - off);
      this.size += data.length;
    } catch (e) {
      // Cut off the part of these lines that reached the file, so that it ends in a whole line.
      if (off > 0) {
        try {
          ftruncateSync(fd, this.size);
        } catch {
          // nothing more can be done; the reader drops a partial last line
        }
      }
      this.stop();
      this.failed = e;
      if (!this.onError) throw e;
      this.onError(e, this.path);
    }
  }

  /** Flushes and closes the file. Later writes are ignored. */
  close(): void {
    if (this.fd === undefined) return;
    this.flush();
    this.stop();
  }

  private stop(): void {
    if (this.fd === undefined) return;
    clearInterval(this.timer);
    const fd = this.fd;
    this.fd = undefined;
    this.buf = '';
    openLineFiles.delete(this);
    try {
      closeSync(fd);
    } catch {
      // already unusable
    }
  }
}

/**
 * Why files cannot be made in the directory `dir`, which need not exist yet (it is then made with
 * its missing parents), in a phrase naming the path at fault: "X is not a directory", "X is
 * read-only (…), so Y cannot be created", "X is on a read-only file system". Undefined when
 * nothing stands in the way.
 */
export function dirProblem(dir: string): string | undefined {
  let p = resolve(dir);
  /** The first missing directory on the way, if any. */
  let missing: string | undefined;
  for (;;) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return `${p} cannot be looked at (${code ?? (e as Error).message})`;
      // Missing, or under a file: look at its parent.
      missing = p;
      const up = dirname(p);
      if (up === p) return `${p} does not exist`;
      p = up;
      continue;
    }
    if (!st.isDirectory()) return `${p} is not a directory`;
    try {
      accessSync(p, constants.W_OK | constants.X_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'EROFS' ? `${p} is on a read-only file system` : `${p} is read-only (not writable)`;
      return missing ? `${why}, so ${missing} cannot be created` : why;
    }
    return undefined;
  }
}

/** The store cannot be written (a directory that is not writable, a full disk). */
export class StoreError extends Error {
  override name = 'StoreError';
}

/** A run's directory and its writers. */
export class RunStore {
  readonly root: string;
  readonly dir: string;
  readonly workload: string;
  private lineFiles: LineFile[] = [];

  /**
   * @param onWriteError told when one of its {@link lines} files cannot be written (default: thrown)
   */
  constructor(
    root: string,
    workload: string,
    start: Date,
    private readonly onWriteError?: WriteErrorHandler,
  ) {
    this.root = root;
    this.workload = workload;
    let dir = join(root, workload, basicTime(start));
    // Two runs in the same millisecond (test-count, demo): keep both.
    for (let i = 1; ; i++) {
      try {
        mkdirSync(dir, { recursive: false });
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
          mkdirSync(dirname(dir), { recursive: true });
          i--;
          continue;
        }
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        dir = join(root, workload, `${basicTime(start)}-${i}`);
      }
    }
    this.dir = dir;
    mkdirSync(dirname(join(dir, nodeLogFile('n'))), { recursive: true });
    mkdirSync(dirname(join(dir, RUN_FILES.journal)), { recursive: true });
    // Maelstrom's tutorials say "look in jepsen.log": the same log, under that name too.
    relink(join(dir, RUN_FILES.log), join(dir, RUN_FILES.jepsenLog));
    relink(dir, join(root, 'current'));
  }

  /** Path of a file in the run directory. */
  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  /** Writes a JSON file (one line, losslessly encoded) in the run directory. */
  writeJson(name: string, value: unknown): void {
    writeFileSync(this.path(name), stringifyJson(value) + '\n');
  }

  /** Opens a {@link LineFile} in the run directory; closed by {@link close}. */
  lines(name: string): LineFile {
    mkdirSync(dirname(this.path(name)), { recursive: true });
    const f = new LineFile(this.path(name), undefined, undefined, this.onWriteError);
    this.lineFiles.push(f);
    return f;
  }

  /** Points `latest` and `<workload>/latest` at this run. */
  markLatest(): void {
    relink(this.dir, join(this.root, 'latest'));
    relink(this.dir, join(this.root, this.workload, 'latest'));
  }

  /** Writes what every file opened with {@link lines} has waiting. */
  flush(): void {
    for (const f of this.lineFiles) f.flush();
  }

  /** Flushes and closes every file opened with {@link lines}. */
  async close(): Promise<void> {
    for (const f of this.lineFiles.splice(0)) f.close();
  }
}

/** A writer of files under `dir` (a workload checker's own files) that refuses paths leaving it. */
export function runDirWriter(dir: string): (path: string, content: string) => void {
  return (path, content) => {
    const full = join(dir, path);
    if (!full.startsWith(dir + sep)) throw new Error(`workload tried to write outside the run directory: ${path}`);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  };
}
