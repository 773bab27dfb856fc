import { accessSync, chmodSync, constants, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoTestArgs, examplesDir, runnableDemos } from './demo';
import { DEMOS } from './demos';
import { parseTestArgs } from './options';

describe('demoTestArgs', () => {
  const kafka = DEMOS.find((d) => d.workload === 'kafka')!;

  it("gives each demo its workload and binary, and lets the demo's own options win", () => {
    const o = parseTestArgs(demoTestArgs(['--time-limit', '3', '--node-count', '5'], kafka, '/ex')).options;
    expect(o.workload).toBe('kafka');
    expect(o.bin).toBe('/ex/dist/kafka.js');
    expect(o.timeLimit).toBe(3);
    expect(o.nodes).toEqual(['n0']);
    expect(o.binArgs).toEqual([]);
  });

  it('keeps the words after -- for the binary, after the demo\'s options (they went to the binary before)', () => {
    const o = parseTestArgs(demoTestArgs(['--rate', '7', '--', '--verbose'], kafka, '/ex')).options;
    expect(o.workload).toBe('kafka');
    expect(o.bin).toBe('/ex/dist/kafka.js');
    expect(o.rate).toBe(7);
    expect(o.binArgs).toEqual(['--verbose']);
  });
});

describe('examplesDir', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
  const tree = (files: string[]) => {
    const root = mkdtempSync(join(tmpdir(), 'gyre-demo-dirs-'));
    roots.push(root);
    for (const f of files) {
      mkdirSync(dirname(join(root, f)), { recursive: true });
      writeFileSync(join(root, f), '');
    }
    return root;
  };

  it('finds the copies packed next to the built modules (an installed package)', () => {
    const root = tree(['lib/node_modules/gyre/dist/examples/dist/echo.js']);
    const here = join(root, 'lib/node_modules/gyre/dist');
    expect(examplesDir(here)).toBe(join(here, 'examples'));
  });

  it("falls back to the repository's examples/ (from apps/cli/src, or a build without copies)", () => {
    const root = tree(['examples/dist/echo.js', 'apps/cli/src/demo.ts']);
    expect(examplesDir(join(root, 'apps/cli/src'))).toBe(join(root, 'examples'));
  });
});

describe('runnableDemos', () => {
  const echo = DEMOS.filter((d) => d.workload === 'echo');
  const make = (mode: number) => {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-demo-modes-'));
    for (const d of echo) {
      mkdirSync(dirname(join(dir, d.bin)), { recursive: true });
      writeFileSync(join(dir, d.bin), '#!/bin/sh\n');
      chmodSync(join(dir, d.bin), mode);
    }
    return dir;
  };

  it('runs executable nodes where they are', () => {
    const dir = make(0o755);
    const r = runnableDemos(dir, echo);
    expect(r.dir).toBe(dir);
    r.done();
    expect(existsSync(join(dir, echo[0]!.bin))).toBe(true);
    rmSync(dir, { recursive: true });
  });

  it('runs executable copies of nodes installed without their executable bit, and removes them', () => {
    const dir = make(0o644);
    const r = runnableDemos(dir, echo);
    expect(r.dir).not.toBe(dir);
    for (const d of echo) accessSync(join(r.dir, d.bin), constants.X_OK);
    r.done();
    expect(existsSync(r.dir)).toBe(false);
    rmSync(dir, { recursive: true });
  });
});
