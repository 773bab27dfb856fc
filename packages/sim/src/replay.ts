/**
 * `gyre replay <run-dir>`: runs a recorded run again and says whether the nodes did the same.
 *
 * - A simulated run (`gyre sim`) is simulated again from its seed and options; its history and
 *   journal must come out byte for byte as recorded.
 * - A run of real processes (`gyre test`) is replayed from its network journal: fresh node
 *   processes (with the same per-node seeds) get exactly the messages recorded, in the recorded
 *   order and at the recorded times, with the nemesis's kills and pauses; what each node writes is
 *   compared with what it wrote the first time. A node whose output is a function of its input
 *   (and of `node.random`) gives the same output, so the failure shows again.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJson, stringifyJson, type Op } from '@gyre/history';
import type { SendEvent } from '@gyre/net';
import { isClientId } from '@gyre/protocol';
import { DEFAULT_MAX_LINE_BYTES, processHosts } from '@gyre/runner/ports';
import { realClock } from '@gyre/node';
import { readHistory, readTest, RUN_FILES, RunStore, storeRootOf, type TestRecord } from '@gyre/runner/store';
import { journalEvents } from './record';
import { runSim } from './run';
import { specConfig, type SimSpec } from './spec';

/** Where two runs first differ. */
export interface Divergence {
  /** The file or stream: `history.jsonl`, `net-journal/journal.jsonl`, or a node's output. */
  what: string;
  /** 1-based line (history, journal) or 1-based message number (a node's output). */
  index: number;
  expected: string | undefined;
  actual: string | undefined;
  /** For node output: the node. */
  node?: string;
  /** For node output: ns since the start of the run when the recorded message was sent. */
  time?: number;
}

/** What {@link replayRun} resolves with. */
export interface ReplayResult {
  mode: 'sim' | 'process';
  /** The replay's own run directory. */
  dir: string;
  /** True when everything compared was identical. */
  identical: boolean;
  /** The first difference (by recorded time for node output), if any. */
  divergence?: Divergence;
  /** For process replays: messages compared per node (recorded, replayed). */
  nodes?: Record<string, { recorded: number; replayed: number }>;
  /** Messages delivered to the nodes. */
  delivered?: number;
  /** Replies to clients that were not in the journal (the client had gone, so the network refused them) and were not compared. */
  skipped?: number;
}

/** Options of {@link replayRun}. */
export interface ReplayOptions {
  /** Store root for the replay's run directory. @defaultValue the store the recorded run is in */
  store?: string;
  /** Real ms to wait after the last recorded delivery for the nodes' last messages. @defaultValue 3000 */
  settleMs?: number;
  /**
   * Before a kill or a pause, real ms to wait for the node to have written what it had written by
   * then in the recorded run (a process may start slower this time). @defaultValue 2000
   */
  catchUpMs?: number;
  log?: (message: string) => void;
}

/** Replays the run in `dir` (see the module comment). */
export async function replayRun(dir: string, o: ReplayOptions = {}): Promise<ReplayResult> {
  const test = readTest(dir);
  const store = o.store ?? storeRootOf(dir);
  if (test['mode'] === 'sim') return replaySim(dir, test, store);
  return replayProcesses(dir, test, store, o);
}

/** The first line where two texts differ, or undefined when they are equal. */
export function firstDifference(what: string, expected: string, actual: string): Divergence | undefined {
  if (expected === actual) return undefined;
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return { what, index: i + 1, expected: a[i], actual: b[i] };
  }
  return undefined;
}

async function replaySim(dir: string, test: TestRecord, store: string): Promise<ReplayResult> {
  const options = test['options'] as SimSpec['options'] & { latencyDist: SimSpec['latencyDist']; nemesisInterval: number; recoveryTime: number; nemesisTargets?: SimSpec['nemesisTargets'] };
  const { latencyDist, nemesisInterval, recoveryTime, nemesisTargets, ...workloadOptions } = options;
  const spec: SimSpec = {
    workload: String(test['name']),
    node: String(test['node']),
    nodeArgs: (test['nodeArgs'] as string[]) ?? [],
    options: workloadOptions,
    latencyDist,
    nemesisInterval,
    recoveryTime,
    ...(nemesisTargets ? { nemesisTargets } : {}),
    ...(typeof test['maxOps'] === 'number' ? { maxOps: test['maxOps'] } : {}),
    ...(typeof test['maxLineBytes'] === 'number' ? { maxLineBytes: test['maxLineBytes'] } : {}),
  };
  const seed = String(test['seed']);
  const r = await runSim(await specConfig(spec, seed, { store, argv: ['replay', dir] }));
  const newDir = r.dir!;
  const read = (d: string, f: string) => (existsSync(join(d, f)) ? readFileSync(join(d, f), 'utf8') : '');
  const divergence =
    firstDifference(RUN_FILES.history, read(dir, RUN_FILES.history), read(newDir, RUN_FILES.history)) ??
    firstDifference(RUN_FILES.journal, read(dir, RUN_FILES.journal), read(newDir, RUN_FILES.journal));
  const result: ReplayResult = { mode: 'sim', dir: newDir, identical: divergence === undefined, ...(divergence ? { divergence } : {}) };
  writeFileSync(join(newDir, 'replay.json'), stringifyJson({ replayOf: dir, ...result }) + '\n');
  return result;
}

type Step = { time: number; kind: 'deliver'; node: string; line: string } | { time: number; kind: 'kill' | 'start' | 'pause' | 'resume'; node: string };

/**
 * The nemesis's effects on nodes, from the history: `{ n1: 'killed' }` in a completion, at the
 * time of its invocation (when the runner acted: a restarted node must be up before its `init`).
 */
function faultSteps(history: readonly Op[]): Step[] {
  const kinds: Record<string, 'kill' | 'start' | 'pause' | 'resume'> = { killed: 'kill', started: 'start', paused: 'pause', resumed: 'resume' };
  const invokedAt = new Map<string, number>();
  const out: Step[] = [];
  for (const op of history) {
    if (op.process !== 'nemesis') continue;
    if (op.value === null || typeof op.value !== 'object' || Array.isArray(op.value)) {
      invokedAt.set(op.f, op.time ?? 0);
      continue;
    }
    const time = invokedAt.get(op.f) ?? op.time ?? 0;
    for (const [node, status] of Object.entries(op.value as Record<string, unknown>)) {
      const kind = kinds[String(status)];
      if (kind) out.push({ time, kind, node });
    }
  }
  return out;
}

/** `dest#in_reply_to` of a reply to a client, else undefined. */
const clientReplyKey = (line: string): string | undefined => {
  try {
    const m = parseJson(line) as { dest?: unknown; body?: { in_reply_to?: unknown } };
    return typeof m.dest === 'string' && isClientId(m.dest) && m.body?.in_reply_to !== undefined ? `${m.dest}#${String(m.body.in_reply_to)}` : undefined;
  } catch {
    return undefined;
  }
};

const canonical = (line: string): string => {
  try {
    return stringifyJson(parseJson(line.trim()));
  } catch {
    return line.trim();
  }
};

async function replayProcesses(dir: string, test: TestRecord, storeRoot: string, o: ReplayOptions): Promise<ReplayResult> {
  const bin = test['bin'];
  if (typeof bin !== 'string') throw new Error(`${dir} does not record its node binary (test.json has no "bin"): it was made by a Gyre without replay`);
  const binArgs = (test['binArgs'] as string[]) ?? [];
  const nodes = (test['nodes'] as string[]) ?? [];
  const seed = String(test['seed']);
  const journalFile = join(dir, RUN_FILES.journal);
  if (!existsSync(journalFile)) throw new Error(`${dir} has no network journal (${RUN_FILES.journal})`);
  const nodeSet = new Set(nodes);
  const events = journalEvents(readFileSync(journalFile, 'utf8'));
  const sends = new Map<number, SendEvent>();
  const expected = new Map<string, { text: string; time: number }[]>(nodes.map((n) => [n, []]));
  /** Per node: the client replies it made (`client#in_reply_to`) that the journal has. */
  const repliedTo = new Map<string, Set<string>>(nodes.map((n) => [n, new Set()]));
  const steps: Step[] = [];
  for (const e of events) {
    if (e.type === 'send') {
      sends.set(e.id, e);
      if (nodeSet.has(e.src)) {
        const text = canonical(e.text);
        expected.get(e.src)!.push({ text, time: e.time });
        const key = clientReplyKey(text);
        if (key !== undefined) repliedTo.get(e.src)!.add(key);
      }
    } else if (e.type === 'recv' && nodeSet.has(e.dest)) {
      const s = sends.get(e.id);
      if (s) steps.push({ time: e.time, kind: 'deliver', node: e.dest, line: s.line });
    }
    if (e.type !== 'send') sends.delete(e.id);
  }
  const history = existsSync(join(dir, RUN_FILES.history)) ? readHistory(dir).history : [];
  // Faults first among steps of equal time: a kill recorded at t comes before deliveries at t.
  const all = [...faultSteps(history), ...steps].map((s, i) => ({ s, i }));
  all.sort((a, b) => a.s.time - b.s.time || (a.s.kind === 'deliver' ? 1 : 0) - (b.s.kind === 'deliver' ? 1 : 0) || a.i - b.i);

  const store = new RunStore(storeRoot, String(test['name'] ?? 'replay'), new Date());
  const runId = `replay-${process.pid}-${Date.now().toString(36)}`;
  store.writeJson('test.json', { ...test, replayOf: dir, startTime: new Date().toISOString(), runId });
  const actual = new Map<string, string[]>(nodes.map((n) => [n, []]));
  /** Per node: how many recorded messages have been matched. */
  const matched = new Map<string, number>(nodes.map((n) => [n, 0]));
  let skipped = 0;
  const outputs = new Map(nodes.map((n) => [n, store.lines(`node-output/${n}.jsonl`)]));
  let divergence: Divergence | undefined;
  const check = (node: string, line: string) => {
    actual.get(node)!.push(line);
    outputs.get(node)!.write(line + '\n');
    const k = matched.get(node)!;
    const want = expected.get(node)![k];
    const got = canonical(line);
    if (want !== undefined && want.text === got) {
      matched.set(node, k + 1);
      return;
    }
    // A reply to a client that had gone: the network refused it the first time, so the journal lacks it.
    const key = clientReplyKey(got);
    if (key !== undefined && !repliedTo.get(node)!.has(key)) {
      skipped++;
      return;
    }
    const d: Divergence = { what: `output of ${node}`, index: k + 1, node, expected: want?.text, actual: line, ...(want ? { time: want.time } : {}) };
    if (!divergence || (d.time ?? Infinity) < (divergence.time ?? Infinity)) divergence = d;
    matched.set(node, k + 1);
  };
  // The nodes as gyre test hosted them (same per-node seeds), their output compared instead of routed.
  const ignore = () => {};
  const hosts = processHosts({ bin, args: binArgs, stopGraceMs: 500, runId }).create({
    nodes,
    seed,
    clock: realClock(),
    store,
    maxLineBytes: typeof test['maxLineBytes'] === 'number' ? test['maxLineBytes'] : DEFAULT_MAX_LINE_BYTES,
    output: check,
    badLine: ignore,
    crash: ignore,
    failed: ignore,
    info: ignore,
    warn: ignore,
  });
  let delivered = 0;
  try {
    await hosts.startAll();
    o.log?.(`Replaying ${steps.length} deliveries to ${nodes.length} nodes from ${dir}`);
    const t0 = process.hrtime.bigint();
    const sleepUntil = async (ns: number) => {
      const wait = (ns - Number(process.hrtime.bigint() - t0)) / 1e6;
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    };
    // Before a kill or pause: the node should have written what it had written by then the first time (it may boot slower now).
    const caughtUp = async (node: string, time: number) => {
      const want = expected.get(node)!.filter((e) => e.time <= time).length;
      const until = Date.now() + (o.catchUpMs ?? 2000);
      while (matched.get(node)! < want && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    };
    for (const { s } of all) {
      await sleepUntil(s.time);
      const h = hosts.hosts.get(s.node);
      if (!h) continue;
      switch (s.kind) {
        case 'deliver':
          h.deliver(s.line);
          delivered++;
          break;
        case 'kill':
          await caughtUp(s.node, s.time);
          await h.kill();
          break;
        case 'start':
          await h.start();
          break;
        case 'pause':
          await caughtUp(s.node, s.time);
          h.pause();
          break;
        case 'resume':
          h.resume();
          break;
      }
    }
    // Let the nodes answer the last messages: until every node has written what it wrote before, or the grace period ends.
    const deadline = Date.now() + (o.settleMs ?? 3000);
    while (Date.now() < deadline && nodes.some((n) => matched.get(n)! < expected.get(n)!.length)) await new Promise((r) => setTimeout(r, 20));
  } finally {
    await hosts.stopAll();
  }
  const counts: Record<string, { recorded: number; replayed: number }> = {};
  for (const n of nodes) {
    const want = expected.get(n)!;
    const k = matched.get(n)!;
    counts[n] = { recorded: want.length, replayed: actual.get(n)!.length };
    if (k < want.length) {
      const w = want[k]!;
      const d: Divergence = { what: `output of ${n}`, index: k + 1, node: n, expected: w.text, actual: undefined, time: w.time };
      if (!divergence || w.time < (divergence.time ?? Infinity)) divergence = d;
    }
  }
  const result: ReplayResult = { mode: 'process', dir: store.dir, identical: divergence === undefined, ...(divergence ? { divergence } : {}), nodes: counts, delivered, skipped };
  store.writeJson('replay.json', { replayOf: dir, ...result });
  await store.close();
  store.markLatest();
  return result;
}
