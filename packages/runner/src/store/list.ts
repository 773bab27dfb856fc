/**
 * Listing the store's runs. A run is a directory `<root>/<workload>/<name>` (both real
 * directories, not the `latest` and `current` links) that holds a test.json; `name` is its start
 * time as {@link basicTime} writes it, with `-1`, `-2`, … for runs begun in the same millisecond.
 * Runs are ordered oldest first, by that time.
 */
import { existsSync, realpathSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { RUN_FILES } from './layout';
import { RunReadError } from './read';

/** One run of a store. */
export interface StoredRun {
  /** The run directory. */
  dir: string;
  workload: string;
  /** The directory's name: its start time, `20261125T120301.972+0000` (or `…-1` for a second run that millisecond). */
  name: string;
  /** `workload/name`, relative to the store root. */
  path: string;
  /** The start time the name gives, when it parses. */
  time: Date | undefined;
}

const RUN_NAME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:\.(\d{3}))?([+-]\d{4}|Z)?(?:-(\d+))?$/;

/**
 * The start time in a run directory's name (Jepsen's basic ISO time, as {@link basicTime} writes
 * it), and its same-millisecond number (0 for the first run); `time` is undefined for other names.
 */
export function parseRunName(name: string): { time: Date | undefined; n: number } {
  const m = RUN_NAME.exec(name);
  if (!m) return { time: undefined, n: 0 };
  const [, y, mo, d, h, mi, s, ms, z, n] = m;
  const zone = !z || z === 'Z' ? 'Z' : `${z.slice(0, 3)}:${z.slice(3)}`;
  const t = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms ?? '000'}${zone}`);
  return { time: Number.isNaN(t.getTime()) ? undefined : t, n: n === undefined ? 0 : Number(n) };
}

/** Orders runs oldest first: by start time (names without one first), then same-millisecond number, then path. */
function compareRuns(a: StoredRun, b: StoredRun): number {
  const ta = a.time?.getTime() ?? -Infinity;
  const tb = b.time?.getTime() ?? -Infinity;
  if (ta !== tb) return ta < tb ? -1 : 1;
  const d = parseRunName(a.name).n - parseRunName(b.name).n;
  if (d !== 0) return d;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Every run in the store at `root`, oldest first (none when there is no such directory). */
export async function listRuns(root: string): Promise<StoredRun[]> {
  const dirs = async (dir: string) => (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory()).map((e) => e.name);
  const runs: StoredRun[] = [];
  for (const workload of await dirs(root)) {
    const wdir = join(root, workload);
    const found = await Promise.all(
      (await dirs(wdir)).map(async (name): Promise<StoredRun | undefined> => {
        const dir = join(wdir, name);
        const t = await stat(join(dir, RUN_FILES.test)).catch(() => undefined);
        return t?.isFile() ? { dir, workload, name, path: `${workload}/${name}`, time: parseRunName(name).time } : undefined;
      }),
    );
    for (const r of found) if (r) runs.push(r);
  }
  return runs.sort(compareRuns);
}

/**
 * Finds a run: `which` is an index into {@link listRuns} (0 the oldest, -1 the latest, -2 the one
 * before), or a run directory (relative to `cwd`). Throws {@link RunReadError} when there is no
 * such run.
 */
export async function findRun(root: string, which: string, cwd: string): Promise<string> {
  if (/^-?\d+$/.test(which)) {
    const runs = await listRuns(root);
    if (runs.length === 0) throw new RunReadError(`No runs in the store ${root}.`);
    const i = Number(which);
    const run = runs[i < 0 ? runs.length + i : i];
    if (run === undefined) {
      throw new RunReadError(`No run ${which} in the store ${root}, which has ${runs.length} run${runs.length === 1 ? '' : 's'} (indexes 0 to ${runs.length - 1}, or -1 to -${runs.length}).`);
    }
    return run.dir;
  }
  const dir = resolve(cwd, which);
  if (!existsSync(join(dir, RUN_FILES.test))) throw new RunReadError(`${dir} is not a Gyre run directory (it has no test.json).`);
  return realpathSync(dir);
}
