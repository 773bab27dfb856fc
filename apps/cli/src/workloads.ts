/**
 * Finds a workload by name: a built-in one, or (later) a plugin module.
 */
import { WORKLOADS, type WorkloadDefinition } from '@gyre/workloads';
import { WORKLOAD_NAMES } from './options';

/** Resolves `-w NAME` to a workload definition; throws with a clear message when it cannot. */
export async function loadWorkload(name: string, _cwd: string): Promise<WorkloadDefinition> {
  const w = WORKLOADS[name];
  if (w) return w;
  if ((WORKLOAD_NAMES as readonly string[]).includes(name)) {
    throw new Error(`The ${name} workload is not implemented in this version of Gyre yet. Implemented: ${Object.keys(WORKLOADS).sort().join(', ')}.`);
  }
  throw new Error(`Unknown workload ${JSON.stringify(name)}. Expected one of: ${WORKLOAD_NAMES.join(', ')}.`);
}
