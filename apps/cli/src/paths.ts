/**
 * The files the CLI is given to read or to write, checked before a command starts (so that a bad
 * path is a usage error, exit 254, naming the path and why, and not a surprise at the end), and
 * written at the end without losing the verdict when they cannot be.
 */
import { accessSync, constants, mkdirSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Checks that the file given as `option value` (relative to `cwd`) is a file, before anything
 * starts (`gyre test`'s `--bin`, `gyre sim`'s node module); `what` it should be names it when it is
 * a directory.
 */
export function fileProblem(option: string, value: string, cwd: string, what: string): string | undefined {
  const path = resolve(cwd, value);
  let st;
  try {
    st = statSync(path);
  } catch {
    return `${option} ${value}: no such file (looked for ${path}).`;
  }
  if (st.isDirectory()) return `${option} ${value}: is a directory, not ${what}.`;
  return undefined;
}

/**
 * Why the file an option names (`FLAG VALUE`, relative to `cwd`) cannot be written (`--junit`,
 * `gyre sim --summary`, `gyre sim merge --out`), in one line naming the path and the reason, or
 * undefined. Creates nothing. A directory on the way that does not exist yet is made when the file
 * is written ({@link writeOutputFile}), so the nearest one that does must take files.
 */
export function outputFileProblem(flag: string, value: string, cwd: string): string | undefined {
  const why = pathProblem(resolve(cwd, value));
  return why === undefined ? undefined : `${flag} ${value}: ${why}. Choose another with ${flag} FILE.`;
}

function pathProblem(path: string): string | undefined {
  const st = lookAt(path);
  if (typeof st === 'string') return st;
  if (st) return st.isDirectory() ? `${path} is a directory, not a file` : writable(path, constants.W_OK, `${path} cannot be written`);
  let dir = dirname(path);
  for (;;) {
    const up = lookAt(dir);
    if (typeof up === 'string') return up;
    if (up) {
      if (!up.isDirectory()) return `${dir} is not a directory, so ${path} cannot be created`;
      return writable(dir, constants.W_OK | constants.X_OK, `${dir} is not writable`, `, so ${path} cannot be created`);
    }
    dir = dirname(dir);
  }
}

/** A path's stats, undefined when nothing is there (or it is under a file), or why it cannot be looked at. */
function lookAt(path: string): Stats | undefined | string {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? undefined : `${path} cannot be looked at (${code ?? (e as Error).message})`;
  }
}

/** Undefined if `path` allows `mode`, else `what` with the system's reason (EACCES, EROFS) and `then`. */
function writable(path: string, mode: number, what: string, then = ''): string | undefined {
  try {
    accessSync(path, mode);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return `${what} (${code === 'EROFS' ? 'EROFS: a read-only file system' : (code ?? (e as Error).message)})${then}`;
  }
}

/**
 * Writes a file a command gives at the end (`what` it is, for the message), making the directories
 * on the way; why it could not, in one line, or undefined. The caller warns: the verdict stands.
 */
export function writeOutputFile(what: string, path: string, text: string): string | undefined {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return undefined;
  } catch (e) {
    return `Could not write ${what} ${path}: ${(e as Error).message}`;
  }
}
