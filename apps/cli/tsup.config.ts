import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig } from 'tsup';
import { packageConfig } from '../../scripts/tsup.shared.ts';
import { DEMOS } from './src/demos.ts';

/**
 * The package is a binary, dist/cli.js (package.json `bin`), published as one self-contained
 * package: Gyre's own packages (@gyre/*, dev dependencies here) are bundled in from their
 * TypeScript sources, and only third-party packages (the `dependencies`: zod, and tsx and esbuild
 * for `gyre sim`) stay imports.
 *
 * Splitting puts each command's module in a chunk of its own that main.ts imports when the command
 * runs, so `gyre check` does not load the runner, the report, the simulator or zod. `gyre sim
 * --seeds` starts its worker threads from `new URL('./worker.js', import.meta.url)`, which in the
 * bundle is dist/worker.js, a second entry. The example nodes `gyre demo` runs (src/demos.ts) are
 * copied into dist/examples/, laid out as in examples/ (apps/cli/turbo.json builds examples first).
 */
const dir = import.meta.dirname;
const examples = join(dir, '../../examples');
const require = createRequire(import.meta.url);

/** The TypeScript source of an export of a workspace package (its `@gyre/source` condition). */
function sourceOf(pkg: string, subpath: string): string {
  const manifest = require.resolve(`${pkg}/package.json`);
  const exports = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, Record<string, string>> }).exports;
  return join(dirname(manifest), exports[subpath]!['@gyre/source']!);
}

export default defineConfig(
  packageConfig(dir, {
    entry: { cli: 'src/cli.ts', worker: sourceOf('@gyre/sim', './worker') },
    splitting: true,
    dts: false,
    banner: { js: '#!/usr/bin/env node' },
    noExternal: [/^@gyre\//],
    esbuildOptions(options) {
      options.conditions = ['@gyre/source'];
      // Source maps name the bundled files (bin.test.ts reads them to see which packages a command
      // loads) without carrying their text.
      options.sourcesContent = false;
    },
    onSuccess: async () => {
      for (const d of DEMOS) {
        const from = join(examples, d.bin);
        if (!existsSync(from)) throw new Error(`${from} is missing: build the examples first (pnpm turbo run build --filter=@gyre/examples)`);
        const to = join(dir, 'dist/examples', d.bin);
        mkdirSync(dirname(to), { recursive: true });
        copyFileSync(from, to);
        chmodSync(to, 0o755);
      }
    },
  }),
);
