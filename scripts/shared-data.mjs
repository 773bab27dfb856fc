// Where the shared reference histories are (histories with known verdicts; see the README.md in
// that directory): $GYRE_SHARED_DATA, else the first `shared/data` holding a README.md found by
// walking up from this repository (a clone, a worktree, or CI's checkout beside it). Every test and
// benchmark that reads them asks here.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The directory, or undefined when there is none to be found. */
export function sharedData() {
  const env = process.env['GYRE_SHARED_DATA'];
  if (env) return env;
  for (let dir = import.meta.dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'data');
    if (existsSync(join(candidate, 'README.md'))) return candidate;
  }
  return undefined;
}

/** The directory; throws, saying how to point at it, when there is none. */
export function requireSharedData() {
  const found = sharedData();
  if (found === undefined) throw new Error(`the shared reference histories (shared/data) were not found above ${dirname(import.meta.dirname)}; set GYRE_SHARED_DATA to their directory`);
  return found;
}
