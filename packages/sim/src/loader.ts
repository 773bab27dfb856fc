/**
 * Loading a node module for `gyre sim`: TypeScript through tsx when the runtime cannot load it; a
 * program (`createNode()` at its top level) compiled to run once per node, or else the install
 * function found by the documented contract.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { InstallNode, NodeModule, NodeProgram } from './instance';
import { compileProgram, probeModule } from './program';

let tsxRegistered: Promise<void> | undefined;

/**
 * Registers tsx's hooks in this thread, once: ESM and CommonJS, as `node --import tsx` does (a
 * `.ts` file in a CommonJS package compiles to CommonJS and needs the latter).
 */
function registerTsx(): Promise<void> {
  tsxRegistered ??= Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]).then(([esm, cjs]) => {
    esm.register();
    cjs.register();
  });
  return tsxRegistered;
}

const cache = new Map<string, Promise<NodeModule>>();

/**
 * Imports the node module at `path` (relative to `cwd`) and returns how to run it:
 * - a module whose top-level code calls `createNode()` (a program, as `gyre test` runs it) is a
 *   {@link NodeProgram}: its own files run afresh for every node and every restart;
 * - otherwise its install function: the default export when it is a function (called with the
 *   node and the node's arguments), else the module's only exported function (called with the node
 *   alone).
 * `.ts` files load through tsx when the runtime does not understand them by itself.
 *
 * @throws Error naming the contract when the module is neither.
 */
export function loadInstall(path: string, cwd = process.cwd()): Promise<NodeModule> {
  const file = isAbsolute(path) ? path : resolve(cwd, path);
  let p = cache.get(file);
  if (!p) {
    p = importInstall(file);
    cache.set(file, p);
    p.catch(() => cache.delete(file));
  }
  return p;
}

async function importInstall(file: string): Promise<NodeModule> {
  const probe = await probeModule(file, () => importModule(file));
  return probe.program ? compileProgram(file) : pickInstall(probe.module, file);
}

async function importModule(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== 'ERR_UNKNOWN_FILE_EXTENSION' || !/\.[cm]?tsx?$/.test(file)) throw e;
    await registerTsx();
    mod = (await import(`${url}?tsx`)) as Record<string, unknown>;
  }
  return mod;
}

/** The install function of a loaded module (see {@link loadInstall}). */
export function pickInstall(mod: Record<string, unknown>, file = 'the node module'): InstallNode {
  if (typeof mod['default'] === 'function') return mod['default'] as InstallNode;
  const fns = Object.entries(mod).filter(([, v]) => typeof v === 'function');
  if (fns.length === 1) {
    // Not written for gyre sim: its second parameter (if any) is its own, so it gets no args.
    const fn = fns[0]![1] as (node: unknown) => unknown;
    return (node) => fn(node);
  }
  const names = fns.map(([k]) => k).join(', ');
  throw new Error(
    `${file} does not say how to run a node: gyre sim runs a module that calls createNode() at its top level (as a process does under gyre test), or one whose default export is a function (node, args) => void that registers the node's handlers` +
      (fns.length > 1 ? ` (it exports several functions: ${names}; mark one as the default export)` : ' (it exports no function)') +
      '. See the README of @gyre/sim.',
  );
}
