/**
 * `gyre test`: runs a workload against the user's node binary, as Maelstrom's `test` does.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { dirProblem, runTest } from '@gyre/runner';
import { parseOrExit, readOptionFile } from './args';
import { consoleReporter, endRun } from './console';
import { fileProblem } from './paths';
import { JUnitFile, junitProblem } from './junit';
import type { Io } from './io';
import { logFormat, maxLineBytes, parseTestArgs, runSettings, TEST_SPEC, type TestOptions } from './options';
import { shebangProblem } from './shebang';
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
  const pathProblem = checkStore(o.store, io.cwd) ?? (o.junit !== undefined ? junitProblem(o.junit, io.cwd) : undefined);
  if (pathProblem) {
    io.err(pathProblem + '\n');
    return 254;
  }
  const reporter = consoleReporter(io, { logOps: o.logOps, progress: o.progress });
  const junit = o.junit ? new JUnitFile(resolve(io.cwd, o.junit), `gyre test ${workload.name}`, ['test', ...argv]) : undefined;
  let code = 0;
  for (let i = 0; i < o.testCount; i++) {
    const name = o.testCount > 1 ? `${workload.name} #${i + 1}` : workload.name;
    code = await endRun(
      () =>
        runTest({
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
          logFormat: logFormat(o),
          reporter,
          signal: io.signal,
        }),
      io,
      { command: 'test', workload: workload.name, valueToEdn: workload.valueToEdn, reporter, printResults: o.printResults, logOps: o.logOps, ...(junit ? { junit: { file: junit, name } } : {}) },
    );
    if (code !== 0) break;
  }
  return code;
}

/** Checks `--bin` before anything starts. */
function checkBin(o: TestOptions, cwd: string): string | undefined {
  if (!o.bin) return 'Expected a --bin PATH_TO_BINARY to test (see `gyre test --help`).';
  const path = resolve(cwd, o.bin);
  const missing = fileProblem('--bin', o.bin, cwd, 'an executable file');
  if (missing) return missing;
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return `--bin ${o.bin}: is not executable. Try \`chmod +x ${o.bin}\` (and make sure it starts with a #! line such as #!/usr/bin/env python3).`;
  }
  return shebangProblem(path, o.bin);
}

/** Checks that `--store` can be created and written, before anything starts (`gyre sim` too). */
export function checkStore(store: string, cwd: string): string | undefined {
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
