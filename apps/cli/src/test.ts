/**
 * `gyre test`: runs a workload against the user's node binary, as Maelstrom's `test` does.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatSummary } from '@gyre/report';
import { dirProblem, runTest, StoreError } from '@gyre/runner';
import { parseOrExit, readOptionFile } from './args';
import { consoleReporter, LOG_OPS_NOTE, resultsMap } from './console';
import { JUnitFile, runCase } from './junit';
import type { Io } from './io';
import { maxLineBytes, parseTestArgs, runSettings, TEST_SPEC, type TestOptions } from './options';
import { writeRunReport } from './report';
import { outcomeLine } from './outcome';
import { shebangProblem } from './shebang';
import { reliabilitySummary } from './summary';
import { workloadFor } from './workloads';

/** Runs `gyre test` and returns the exit code. */
export async function testCommand(argv: readonly string[], io: Io): Promise<number> {
  const o = parseOrExit(TEST_SPEC, io, () => {
    const p = parseTestArgs(argv, (path) => readOptionFile('--nodes-file', resolve(io.cwd, path)));
    return { ...p, value: p.options };
  });
  if (typeof o === 'number') return o;
  const binProblem = checkBin(o, io.cwd);
  if (binProblem) {
    io.err(binProblem + '\n');
    return 254;
  }
  const chosen = await workloadFor(o, io);
  if (typeof chosen === 'number') return chosen;
  const { workload, options } = chosen;
  const storeProblem = checkStore(o.store, io.cwd);
  if (storeProblem) {
    io.err(storeProblem + '\n');
    return 254;
  }
  const reporter = consoleReporter(io, { logOps: o.logOps, progress: o.progress });
  const junit = o.junit ? new JUnitFile(resolve(io.cwd, o.junit), `gyre test ${workload.name}`, ['test', ...argv]) : undefined;
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
        ...runSettings(o),
        maxLineBytes: maxLineBytes(o),
        seed: o.seed,
        store: resolve(io.cwd, o.store),
        argv: ['test', ...argv],
        logStderr: o.logStderr,
        keepNodeDirs: o.keepNodeDirs,
        logNetSend: o.logNetSend,
        logNetRecv: o.logNetRecv,
        reporter,
        signal: io.signal,
      });
    } catch (e) {
      if (!(e instanceof StoreError)) throw e;
      reporter.done();
      io.err(`${e.message}\n`);
      junit?.add({ name: workload.name, classname: `gyre.test.${workload.name}`, seconds: 0, failure: { type: 'crashed', message: e.message, text: e.message } });
      return 255;
    }
    reporter.done();
    const report = await writeRunReport(r.dir, { history: r.history, results: r.results });
    if (report.error) io.err(`WARN  Could not write the report pages: ${report.error}\n`);
    if (o.printResults) io.out(resultsMap(r.results, workload.valueToEdn) + '\n\n');
    const summary = formatSummary(r.results, { dir: r.dir, color: io.isTTY, ...(report.error ? { see: 'results.json' } : {}), ...(o.logOps ? {} : { historyNote: LOG_OPS_NOTE }) });
    io.out(summary + '\n');
    junit?.add(
      runCase({ name: o.testCount > 1 ? `${workload.name} #${i + 1}` : workload.name, classname: `gyre.test.${workload.name}`, seconds: r.wallSeconds, exitCode: r.exitCode, summary, seed: r.seed, crash: r.crash }),
      `${r.dir}/report.html`,
    );
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

/** Checks `--bin` before anything starts. */
function checkBin(o: TestOptions, cwd: string): string | undefined {
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
  return shebangProblem(path, o.bin);
}

/** Checks that `--store` can be created and written, before anything starts. */
function checkStore(store: string, cwd: string): string | undefined {
  const path = resolve(cwd, store);
  const problem = dirProblem(path);
  if (problem) return `--store ${store}: ${problem}. Choose another with --store DIR, or fix its permissions.`;
  try {
    mkdirSync(path, { recursive: true });
  } catch (e) {
    return `--store ${store}: cannot create the directory ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Choose another with --store DIR.`;
  }
  return undefined;
}
