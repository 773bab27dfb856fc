/**
 * The `gyre` command (also installed as `maelstrom`).
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { runTest, type Reporter, type RunStatus } from '@gyre/runner';
import { loadWorkload } from './workloads';
import { OptionError, optionsHelp, parseTestArgs, type TestOptions } from './options';
import { replayCommand, simCommand } from './sim';

/** Exactly Maelstrom's outcome lines (maelstrom.md §6.2). */
export const OUTCOME = {
  valid: 'Everything looks good! ヽ(‘ー`)ノ',
  invalid: 'Analysis invalid! (ﾉಥ益ಥ）ﾉ ┻━┻',
  unknown: 'Errors occurred during analysis, but no anomalies found. ಠ~ಠ',
} as const;

const USAGE = `Usage: gyre COMMAND [OPTIONS ...]
Commands: analyze, check, demo, doc, replay, serve, sim, test

  gyre test -w echo --bin ./my-node --node-count 1 --time-limit 10
  gyre test --help        every option, with Maelstrom's defaults
  gyre sim -w broadcast --node ./my-node.ts --seeds 1000    TypeScript nodes under virtual time, many seeds
  gyre replay store/latest                                  run a recorded run again, report the first divergence

Gyre is a drop-in replacement for Jepsen's Maelstrom: the same command lines, workloads,
results and exit codes. It is also installed as \`maelstrom\`.`;

const EXIT_CODES = `Exit codes:
  0    every run was valid
  1    a run was invalid
  2    a run's validity was unknown
  254  bad or missing options, or an unknown command
  255  the test crashed (a node failed to start, init, or exited mid-run)`;

/** What a command writes to, injected for tests. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
  cwd: string;
  signal?: AbortSignal;
}

/** Runs the CLI with argv (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'test':
      return testCommand(rest, io);
    case 'sim':
      return simCommand(rest, io);
    case 'replay':
      return replayCommand(rest, io);
    case '-h':
    case '--help':
    case 'help':
      io.out(USAGE + '\n');
      return 0;
    default:
      io.err(USAGE + '\n');
      if (cmd !== undefined) io.err(`\nUnknown command: ${JSON.stringify(cmd)}\n`);
      return 254;
  }
}

async function testCommand(argv: readonly string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseTestArgs(argv, (p) => readFileSync(resolve(io.cwd, p), 'utf8'));
  } catch (e) {
    if (e instanceof OptionError) {
      io.err(`${e.message}\n\nRun \`gyre test --help\` for every option.\n`);
      return 254;
    }
    throw e;
  }
  if (parsed.help) {
    io.out(`Usage: gyre test [OPTIONS ...] [-- ARGS FOR THE BINARY]\n\nRuns a workload against your node binary.\n\nOptions:\n${optionsHelp()}\n\n${EXIT_CODES}\n`);
    return 0;
  }
  for (const w of parsed.warnings) io.err(`WARNING: ${w}\n`);
  const o = parsed.options;
  const binProblem = checkBin(o, io.cwd);
  if (binProblem) {
    io.err(binProblem + '\n');
    return 254;
  }
  let workload;
  try {
    workload = await loadWorkload(o.workload, io.cwd);
  } catch (e) {
    io.err(`${(e as Error).message}\n`);
    return 254;
  }
  const options = {
    nodes: o.nodes,
    concurrency: o.concurrency,
    rate: o.rate,
    timeLimit: o.timeLimit,
    latency: o.latency,
    topology: o.topology,
    keyCount: o.keyCount,
    maxTxnLength: o.maxTxnLength,
    maxWritesPerKey: o.maxWritesPerKey,
    consistencyModels: o.consistencyModels,
    availability: o.availability,
    nemesis: o.nemesis,
    seed: o.seed,
  };
  const invalid = workload.validate?.(options);
  if (invalid) {
    io.err(`${invalid}\n`);
    return 254;
  }
  const reporter = consoleReporter(io, o);
  let code = 0;
  for (let i = 0; i < o.testCount; i++) {
    const r = await runTest({
      workload,
      options,
      bin: resolve(io.cwd, o.bin!),
      binArgs: o.binArgs,
      latencyDist: o.latencyDist,
      nemesisInterval: o.nemesisInterval,
      recoveryTime: o.recoveryTime,
      seed: o.seed,
      store: resolve(io.cwd, o.store),
      argv: ['test', ...argv],
      logStderr: o.logStderr,
      logNetSend: o.logNetSend,
      logNetRecv: o.logNetRecv,
      reporter,
      signal: io.signal,
    });
    reporter.done?.();
    io.out(summary(r.results, r.dir) + '\n');
    if (r.crash) {
      io.out(`\nOh jeez, I'm sorry, Gyre broke. Here's why:\n${r.crash}\n`);
      return 255;
    }
    io.out('\n' + (r.valid === true ? OUTCOME.valid : r.valid === false ? OUTCOME.invalid : OUTCOME.unknown) + '\n');
    code = r.exitCode;
    if (code !== 0) break;
  }
  return code;
}

/** Checks `--bin` before anything starts. */
export function checkBin(o: TestOptions, cwd: string): string | undefined {
  if (!o.bin) return 'Expected a --bin PATH_TO_BINARY to test (see `gyre test --help`).';
  const path = resolve(cwd, o.bin);
  let st;
  try {
    st = statSync(path);
  } catch {
    return `--bin ${o.bin}: no such file (looked for ${path}).`;
  }
  if (st.isDirectory()) return `--bin ${o.bin}: is a directory, not an executable file.`;
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return `--bin ${o.bin}: is not executable. Try \`chmod +x ${o.bin}\` (and make sure it starts with a #! line such as #!/usr/bin/env python3).`;
  }
  return undefined;
}

function consoleReporter(io: Io, o: TestOptions): Reporter & { done?: () => void } {
  const live = o.progress ?? io.isTTY;
  let shown = false;
  const clear = () => {
    if (shown) {
      io.err('\r\x1b[2K');
      shown = false;
    }
  };
  return {
    info: (m) => {
      clear();
      io.err(`INFO  ${m}\n`);
    },
    warn: (m) => {
      clear();
      io.err(`WARN  ${m}\n`);
    },
    status: live
      ? (s: RunStatus) => {
          const line = `${s.phase === 'main' ? `${s.elapsed.toFixed(1)}/${s.limit}s` : s.phase}  ok ${s.ok}  fail ${s.fail}  info ${s.info}  ${Math.round(s.msgsPerSecond)} msgs/s${s.fault ? `  fault: ${s.fault}` : ''}`;
          io.err(`\r\x1b[2K${line}`);
          shown = true;
        }
      : undefined,
    done: clear,
  };
}

/** The short summary printed at the end of a run. */
export function summary(results: Record<string, unknown>, dir: string): string {
  const lines: string[] = [];
  const get = (...path: string[]): unknown => path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), results);
  const v = (x: unknown) => (x === true ? 'valid' : x === false ? 'INVALID' : 'unknown');
  const stats = get('stats') as Record<string, unknown> | undefined;
  if (stats) lines.push(`ops: ${stats['count']} completed (${stats['ok-count']} ok, ${stats['fail-count']} fail, ${stats['info-count']} info)  [${v(stats['valid?'])}]`);
  const avail = get('availability', 'ok-fraction');
  if (typeof avail === 'number') lines.push(`availability: ${(avail * 100).toFixed(1)}% ok  [${v(get('availability', 'valid?'))}]`);
  const mpo = get('net', 'servers', 'msgs-per-op');
  const all = get('net', 'all', 'msg-count');
  if (all !== undefined) lines.push(`network: ${all} messages${typeof mpo === 'number' ? `, ${mpo.toFixed(2)} server msgs per op` : ''}`);
  const sl = get('workload', 'stable-latencies') as Record<string, number> | undefined;
  if (sl) lines.push(`stable latency (ms): median ${sl['0.5']}, 95% ${sl['0.95']}, max ${sl['1']}`);
  const pe = get('protocol-errors', 'count');
  if (pe) lines.push(`protocol errors from nodes: ${pe} (see results.json "protocol-errors")`);
  lines.push(`workload: ${v(get('workload', 'valid?'))}`);
  lines.push(`results: ${dir}/results.edn`);
  return lines.join('\n');
}

const isMain = process.argv[1] && /(?:^|[/\\])(cli\.(?:ts|js)|gyre|maelstrom)$/.test(process.argv[1]);
if (isMain) {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write(`\n${sig}: stopping the run, keeping what was recorded (press Ctrl-C again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  main(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    isTTY: process.stderr.isTTY === true,
    cwd: process.cwd(),
    signal: controller.signal,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`Gyre crashed: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 255;
    },
  );
}
