/**
 * Test helper: where the reference histories are (/work/shared/data, see its README).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** GYRE_SHARED_DATA, or the first `shared/data` found walking up from here; undefined if none. */
export function sharedData(): string | undefined {
  const env = process.env['GYRE_SHARED_DATA'];
  if (env) return env;
  for (let dir = import.meta.dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'shared', 'data', 'README.md'))) return join(dir, 'shared', 'data');
  }
  return undefined;
}
