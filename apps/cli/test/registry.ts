/**
 * An npm registry on 127.0.0.1 for the packaging test: it serves the packed @gyre tarballs and
 * the third-party packages they need, taken from the pnpm store that `pnpm install` filled, so
 * that npm installs as it would from npmjs.com, without the network.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join } from 'node:path';

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** The directory of package `name` as Node would find it from `from` (a directory), or undefined. */
function findPackage(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Tarballs, made with `npm pack` into `out`, of the packages `names` as installed for the
 * workspace package in `from`, and of everything they depend on (optional dependencies that are
 * not installed, such as other platforms' esbuild binaries, are left out: npm skips them).
 */
export function storeTarballs(names: readonly string[], from: string, out: string): string[] {
  const dirs = new Map<string, string>();
  const visit = (name: string, where: string, optional: boolean) => {
    const dir = findPackage(name, where);
    if (!dir) {
      if (optional) return;
      throw new Error(`${name} is not installed where ${where} would find it: run pnpm install`);
    }
    const m = readManifest(dir);
    const key = `${m.name}@${m.version}`;
    if (dirs.has(key)) return;
    dirs.set(key, dir);
    for (const dep of Object.keys(m.dependencies ?? {})) visit(dep, dir, false);
    for (const dep of Object.keys(m.optionalDependencies ?? {})) visit(dep, dir, true);
  };
  for (const name of names) visit(name, from, false);
  // npm pack fails on the store's hard-linked files ("Exit handler never called"): it packs copies.
  const copies = mkdtempSync(join(tmpdir(), 'gyre-store-copies-'));
  const sources = [...dirs.values()].map((dir, i) => {
    const copy = join(copies, String(i));
    cpSync(dir, copy, { recursive: true });
    return copy;
  });
  let json: string;
  try {
    json = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out, ...sources], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
  } finally {
    rmSync(copies, { recursive: true, force: true });
  }
  return (JSON.parse(json) as { filename: string }[]).map((t) => join(out, basename(t.filename)));
}

export interface Registry {
  /** The registry's URL, for npm's `--registry`. */
  url: string;
  /** Every request it received (`GET /name`), for checking what npm asked for. */
  requests: string[];
  close(): Promise<void>;
}

/** Serves `tarballs` as an npm registry: a packument per package name, the tarballs themselves. */
export async function startRegistry(tarballs: readonly string[]): Promise<Registry> {
  const packages = new Map<string, Map<string, { manifest: Record<string, unknown>; file: string; integrity: string; shasum: string }>>();
  for (const file of tarballs) {
    const manifest = JSON.parse(execFileSync('tar', ['-xOzf', file, 'package/package.json'], { encoding: 'utf8' })) as Record<string, unknown> & Manifest;
    const bytes = readFileSync(file);
    const versions = packages.get(manifest.name) ?? new Map();
    versions.set(manifest.version, {
      manifest,
      file,
      integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
      shasum: createHash('sha1').update(bytes).digest('hex'),
    });
    packages.set(manifest.name, versions);
  }
  const requests: string[] = [];
  let url = '';
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    requests.push(`${req.method} ${path}`);
    const tarball = /^\/-\/(.+)$/.exec(path);
    if (tarball) {
      for (const versions of packages.values()) {
        for (const v of versions.values()) {
          if (basename(v.file) === tarball[1]) {
            res.writeHead(200, { 'content-type': 'application/octet-stream' });
            res.end(readFileSync(v.file));
            return;
          }
        }
      }
    }
    const versions = packages.get(path.slice(1));
    if (req.method !== 'GET' || !versions) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'not found' }));
      return;
    }
    const newest = [...versions.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1)!;
    const body = {
      name: path.slice(1),
      'dist-tags': { latest: newest },
      versions: Object.fromEntries(
        [...versions].map(([version, v]) => [version, { ...v.manifest, dist: { tarball: `${url}/-/${basename(v.file)}`, integrity: v.integrity, shasum: v.shasum } }]),
      ),
    };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
