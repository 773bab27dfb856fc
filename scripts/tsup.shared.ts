import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Options } from 'tsup';

/**
 * Derives tsup entries from a package's `exports` map: each `@gyre/source` condition names a
 * source file, and its `default` names the output. One place decides what a package ships.
 */
export function packageConfig(dir: string, extra: Partial<Options> = {}): Options {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    exports?: Record<string, string | Record<string, string>>;
    bin?: Record<string, string>;
  };
  const entry: Record<string, string> = {};
  for (const target of Object.values(pkg.exports ?? {})) {
    if (typeof target !== 'object') continue;
    const src = target['@gyre/source'];
    const out = target['default'];
    if (!src || !out) continue;
    entry[out.replace(/^\.\/dist\//, '').replace(/\.js$/, '')] = src;
  }
  return {
    entry,
    format: ['esm'],
    target: 'node20',
    // Type declarations take most of the build; the quick start does not need them.
    dts: !process.env['GYRE_FAST_BUILD'],
    sourcemap: true,
    clean: true,
    splitting: false,
    treeshake: true,
    ...extra,
  };
}
