/**
 * The watchdog: a small Node process, started with each run of node processes, that makes sure
 * nothing of the run outlives Gyre, however Gyre ends. Gyre holds the write end of a pipe to its
 * STDIN; when that closes (Gyre's teardown closes it, and the kernel closes it when Gyre exits in
 * any way, SIGKILL and the OOM killer included) the watchdog:
 *
 * 1. kills the run's cgroup (`cgroup.kill`), when the run has one, and removes it;
 * 2. stops, then kills, every process it tracked: without a cgroup it reads each tracked
 *    process's children from /proc every `pollMs` while the run goes (starting from the node
 *    pids Gyre sends it), so a descendant is caught once it has been seen, whatever it does later;
 * 3. kills every process whose environment carries the run's marker (`GYRE_RUN_ID`), or whose
 *    working directory is inside the run's temporary working directory;
 * 4. removes the nodes' working directory (unless they are kept);
 * 5. exits.
 *
 * It runs in a session of its own (Ctrl-C at the terminal does not reach it) and ignores SIGINT,
 * SIGTERM and SIGHUP. Its program is the string below (plain JavaScript, no imports), so that it
 * runs the same from the built package and from sources.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** What the watchdog needs to know about a run. */
export interface WatchdogConfig {
  /** The run's marker value (`GYRE_RUN_ID`). */
  runId: string;
  /** The marker's variable name. */
  marker: string;
  /** The run's cgroup directory, or null. */
  cgroup: string | null;
  /** The nodes' working directories' parent. */
  workDir: string;
  /** Whether a process whose working directory is inside `workDir` belongs to the run (not for directories kept in the store, where a person may look). */
  cwdSweep: boolean;
  /** Whether to remove `workDir` at the end. */
  removeWorkDir: boolean;
  /** Ms between scans of the tracked processes' children; 0 tracks nothing. */
  pollMs: number;
  /** Gyre's pid (never killed). */
  parent: number;
}

const SOURCE = String.raw`
'use strict';
const fs = require('fs');
const cfg = JSON.parse(process.argv[1]);
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => {});
const tracked = new Map();
const read = (f) => { try { return fs.readFileSync(f, 'latin1'); } catch { return undefined; } };
const startTime = (pid) => { const s = read('/proc/' + pid + '/stat'); return s === undefined ? undefined : s.slice(s.lastIndexOf(')') + 2).split(' ')[19]; };
const track = (pid) => { if (tracked.has(pid) || pid === process.pid || pid === cfg.parent) return; const t = startTime(pid); if (t !== undefined) tracked.set(pid, t); };
const children = (pid) => {
  let tasks; try { tasks = fs.readdirSync('/proc/' + pid + '/task'); } catch { return []; }
  const out = [];
  for (const t of tasks) for (const c of (read('/proc/' + pid + '/task/' + t + '/children') || '').split(' ')) if (c) out.push(Number(c));
  return out;
};
const scan = () => { for (const [pid, t] of [...tracked]) { if (startTime(pid) !== t) { tracked.delete(pid); continue; } for (const c of children(pid)) track(c); } };
const signal = (pid, s) => { try { process.kill(pid, s); } catch {} };
let timer;
if (cfg.pollMs > 0) timer = setInterval(scan, cfg.pollMs);
let buf = '';
process.stdin.on('data', (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf('\n')) >= 0) { const pid = Number(buf.slice(0, i)); buf = buf.slice(i + 1); if (pid > 0) track(pid); }
});
let done = false;
const end = async () => {
  if (done) return;
  done = true;
  if (timer) clearInterval(timer);
  if (cfg.cgroup) {
    try { fs.writeFileSync(cfg.cgroup + '/cgroup.kill', '1'); } catch {
      try { fs.writeFileSync(cfg.cgroup + '/cgroup.freeze', '1'); } catch {}
      const procs = (dir) => { const out = (read(dir + '/cgroup.procs') || '').split('\n').filter(Boolean).map(Number); try { for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) out.push(...procs(dir + '/' + e.name)); } catch {} return out; };
      for (const p of procs(cfg.cgroup)) signal(p, 'SIGKILL');
      try { fs.writeFileSync(cfg.cgroup + '/cgroup.freeze', '0'); } catch {}
    }
  }
  // Stop the tracked processes, so that none forks while their children are read; then kill them.
  for (let round = 0; round < 3; round++) { scan(); for (const [pid, t] of tracked) if (startTime(pid) === t) signal(pid, 'SIGSTOP'); }
  scan();
  for (const [pid, t] of tracked) if (startTime(pid) === t) { signal(pid, 'SIGKILL'); signal(pid, 'SIGCONT'); }
  const needle = cfg.marker + '=' + cfg.runId + '\0';
  let entries = [];
  try { entries = fs.readdirSync('/proc'); } catch {}
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid || pid === cfg.parent) continue;
    let hit = (read('/proc/' + e + '/environ') || '').includes(needle);
    if (!hit && cfg.cwdSweep) { try { const cwd = fs.readlinkSync('/proc/' + e + '/cwd'); hit = cwd === cfg.workDir || cwd.startsWith(cfg.workDir + '/'); } catch {} }
    if (hit) { signal(pid, 'SIGKILL'); signal(pid, 'SIGCONT'); }
  }
  if (cfg.cgroup) {
    const rm = (dir) => { try { for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) rm(dir + '/' + e.name); fs.rmdirSync(dir); } catch {} };
    for (let i = 0; i < 100 && fs.existsSync(cfg.cgroup); i++) { rm(cfg.cgroup); if (fs.existsSync(cfg.cgroup)) await new Promise((r) => setTimeout(r, 20)); }
  }
  if (cfg.removeWorkDir) { try { fs.rmSync(cfg.workDir, { recursive: true, force: true }); } catch {} }
  process.exit(0);
};
process.stdin.on('end', end);
process.stdin.on('error', end);
`;

/** A run's watchdog, seen from Gyre. */
export class Watchdog {
  private readonly child: ChildProcess | undefined;
  private readonly exited: Promise<void>;

  /** Starts the watchdog; if it cannot be started, the run goes on without it (the in-process teardown still runs). */
  constructor(cfg: WatchdogConfig) {
    const env = { ...process.env };
    delete env['NODE_OPTIONS'];
    delete env[cfg.marker];
    let child: ChildProcess | undefined;
    try {
      child = spawn(process.execPath, ['-e', SOURCE, JSON.stringify(cfg)], { detached: true, stdio: ['pipe', 'ignore', 'ignore'], cwd: '/', env });
    } catch {
      child = undefined;
    }
    this.child = child;
    if (!child) {
      this.exited = Promise.resolve();
      return;
    }
    child.on('error', () => {});
    child.stdin!.on('error', () => {});
    // Neither the process nor its pipe keeps Gyre alive; the pipe closes when Gyre exits.
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    this.exited = new Promise((r) => {
      child.once('exit', () => r());
      child.once('error', () => r());
    });
  }

  /** Tracks a process (a node just started) and, from then on, what it starts. */
  track(pid: number): void {
    if (this.child?.exitCode === null) this.child.stdin!.write(`${pid}\n`);
  }

  /** Ends the run: the watchdog kills what is left, removes what it should, and exits; resolves then (or after `ms`). */
  async finish(ms = 10_000): Promise<void> {
    if (!this.child) return;
    this.child.stdin!.end();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
  }
}
