/**
 * The store: `store/<workload>/<time>/` per run, with the `current` and `latest` links.
 * Files are written as the run goes, so an interrupted run keeps what it recorded.
 */
import { createWriteStream, mkdirSync, rmSync, symlinkSync, renameSync, type WriteStream } from 'node:fs';
import { join, relative, dirname } from 'node:path';

/** Jepsen's basic ISO time in local time: `20210207T160331.972-0500`. */
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

/** A run's directory and its writers. */
export class RunStore {
  readonly root: string;
  readonly dir: string;
  readonly workload: string;
  private streams: WriteStream[] = [];

  constructor(root: string, workload: string, start: Date) {
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
    mkdirSync(join(dir, 'node-logs'), { recursive: true });
    mkdirSync(join(dir, 'net-journal'), { recursive: true });
    relink(dir, join(root, 'current'));
  }

  /** Path of a file in the run directory. */
  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  /** Opens an appending writer for a file in the run directory; closed by {@link close}. */
  writer(name: string): WriteStream {
    mkdirSync(dirname(this.path(name)), { recursive: true });
    const s = createWriteStream(this.path(name), { flags: 'a' });
    this.streams.push(s);
    return s;
  }

  /** Points `latest` and `<workload>/latest` at this run. */
  markLatest(): void {
    relink(this.dir, join(this.root, 'latest'));
    relink(this.dir, join(this.root, this.workload, 'latest'));
  }

  /** Flushes and closes every writer. */
  async close(): Promise<void> {
    const ss = this.streams.splice(0);
    await Promise.all(ss.map((s) => new Promise<void>((r) => (s.closed ? r() : s.end(r)))));
  }
}
