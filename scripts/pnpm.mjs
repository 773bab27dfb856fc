// Runs pnpm at the version package.json pins, whether or not a global pnpm exists.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const want = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];

function globalPnpmVersion() {
  try {
    return execFileSync('pnpm', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

const useGlobal = globalPnpmVersion() === want;

/** Runs `pnpm ...args` (in the repo root unless `opts.cwd` says otherwise) and returns spawnSync's result. */
export function pnpmSync(args, opts = {}) {
  const [cmd, argv] = useGlobal ? ['pnpm', args] : ['npx', ['--yes', `pnpm@${want}`, ...args]];
  const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', COREPACK_ENABLE_STRICT: '0', npm_config_update_notifier: 'false', ...opts.env };
  return spawnSync(cmd, argv, { cwd: root, ...opts, env });
}

/** Runs `pnpm ...args` in the repo root, inheriting stdio; exits on failure. */
export function pnpm(...args) {
  const r = pnpmSync(args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n\`pnpm ${args.join(' ')}\` failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status ?? 1);
  }
}
