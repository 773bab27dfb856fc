// npm run quickstart: install, build, and run Gyre's echo workload against a bundled example node.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pnpm, root } from './pnpm.mjs';

// No type declarations: running Gyre does not need them, and they are most of the build time.
process.env.GYRE_FAST_BUILD = '1';

pnpm('install', '--frozen-lockfile');
pnpm('turbo', 'run', 'build', '--filter=gyre...', '--filter=@gyre/examples', '--output-logs=errors-only');
const args = ['test', '-w', 'echo', '--bin', 'examples/dist/echo.js', '--node-count', '1', '--time-limit', '10'];
console.log(`\n$ gyre ${args.join(' ')}\n`);
const r = spawnSync(process.execPath, [join(root, 'apps/cli/dist/cli.js'), ...args], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
