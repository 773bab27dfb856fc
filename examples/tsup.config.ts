import { chmod, readdir } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defineConfig } from 'tsup';

/**
 * Every `nodes/<name>.ts` becomes `dist/<name>.js`: one self-contained, executable file (all of
 * @gyre/*, zod and the rest bundled in, `#!/usr/bin/env node`, mode 0755), so that
 * `gyre test --bin examples/dist/echo.js` needs nothing else. Workspace packages are bundled from
 * their TypeScript sources (the `@gyre/source` condition), so no other package must be built first.
 *
 * The guide's staged code, `guide/<chapter>/<stage>.ts`, is bundled the same way to
 * `dist/guide/<chapter>/<stage>.js`, except chapter 0's: it is a project of its own, run from a
 * copy outside this repository (apps/cli/test/guide.test.ts), with its own #! line.
 */
const dir = import.meta.dirname;
const entry = Object.fromEntries(
  readdirSync(join(dir, 'nodes'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => [f.slice(0, -3), `nodes/${f}`]),
);
const guideDir = join(dir, 'guide');
for (const f of existsSync(guideDir) ? readdirSync(guideDir, { recursive: true, encoding: 'utf8' }) : []) {
  if (!f.endsWith('.ts') || f.endsWith('.test.ts') || f.endsWith('.d.ts') || f.startsWith('00-')) continue;
  const rel = relative(dir, join(guideDir, f)).replaceAll('\\', '/');
  entry[rel.slice(0, -3)] = rel;
}

export default defineConfig({
  entry,
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  bundle: true,
  noExternal: [/.*/],
  splitting: false,
  treeshake: true,
  clean: true,
  dts: false,
  sourcemap: false,
  minify: true,
  banner: { js: '#!/usr/bin/env node' },
  // zod's `z` namespace drags in every translation of its error messages (over half the bundle);
  // the nodes use the default English ones, which zod imports on its own. Dropping the rest
  // halves what Node must compile at startup.
  esbuildPlugins: [
    {
      name: 'drop-zod-locales',
      setup(build) {
        build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({ contents: 'export {};', loader: 'js' }));
      },
    },
  ],
  esbuildOptions(options) {
    options.conditions = ['@gyre/source'];
  },
  async onSuccess() {
    const out = join(dir, 'dist');
    for (const f of await readdir(out, { recursive: true, encoding: 'utf8' })) if (f.endsWith('.js')) await chmod(join(out, f), 0o755);
  },
});
