/**
 * A full disk for tests: a tmpfs of a given size mounted at a fresh temporary directory. Mounting
 * needs root (CI runs as root); elsewhere the tests that need it skip, saying why.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A mounted tmpfs and how to remove it. */
export interface TinyDisk {
  path: string;
  /** Unmounts it (lazily, so open files do not stop it) and removes the mount point. */
  done(): void;
}

/** Mounts a tmpfs of `size` (`512k`, `1m`), or returns why it cannot (not root, no tmpfs). */
export function tinyDisk(size: string): TinyDisk | string {
  const path = mkdtempSync(join(tmpdir(), 'gyre-tinydisk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', path], { stdio: 'pipe' });
  } catch (e) {
    rmSync(path, { recursive: true, force: true });
    const why = String((e as { stderr?: Buffer }).stderr ?? (e as Error).message).trim();
    return `a full disk needs a tmpfs, which cannot be mounted here (${why}); run the tests as root to include it`;
  }
  return {
    path,
    done: () => {
      try {
        execFileSync('umount', ['-l', path], { stdio: 'pipe' });
        rmSync(path, { recursive: true, force: true });
      } catch {
        // left for the system to clean up
      }
    },
  };
}
