// npm test: install, check package boundaries and unused code, build, typecheck, and run every
// package's tests.
import { spawnSync } from 'node:child_process';
import { pnpm, root } from './pnpm.mjs';

pnpm('install', '--frozen-lockfile');
const boundaries = spawnSync(process.execPath, ['scripts/check-boundaries.mjs'], { cwd: root, stdio: 'inherit' });
if (boundaries.status !== 0) process.exit(boundaries.status ?? 1);
// Unused files, exports and dependencies (knip.jsonc).
pnpm('run', 'knip');
pnpm('turbo', 'run', 'build', 'typecheck', '--output-logs=errors-only');
pnpm('turbo', 'run', 'test', '--concurrency=1', '--output-logs=full');
// Every public package must pass the publish dry run (manifests, changelogs, packed contents).
const release = spawnSync(process.execPath, ['scripts/release-check.mjs'], { cwd: root, stdio: 'inherit' });
if (release.status !== 0) process.exit(release.status ?? 1);
