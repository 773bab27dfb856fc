/**
 * A run's nodes in a cgroup of their own (Linux, cgroup v2), so that everything they start, even
 * double-forked into a new session with a cleared environment, can be found and killed:
 * `gyre-<runId>/` under Gyre's own cgroup, with one child cgroup per node. A node is put in its
 * cgroup before its program runs (a `/bin/sh` wrapper writes its own pid to `cgroup.procs`, then
 * `exec`s the node), so nothing it starts is ever outside. Ending the run writes `cgroup.kill`.
 *
 * Where this cannot be done (no cgroup v2, or Gyre's cgroup is not writable by this user, as for a
 * login session's scope), {@link runCgroup} returns undefined and the run relies on process
 * groups, the environment marker and the watchdog's tracking (see `watchdog.ts`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Set to `off` to run without cgroups even where they work (to test the fallback). */
const CGROUP_ENV = 'GYRE_CGROUP';

/** A run's cgroup. */
export interface RunCgroup {
  /** The run's cgroup directory, `…/gyre-<runId>`. */
  readonly dir: string;
  /**
   * The command that runs `bin args` inside `node`'s cgroup: `/bin/sh` puts itself there, then
   * execs the node (same pid, same process group, same arguments and environment).
   */
  wrap(node: string, bin: string, args: readonly string[]): { command: string; args: string[] };
  /** Kills every process in `node`'s cgroup (a nemesis kill: the node and all it started). */
  killNode(node: string): void;
  /** Kills every process of the run. Synchronous, for exit handlers too. */
  killAll(): void;
  /** Removes the cgroups once they are empty (waits up to `ms`); false if some are still busy. */
  remove(ms?: number): Promise<boolean>;
}

const WRAPPER = 'echo $$ > "$1" || { echo "gyre: cannot enter the cgroup $1" >&2; exit 125; }; shift; exec "$@"';

/** Where this process's cgroup v2 directory is, or undefined when there is none to be found. */
function ownCgroupDir(): string | undefined {
  let mountinfo: string;
  let self: string;
  try {
    mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
    self = readFileSync('/proc/self/cgroup', 'utf8');
  } catch {
    return undefined;
  }
  const path = /^0::(.*)$/m.exec(self)?.[1];
  if (path === undefined) return undefined;
  for (const line of mountinfo.split('\n')) {
    // id parent major:minor root mount-point options ... - fstype source super-options
    const [pre, post] = line.split(' - ');
    if (!post?.startsWith('cgroup2 ')) continue;
    const f = pre!.split(' ');
    const root = f[3]!;
    const mount = f[4]!;
    if (root !== '/' && path !== root && !path.startsWith(root + '/')) continue;
    const rel = root === '/' ? path : path.slice(root.length);
    return join(mount, rel);
  }
  return undefined;
}

/**
 * Creates the run's cgroup and checks that a process can be put in it, or returns undefined
 * (nothing created) when that cannot be done here.
 */
export function runCgroup(runId: string, nodes: readonly string[]): RunCgroup | undefined {
  if (process.platform !== 'linux' || process.env[CGROUP_ENV] === 'off' || !existsSync('/bin/sh')) return undefined;
  const own = ownCgroupDir();
  if (own === undefined) return undefined;
  const dir = join(own, `gyre-${runId}`);
  const nodeDir = (node: string) => join(dir, `node-${node}`);
  try {
    mkdirSync(dir);
    for (const n of nodes) mkdirSync(nodeDir(n));
  } catch {
    removeTree(dir);
    return undefined;
  }
  // A throw-away process enters the first node's cgroup: if it can, the nodes can.
  const probe = spawnSync('/bin/sh', ['-c', 'echo $$ > "$1"', 'gyre-probe', join(nodeDir(nodes[0]!), 'cgroup.procs')], { stdio: 'ignore' });
  if (probe.status !== 0) {
    removeTree(dir);
    return undefined;
  }
  return {
    dir,
    wrap: (node, bin, args) => ({ command: '/bin/sh', args: ['-c', WRAPPER, 'gyre-node', join(nodeDir(node), 'cgroup.procs'), bin, ...args] }),
    killNode: (node) => kill(nodeDir(node)),
    killAll: () => kill(dir),
    remove: async (ms = 2000) => {
      const end = Date.now() + ms;
      while (populated(dir) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      return removeTree(dir);
    },
  };
}

/** Kills every process in a cgroup and those below it: `cgroup.kill`, or on kernels before 5.14 freeze, kill each, thaw. */
function kill(dir: string): void {
  try {
    writeFileSync(join(dir, 'cgroup.kill'), '1');
    return;
  } catch {
    // no cgroup.kill: below
  }
  try {
    writeFileSync(join(dir, 'cgroup.freeze'), '1');
  } catch {
    // not freezable: kill them running
  }
  for (const pid of procsUnder(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  try {
    writeFileSync(join(dir, 'cgroup.freeze'), '0');
  } catch {
    // as above
  }
}

function procsUnder(dir: string): number[] {
  const out: number[] = [];
  try {
    for (const l of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n')) if (l) out.push(Number(l));
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) out.push(...procsUnder(join(dir, e.name)));
  } catch {
    // gone
  }
  return out;
}

function populated(dir: string): boolean {
  try {
    return /^populated 1$/m.test(readFileSync(join(dir, 'cgroup.events'), 'utf8'));
  } catch {
    return false;
  }
}

/** Removes a cgroup and the cgroups below it (rmdir, deepest first); true when it is gone. */
function removeTree(dir: string): boolean {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return true;
  }
  let ok = true;
  for (const e of entries) if (e.isDirectory()) ok = removeTree(join(dir, e.name)) && ok;
  try {
    rmdirSync(dir);
  } catch {
    return false;
  }
  return ok;
}
