import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * True when the module at `url` (pass `import.meta.url`) is the program Node was started with,
 * so a node file can both run as an executable and be imported by tests without starting.
 */
export function isMain(url: string): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return pathToFileURL(realpathSync(arg)).href === url;
  } catch {
    return false;
  }
}
