/**
 * The `gyre` command (also installed as `maelstrom`).
 */
import { accessSync, constants, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatSummary } from '@gyre/report';
import { startServer } from '@gyre/report/node';
import { runTest, StoreError, type Reporter, type RunStatus } from '@gyre/runner';
import { checkCommand } from './check';
import { docCommand } from './doc';
import { availableDemos, demoExitCode } from './demo';
import { writeRunReport } from './report';
import { workloadFor } from './workloads';
import { OptionError, optionsHelp, parseTestArgs, type TestOptions } from './options';
import { analyzeCommand } from './analyze';
import { outcomeLine, reliabilitySummary } from './summary';
import { replayCommand, simCommand } from './sim';

export { OUTCOME, outcomeLine, reliabilitySummary } from './summary';

const USAGE = `Usage: gyre COMMAND [OPTIONS ...]
Commands: analyze, check, demo, doc, replay, serve, sim, test

  gyre test -w echo --bin ./my-node --node-count 1 --time-limit 10
                          run a test; gyre test --help lists every option, with Maelstrom's defaults
  gyre serve              browse the store's runs, reports and files at http://127.0.0.1:8080
  gyre analyze            check the latest stored run again and rewrite its results
  gyre check --model cas-register history.edn
                          check a recorded history (Gyre, Maelstrom, Jepsen, elle-cli)
  gyre demo               run the bundled example nodes on their workloads
  gyre doc                write docs/workloads.md and docs/protocol.md
  gyre sim -w broadcast --node ./my-node.ts --seeds 1000
                          TypeScript nodes in one process under virtual time, many seeds
  gyre replay store/latest
                          run a recorded run again and report the first divergence

Every command takes --help.

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
    case 'serve':
      return serveCommand(rest, io);
    case 'check':
      return checkCommand(rest, io);
    case 'doc':
      return docCommand(rest, io);
    case 'demo':
      return demoCommand(rest, io);
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
  const chosen = await workloadFor(o, io.cwd);
  if ('error' in chosen) {
    io.err(`${chosen.error}\n`);
    return 254;
  }
  const { workload, options } = chosen;
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
        nemesisTargets: o.nemesisTargets,
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
    const report = await writeRunReport(r.dir, { history: r.history, results: r.results });
    if (report.error) io.err(`WARN  Could not write the report pages: ${report.error}\n`);
    io.out(formatSummary(r.results, { dir: r.dir, color: io.isTTY }) + '\n');
    const health = reliabilitySummary(r.results);
    if (health) io.out(health + '\n');
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

/** Where the repository's examples are, relative to this file (dist/cli.js or src/cli.ts). */
function examplesDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../../examples');
}

/** `gyre demo [test options]`: every bundled example on its workload, then a summary like Maelstrom's. */
async function demoCommand(argv: readonly string[], io: Io): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(`Usage: gyre demo [OPTIONS ...]\n\nRuns Gyre's example nodes on their workloads and prints which passed. Takes the options of \`gyre test\` except --bin and --workload (each demo sets its own where it needs to).\n`);
    return 0;
  }
  for (const a of argv) {
    if (a === '--bin' || a === '-w' || a === '--workload' || a.startsWith('--bin=') || a.startsWith('--workload=')) return usageError(io, 'gyre demo chooses --bin and --workload itself');
  }
  const dir = examplesDir();
  const { present, missing } = availableDemos(dir);
  if (present.length === 0) {
    io.err(`No example nodes found under ${dir}. Build them first: \`pnpm turbo run build --filter=@gyre/examples\`.\n`);
    return 255;
  }
  for (const m of missing) io.err(`WARN  skipping ${m.workload}: ${m.bin} is not built\n`);
  const outcomes: { name: string; outcome: 'valid' | 'invalid' | 'unknown' | 'crashed' }[] = [];
  for (const d of present) {
    const name = `${d.workload} ${d.bin}`;
    io.err(`\n# ${name}\n`);
    const code = await main(['test', ...argv, '-w', d.workload, '--bin', join(dir, d.bin), ...d.args], io);
    outcomes.push({ name, outcome: code === 0 ? 'valid' : code === 1 ? 'invalid' : code === 2 ? 'unknown' : 'crashed' });
    if (io.signal?.aborted) break;
  }
  const section = (title: string, o: string) => {
    const xs = outcomes.filter((x) => x.outcome === o);
    return `# ${title}\n\n${xs.map((x) => x.name).join('\n')}${xs.length ? '\n' : ''}`;
  };
  io.out(['', section('Successful tests', 'valid'), section('Indeterminate tests', 'unknown'), section('Crashed tests', 'crashed'), section('Failed tests', 'invalid')].join('\n'));
  const count = (o: string) => outcomes.filter((x) => x.outcome === o).length;
  io.out(`\n${count('valid')} successes\n${count('unknown')} unknown\n${count('crashed')} crashed\n${count('invalid')} failures\n`);
  return demoExitCode(outcomes.map((x) => x.outcome));
}

/** `gyre serve [-b HOST] [-p PORT] [--store DIR]`: the web UI over the store. */
async function serveCommand(argv: readonly string[], io: Io): Promise<number> {
  let host = '127.0.0.1';
  let port = 8080;
  let store = 'store';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '-h' || flag === '--help') {
      io.out(`Usage: gyre serve [-b HOST] [-p PORT] [--store DIR]\n\nServes the store's runs, reports and files over HTTP.\n\n  -b, --host HOST   interface to bind [default: 127.0.0.1; Maelstrom binds 0.0.0.0]\n  -p, --port PORT   port [default: 8080]\n      --store DIR   the store [default: store]\n`);
      return 0;
    } else if (flag === '-b' || flag === '--host') {
      const v = value();
      if (!v) return usageError(io, 'Missing argument for "--host"');
      host = v;
    } else if (flag === '-p' || flag === '--port') {
      const v = value();
      if (!v || !/^\d+$/.test(v) || Number(v) > 65535) return usageError(io, `--port must be an integer from 0 to 65535, got ${JSON.stringify(v ?? '')}`);
      port = Number(v);
    } else if (flag === '--store') {
      const v = value();
      if (!v) return usageError(io, 'Missing argument for "--store"');
      store = v;
    } else {
      return usageError(io, `Unknown option: ${JSON.stringify(a)}`);
    }
  }
  let server;
  try {
    server = await startServer({ store: resolve(io.cwd, store), host, port });
  } catch (e) {
    io.err(`Could not serve on ${host}:${port}: ${(e as Error).message}\n`);
    return 255;
  }
  io.out(`I'll see your test results at ${server.url} (serving ${resolve(io.cwd, store)}). Press Ctrl-C to stop.\n`);
  await new Promise<void>((r) => {
    if (io.signal?.aborted) return r();
    io.signal?.addEventListener('abort', () => r());
  });
  await server.close();
  return 0;
}

function usageError(io: Io, message: string): number {
  io.err(`${message}\n`);
  return 254;
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
  // `gyre check ... | head`: a closed pipe ends the output quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write(`\n${sig}: stopping, keeping what was recorded (press Ctrl-C again to quit at once)\n`);
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
