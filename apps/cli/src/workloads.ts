/**
 * Finds a workload by name: a built-in one, or a plugin module (`-w ./my-workload.js`,
 * `-w some-npm-package`).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineWorkload, WORKLOADS, type WorkloadDefinition, type WorkloadOptions } from '@gyre/workloads';
import { didYouMean } from './args';
import type { Io } from './io';
import { WORKLOAD_NAMES, workloadOptions, type TestOptions } from './options';

function looksLikePath(name: string): boolean {
  return name.startsWith('.') || isAbsolute(name) || /\.(m?js|cjs|ts|mts)$/.test(name);
}

/** Resolves `-w NAME` to a workload definition; throws with a clear message when it cannot. */
export async function loadWorkload(name: string, cwd: string): Promise<WorkloadDefinition> {
  const w = WORKLOADS[name];
  if (w) return w;
  let url: string;
  if (looksLikePath(name)) {
    const path = resolve(cwd, name);
    if (!existsSync(path)) throw new Error(`Workload plugin ${name}: no such file (looked for ${path}).`);
    url = pathToFileURL(path).href;
  } else {
    try {
      url = pathToFileURL(createRequire(join(cwd, 'package.json')).resolve(name)).href;
    } catch {
      throw new Error(
        `Unknown workload ${JSON.stringify(name)}${didYouMean(name, WORKLOAD_NAMES) || '.'} Expected one of: ${WORKLOAD_NAMES.join(', ')}; or a plugin: a path to a module (./my-workload.js) or an installed package that exports defineWorkload({...}).`,
      );
    }
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`Workload plugin ${name} could not be loaded: ${(e as Error).message}`);
  }
  const def = (mod['default'] ?? mod['workload']) as WorkloadDefinition | undefined;
  if (!def || typeof def !== 'object') {
    throw new Error(`Workload plugin ${name} must export a workload as its default export (export default defineWorkload({...})) or as "workload".`);
  }
  try {
    return defineWorkload(def);
  } catch (e) {
    throw new Error(`Workload plugin ${name}: ${(e as Error).message}`);
  }
}

/**
 * The workload `-w` names and the options it sees, checked by the workload's `validate`, for
 * `gyre test` and `gyre sim`; or, when it cannot be had (an unknown or broken plugin, options the
 * workload rejects), the message saying why written to stderr and the exit code 254.
 */
export async function workloadFor(o: TestOptions, io: Io): Promise<{ workload: WorkloadDefinition; options: WorkloadOptions } | number> {
  let workload: WorkloadDefinition;
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
  return { workload, options };
}
