import { defineConfig } from 'tsup';
import { packageConfig } from '../../scripts/tsup.shared.ts';

// The package is a binary: dist/cli.js (package.json `bin`). Splitting puts each command's module
// in a chunk of its own that main.ts imports when the command runs, so `gyre check` does not load
// the runner, the report or the simulator.
export default defineConfig(packageConfig(import.meta.dirname, { entry: { cli: 'src/cli.ts' }, splitting: true, dts: false, banner: { js: '#!/usr/bin/env node' } }));
