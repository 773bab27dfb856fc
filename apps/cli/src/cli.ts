/**
 * The `gyre` command (also installed as `maelstrom`).
 */
import { accessSync, constants, mkdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { runTest, StoreError, type Reporter, type RunStatus } from '@gyre/runner';
import { loadWorkload } from './workloads';
import { OptionError, optionsHelp, parseTestArgs, workloadOptions, type TestOptions } from './options';
import { analyzeCommand } from './analyze';
import { outcomeLine, summary } from './summary';

export { OUTCOME, summary, outcomeLine } from './summary';

const USAGE = `Usage: gyre COMMAND [OPTIONS ...]
Commands: analyze, check, demo, doc, serve, test

  gyre test -w echo --bin ./my-node --node-count 1 --time-limit 10
  gyre test --help        every option, with Maelstrom's defaults

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
    case 'analyze':
      return analyzeCommand(rest, io);
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
    parsed = parseTestArgs(argv, (p) => readOptionFile('--nodes-file', resolve(io.cwd, p)));
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
  const options = workloadOptions(o);
  const invalid = workload.validate?.(options);
  if (invalid) {
    io.err(`${invalid}\n`);
    return 254;
  }
  const storeProblem = checkStore(o.store, io.cwd);
  if (storeProblem) {
    io.err(storeProblem + '\n');
    return 254;
  }
  const reporter = consoleReporter(io, o);
  let code = 0;
  for (let i = 0; i < o.testCount; i++) {
    if (io.signal?.aborted) break;
    let r;
    try {
      r = await runTest({
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
    } catch (e) {
      if (!(e instanceof StoreError)) throw e;
      reporter.done?.();
      io.err(`${e.message}\n`);
      return 255;
    }
    reporter.done?.();
    io.out(summary(r.results, r.dir) + '\n');
    if (r.crash) {
      io.out(`\nOh jeez, I'm sorry, Gyre broke. Here's why:\n${r.crash}\n`);
      return 255;
    }
    io.out('\n' + outcomeLine(r.valid) + '\n');
    if (r.results['interrupted'] === true) {
      io.out('The run was interrupted, so this verdict covers only what was recorded before it stopped (exit 255).\n');
      return 255;
    }
    code = r.exitCode;
    if (code !== 0) break;
  }
  return code;
}

/** Reads a file named by an option; a missing or unreadable file is an {@link OptionError}. */
export function readOptionFile(option: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new OptionError(`${option} ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
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

/** Checks that `--store` can be created and written, before anything starts. */
export function checkStore(store: string, cwd: string): string | undefined {
  const path = resolve(cwd, store);
  try {
    mkdirSync(path, { recursive: true });
  } catch (e) {
    return `--store ${store}: cannot create the directory ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Choose another with --store DIR.`;
  }
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    return `--store ${store}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`;
  }
  if (!st.isDirectory()) return `--store ${store}: ${path} is not a directory. Choose another with --store DIR.`;
  try {
    accessSync(path, constants.W_OK | constants.X_OK);
  } catch {
    return `--store ${store}: the directory ${path} is not writable. Choose another with --store DIR, or fix its permissions.`;
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
